"""Reads of the SQLite debt cache: lookup by code or card, search candidates, what is due,
counts. Raw SQL on the thread's connection (peewee model queries are ~10x slower, DESIGN.md §4).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from cashier.core.debt import Customer, Lookup
from cashier.db.debt_rows import bill as _bill
from cashier.db.sqlite import search_index
from cashier.services.cache_ports import Candidate

_CUSTOMER_SQL = (
    "SELECT id, code, name, address, unit_code, phone, book, book_pos, disconnected, "
    "(SELECT card_code FROM card WHERE card.customer_id = customer.id LIMIT 1) "
    "FROM customer WHERE {where}"
)
_BILLS_SQL = (
    "SELECT b.id, b.customer_code, b.bill_id, b.ky, b.thang, b.nam, b.kwh, b.amount, b.vat, "
    "b.total, b.status, b.series, b.number, b.reading_start, b.reading_end, b.tiers, "
    "b.double_collection{receipt_col} FROM bill b{receipt_join} "
    "WHERE b.customer_id = ? ORDER BY b.nam, b.thang, b.ky, b.bill_id"
)
# the ledger's active settling payment line of a bill -> its receipt number
_RECEIPT_JOIN = (
    " LEFT JOIN payment_line pl ON pl.bill_row = b.id AND pl.active = 1 AND pl.settles = 1"
    " LEFT JOIN payment p ON p.id = pl.payment_id"
)


class SqliteCacheReads:
    """The read half of :class:`~cashier.db.sqlite.cache_store.SqliteCacheStore` (a base class:
    it reads through the store's :meth:`connection`)."""

    _has_ledger: bool | None = None
    _bills_sql = ""

    def connection(self) -> sqlite3.Connection:  # pragma: no cover - the store's
        raise NotImplementedError

    def _ledger_present(self, conn: sqlite3.Connection) -> bool:
        if self._has_ledger is None:
            row = conn.execute(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' "
                "AND name IN ('payment', 'payment_line')"
            ).fetchone()
            self._has_ledger = row[0] == 2
            receipt = (", p.receipt_no", _RECEIPT_JOIN) if self._has_ledger else (", NULL", "")
            self._bills_sql = _BILLS_SQL.format(receipt_col=receipt[0], receipt_join=receipt[1])
        return self._has_ledger

    def lookup_code(self, code: str) -> Lookup | None:
        conn = self.connection()
        row = conn.execute(_CUSTOMER_SQL.format(where="code = ?"), (code,)).fetchone()
        return self._lookup(conn, row) if row else None

    def lookup_card(self, card_code: str) -> Lookup | None:
        conn = self.connection()
        row = conn.execute(
            _CUSTOMER_SQL.format(where="id = (SELECT customer_id FROM card WHERE card_code = ?)"),
            (card_code,),
        ).fetchone()
        return self._lookup(conn, row, card_code) if row else None

    def _lookup(self, conn: sqlite3.Connection, row: tuple, card: str | None = None) -> Lookup:
        self._ledger_present(conn)
        cid = row[0]
        if card is None:
            card = row[9] or ""
        customer = Customer(
            code=row[1], name=row[2], address=row[3], unit_code=row[4], phone=row[5],
            book=row[6], book_pos=row[7], card_code=card, disconnected=bool(row[8]), id=cid,
        )  # fmt: skip
        bills = tuple(_bill(r) for r in conn.execute(self._bills_sql, (cid,)))
        return Lookup(customer=customer, bills=bills)

    def candidates(self, text: str, limit: int) -> list[Candidate]:
        """Up to ``limit`` customers for a search text: code prefix, phrase, then any order.

        Every step fetches a page only (never all matches); ranking is the service's job.
        """
        query = search_index.build_query(text)
        conn = self.connection()
        ids: list[int] = []
        seen: set[int] = set()

        def add(found: Iterable[int]) -> None:
            for i in found:
                if i not in seen:
                    seen.add(i)
                    ids.append(i)

        if query.code_prefix:
            add(search_index.code_prefix_ids(conn, query.code_prefix, limit))
        if query.words and len(ids) < limit:
            if len(query.words) > 1 and min(len(w) for w in query.words) > 1:
                # (not with one-letter words: "h", "p" abound in addresses - "H. Krông Pắc" -
                # and a phrase that matches nothing then checks positions in every candidate)
                add(search_index.fts_rowids(conn, query.match_phrase(conn), limit))
            if len(ids) < limit:
                add(search_index.fts_rowids(conn, query.match_all(conn), limit))
            longer = tuple(w for w in query.words if len(w) > 1)
            if len(ids) < limit and longer and len(longer) < len(query.words):
                # a one-letter word is matched exactly; while it is being typed ("nguyen v")
                # also offer the matches of the other words (the service ranks them lower)
                rest = search_index.SearchQuery(query.text, longer, None)
                add(search_index.fts_rowids(conn, rest.match_all(conn), limit))
        if not ids:
            return []
        ids = ids[:limit]
        marks = ",".join("?" * len(ids))
        rows = conn.execute(
            f"SELECT id, code, name, address, book, search_text FROM customer WHERE id IN ({marks})", ids
        ).fetchall()
        by_id = {r[0]: Candidate(*r) for r in rows}
        return [by_id[i] for i in ids if i in by_id]

    def due(self, customer_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
        """customer id -> (total due, number of unpaid bills)."""
        if not customer_ids:
            return {}
        conn = self.connection()
        marks = ",".join("?" * len(customer_ids))
        rows = conn.execute(
            f"SELECT customer_id, SUM(total), COUNT(*) FROM bill WHERE customer_id IN ({marks}) "
            "AND +status = 'unpaid' GROUP BY customer_id",
            list(customer_ids),
        ).fetchall()
        return {r[0]: (r[1], r[2]) for r in rows}

    def customer_count(self) -> int:
        return self.connection().execute("SELECT COUNT(*) FROM customer").fetchone()[0]

    def stats(self) -> dict[str, int]:
        conn = self.connection()
        out = {"customers": self.customer_count()}
        for status, n, total in conn.execute("SELECT status, COUNT(*), SUM(total) FROM bill GROUP BY status"):
            out[f"bills_{status}"] = n
            out[f"total_{status}"] = total or 0
        return out

    def last_import(self) -> dict[str, Any] | None:
        row = self.connection().execute(
            "SELECT id, file_name, profile, started_at, finished_at, customers, bills, total_due "
            "FROM import_batch WHERE status = 'applied' ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if not row:
            return None
        keys = ("id", "file_name", "profile", "started_at", "finished_at", "customers", "bills", "total_due")
        return dict(zip(keys, row, strict=True))
