"""SQLite implementation of the debt-cache storage port (``cashier.services.cache_ports``).

Import
    :meth:`SqliteCacheStore.import_session` opens ONE transaction (``BEGIN IMMEDIATE``) with
    ``synchronous=NORMAL`` for its duration (``db.connection.bulk_settings``; payments never run
    under it). Parsed rows are staged with ``executemany`` into TEMP tables (no per-row peewee
    call), then merged into ``customer``/``bill``/``card`` with set-based SQL that applies the
    refresh rules. Any exception, a refusal or a cancel rolls everything back: the cache is as it
    was. Measured at 600k customers / 1M bills: see bench/bench_cache.py.

Refresh rules (newer extract over the cache)
    * a bill in the extract is inserted, or updated when it is still ``unpaid`` or
      ``paid_elsewhere`` (it reappears as unpaid: CMIS is the reference);
    * a bill collected here (``collected``) or already ``cleared`` keeps its status and amounts;
    * a bill collected here that the extract marks settled elsewhere gets
      ``double_collection = 1`` and is counted as a conflict;
    * an ``unpaid`` bill missing from the extract becomes ``paid_elsewhere`` - only within the
      units (MA_DVIQLY) the extract covers, and never for customers with a rejected row in the
      file (their bills stay as they were: a bad row is not proof of payment).

Lookup and search are raw SQL on the thread's connection (peewee model queries are ~10x
slower, DESIGN.md §4).
"""

from __future__ import annotations

import json
import logging
import operator
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from cashier.core.debt import Bill, BillStatus, Customer, Lookup, TierLine
from cashier.core.extract_rows import BILL_COLUMNS, CUSTOMER_COLUMNS
from cashier.db import search_index
from cashier.services.cache_ports import ApplyResult, Candidate, ImportMeta

log = logging.getLogger(__name__)

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


IMPORT_CACHE_KB = 131_072  # 128 MB page cache while importing
STAGING_CACHE_KB = 32_768  # 32 MB for the TEMP staging tables


class SqliteImportSession:
    """One import transaction. Use as a context manager; call :meth:`commit` to keep it.

    Leaving the ``with`` block without :meth:`commit` (an exception, a cancel, a refusal) rolls
    the whole import back.
    """

    def __init__(self, store: SqliteCacheStore, meta: ImportMeta) -> None:
        self.store = store
        self.meta = meta
        self.conn: sqlite3.Connection = store.connection()
        self.batch_id = 0
        self._open = False
        self._first_load = False
        self._direct = False
        self._cache_size = -32_000

    # -- transaction ----------------------------------------------------------------------------
    def __enter__(self) -> SqliteImportSession:
        conn = self.conn
        if conn.in_transaction:
            raise RuntimeError("an import needs its own transaction")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(f"PRAGMA temp_store={self.store.staging}")
        # a bigger page cache for the merge and index builds (measured ~25% faster at 100k
        # customers); the staging tables get their own, smaller one. Restored afterwards.
        self._cache_size = conn.execute("PRAGMA main.cache_size").fetchone()[0]
        conn.execute(f"PRAGMA main.cache_size = -{IMPORT_CACHE_KB}")
        conn.execute(f"PRAGMA temp.cache_size = -{STAGING_CACHE_KB}")
        conn.execute("BEGIN IMMEDIATE")
        self._open = True
        conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS s_cust (" + ", ".join(CUSTOMER_COLUMNS) + ")"
        )
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS s_bill (" + ", ".join(BILL_COLUMNS) + ")")
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS s_protect (code TEXT PRIMARY KEY)")
        for t in ("s_cust", "s_bill", "s_protect"):
            conn.execute(f"DELETE FROM temp.{t}")
        m = self.meta
        cur = conn.execute(
            "INSERT INTO import_batch (file_name, file_sha256, profile, started_at, status, "
            "rows_read, customers, bills, new_bills, paid_elsewhere, conflicts, rejected, total_due)"
            " VALUES (?, ?, ?, ?, 'running', 0, 0, 0, 0, 0, 0, 0, 0)",
            (m.file_name, m.file_sha256, m.profile, m.started_at),
        )
        self.batch_id = int(cur.lastrowid or 0)
        self._first_load = conn.execute("SELECT NOT EXISTS (SELECT 1 FROM customer)").fetchone()[0] == 1
        # first load into an empty cache: no refresh rule can apply, so rows go straight into
        # the tables (no staging copy) and the search index is built once at the end
        self._direct = self._first_load and self.store.direct_first_load
        # the batch id and the time are the same for every row: literals, not parameters
        b, now = int(self.batch_id), self.meta.started_at.replace("'", "''")
        self._direct_cust = _DIRECT_CUST.format(batch=b)
        self._direct_bill = _DIRECT_BILL.format(batch=b, now=now)
        if self._first_load:
            search_index.drop_insert_trigger(conn)
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if self._open:
            self.rollback()

    def rollback(self) -> None:
        if self._open:
            self._open = False
            try:
                self.conn.execute("ROLLBACK")
            finally:
                self._after()

    def commit(
        self, *, finished_at: str, rows_read: int, rejected: int, report_path: str | None,
        result: ApplyResult,
    ) -> int:  # fmt: skip
        self.conn.execute(
            "UPDATE import_batch SET finished_at = ?, status = 'applied', rows_read = ?, "
            "customers = ?, bills = ?, new_bills = ?, paid_elsewhere = ?, conflicts = ?, "
            "rejected = ?, total_due = ?, report_path = ? WHERE id = ?",
            (
                finished_at, rows_read, result.customers, result.bills, result.new_bills,
                result.paid_elsewhere, result.conflicts, rejected, result.total_due, report_path,
                self.batch_id,
            ),
        )  # fmt: skip
        self.conn.execute("COMMIT")
        self._open = False
        self._after()
        return self.batch_id

    def _after(self) -> None:
        conn = self.conn
        try:
            for t in ("s_cust", "s_bill", "s_protect"):
                conn.execute(f"DROP TABLE IF EXISTS temp.{t}")
        except sqlite3.Error:  # pragma: no cover - best effort
            log.exception("dropping staging tables")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA temp_store=MEMORY")
        conn.execute(f"PRAGMA main.cache_size = {int(self._cache_size)}")

    # -- staging --------------------------------------------------------------------------------
    def stage(self, customers: Sequence[tuple], bills: Sequence[tuple]) -> None:
        """Stage parsed rows (tuples in CUSTOMER_COLUMNS / BILL_COLUMNS order)."""
        if self._direct:
            self._insert_direct(customers, bills)
            return
        if customers:
            self.conn.executemany(_STAGE_CUST, customers)
        if bills:
            self.conn.executemany(_STAGE_BILL, bills)

    def stage_terms(self, terms: Iterable[str]) -> None:
        """Folded name/address words for the search vocabulary (see search_index)."""
        search_index.add_terms(self.conn, terms)

    def _insert_direct(self, customers: Sequence[tuple], bills: Sequence[tuple]) -> None:
        """First load: rows straight into the tables; SQLite assigns the customer ids and finds
        them for the bills through the unique code index (no code -> id map in Python: ~70 MB
        less at 600k customers, and no per-row tuple rebuilt)."""
        conn = self.conn
        if customers:
            conn.executemany(self._direct_cust, map(_CUST_WITHOUT_CARD, customers))
            cards = [(c[8], c[0]) for c in customers if c[8]]
            if cards:
                conn.executemany(_DIRECT_CARD, cards)
        if bills:
            conn.executemany(self._direct_bill, map(_BILL_WITHOUT_ROW, bills))

    def drop_bills(self, keys: Iterable[tuple[str, str]]) -> None:
        """Withdraw staged bills (conflicting duplicates: neither version is applied)."""
        keys = list(keys)
        if keys and self._direct:
            self.conn.executemany("DELETE FROM bill WHERE customer_code = ? AND bill_id = ?", keys)
            return
        if keys:
            self._index_staging()
            self.conn.executemany(
                "DELETE FROM temp.s_bill WHERE customer_code = ? AND bill_id = ?", keys
            )

    def protect(self, codes: Iterable[str]) -> None:
        """Customers with a rejected row: none of their bills become paid_elsewhere."""
        self.conn.executemany(
            "INSERT OR IGNORE INTO temp.s_protect (code) VALUES (?)", ((c,) for c in codes)
        )

    def protect_bills(self, bill_ids: Iterable[str], units: Iterable[str] = ()) -> None:
        """Rejected rows whose code could not be read: the customers already holding one of
        these bill ids - and, for rows that name no bill either, every customer of their
        unit - are protected as :meth:`protect` does (nothing of theirs becomes
        paid_elsewhere). Local to the staging: it only adds codes to ``s_protect``."""
        q = self.conn.execute
        q("CREATE TEMP TABLE IF NOT EXISTS s_protect_key (k TEXT PRIMARY KEY)")
        try:
            for sql, keys in (
                ("SELECT customer_code FROM bill WHERE bill_id IN", bill_ids),
                ("SELECT code FROM customer WHERE unit_code IN", units),
            ):
                q("DELETE FROM temp.s_protect_key")
                self.conn.executemany(
                    "INSERT OR IGNORE INTO temp.s_protect_key (k) VALUES (?)", ((k,) for k in keys)
                )
                q(f"INSERT OR IGNORE INTO temp.s_protect (code) {sql} (SELECT k FROM temp.s_protect_key)")
        finally:
            q("DROP TABLE IF EXISTS temp.s_protect_key")

    def _apply_direct(self) -> ApplyResult:
        q = self.conn.execute
        search_index.bulk_rebuild(self.conn)
        search_index.ensure_index(self.conn)
        n_customers = q("SELECT COUNT(*) FROM customer").fetchone()[0]
        n_bills, settled, total_due = q(
            "SELECT COUNT(*), COALESCE(SUM(status = 'paid_elsewhere'), 0), "
            "COALESCE(SUM(CASE WHEN status = 'unpaid' THEN total END), 0) FROM bill"
        ).fetchone()
        return ApplyResult(
            customers=n_customers, new_customers=n_customers, bills=n_bills, new_bills=n_bills,
            updated_bills=0, paid_elsewhere=0, settled_in_file=settled, conflicts=0,
            conflict_bills=(), reopened=0, kept_collected=0, total_due=total_due,
            fts_mode="rebuild",
        )  # fmt: skip

    def _index_staging(self) -> None:
        self.conn.execute(
            "CREATE INDEX IF NOT EXISTS temp.s_bill_key ON s_bill (customer_code, bill_id)"
        )

    # -- merge ----------------------------------------------------------------------------------
    def apply(self, now: str) -> ApplyResult:
        """Merge the staged rows into the cache with the refresh rules (same transaction)."""
        conn = self.conn
        b = self.batch_id
        present = self.meta.present
        first_load = self._first_load
        q = conn.execute
        if self._direct:
            return self._apply_direct()
        self._index_staging()

        # counts that need the state before the merge
        before_customers = q("SELECT COALESCE(MAX(id), 0) FROM customer").fetchone()[0]
        conflict_rows = (
            []
            if first_load
            else q(
                "SELECT s.customer_code, s.bill_id FROM s_bill s JOIN bill c "
                "ON c.customer_code = s.customer_code AND c.bill_id = s.bill_id "
                "WHERE s.settled = 1 AND c.status = 'collected' ORDER BY 1, 2"
            ).fetchall()
        )
        reopened = (
            0
            if first_load
            else q(
                "SELECT COUNT(*) FROM s_bill s JOIN bill c ON c.customer_code = s.customer_code "
                "AND c.bill_id = s.bill_id WHERE s.settled = 0 AND c.status = 'paid_elsewhere'"
            ).fetchone()[0]
        )
        kept = (
            0
            if first_load
            else q(
                "SELECT COUNT(*) FROM s_bill s JOIN bill c ON c.customer_code = s.customer_code "
                "AND c.bill_id = s.bill_id WHERE c.status IN ('collected', 'cleared')"
            ).fetchone()[0]
        )

        # customers: insert new, update changed (optional columns absent from the file keep
        # the cached value). FTS: triggers for a refresh, one rebuild for a first load.
        updates = ["unit_code = excluded.unit_code", "name = excluded.name",
                   "search_text = excluded.search_text", "last_batch = excluded.last_batch"]  # fmt: skip
        changed = ["unit_code", "name", "search_text"]
        for field, col in (
            ("DIA_CHI", "address"), ("SO_DTHOAI", "phone"), ("MA_SOGCS", "book"),
            ("STT", "book_pos"), ("CAT_DIEN", "disconnected"),
        ):  # fmt: skip
            if field in present:
                updates.append(f"{col} = excluded.{col}")
                changed.append(col)
        where = " OR ".join(f"customer.{c} IS NOT excluded.{c}" for c in changed)
        q(
            "INSERT INTO customer (code, unit_code, name, address, phone, book, book_pos, "
            "disconnected, search_text, last_batch) "
            "SELECT code, unit_code, name, address, phone, book, book_pos, "
            "COALESCE(disconnected, 0), search_text, ? FROM temp.s_cust WHERE true "
            f"ON CONFLICT (code) DO UPDATE SET {', '.join(updates)} WHERE {where}",
            (b,),
        )
        if first_load:
            search_index.bulk_rebuild(conn)
            search_index.ensure_index(conn)
        n_customers = q("SELECT COUNT(*) FROM temp.s_cust").fetchone()[0]
        new_customers = q("SELECT COUNT(*) FROM customer WHERE id > ?", (before_customers,)).fetchone()[0]

        # cards
        if "MA_THE" in present:
            q(
                "INSERT INTO card (card_code, customer_id) SELECT s.card_code, c.id "
                "FROM temp.s_cust s JOIN customer c ON c.code = s.code WHERE s.card_code != '' "
                "ON CONFLICT (card_code) DO UPDATE SET customer_id = excluded.customer_id"
            )

        # bills
        n_bills = q("SELECT COUNT(*) FROM temp.s_bill").fetchone()[0]
        settled_in_file = q("SELECT COUNT(*) FROM temp.s_bill WHERE settled = 1").fetchone()[0]
        before_bills = q("SELECT COALESCE(MAX(id), 0) FROM bill").fetchone()[0]
        q(
            "INSERT INTO bill (customer_id, customer_code, bill_id, ky, thang, nam, kwh, amount, "
            "vat, total, series, number, reading_start, reading_end, tiers, status, "
            "double_collection, first_batch, last_batch, status_changed_at) "
            "SELECT c.id, s.customer_code, s.bill_id, s.ky, s.thang, s.nam, s.kwh, s.amount, "
            "s.vat, s.total, s.series, s.number, s.reading_start, s.reading_end, s.tiers, "
            "CASE WHEN s.settled THEN 'paid_elsewhere' ELSE 'unpaid' END, 0, ?1, ?1, ?2 "
            "FROM temp.s_bill s JOIN customer c ON c.code = s.customer_code "
            + "WHERE true "
            + ("ORDER BY s.customer_code, s.bill_id " if not first_load else "")
            + "ON CONFLICT (customer_code, bill_id) DO UPDATE SET "
            # collected here / cleared: keep status and amounts; flag a double collection
            "double_collection = CASE WHEN bill.status = 'collected' "
            "  AND excluded.status = 'paid_elsewhere' THEN 1 ELSE bill.double_collection END, "
            "status_changed_at = CASE WHEN bill.status IN ('collected', 'cleared') "
            "  OR bill.status = excluded.status THEN bill.status_changed_at "
            "  ELSE excluded.status_changed_at END, "
            "status = CASE WHEN bill.status IN ('collected', 'cleared') THEN bill.status "
            "  ELSE excluded.status END, "
            "ky = CASE WHEN bill.status IN ('collected', 'cleared') THEN bill.ky ELSE excluded.ky END, "
            "thang = CASE WHEN bill.status IN ('collected', 'cleared') THEN bill.thang ELSE excluded.thang END, "
            "nam = CASE WHEN bill.status IN ('collected', 'cleared') THEN bill.nam ELSE excluded.nam END, "
            "kwh = CASE WHEN bill.status IN ('collected', 'cleared') THEN bill.kwh ELSE excluded.kwh END, "
            "amount = CASE WHEN bill.status IN ('collected', 'cleared') THEN bill.amount ELSE excluded.amount END, "
            "vat = CASE WHEN bill.status IN ('collected', 'cleared') THEN bill.vat ELSE excluded.vat END, "
            "total = CASE WHEN bill.status IN ('collected', 'cleared') THEN bill.total ELSE excluded.total END, "
            "series = excluded.series, number = excluded.number, "
            "reading_start = excluded.reading_start, reading_end = excluded.reading_end, "
            "tiers = COALESCE(excluded.tiers, bill.tiers), last_batch = excluded.last_batch "
            # write only what changes: a daily re-import of 1M unchanged bills then only reads
            "WHERE (bill.status NOT IN ('collected', 'cleared') AND ("
            "  bill.status IS NOT excluded.status OR bill.ky IS NOT excluded.ky "
            "  OR bill.thang IS NOT excluded.thang OR bill.nam IS NOT excluded.nam "
            "  OR bill.kwh IS NOT excluded.kwh OR bill.amount IS NOT excluded.amount "
            "  OR bill.vat IS NOT excluded.vat OR bill.total IS NOT excluded.total "
            "  OR (excluded.tiers IS NOT NULL AND bill.tiers IS NOT excluded.tiers))) "
            "OR (bill.status = 'collected' AND excluded.status = 'paid_elsewhere' "
            "  AND bill.double_collection = 0) "
            "OR bill.series IS NOT excluded.series OR bill.number IS NOT excluded.number "
            "OR bill.reading_start IS NOT excluded.reading_start "
            "OR bill.reading_end IS NOT excluded.reading_end",
            (b, now),
        )
        new_bills = q("SELECT COUNT(*) FROM bill WHERE id > ?", (before_bills,)).fetchone()[0]

        # unpaid bills missing from this extract -> paid elsewhere (units covered, not protected)
        paid_elsewhere = 0
        if not first_load:
            cur = q(
                "UPDATE bill SET status = 'paid_elsewhere', status_changed_at = ?, last_batch = ? "
                "WHERE status = 'unpaid' "
                "AND customer_id IN (SELECT id FROM customer WHERE unit_code IN "
                "  (SELECT DISTINCT unit_code FROM temp.s_cust)) "
                "AND customer_code NOT IN (SELECT code FROM temp.s_protect) "
                "AND NOT EXISTS (SELECT 1 FROM temp.s_bill s "
                "  WHERE s.customer_code = bill.customer_code AND s.bill_id = bill.bill_id)",
                (now, b),
            )
            paid_elsewhere = max(cur.rowcount, 0)
        total_due = q("SELECT COALESCE(SUM(total), 0) FROM bill WHERE status = 'unpaid'").fetchone()[0]
        return ApplyResult(
            customers=n_customers,
            new_customers=new_customers,
            bills=n_bills,
            new_bills=new_bills,
            updated_bills=n_bills - new_bills,
            paid_elsewhere=paid_elsewhere,
            settled_in_file=settled_in_file,
            conflicts=len(conflict_rows),
            conflict_bills=tuple((r[0], r[1]) for r in conflict_rows),
            reopened=reopened,
            kept_collected=kept,
            total_due=total_due,
            fts_mode="rebuild" if first_load else "incremental",
        )


#: a customer tuple (CUSTOMER_COLUMNS) without its card code (which goes to the card table)
_CUST_WITHOUT_CARD = operator.itemgetter(0, 1, 2, 3, 4, 5, 6, 7, 9)
#: a bill tuple (BILL_COLUMNS) without its row number
_BILL_WITHOUT_ROW = operator.itemgetter(slice(0, 15))
_DIRECT_CUST = (
    "INSERT INTO customer (code, unit_code, name, address, phone, book, book_pos, "
    "disconnected, search_text, last_batch) VALUES (?, ?, ?, ?, ?, ?, ?, COALESCE(?, 0), ?, {batch})"
)
_DIRECT_CARD = (
    "INSERT INTO card (card_code, customer_id) VALUES (?1, (SELECT id FROM customer WHERE code = ?2)) "
    "ON CONFLICT (card_code) DO UPDATE SET customer_id = excluded.customer_id"
)
_DIRECT_BILL = (
    "INSERT INTO bill (customer_id, customer_code, bill_id, ky, thang, nam, kwh, amount, vat, "
    "total, series, number, reading_start, reading_end, tiers, status, double_collection, "
    "first_batch, last_batch, status_changed_at) "
    "VALUES ((SELECT id FROM customer WHERE code = ?1), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
    "?11, ?12, ?13, ?14, CASE WHEN ?15 THEN 'paid_elsewhere' ELSE 'unpaid' END, 0, "
    "{batch}, {batch}, '{now}')"
)
_STAGE_CUST = (
    f"INSERT INTO temp.s_cust ({', '.join(CUSTOMER_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(CUSTOMER_COLUMNS))})"
)
_STAGE_BILL = (
    f"INSERT INTO temp.s_bill ({', '.join(BILL_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(BILL_COLUMNS))})"
)


class SqliteCacheStore:
    """The debt cache in the station database (implements ``CacheStore``)."""

    def __init__(self, db: Any, *, staging: str = "FILE") -> None:
        """``staging``: where the import's TEMP tables live: "FILE" (a temp file, the default:
        600k customers / 1M bills import at ~290 MB peak) or "MEMORY" (~750 MB peak, no faster
        in the measurement)."""
        if staging not in ("MEMORY", "FILE"):
            raise ValueError("staging must be MEMORY or FILE")
        self.db = db
        self._index_checked = False
        self.staging = staging
        #: a first load into an empty cache skips the staging copy (set False to compare)
        self.direct_first_load = True
        self._has_ledger: bool | None = None

    def connection(self) -> sqlite3.Connection:
        """This thread's sqlite3 connection (peewee keeps one per thread)."""
        conn = self.db.connection()
        if not self._index_checked:
            self._index_checked = True
            self._heal_search_index(conn)
        return conn

    @staticmethod
    def _heal_search_index(conn: sqlite3.Connection) -> None:
        """A database made before the search index existed (schema v1 is not released yet):
        create the index, triggers and vocabulary, and fill the index from the customers."""
        have = {
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master "
                "WHERE name IN ('customer_fts', 'search_term', 'customer_fts_au')"
            )
        }
        if len(have) == 3 or conn.in_transaction:
            return
        log.warning("creating the customer search index (database made by an older build)")
        conn.execute("BEGIN IMMEDIATE")
        try:
            search_index.ensure_index(conn)
            if "customer_fts" not in have:
                search_index.bulk_rebuild(conn)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    # -- import ---------------------------------------------------------------------------------
    def import_session(self, meta: ImportMeta) -> SqliteImportSession:
        return SqliteImportSession(self, meta)

    def record_refused(self, meta: ImportMeta, finished_at: str, rows_read: int, rejected: int,
                       report_path: str | None) -> None:  # fmt: skip
        """Keep a trace of a refused import (its own small transaction)."""
        conn = self.connection()
        if conn.in_transaction:  # never commit somebody else's transaction
            raise RuntimeError("record_refused needs no open transaction")
        with conn:
            conn.execute(
                "INSERT INTO import_batch (file_name, file_sha256, profile, started_at, "
                "finished_at, status, rows_read, customers, bills, new_bills, paid_elsewhere, "
                "conflicts, rejected, total_due, report_path) "
                "VALUES (?, ?, ?, ?, ?, 'refused', ?, 0, 0, 0, 0, 0, ?, 0, ?)",
                (meta.file_name, meta.file_sha256, meta.profile, meta.started_at, finished_at,
                 rows_read, rejected, report_path),
            )  # fmt: skip

    # -- reads ----------------------------------------------------------------------------------
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


def _bill(r: tuple) -> Bill:
    tiers: tuple[TierLine, ...] = ()
    if r[15]:
        try:
            tiers = tuple(TierLine(int(k), int(p), int(a)) for k, p, a in json.loads(r[15]))
        except (ValueError, TypeError):
            tiers = ()
    return Bill(
        customer_code=r[1], bill_id=r[2], ky=r[3], thang=r[4], nam=r[5], kwh=r[6], amount=r[7],
        vat=r[8], total=r[9], status=BillStatus(r[10]), series=r[11], number=r[12],
        reading_start=r[13], reading_end=r[14], tiers=tiers, double_collection=bool(r[16]),
        receipt=r[17], id=r[0],
    )  # fmt: skip
