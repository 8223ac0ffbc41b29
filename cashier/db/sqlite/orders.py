"""Reconnection orders on the station's SQLite database (implements
``services.ports.orders.OrderStore``); opened by ``payments.py`` inside the payment's
transaction, cancelled by a void (``payment_changes.py``)."""

from __future__ import annotations

from datetime import datetime

from cashier.core.clock import iso, parse_iso
from cashier.core.errors import NotFound
from cashier.core.ledger import CustomerSnapshot, OrderStatus, ReconnectionOrder, User
from cashier.db.sqlite.journal import SqliteJournal
from cashier.db.sqlite.rows import rows


class SqliteOrders:
    def __init__(self, journal: SqliteJournal) -> None:
        self._j = journal

    def reconnection_orders(self, status: str | None = None, *, station: str | None = None) -> list[ReconnectionOrder]:
        sql = (
            "SELECT o.id, o.customer_code, o.customer_name, o.customer_address, o.customer_book, "
            "o.customer_book_pos, o.customer_phone, p.receipt_no, o.fee, o.created_at, o.cashier_name, "
            "o.cashier_code, o.status FROM reconnection_order o JOIN payment p ON p.id = o.payment_id"
        )
        where, params = [], []
        if status:
            where.append("o.status = ?")
            params.append(status)
        if station:
            where.append("p.station = ?")
            params.append(station)
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [
            ReconnectionOrder(
                id=r.id,
                customer=CustomerSnapshot(
                    code=r.customer_code, name=r.customer_name, address=r.customer_address,
                    book=r.customer_book, book_pos=r.customer_book_pos, phone=r.customer_phone,
                ),  # fmt: skip
                receipt_no=r.receipt_no,
                fee=r.fee,
                created_at=parse_iso(r.created_at),
                cashier_name=r.cashier_name,
                cashier_code=r.cashier_code,
                status=OrderStatus(r.status),
            )
            for r in rows(self._j.conn(), sql + " ORDER BY o.id", params)
        ]

    def set_order_status(self, order_id: int, status: str, *, user: User, ts: datetime) -> None:
        value = OrderStatus(status).value
        with self._j.tx() as conn:
            cur = conn.execute("UPDATE reconnection_order SET status = ? WHERE id = ?", (value, order_id))
            if cur.rowcount != 1:
                raise NotFound("order.unknown", order=order_id)
            self._j.append(conn, "order", {"order": order_id, "status": status, "by": user.id}, iso(ts))
