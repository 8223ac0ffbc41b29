"""Shared set-up for the ledger benches: a station database with users, an open shift and
customers with unpaid bills (inserted with executemany; the cache import is not needed).

Users are hashed with cheap argon2id parameters so that child processes log in fast; the
production parameters are exercised by tests/ledger/test_cli.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cashier.app import Station  # noqa: E402
from cashier.db.ledger_crypto import Argon2Hasher  # noqa: E402

PASSWORD = "bench-pass"


def open_station(db_path: Path) -> Station:
    return Station(db_path, hasher=Argon2Hasher.fast_for_tests())


def create(db_path: Path, customers: int, bills_per_customer: int = 1, *, float_amount: int = 1_000_000) -> None:
    """A fresh station: admin, manager 'ql', cashier 'thu1' with an open shift, customers
    PC12AA0000001... each with ``bills_per_customer`` unpaid bills."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    from cashier.db.journal_anchor import file_name_for

    for name in ("journal.key", file_name_for(db_path.name)):  # a new station: a new key and anchor
        (db_path.parent / "keys" / name).unlink(missing_ok=True)
    st = open_station(db_path)
    users = st.users
    users.add_user("admin", PASSWORD, "admin", full_name="Admin")
    admin = users.login("admin", PASSWORD)
    users.add_user("ql", PASSWORD, "manager", full_name="Quản Lý", cashier_code="QL01", actor=admin)
    users.add_user("thu1", PASSWORD, "cashier", full_name="Lê Thị Thu", cashier_code="TN01", actor=admin)
    cashier = users.login("thu1", PASSWORD)
    st.storage.settings.set("ledger.max_change", 0)  # the benches tender a round 2-3 million
    st.shifts.open_shift(cashier, float_amount)
    conn = st.db.connection()
    with st.db.atomic():
        conn.executemany(
            "INSERT INTO customer(id, code, unit_code, name, address, phone, book, book_pos, disconnected, "
            "search_text) VALUES (?, ?, 'PC12AA', ?, ?, '', 'S01', ?, 0, '')",
            [(i, code(i), f"Khách hàng {i}", f"{i} Lê Lợi", str(i)) for i in range(1, customers + 1)],
        )
        rows = []
        for i in range(1, customers + 1):
            for k in range(bills_per_customer):
                thang = 11 - (bills_per_customer - 1 - k)
                total = 50_000 + (i * 7919 + k * 104729) % 900_000
                rows.append((i, code(i), bill_id(i, k), thang, total - total // 13, total // 13, total))
        conn.executemany(
            "INSERT INTO bill(customer_id, customer_code, bill_id, ky, thang, nam, kwh, amount, vat, total, "
            "series, number, status, double_collection) VALUES (?, ?, ?, 1, ?, 2026, 100, ?, ?, ?, '', '', "
            "'unpaid', 0)",
            rows,
        )
    st.close()


def code(i: int) -> str:
    return f"PC12AA{i:07d}"


def bill_id(i: int, k: int = 0) -> str:
    return f"HD{i:07d}-{k}"


def check_database(db_path: Path) -> dict:
    """Invariants after crashes/concurrency: returns counts and a list of violations."""
    import sqlite3

    st = open_station(db_path)
    problems: list[str] = []
    con = sqlite3.connect(db_path)
    integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
    if integrity != "ok":
        problems.append(f"integrity_check: {integrity}")
    dup = con.execute(
        "SELECT bill_row, count(*) FROM payment_line WHERE active = 1 AND settles = 1 "
        "GROUP BY bill_row HAVING count(*) > 1"
    ).fetchall()
    if dup:
        problems.append(f"{len(dup)} bills with two active payments")
    mismatch = con.execute(
        "SELECT count(*) FROM bill b WHERE (b.status = 'collected') != EXISTS (SELECT 1 FROM payment_line l "
        "WHERE l.bill_row = b.id AND l.active = 1 AND l.settles = 1)"
    ).fetchone()[0]
    if mismatch:
        problems.append(f"{mismatch} bills whose status disagrees with their payments")
    receipts = [r[0] for r in con.execute("SELECT receipt_no FROM payment")]
    nums = sorted(int(r.rsplit("-", 1)[1]) for r in receipts)
    counter = con.execute("SELECT coalesce(max(value), 0) FROM counter WHERE name = 'receipt'").fetchone()[0]
    if nums != list(range(1, len(nums) + 1)) or counter != len(nums):
        problems.append(f"receipt numbers not gapless: {len(nums)} receipts, max {nums[-1] if nums else 0}, "
                        f"counter {counter}")
    seqs = [r[0] for r in con.execute("SELECT seq FROM journal_entry ORDER BY seq")]
    if seqs != list(range(1, len(seqs) + 1)):
        problems.append("journal seq has gaps")
    verify = st.journal.verify()
    if not verify.ok:
        problems.append(f"journal verify: {verify.problem.message if verify.problem else '?'}")
    out = {
        "payments": len(receipts),
        "active": con.execute("SELECT count(*) FROM payment WHERE status = 'active'").fetchone()[0],
        "voided": con.execute("SELECT count(*) FROM payment WHERE status = 'voided'").fetchone()[0],
        "bills_collected": con.execute("SELECT count(*) FROM bill WHERE status = 'collected'").fetchone()[0],
        "journal_entries": len(seqs),
        "integrity_check": integrity,
        "journal_ok": verify.ok,
        "problems": problems,
    }
    con.close()
    st.close()
    return out
