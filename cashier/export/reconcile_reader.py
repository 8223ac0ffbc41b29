"""Reading CMIS's clearing result (implements ``services.ports.export.ResultReader``).

xlsx (python-calamine, after the one guard for untrusted spreadsheets,
:func:`cashier.core.xlsx_guard.check_xlsx`) or csv (encoding and delimiter from the one sniffer,
:mod:`cashier.core.csv_sniff`: UTF-8 with or without BOM, Windows-1258, TCVN-3; comma,
semicolon, tab or bar). Refused with a message naming the row: missing columns, an unknown status word,
a bad customer code, a bill listed twice, cells that are formulas or too long, too many rows.
"""

from __future__ import annotations

import csv
import hashlib
import io
import unicodedata
from pathlib import Path
from typing import Any

from cashier.core import csv_sniff
from cashier.core.clearing import ClearingResult, ReconcileProfile
from cashier.core.customer_code import is_valid, normalise
from cashier.core.errors import FileRefused
from cashier.core.vntext import clean
from cashier.export.clearing_file import read_sheet_rows

MAX_BYTES = 64 * 1024 * 1024
MAX_ROWS = 500_000
MAX_CELL = 1000


def _rows_of(path: Path) -> list[list[Any]]:
    data = path.read_bytes() if path.stat().st_size <= MAX_BYTES else None
    if data is None:
        raise FileRefused("reconcile.too_big", file=path.name, detail=f"more than {MAX_BYTES} bytes")
    if data[:2] == b"PK":
        rows, _ = read_sheet_rows(path, None)
        return rows
    encoding = csv_sniff.detect_encoding(data)
    try:
        text = csv_sniff.decode(data, encoding)
    except UnicodeDecodeError:
        raise FileRefused(
            "clearing.unreadable", file=path.name, kind="csv", detail=f"not {encoding} text"
        ) from None
    if "\x00" in text:
        raise FileRefused("clearing.unreadable", file=path.name, kind="csv", detail="binary content")
    if encoding != csv_sniff.TCVN3 and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)  # Windows-1258: tones as combining marks
    delimiter = csv_sniff.sniff_delimiter(text)
    try:
        return [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)]
    except csv.Error as exc:
        raise FileRefused("clearing.unreadable", file=path.name, kind="csv", detail=str(exc)) from None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean(str(value))


def read_results(path: Path, profile: ReconcileProfile) -> tuple[str, list[ClearingResult]]:
    path = Path(path)
    name = path.name
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    rows = _rows_of(path)
    if len(rows) > MAX_ROWS + 1:
        raise FileRefused("reconcile.too_big", file=name, detail=f"more than {MAX_ROWS} rows")
    header = [_text(v).upper() for v in (rows[0] if rows else [])]
    missing = [c for c in profile.required() if c.upper() not in header]
    if missing:
        raise FileRefused("reconcile.columns", file=name, missing=", ".join(missing),
                          found=", ".join(h for h in header if h)[:200] or "nothing")
    col = {k: header.index(getattr(profile, k).upper()) if getattr(profile, k).upper() in header else None
           for k in ("customer_code", "bill_id", "status", "reason", "receipt_no")}
    results: list[ClearingResult] = []
    seen: dict[tuple[str, str], int] = {}
    for n, raw in enumerate(rows[1:], start=2):
        if all(_text(v) == "" for v in raw):
            continue

        def cell(key: str, raw=raw, n=n) -> str:
            i = col[key]
            value = raw[i] if i is not None and i < len(raw) else ""
            text = _text(value)
            if len(text) > MAX_CELL:
                raise FileRefused("reconcile.hostile", file=name, row=n, column=getattr(profile, key),
                                  detail=f"{len(text)} characters")
            if text[:1] in ("=", "+", "@") or (text[:1] == "-" and key != "reason"):
                raise FileRefused("reconcile.hostile", file=name, row=n, column=getattr(profile, key),
                                  detail=f"looks like a formula: {text[:40]!r}")
            if any(ord(ch) < 32 for ch in text):
                raise FileRefused("reconcile.hostile", file=name, row=n, column=getattr(profile, key),
                                  detail="control characters")
            return text

        code = normalise(cell("customer_code"))
        if not is_valid(code):
            raise FileRefused("reconcile.code", file=name, row=n, value=code[:40])
        bill = cell("bill_id")
        word = cell("status")
        status = profile.status_of(word)
        if status is None:
            raise FileRefused("reconcile.status", file=name, row=n, value=word[:40])
        key = (code, bill)
        if key in seen:
            raise FileRefused("reconcile.duplicate", file=name, row=n, bill=bill, code=code, first=seen[key])
        seen[key] = n
        results.append(ClearingResult(row=n, customer_code=code, bill_id=bill, status=status,
                                      reason=cell("reason"), receipt_no=cell("receipt_no")))
    if not results:
        raise FileRefused("reconcile.empty", file=name)
    return sha, results
