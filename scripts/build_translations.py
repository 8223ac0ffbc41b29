#!/usr/bin/env python3
"""Qt Linguist pipeline for the counter app.

The UI's source strings are Vietnamese (the default language). This script

1. runs ``pyside6-lupdate`` over cashier/ui/*.py and updates
   resources/translations/cashier_en.ts (English translations; existing ones are kept) and
   cashier_vi.ts (source language: plural forms only, as Qt recommends);
2. optionally fills untranslated English entries from a tab-separated file (``--fill FILE``,
   lines ``<Vietnamese source>\\t<English>``; a translator's normal tool is Qt Linguist);
3. compiles the .ts files to .qm with ``pyside6-lrelease``, and qtbase_vi.ts too: Vietnamese for
   Qt's own strings (standard buttons, file chooser, context menus), which Qt does not ship
   (that file is edited by hand or in Qt Linguist; lupdate never touches it).

``--check`` exits 1 when an English entry is unfinished (used by the tests).

Usage:  python scripts/build_translations.py [--fill en.tsv] [--check]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UI = ROOT / "cashier" / "ui"
OUT = ROOT / "resources" / "translations"
TARGETS = {"en": ["-target-language", "en"], "vi": ["-target-language", "vi_VN", "-pluralonly"]}
#: translations of Qt's own strings for the languages Qt does not ship
QT_OWN = [OUT / "qtbase_vi.ts"]


def tool(name: str) -> str:
    exe = Path(sys.executable).with_name(name)
    if exe.exists():
        return str(exe)
    found = shutil.which(name)
    if not found:
        sys.exit(f"build_translations: {name} not found (pip install PySide6)")
    return found


def sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in UI.rglob("*.py"))


def lupdate() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for lang, extra in TARGETS.items():
        ts = OUT / f"cashier_{lang}.ts"
        cmd = [tool("pyside6-lupdate"), *sources(), "-source-language", "vi_VN", *extra, "-no-obsolete", "-locations", "none", "-ts", str(ts.relative_to(ROOT))]
        subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def unfinished(ts: Path) -> list[str]:
    tree = ET.parse(ts)
    out = []
    for msg in tree.iter("message"):
        tr = msg.find("translation")
        if tr is None:
            continue
        if tr.get("type") == "unfinished" or (msg.get("numerus") != "yes" and not (tr.text or "").strip()):
            out.append(msg.findtext("source") or "")
    return out


def fill(ts: Path, table: Path) -> int:
    pairs: dict[str, str] = {}
    for line in table.read_text(encoding="utf-8").splitlines():
        if "\t" in line and not line.startswith("#"):
            src, dst = line.split("\t", 1)
            pairs[src.replace("\\n", "\n")] = dst.replace("\\n", "\n")
    tree = ET.parse(ts)
    n = 0
    for msg in tree.iter("message"):
        src = msg.findtext("source") or ""
        tr = msg.find("translation")
        if tr is None or src not in pairs:
            continue
        if tr.get("type") == "unfinished" or not (tr.text or "").strip():
            tr.text = pairs[src]
            tr.attrib.pop("type", None)
            n += 1
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    # keep Linguist's doctype line
    text = ts.read_text(encoding="utf-8")
    if "<!DOCTYPE TS>" not in text:
        text = text.replace("?>\n", "?>\n<!DOCTYPE TS>\n", 1)
        ts.write_text(text, encoding="utf-8")
    return n


def lrelease() -> None:
    for ts in [*(OUT / f"cashier_{lang}.ts" for lang in TARGETS), *QT_OWN]:
        subprocess.run([tool("pyside6-lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True, stdout=subprocess.DEVNULL)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--fill", type=Path, help="TSV of Vietnamese source -> English")
    p.add_argument("--check", action="store_true", help="fail when an English entry is unfinished")
    p.add_argument("--no-update", action="store_true", help="only compile (lrelease)")
    args = p.parse_args(argv)
    if not args.no_update:
        lupdate()
    en = OUT / "cashier_en.ts"
    if args.fill:
        print(f"filled {fill(en, args.fill)} entries", file=sys.stderr)
    lrelease()
    missing = unfinished(en)
    print(f"cashier_en.ts: {len(missing)} unfinished", file=sys.stderr)
    if args.check and missing:
        for src in missing[:20]:
            print(f"  untranslated: {src!r}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
