"""The rows ``JournalService.verify`` cross-checks against the journal (the
``iter_payment_state`` and ``state_rows`` of ``services.ports.journal.JournalStore``), read as
plain tuples in the order the port documents."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

from cashier.db.journal_payloads import password_fingerprint
from cashier.services.ports.journal import PaymentState

_STATE_COLS = (
    "receipt_no, journal_seq, station, shift_id, cashier_id, cashier_username, cashier_code, "
    "customer_code, customer_name, total, tendered, change_amount, method, bank_ref, created_at, "
    "status, print_count, transfer_amount"
)


def iter_payment_state(conn: sqlite3.Connection, batch: int = 1000) -> Iterator[PaymentState]:
    """(payment row, [lines]) in id order, streamed (see ``PaymentState`` for the columns)."""
    last = 0
    while True:
        rows = conn.execute(
            f"SELECT id, {_STATE_COLS} FROM payment WHERE id > ? ORDER BY id LIMIT ?", (last, batch)
        ).fetchall()
        if not rows:
            return
        lines: dict[int, list[list[Any]]] = {r[0]: [] for r in rows}
        for pid, kind, bill_id, amount, settles in conn.execute(
            "SELECT payment_id, kind, bill_id, amount, settles FROM payment_line "
            "WHERE payment_id BETWEEN ? AND ? ORDER BY payment_id, line_no",
            (rows[0][0], rows[-1][0]),
        ):
            if pid in lines:
                lines[pid].append([kind, bill_id, amount, bool(settles)])
        for r in rows:
            yield tuple(r[1:]), lines[r[0]]
        last = rows[-1][0]


def basket_rows(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    """(code, journal_seq, total, tendered, change, [receipts]) of every basket."""
    out = []
    for bid, code, seq, total, tendered, change in conn.execute(
        "SELECT id, code, journal_seq, total, tendered, change_amount FROM basket ORDER BY id"
    ).fetchall():
        receipts = [x[0] for x in conn.execute(
            "SELECT receipt_no FROM payment WHERE basket_id = ? ORDER BY basket_pos", (bid,))]  # fmt: skip
        out.append((code, seq, total, tendered, change, receipts))
    return out


def state_rows(conn: sqlite3.Connection) -> dict[str, list[Any]]:
    """Rows that verify cross-checks against the journal besides payments."""

    def q(sql: str) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in conn.execute(sql).fetchall()]

    return {
        "voids": q(
            "SELECT p.receipt_no, v.journal_seq, v.reason, v.voided_by_id, v.approved_by, v.needs_reversal "
            "FROM void v JOIN payment p ON p.id = v.payment_id ORDER BY v.id"
        ),
        "shifts": q(
            "SELECT id, station, user_id, opening_float, closed_at, counted, expected, variance, "
            "z_number FROM shift ORDER BY id"
        ),
        "users": [
            (*r[:6], password_fingerprint(r[6]))
            for r in q("SELECT id, username, role, cashier_code, active, locked, password_hash "
                       "FROM app_user ORDER BY id")
        ],
        "lost_bills": q("SELECT bill_id, receipt, restore_seq, released_by FROM lost_bill"),
        "baskets": basket_rows(conn),
        "collected_without_payment": q(
            "SELECT b.bill_id FROM bill b WHERE b.status = 'collected' AND NOT EXISTS "
            "(SELECT 1 FROM payment_line l WHERE l.bill_row = b.id AND l.active = 1 AND l.settles = 1)"
        ),
    }
