"""The end-of-day report queries on the server (the ReportStore port): the same rows as on
SQLite (db/report_store.py), for one counter (``station``) or the whole collection point, read
in one snapshot. PostgreSQL's ``sum`` of BIGINT is NUMERIC: cast back to BIGINT (integer đồng),
and a name column beside a GROUP BY takes the group's latest value (SQLite takes any row's).
"""

from __future__ import annotations

from typing import Any

from peewee import PostgresqlDatabase

from cashier.db.postgres.rows import CASH_PART_SQL, TRANSFER_PART_SQL

#: a split payment (cash + bank transfer) is its own line of the by-method table
METHOD_SQL = "(CASE WHEN p.transfer_amount > 0 THEN 'mixed' ELSE p.method END)"


class PgReportStore:
    def __init__(self, db: PostgresqlDatabase) -> None:
        self.db = db

    def _q(self, sql: str, params: tuple = ()) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.db.execute_sql(sql, params).fetchall()]

    def day(self, date: str, *, station: str | None = None) -> dict[str, list[tuple[Any, ...]]]:
        st = " AND p.station = %s" if station else ""
        sst = " AND s.station = %s" if station else ""
        day: tuple = (date, station) if station else (date,)
        act = f"substr(p.created_at, 1, 10) = %s AND p.status = 'active'{st}"
        money = "count(*), sum(p.total)::bigint"
        with self.db.atomic():
            self.db.execute_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            return {
                "by_cashier": self._q(
                    "SELECT (array_agg(p.cashier_code ORDER BY p.id DESC))[1], p.cashier_username, "
                    f"(array_agg(p.cashier_name ORDER BY p.id DESC))[1], {money}, sum({CASH_PART_SQL})::bigint, "
                    f"sum({TRANSFER_PART_SQL})::bigint FROM payment p WHERE {act} GROUP BY p.cashier_username "
                    "ORDER BY p.cashier_username", day),
                "by_method": self._q(f"SELECT {METHOD_SQL}, {money} FROM payment p WHERE {act} GROUP BY 1 ORDER BY 1",
                                     day),
                "by_hour": self._q(f"SELECT CAST(substr(p.created_at, 12, 2) AS INTEGER), {money} FROM payment p "
                                   f"WHERE {act} GROUP BY 1 ORDER BY 1", day),
                "shifts": self._q(
                    "SELECT s.id, u.username, u.full_name, s.opened_at, s.closed_at, s.z_number, s.opening_float, "
                    f"(SELECT coalesce(sum({CASH_PART_SQL}), 0)::bigint FROM payment p WHERE p.shift_id = s.id "
                    " AND p.status = 'active'), "
                    f"(SELECT coalesce(sum({TRANSFER_PART_SQL}), 0)::bigint FROM payment p WHERE p.shift_id = s.id "
                    " AND p.status = 'active'), "
                    "(SELECT count(*) FROM payment WHERE shift_id = s.id AND status = 'active'), "
                    "s.expected, s.counted, s.variance FROM shift s JOIN app_user u ON u.id = s.user_id "
                    f"WHERE (substr(s.opened_at, 1, 10) = %s OR substr(s.closed_at, 1, 10) = %s){sst} ORDER BY s.id",
                    (date, date, station) if station else (date, date)),
                "voids": self._q(
                    "SELECT p.receipt_no, p.customer_code, p.total, v.created_at, v.reason, u.username "
                    "FROM void v JOIN payment p ON p.id = v.payment_id JOIN app_user u ON u.id = v.voided_by_id "
                    f"WHERE substr(v.created_at, 1, 10) = %s{st} ORDER BY v.id", day),
                "debt_by_book": self._q(
                    "SELECT c.book, count(DISTINCT c.id), count(b.id), sum(b.total)::bigint FROM bill b "
                    "JOIN customer c ON c.id = b.customer_id WHERE b.status = 'unpaid' GROUP BY c.book ORDER BY c.book"),
                "reconnections": self._q(
                    "SELECT o.id, o.customer_code, o.customer_name, o.customer_address, o.customer_phone, "
                    "o.customer_book, p.receipt_no, o.fee, o.created_at, o.status FROM reconnection_order o "
                    "JOIN payment p ON p.id = o.payment_id WHERE (o.status = 'open' "
                    f"OR substr(o.created_at, 1, 10) = %s){st} ORDER BY o.id", day),
            }

    def unpaid_customers(self) -> list[tuple[Any, ...]]:
        return self._q(
            "SELECT c.code, c.name, c.address, c.phone, c.book, count(b.id), sum(b.total)::bigint FROM customer c "
            "JOIN bill b ON b.customer_id = c.id AND b.status = 'unpaid' GROUP BY c.id ORDER BY c.book, c.code")
