"""The bundled resources the frozen build needs, and the build refusing to run without them."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from cashier.cli.install_contents import REQUIRED_RESOURCES, missing_resources
from cashier.core.money import parse_amount

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ROOT / "resources"


def test_source_tree_has_every_required_resource():
    assert missing_resources(RESOURCES) == []


def test_missing_resource_is_named(tmp_path):
    copy = tmp_path / "resources"
    shutil.copytree(RESOURCES, copy)
    (copy / "fonts" / "NotoSans-Regular.ttf").unlink()
    (copy / "translations" / "cashier_vi.qm").unlink()
    assert missing_resources(copy) == [
        "receipt font (raster mode) (fonts/NotoSans-Regular.ttf)",
        "Vietnamese UI translation (translations/cashier_vi.qm)",
    ]
    assert len(REQUIRED_RESOURCES) >= 10


def test_required_resources_are_what_the_code_loads():
    """The list names the files the raster renderer, i18n and the cache really open."""
    from cashier.devices import raster

    assert raster.font(20).path.endswith("NotoSans-Regular.ttf")
    assert raster.font(20, bold=True).path.endswith("NotoSans-Bold.ttf")
    patterns = {pattern for _what, pattern in REQUIRED_RESOURCES}
    assert {"translations/cashier_vi.qm", "profiles/default.json"} <= patterns


def test_sample_expectations_match_the_csv():
    """The self-test's expectations are independent of the importer: recompute them here."""
    expect = json.loads((RESOURCES / "sample" / "selftest-extract.json").read_text("utf-8"))
    with open(RESOURCES / "sample" / "selftest-extract.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    start = next(i for i, r in enumerate(rows) if "MA_KHANG" in r)
    header = rows[start]
    bills = defaultdict(list)
    for row in rows[start + 1 :]:
        if row and row[header.index("MA_KHANG")]:
            bills[row[header.index("MA_KHANG")]].append(row)
    total = sum(parse_amount(r[header.index("TONG_TIEN")]) for rs in bills.values() for r in rs)
    assert (len(bills), sum(map(len, bills.values())), total) == (
        expect["customers"],
        expect["bills"],
        expect["total_due"],
    )
    mine = bills[expect["lookup_code"]]
    assert len(mine) == expect["lookup_bills"] >= 2
    assert sum(parse_amount(r[header.index("TONG_TIEN")]) for r in mine) == expect["lookup_total_due"]


def test_pyinstaller_build_refuses_when_a_resource_is_missing(tmp_path):
    copy = tmp_path / "resources"
    shutil.copytree(RESOURCES, copy)
    for qm in (copy / "translations").glob("*.qm"):
        qm.unlink()
    env = dict(os.environ, CASHIER_BUILD_RESOURCES=str(copy))
    res = subprocess.run(
        [
            sys.executable, "-m", "PyInstaller", str(ROOT / "installer" / "cashier.spec"),
            "--noconfirm", "--distpath", str(tmp_path / "dist"), "--workpath", str(tmp_path / "work"),
        ],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert res.returncode != 0
    assert "build refused" in res.stderr and "translation" in res.stderr
    assert not (tmp_path / "dist" / "cashier").exists()
