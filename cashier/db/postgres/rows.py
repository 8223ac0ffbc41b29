"""Rows of the PostgreSQL stores as core values (users, shifts, payments and their lines), by
column position of the SELECTs in this package (the ``*_COLS`` below), and the journal payloads
they share with the SQLite backend (one format: verify reads either).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from cashier.core.clock import parse_iso
from cashier.core.ledger import (
    CustomerSnapshot,
    LineKind,
    Method,
    Payment,
    PaymentLine,
    PaymentStatus,
    Role,
    Shift,
    ShiftStatus,
    User,
)
from cashier.db.debt_rows import tiers
from cashier.db.journal_payloads import password_fingerprint, payment_payload

__all__ = ["password_fingerprint", "payment_payload"]

USER_COLS = ("id, username, full_name, role, cashier_code, active, locked, locked_until, "
             "failed_attempts, created_at")
SHIFT_COLS = ("s.id, s.station, s.user_id, u.username, s.opened_at, s.opening_float, s.closed_at, s.counts, "
              "s.counted, s.expected, s.variance, s.z_number, s.closed_by, s.approved_by")
PAYMENT_COLS = (
    "p.id, p.receipt_no, p.station, p.shift_id, p.cashier_id, p.cashier_username, p.cashier_name, "
    "p.cashier_code, p.customer_code, p.customer_name, p.customer_address, p.customer_book, "
    "p.customer_book_pos, p.customer_phone, p.customer_unit, p.total, p.tendered, "
    "p.change_amount, p.method, p.bank_ref, p.created_at, p.status, p.print_count, p.printed, "
    "p.journal_seq, p.verification, p.idempotency_key, p.exported_batch, "
    "p.void_exported_batch, v.created_at, v.reason, p.transfer_amount"
)
LINE_COLS = ("payment_id, kind, bill_row, bill_id, ky, thang, nam, kwh, bill_amount, vat, bill_total, "
             "series, number, reading_start, reading_end, tiers, amount, settles")
#: the cash drawer's and the bank's part of a payment ``p`` (a split payment is method 'cash')
CASH_PART_SQL = "(CASE WHEN p.method = 'cash' THEN p.total - p.transfer_amount ELSE 0 END)"
TRANSFER_PART_SQL = "(CASE WHEN p.method = 'transfer' THEN p.total ELSE p.transfer_amount END)"


def user(row: tuple) -> User:
    return User(
        id=row[0],
        username=row[1],
        full_name=row[2],
        role=Role(row[3]),
        cashier_code=row[4],
        active=bool(row[5]),
        locked=bool(row[6]),
        locked_until=parse_iso(row[7]) if row[7] else None,
        failed_attempts=row[8],
        created_at=parse_iso(row[9]) if row[9] else None,
    )




def line(row: tuple) -> PaymentLine:
    return PaymentLine(
        kind=LineKind(row[1]),
        bill_row=row[2],
        bill_id=row[3],
        ky=row[4],
        thang=row[5],
        nam=row[6],
        kwh=row[7],
        bill_amount=row[8],
        vat=row[9],
        bill_total=row[10],
        series=row[11],
        number=row[12],
        reading_start=row[13],
        reading_end=row[14],
        tiers=tiers(row[15]),
        amount=row[16],
        settles=bool(row[17]),
    )


def payment(row: tuple, lines: Sequence[PaymentLine]) -> Payment:
    return Payment(
        id=row[0],
        receipt_no=row[1],
        station=row[2],
        shift_id=row[3],
        cashier_id=row[4],
        cashier_username=row[5],
        cashier_name=row[6],
        cashier_code=row[7],
        customer=CustomerSnapshot(
            code=row[8],
            name=row[9],
            address=row[10],
            book=row[11],
            book_pos=row[12],
            phone=row[13],
            unit_code=row[14],
        ),
        total=row[15],
        tendered=row[16],
        change=row[17],
        method=Method(row[18]),
        bank_ref=row[19],
        created_at=parse_iso(row[20]),
        status=PaymentStatus(row[21]),
        print_count=row[22],
        printed=None if row[23] is None else bool(row[23]),
        journal_seq=row[24],
        verification=row[25],
        idempotency_key=row[26],
        export_batch=row[27],
        void_export_batch=row[28],
        voided_at=parse_iso(row[29]) if row[29] else None,
        void_reason=row[30] or "",
        transfer_amount=row[31] or 0,
        lines=tuple(lines),
    )


def shift(row: tuple) -> Shift:
    return Shift(
        id=row[0],
        station=row[1],
        user_id=row[2],
        username=row[3],
        opened_at=parse_iso(row[4]),
        opening_float=row[5],
        status=ShiftStatus.OPEN if row[6] is None else ShiftStatus.CLOSED,
        closed_at=parse_iso(row[6]) if row[6] else None,
        counts={int(k): int(v) for k, v in json.loads(row[7]).items()} if row[7] else {},
        counted=row[8],
        expected=row[9],
        variance=row[10],
        z_number=row[11],
        closed_by=row[12],
        approved_by=row[13],
    )
