"""The SQL of a debt-cache import that is not the refresh's (:mod:`.cache_refresh`): a first
load's direct inserts, and the ``import_batch`` row an applied import leaves."""

from __future__ import annotations

import operator
import sqlite3

from cashier.services.cache_ports import ApplyResult


def finish_batch(conn: sqlite3.Connection, batch: int, finished_at: str, rows_read: int, rejected: int,
                  report_path: str | None, result: ApplyResult) -> None:  # fmt: skip
    conn.execute(
        "UPDATE import_batch SET finished_at = ?, status = 'applied', rows_read = ?, "
        "customers = ?, bills = ?, new_bills = ?, paid_elsewhere = ?, conflicts = ?, "
        "rejected = ?, total_due = ?, report_path = ? WHERE id = ?",
        (
            finished_at, rows_read, result.customers, result.bills, result.new_bills,
            result.paid_elsewhere, result.conflicts, rejected, result.total_due, report_path, batch,
        ),
    )  # fmt: skip


#: a customer tuple (CUSTOMER_COLUMNS) without its card code (which goes to the card table)
CUST_WITHOUT_CARD = operator.itemgetter(0, 1, 2, 3, 4, 5, 6, 7, 9)
#: a bill tuple (BILL_COLUMNS) without its row number
BILL_WITHOUT_ROW = operator.itemgetter(slice(0, 15))
DIRECT_CUST = (
    "INSERT INTO customer (code, unit_code, name, address, phone, book, book_pos, "
    "disconnected, search_text, last_batch) VALUES (?, ?, ?, ?, ?, ?, ?, COALESCE(?, 0), ?, {batch})"
)
DIRECT_CARD = (
    "INSERT INTO card (card_code, customer_id) VALUES (?1, (SELECT id FROM customer WHERE code = ?2)) "
    "ON CONFLICT (card_code) DO UPDATE SET customer_id = excluded.customer_id"
)
DIRECT_BILL = (
    "INSERT INTO bill (customer_id, customer_code, bill_id, ky, thang, nam, kwh, amount, vat, "
    "total, series, number, reading_start, reading_end, tiers, status, double_collection, "
    "first_batch, last_batch, status_changed_at) "
    "VALUES ((SELECT id FROM customer WHERE code = ?1), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
    "?11, ?12, ?13, ?14, CASE WHEN ?15 THEN 'paid_elsewhere' ELSE 'unpaid' END, 0, "
    "{batch}, {batch}, '{now}')"
)
