"""xlsx readers head to head: python-calamine's bare iteration vs the streaming reader.

    python bench/bench_xlsx_reader.py                       # bench/out/demo-600000-s1.xlsx
    python bench/bench_xlsx_reader.py --file some.xlsx
    python bench/bench_xlsx_reader.py --openpyxl            # also openpyxl read_only (slow)

Each reader iterates every row of the first sheet in its own child process; printed: seconds,
rows, peak RSS of that process (ru_maxrss) and the ratio to calamine. The streaming reader's
time excludes the hostile-file guard (check_xlsx), timed separately: calamine has none.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT = ROOT / "bench" / "out" / "demo-600000-s1.xlsx"


def child(reader: str, path: Path) -> dict:
    rows = 0
    extra = {}
    if reader == "calamine":
        import python_calamine as pc

        t0 = time.perf_counter()
        wb = pc.CalamineWorkbook.from_path(str(path))
        for _row in wb.get_sheet_by_index(0).iter_rows():
            rows += 1
        wb.close()
    elif reader == "stream":
        from cashier.core.xlsx_guard import check_xlsx
        from cashier.db.readers.xlsx_stream import StreamingXlsxSource

        g0 = time.perf_counter()
        checked = check_xlsx(path)
        extra["guard_seconds"] = time.perf_counter() - g0
        t0 = time.perf_counter()
        for _row in StreamingXlsxSource(path, checked=checked).rows():
            rows += 1
    elif reader == "openpyxl":
        import openpyxl

        t0 = time.perf_counter()
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        for _row in wb.worksheets[0].iter_rows(values_only=True):
            rows += 1
        wb.close()
    else:
        raise SystemExit(f"unknown reader {reader}")
    seconds = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"reader": reader, "seconds": seconds, "rows": rows, "peak_mb": peak_mb, **extra}


def in_child(reader: str, path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", reader, "--file", str(path)],
        check=True, capture_output=True, text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--file", type=Path, default=DEFAULT)
    ap.add_argument("--openpyxl", action="store_true", help="also time openpyxl read_only")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.file)))
        return
    size = args.file.stat().st_size
    print(f"{args.file.name}: {size / 1e6:,.1f} MB")
    readers = ["calamine", "stream"] + (["openpyxl"] if args.openpyxl else [])
    results = {r: in_child(r, args.file) for r in readers}
    base = results["calamine"]["seconds"]
    for r in readers:
        res = results[r]
        note = f"guard {res['guard_seconds']:.1f} s not included" if "guard_seconds" in res else ""
        print(
            f"{r:9s} {res['seconds']:8.1f} s  {res['rows']:>10,} rows  peak {res['peak_mb']:7.0f} MB"
            f"  {res['seconds'] / base:5.2f}x calamine  {note}"
        )
    if results["stream"]["rows"] != results["calamine"]["rows"]:
        print("note: row counts differ (the streaming reader skips rows without cells)")


if __name__ == "__main__":
    main()
