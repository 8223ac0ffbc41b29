"""The debt cache on the collection point's server: the ``CacheStore`` port
(``cashier.services.cache_ports``) over the ``customer`` / ``card`` / ``bill`` tables every counter
shares (the ledger locks the bill rows it settles).

Reads are raw SQL on the thread's connection: a lookup by customer or card code (with the receipt
of a bill's active settling payment line, whichever counter took it), the search candidates
(:mod:`cashier.db.postgres.cache_search`: pg_trgm over the folded text), what is due. The import
of the morning extract is :class:`~cashier.db.postgres.cache_import.PgImportSession` (COPY into
staging tables, applied in one short transaction). The import writes the cache tables: it runs
with the server's owner login (``cashier server init``'s), a counter's role only reads them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from peewee import PostgresqlDatabase

from cashier.core.debt import Customer, Lookup
from cashier.core.messages import Message
from cashier.db.debt_rows import bill as _bill
from cashier.db.postgres.cache_import import PgImportSession
from cashier.db.postgres.cache_search import build_query, code_prefix_step, search_steps
from cashier.db.postgres.pg_base import translate
from cashier.services.cache_ports import Candidate, ImportMeta

_CUSTOMER_SQL = (
    "SELECT id, code, name, address, unit_code, phone, book, book_pos, disconnected, "
    "(SELECT card_code FROM card WHERE card.customer_id = customer.id LIMIT 1) "
    "FROM customer WHERE {where}"
)
# a bill and the receipt of its active settling payment line (any counter's)
_BILLS_SQL = (
    "SELECT b.id, b.customer_code, b.bill_id, b.ky, b.thang, b.nam, b.kwh, b.amount, b.vat, "
    "b.total, b.status, b.series, b.number, b.reading_start, b.reading_end, b.tiers, "
    "b.double_collection, p.receipt_no FROM bill b "
    "LEFT JOIN payment_line pl ON pl.bill_row = b.id AND pl.active AND pl.settles "
    "LEFT JOIN payment p ON p.id = pl.payment_id "
    "WHERE b.customer_id = %s ORDER BY b.nam, b.thang, b.ky, b.bill_id"
)


class PgCacheStore:
    """The debt cache on the server (implements ``CacheStore``)."""

    def __init__(self, db: PostgresqlDatabase) -> None:
        self.db = db

    @contextmanager
    def _reading(self) -> Iterator[None]:
        try:
            yield
        except Exception as exc:
            err = translate(exc, Message("postgres.step.reading"))
            if err is None:
                raise
            raise err from exc

    def _q(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        with self._reading():
            return list(self.db.execute_sql(sql, params).fetchall())

    def _q1(self, sql: str, params: Sequence[Any] = ()) -> tuple | None:
        rows = self._q(sql, params)
        return rows[0] if rows else None

    # -- lookup ---------------------------------------------------------------------------------
    def lookup_code(self, code: str) -> Lookup | None:
        row = self._q1(_CUSTOMER_SQL.format(where="code = %s"), (code,))
        return self._lookup(row) if row else None

    def lookup_card(self, card_code: str) -> Lookup | None:
        row = self._q1(_CUSTOMER_SQL.format(where="id = (SELECT customer_id FROM card WHERE card_code = %s)"),
                       (card_code,))
        return self._lookup(row, card_code) if row else None

    def _lookup(self, row: tuple, card: str | None = None) -> Lookup:
        cid = row[0]
        customer = Customer(
            code=row[1], name=row[2], address=row[3], unit_code=row[4], phone=row[5], book=row[6],
            book_pos=row[7], card_code=card if card is not None else (row[9] or ""),
            disconnected=bool(row[8]), id=cid,
        )  # fmt: skip
        return Lookup(customer=customer, bills=tuple(_bill(r) for r in self._q(_BILLS_SQL, (cid,))))

    # -- search ---------------------------------------------------------------------------------
    def candidates(self, text: str, limit: int) -> list[Candidate]:
        """Up to ``limit`` customers for a search text: code prefix, phrase, then any order."""
        query = build_query(text)
        steps = ([code_prefix_step(query.code_prefix)] if query.code_prefix else []) + search_steps(query)
        found: dict[int, Candidate] = {}
        for step in steps:
            if len(found) >= limit:
                break
            # (the order of the text_pattern_ops index: no sort)
            order = " ORDER BY code USING ~<~" if step.where.startswith("code LIKE") else ""
            for r in self._q(f"SELECT id, code, name, address, book, search_text FROM customer "
                             f"WHERE {step.where}{order} LIMIT %s", (*step.params, limit)):
                found.setdefault(r[0], Candidate(*r))
        return list(found.values())[:limit]

    def due(self, customer_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
        """customer id -> (total due, number of unpaid bills)."""
        if not customer_ids:
            return {}
        rows = self._q("SELECT customer_id, SUM(total), COUNT(*) FROM bill WHERE customer_id = ANY(%s) "
                       "AND status = 'unpaid' GROUP BY customer_id", (list(customer_ids),))
        return {r[0]: (int(r[1]), int(r[2])) for r in rows}

    # -- counts and settings --------------------------------------------------------------------
    def customer_count(self) -> int:
        row = self._q1("SELECT COUNT(*) FROM customer")
        return int(row[0]) if row else 0

    def stats(self) -> dict[str, int]:
        out = {"customers": self.customer_count()}
        for status, n, total in self._q("SELECT status, COUNT(*), SUM(total) FROM bill GROUP BY status"):
            out[f"bills_{status}"] = int(n)
            out[f"total_{status}"] = int(total or 0)
        return out

    def last_import(self) -> dict[str, Any] | None:
        row = self._q1("SELECT id, file_name, profile, started_at, finished_at, customers, bills, total_due "
                       "FROM import_batch WHERE status = 'applied' ORDER BY id DESC LIMIT 1")
        if not row:
            return None
        keys = ("id", "file_name", "profile", "started_at", "finished_at", "customers", "bills", "total_due")
        return dict(zip(keys, row, strict=True))

    def max_paid_elsewhere_ratio(self) -> float:
        """Setting ``cache.max_paid_elsewhere_ratio`` (default 0.02), as on SQLite."""
        row = self._q1("SELECT value FROM setting WHERE key = 'cache.max_paid_elsewhere_ratio'")
        try:
            return float(json.loads(row[0])) if row else 0.02
        except (TypeError, ValueError):
            return 0.02

    # -- import ---------------------------------------------------------------------------------
    def import_session(self, meta: ImportMeta) -> PgImportSession:
        return PgImportSession(self.db, meta)

    def recover_imports(self) -> list[int]:
        """Nothing to roll forward: the apply is one transaction (whole or absent)."""
        return []

    def record_refused(self, meta: ImportMeta, finished_at: str, rows_read: int, rejected: int,
                       report_path: str | None) -> None:  # fmt: skip
        with self._reading(), self.db.atomic():
            self.db.execute_sql(
                "INSERT INTO import_batch (file_name, file_sha256, profile, started_at, finished_at, status, "
                "rows_read, rejected, report_path) VALUES (%s, %s, %s, %s, %s, 'refused', %s, %s, %s)",
                (meta.file_name, meta.file_sha256, meta.profile, meta.started_at, finished_at, rows_read,
                 rejected, report_path))
