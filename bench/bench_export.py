"""Benchmark: the end-of-day export (clearing file xlsx + csv + signed manifests, batch recorded,
payments marked) for 5,000 and 100,000 payments.

Baseline measured in the same run: bare openpyxl ``write_only`` writing the same cells to one
xlsx (no typing, no csv, no manifest, no database). Targets (issue 6): 5,000 < 2 s, 100,000 < 20 s.

    .venv/bin/python bench/bench_export.py [--sizes 5000,100000]

Payments are inserted with raw SQL (one shift, one cashier, one bill line each) so that the
benchmark measures the export, not the counter.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import Workbook  # noqa: E402

from cashier.app import Station  # noqa: E402
from cashier.core.clock import VN_TZ, FixedClock, iso  # noqa: E402
from cashier.db.ledger_crypto import Argon2Hasher  # noqa: E402


def build(n: int, root: Path) -> Station:
    clock = FixedClock(datetime(2026, 11, 23, 7, 0, tzinfo=VN_TZ))
    st = Station(root / "cashier.sqlite3", clock=clock, hasher=Argon2Hasher.fast_for_tests())
    admin = st.users.add_user("admin", "secret-pw", "admin", full_name="Admin")
    st.users.add_user("thu1", "secret-pw", "cashier", full_name="Lê Thị Thu", cashier_code="TN01", actor=admin)
    cashier = st.users.login("thu1", "secret-pw")
    shift = st.shifts.open_shift(cashier, 0)
    db = st.db
    con = db.connection()
    t0 = clock.now()
    with db.atomic():
        con.executemany(
            "INSERT INTO customer(id, code, unit_code, name, address, phone, book, book_pos, disconnected, "
            "search_text) VALUES (?,?,?,?,?,?,?,?,0,'')",
            [(i, f"PC12AA{i:07d}", "PC12AA", f"Nguyễn Văn {i}", f"{i} Lê Lợi", "0905000000", "SO01", "1")
             for i in range(1, n + 1)],
        )
        con.executemany(
            "INSERT INTO bill(id, customer_id, customer_code, bill_id, ky, thang, nam, kwh, amount, vat, total, "
            "status, double_collection, series, number) VALUES (?,?,?,?,1,10,2026,100,?,?,?,'collected',0,'','')",
            [(i, i, f"PC12AA{i:07d}", f"HD{i:09d}", 100_000 + i, 8_000, 108_000 + i) for i in range(1, n + 1)],
        )
        con.executemany(
            "INSERT INTO payment(id, receipt_no, station, shift_id, cashier_id, cashier_username, cashier_name, "
            "cashier_code, customer_code, customer_name, customer_unit, total, tendered, change_amount, method, "
            "created_at, status, print_count, journal_seq, verification, customer_address, customer_book, "
            "customer_book_pos, customer_phone, bank_ref) "
            "VALUES (?,?,?,?,?,'thu1','Lê Thị Thu','TN01',?,?,'PC12AA',?,?,0,?,?,'active',1,?,'X','','','','','')",
            [(i, f"ST01-{i:07d}", "ST01", shift.id, cashier.id, f"PC12AA{i:07d}", f"Nguyễn Văn {i}", 108_000 + i,
              108_000 + i, "cash" if i % 4 else "transfer", iso(t0 + timedelta(seconds=i)), 1_000_000 + i)
             for i in range(1, n + 1)],
        )
        con.executemany(
            "INSERT INTO payment_line(payment_id, line_no, kind, bill_row, bill_id, ky, thang, nam, kwh, "
            "bill_amount, vat, bill_total, amount, settles, active, series, number) "
            "VALUES (?,1,'bill',?,?,1,10,2026,100,?,?,?,?,1,1,'','')",
            [(i, i, f"HD{i:09d}", 100_000 + i, 8_000, 108_000 + i, 108_000 + i) for i in range(1, n + 1)],
        )
    return st


def baseline(cells: list[list], header: list[str], path: Path) -> float:
    t = time.perf_counter()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("GACH_NO")
    ws.append(header)
    for row in cells:
        ws.append(row)
    wb.save(path)
    return time.perf_counter() - t


def run(n: int) -> None:
    root = Path(tempfile.mkdtemp(prefix=f"bench-export-{n}-"))
    try:
        t = time.perf_counter()
        st = build(n, root)
        setup = time.perf_counter() - t
        st.export.after_export = None  # measured separately below
        st.export.journal_check = None
        t = time.perf_counter()
        res = st.export.export(out_dir=root / "out", fmt="both")
        export_s = time.perf_counter() - t
        assert res.rows == n and res.payments == n, res
        t = time.perf_counter()
        rewritten = st.export.rewrite(res.batch_id, root / "again")
        rewrite_s = time.perf_counter() - t
        same = all((root / "out" / Path(p).name).read_bytes() == Path(p).read_bytes() for p in rewritten)
        xlsx = next(f for f in res.files if f.endswith(".xlsx"))
        t = time.perf_counter()
        report = st.export.verify(Path(xlsx))
        verify_s = time.perf_counter() - t
        t = time.perf_counter()
        st.backups.backup(root / "bk")
        backup_s = time.perf_counter() - t
        cells = st.export.writer.expected_cells(st.storage.export.batch_rows(res.batch_id), st.export.profile)
        base = baseline(cells, st.export.profile.header(), root / "baseline.xlsx")
        target = 2.0 if n <= 5000 else 20.0
        print(f"payments {n:>7}: setup {setup:6.2f} s")
        print(f"  export xlsx+csv+manifests+batch  {export_s:6.2f} s  (target < {target:.0f} s: "
              f"{'PASS' if export_s < target else 'FAIL'})")
        print(f"  baseline bare openpyxl write_only xlsx {base:6.2f} s  ratio export/baseline {export_s / base:5.2f}")
        print(f"  rewrite batch {rewrite_s:6.2f} s  byte-identical: {same}")
        print(f"  verify-export xlsx {verify_s:6.2f} s  ok: {report.ok}  (ratio to export {verify_s / export_s:4.2f})")
        print(f"  online backup {backup_s:6.2f} s")
        st.close()
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="5000,100000")
    args = ap.parse_args()
    for n in (int(x) for x in args.sizes.split(",")):
        run(n)


if __name__ == "__main__":
    main()
