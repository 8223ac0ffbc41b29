"""Reading payments, their lines, and a customer with their bills from the station's SQLite
database, by column name (the read side shared by the payment stores, shifts and reports)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from cashier.core.clock import parse_iso
from cashier.core.debt import Bill, BillStatus, Customer
from cashier.core.ledger import (
    CustomerSnapshot,
    LineKind,
    Method,
    Payment,
    PaymentLine,
    PaymentStatus,
)
from cashier.db.debt_rows import tiers
from cashier.db.sqlite.rows import row, rows

#: the cash drawer's and the bank's part of a payment ``p`` (a split payment is method 'cash')
CASH_PART_SQL = "(CASE WHEN p.method = 'cash' THEN p.total - p.transfer_amount ELSE 0 END)"
TRANSFER_PART_SQL = "(CASE WHEN p.method = 'transfer' THEN p.total ELSE p.transfer_amount END)"

PAYMENT_COLS = (
    "p.id, p.receipt_no, p.station, p.shift_id, p.cashier_id, p.cashier_username, p.cashier_name, "
    "p.cashier_code, p.customer_code, p.customer_name, p.customer_address, p.customer_book, "
    "p.customer_book_pos, p.customer_phone, p.customer_unit, p.total, p.tendered, "
    "p.change_amount, p.method, p.bank_ref, p.created_at, p.status, p.print_count, p.printed, "
    "p.journal_seq, p.verification, p.idempotency_key, p.exported_batch, "
    "p.void_exported_batch, v.created_at AS voided_at, v.reason AS void_reason, p.transfer_amount"
)
PAYMENT_FROM = "payment p LEFT JOIN void v ON v.payment_id = p.id"
LINE_COLS = (
    "payment_id, kind, bill_row, bill_id, ky, thang, nam, kwh, bill_amount, vat, bill_total, "
    "series, number, reading_start, reading_end, tiers, amount, settles"
)




def line(r: Any) -> PaymentLine:
    return PaymentLine(
        kind=LineKind(r.kind),
        bill_row=r.bill_row,
        bill_id=r.bill_id,
        ky=r.ky,
        thang=r.thang,
        nam=r.nam,
        kwh=r.kwh,
        bill_amount=r.bill_amount,
        vat=r.vat,
        bill_total=r.bill_total,
        series=r.series,
        number=r.number,
        reading_start=r.reading_start,
        reading_end=r.reading_end,
        tiers=tiers(r.tiers),
        amount=r.amount,
        settles=bool(r.settles),
    )


def payment(r: Any, lines: Sequence[PaymentLine]) -> Payment:
    return Payment(
        id=r.id,
        receipt_no=r.receipt_no,
        station=r.station,
        shift_id=r.shift_id,
        cashier_id=r.cashier_id,
        cashier_username=r.cashier_username,
        cashier_name=r.cashier_name,
        cashier_code=r.cashier_code,
        customer=CustomerSnapshot(
            code=r.customer_code,
            name=r.customer_name,
            address=r.customer_address,
            book=r.customer_book,
            book_pos=r.customer_book_pos,
            phone=r.customer_phone,
            unit_code=r.customer_unit,
        ),
        total=r.total,
        tendered=r.tendered,
        change=r.change_amount,
        method=Method(r.method),
        bank_ref=r.bank_ref,
        created_at=parse_iso(r.created_at),
        status=PaymentStatus(r.status),
        print_count=r.print_count,
        printed=None if r.printed is None else bool(r.printed),
        journal_seq=r.journal_seq,
        verification=r.verification,
        idempotency_key=r.idempotency_key,
        export_batch=r.exported_batch,
        void_export_batch=r.void_exported_batch,
        voided_at=parse_iso(r.voided_at) if r.voided_at else None,
        void_reason=r.void_reason or "",
        transfer_amount=r.transfer_amount or 0,
        lines=tuple(lines),
    )


def payment_by_receipt(conn: sqlite3.Connection, receipt_no: str) -> Payment | None:
    r = row(conn, f"SELECT {PAYMENT_COLS} FROM {PAYMENT_FROM} WHERE p.receipt_no = ?", (receipt_no,))
    if r is None:
        return None
    lines = rows(conn, f"SELECT {LINE_COLS} FROM payment_line WHERE payment_id = ? ORDER BY line_no", (r.id,))
    return payment(r, [line(x) for x in lines])


def payments_where(conn: sqlite3.Connection, where: Sequence[str], params: Sequence[Any]) -> list[Payment]:
    """Payments matching every condition of ``where``, by id, with their lines."""
    sql = f"SELECT {PAYMENT_COLS} FROM {PAYMENT_FROM}"
    if where:
        sql += " WHERE " + " AND ".join(where)
    found = rows(conn, sql + " ORDER BY p.id", params)
    if not found:
        return []
    by_payment: dict[int, list[PaymentLine]] = {r.id: [] for r in found}
    ids = list(by_payment)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for x in rows(
            conn,
            f"SELECT {LINE_COLS} FROM payment_line WHERE payment_id IN ({marks}) ORDER BY payment_id, line_no",
            chunk,
        ):
            by_payment[x.payment_id].append(line(x))
    return [payment(r, by_payment[r.id]) for r in found]


def customer_and_bills(conn: sqlite3.Connection, code: str) -> tuple[Customer, list[Bill]] | None:
    """The customer and their bills (oldest first), each with its settling receipt."""
    c = row(
        conn,
        "SELECT id, code, name, address, unit_code, phone, book, book_pos, disconnected FROM customer WHERE code = ?",
        (code,),
    )
    if c is None:
        return None
    customer = Customer(
        id=c.id, code=c.code, name=c.name, address=c.address, unit_code=c.unit_code,
        phone=c.phone, book=c.book, book_pos=c.book_pos, disconnected=bool(c.disconnected),
    )  # fmt: skip
    found = rows(
        conn,
        "SELECT b.id, b.bill_id, b.ky, b.thang, b.nam, b.kwh, b.amount, b.vat, b.total, b.status, "
        "b.series, b.number, b.reading_start, b.reading_end, b.tiers, b.double_collection, "
        "(SELECT p.receipt_no FROM payment_line l JOIN payment p ON p.id = l.payment_id "
        " WHERE l.bill_row = b.id AND l.active = 1 AND l.settles = 1) AS receipt "
        "FROM bill b WHERE b.customer_id = ? ORDER BY b.nam, b.thang, b.ky, b.bill_id",
        (c.id,),
    )
    bills = [
        Bill(
            customer_code=customer.code, id=r.id, bill_id=r.bill_id, ky=r.ky, thang=r.thang,
            nam=r.nam, kwh=r.kwh or 0, amount=r.amount, vat=r.vat, total=r.total,
            status=BillStatus(r.status), series=r.series or "", number=r.number or "",
            reading_start=r.reading_start, reading_end=r.reading_end, tiers=tiers(r.tiers),
            double_collection=bool(r.double_collection), receipt=r.receipt,
        )
        for r in found
    ]  # fmt: skip
    return customer, bills
