"""Queries behind the end-of-day reports (implements ``services.report_service.ReportStore``).

Plain rows (tuples) for one day, read in one snapshot. Money is integer đồng.
"""

from __future__ import annotations

from typing import Any

from cashier.db.ledger_store import CASH_PART_SQL, TRANSFER_PART_SQL

#: a split payment (cash + bank transfer) is its own line of the by-method table
METHOD_SQL = "(CASE WHEN p.transfer_amount > 0 THEN 'mixed' ELSE p.method END)"


class SqliteReportStore:
    def __init__(self, db: Any) -> None:
        self.db = db

    def _q(self, sql: str, params: tuple = ()) -> list[tuple]:
        return [tuple(r) for r in self.db.execute_sql(sql, params).fetchall()]

    def day(self, date: str) -> dict[str, list[tuple]]:
        day = (date,)
        act = "substr(p.created_at, 1, 10) = ? AND p.status = 'active'"
        with self.db.atomic():
            return {
                # cashier code, user name, full name, payments, total, cash, transfer
                "by_cashier": self._q(
                    "SELECT p.cashier_code, p.cashier_username, p.cashier_name, count(*), sum(p.total), "
                    f"sum({CASH_PART_SQL}), sum({TRANSFER_PART_SQL}) "
                    f"FROM payment p WHERE {act} GROUP BY p.cashier_username ORDER BY p.cashier_username", day),
                "by_method": self._q(
                    f"SELECT {METHOD_SQL}, count(*), sum(p.total) FROM payment p WHERE {act} GROUP BY 1 "
                    "ORDER BY 1", day),
                "by_hour": self._q(
                    f"SELECT CAST(substr(p.created_at, 12, 2) AS INTEGER), count(*), sum(p.total) FROM payment p "
                    f"WHERE {act} GROUP BY 1 ORDER BY 1", day),
                # Z reports / cash reconciliation: shifts opened or closed that day
                "shifts": self._q(
                    "SELECT s.id, u.username, u.full_name, s.opened_at, s.closed_at, s.z_number, s.opening_float, "
                    f"(SELECT COALESCE(sum({CASH_PART_SQL}), 0) FROM payment p WHERE p.shift_id = s.id "
                    " AND p.status = 'active'), "
                    f"(SELECT COALESCE(sum({TRANSFER_PART_SQL}), 0) FROM payment p WHERE p.shift_id = s.id "
                    " AND p.status = 'active'), "
                    "(SELECT count(*) FROM payment WHERE shift_id = s.id AND status = 'active'), "
                    "s.expected, s.counted, s.variance "
                    "FROM shift s JOIN app_user u ON u.id = s.user_id "
                    "WHERE substr(s.opened_at, 1, 10) = ? OR substr(s.closed_at, 1, 10) = ? ORDER BY s.id",
                    (date, date)),
                "voids": self._q(
                    "SELECT p.receipt_no, p.customer_code, p.total, v.created_at, v.reason, u.username "
                    "FROM void v JOIN payment p ON p.id = v.payment_id JOIN app_user u ON u.id = v.voided_by_id "
                    "WHERE substr(v.created_at, 1, 10) = ? ORDER BY v.id", day),
                "debt_by_book": self._q(
                    "SELECT c.book, count(DISTINCT c.id), count(b.id), sum(b.total) FROM bill b "
                    "JOIN customer c ON c.id = b.customer_id WHERE b.status = 'unpaid' GROUP BY c.book "
                    "ORDER BY c.book"),
                "reconnections": self._q(
                    "SELECT o.id, o.customer_code, o.customer_name, o.customer_address, o.customer_phone, "
                    "o.customer_book, p.receipt_no, o.fee, o.created_at, o.status FROM reconnection_order o "
                    "JOIN payment p ON p.id = o.payment_id WHERE o.status = 'open' "
                    "OR substr(o.created_at, 1, 10) = ? ORDER BY o.id", day),
            }

    def unpaid_customers(self) -> list[tuple]:
        """code, name, address, phone, book, unpaid bills, amount due (customers with a debt)."""
        return self._q(
            "SELECT c.code, c.name, c.address, c.phone, c.book, count(b.id), sum(b.total) FROM customer c "
            "JOIN bill b ON b.customer_id = c.id AND b.status = 'unpaid' GROUP BY c.id ORDER BY c.book, c.code")
