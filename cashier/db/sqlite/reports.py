"""Queries behind the end-of-day reports (implements ``services.ports.reports.ReportStore``).

Plain rows (tuples) for one day, read in one snapshot. Money is integer đồng. The payments'
own figures (by cashier, method, hour) are not here: ``cashier.core.day_figures`` computes them
from the day's payments for the report and the dashboard alike.
"""

from __future__ import annotations

from typing import Any

from peewee import Database

from cashier.db.sqlite.payment_rows import CASH_PART_SQL, TRANSFER_PART_SQL


class SqliteReports:
    def __init__(self, db: Database) -> None:
        self.db = db

    def _q(self, sql: str, params: tuple = ()) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.db.execute_sql(sql, params).fetchall()]

    def day(self, date: str, *, station: str | None = None) -> dict[str, list[tuple[Any, ...]]]:
        day = (date,)
        st, st_params = ("", ()) if not station else (" AND s.station = ?", (station,))
        pst, pst_params = ("", ()) if not station else (" AND p.station = ?", (station,))
        paid = "p.shift_id = s.id AND p.status = 'active'"
        with self.db.atomic():
            return {
                # Z reports / cash reconciliation: shifts opened or closed that day
                "shifts": self._q(
                    "SELECT s.id, u.username, u.full_name, s.opened_at, s.closed_at, s.z_number, s.opening_float, "
                    f"(SELECT COALESCE(sum({CASH_PART_SQL}), 0) FROM payment p WHERE {paid}), "
                    f"(SELECT COALESCE(sum({TRANSFER_PART_SQL}), 0) FROM payment p WHERE {paid}), "
                    "(SELECT count(*) FROM payment WHERE shift_id = s.id AND status = 'active'), "
                    "s.expected, s.counted, s.variance "
                    "FROM shift s JOIN app_user u ON u.id = s.user_id "
                    f"WHERE (substr(s.opened_at, 1, 10) = ? OR substr(s.closed_at, 1, 10) = ?){st} ORDER BY s.id",
                    (date, date, *st_params)),
                "voids": self._q(
                    "SELECT p.receipt_no, p.customer_code, p.total, v.created_at, v.reason, u.username "
                    "FROM void v JOIN payment p ON p.id = v.payment_id JOIN app_user u ON u.id = v.voided_by_id "
                    f"WHERE substr(v.created_at, 1, 10) = ?{pst} ORDER BY v.id", (*day, *pst_params)),
                "debt_by_book": self._q(
                    "SELECT c.book, count(DISTINCT c.id), count(b.id), sum(b.total) FROM bill b "
                    "JOIN customer c ON c.id = b.customer_id WHERE b.status = 'unpaid' GROUP BY c.book "
                    "ORDER BY c.book"),
                "reconnections": self._q(
                    "SELECT o.id, o.customer_code, o.customer_name, o.customer_address, o.customer_phone, "
                    "o.customer_book, p.receipt_no, o.fee, o.created_at, o.status FROM reconnection_order o "
                    "JOIN payment p ON p.id = o.payment_id WHERE (o.status = 'open' "
                    f"OR substr(o.created_at, 1, 10) = ?){pst} ORDER BY o.id", (*day, *pst_params)),
            }  # fmt: skip

    def unpaid_customers(self) -> list[tuple[Any, ...]]:
        """code, name, address, phone, book, unpaid bills, amount due (customers with a debt)."""
        return self._q(
            "SELECT c.code, c.name, c.address, c.phone, c.book, count(b.id), sum(b.total) FROM customer c "
            "JOIN bill b ON b.customer_id = c.id AND b.status = 'unpaid' GROUP BY c.id ORDER BY c.book, c.code")
