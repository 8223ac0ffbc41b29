"""SQLite implementation of the debt-cache storage port (``cashier.services.cache_ports``).

Import
    A first load into an empty cache is ONE transaction (``BEGIN IMMEDIATE``, rows straight into
    the tables, the search index rebuilt once; nobody can collect from an empty cache). A
    refresh over a cache that counters collect from holds the write lock only for moments: the
    file is staged in a separate SQLite file, compared with a read snapshot of the cache, and
    applied in short transactions of a few thousand customers each (:mod:`cashier.db.cache_refresh`:
    crash recovery, per-customer consistency). ``synchronous=NORMAL`` for the import's own
    commits (payments never run under it). "database is locked" / "disk is full" become
    ``StorageBusy`` / ``StorageFull``. Measured: bench/bench_cache.py, bench/bench_import_collect.py.

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

import contextlib
import json
import logging
import operator
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from cashier.core.debt import Bill, BillStatus, Customer, Lookup, TierLine
from cashier.core.errors import Conflict
from cashier.core.messages import Message
from cashier.core.storage_errors import StorageBusy, StorageFull
from cashier.db import cache_refresh, search_index
from cashier.db.sqlite import errors as sqlite_errors
from cashier.services.cache_ports import ApplyResult, Candidate, ImportMeta, MissingPreview

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


@contextlib.contextmanager
def _storage(what: Message) -> Iterator[None]:
    """sqlite "database is locked" / "disk is full" -> StorageBusy / StorageFull."""
    try:
        yield
    except sqlite3.Error as exc:
        err = sqlite_errors.translate(exc, what)
        if err is None:
            raise
        log.warning("%s: %s", what, exc)
        raise err from exc


class SqliteImportSession:
    """One import. Use as a context manager; :meth:`prepare`, :meth:`apply`, :meth:`commit`.

    A first load into an empty cache is ONE transaction (nothing to collect yet; the fastest
    path). A refresh stages the file in a separate SQLite file and applies it in short
    transactions (``cashier.db.cache_refresh``): the write lock is held only for moments.
    Leaving the ``with`` block before :meth:`apply` started (an exception, a cancel, a refusal)
    leaves the cache as it was; once a chunk is applied the import is finished (rolled forward)
    by :meth:`SqliteCacheStore.recover_imports` if this process stops.
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
        self._s = "temp"  # schema of the staging tables: temp (first load) or st (refresh)
        self._staging: Path | None = None
        self._plan: cache_refresh.Plan | None = None
        self._applying = False  # a chunk was committed: only rolling forward remains
        self._totals = cache_refresh.ChunkTotals()
        self._lock: Any = None  # the staging file's lock, held while importing

    # -- transaction ----------------------------------------------------------------------------
    def __enter__(self) -> SqliteImportSession:
        conn = self.conn
        if conn.in_transaction:
            raise RuntimeError("an import needs its own transaction")
        with _storage(Message("storage.step.import_start")):
            self.store.recover_imports()
            self._cache_size = conn.execute("PRAGMA main.cache_size").fetchone()[0]
            first = conn.execute("SELECT NOT EXISTS (SELECT 1 FROM customer)").fetchone()[0] == 1
            self._first_load = self._direct = first
            try:
                if first:
                    self._enter_first_load()
                else:
                    self._enter_refresh()
            except BaseException:
                self.rollback()
                raise
        return self

    def _enter_first_load(self) -> None:
        conn = self.conn
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(f"PRAGMA temp_store={self.store.staging}")
        conn.execute(f"PRAGMA main.cache_size = -{IMPORT_CACHE_KB}")
        conn.execute("BEGIN IMMEDIATE")
        self._open = True
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS s_protect (code TEXT PRIMARY KEY)")
        conn.execute("DELETE FROM temp.s_protect")
        self.batch_id = self._insert_batch()
        # the batch id and the time are the same for every row: literals, not parameters
        b, now = int(self.batch_id), self.meta.started_at.replace("'", "''")
        self._direct_cust = _DIRECT_CUST.format(batch=b)
        self._direct_bill = _DIRECT_BILL.format(batch=b, now=now)
        search_index.drop_insert_trigger(conn)

    def _insert_batch(self) -> int:
        m = self.meta
        cur = self.conn.execute(
            "INSERT INTO import_batch (file_name, file_sha256, profile, started_at, status, "
            "rows_read, customers, bills, new_bills, paid_elsewhere, conflicts, rejected, total_due)"
            " VALUES (?, ?, ?, ?, 'running', 0, 0, 0, 0, 0, 0, 0, 0)",
            (m.file_name, m.file_sha256, m.profile, m.started_at),
        )
        return int(cur.lastrowid or 0)

    def _enter_refresh(self) -> None:
        conn = self.conn
        self._s = cache_refresh.S
        self._staging = self.store.staging_path()
        cache_refresh.create_staging(conn, self._staging)
        self._lock = cache_refresh.hold(self._staging)
        conn.execute("BEGIN IMMEDIATE")  # a moment: the batch and its recovery record
        try:
            # (checked under the write lock: two imports started at once cannot both pass)
            running = conn.execute("SELECT batch_id FROM import_apply LIMIT 1").fetchone()
            if running is not None:
                raise Conflict("import.already_running", batch=running[0])
            self.batch_id = self._insert_batch()
            conn.execute(
                "INSERT INTO import_apply (batch_id, staging, pid, phase, present) VALUES (?, ?, ?, 'staging', ?)",
                (self.batch_id, str(self._staging), os.getpid(), ",".join(sorted(self.meta.present))),
            )
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        cache_refresh.ACTIVE.add(self.batch_id)
        conn.execute("PRAGMA synchronous=NORMAL")  # each chunk is whole or absent after a power cut
        conn.execute("BEGIN")  # the staging writes (staging file only: no lock on the cache)
        self._open = True

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if self._open or self._staging is not None:
            self.rollback()

    def rollback(self) -> None:
        conn = self.conn
        self._open = False
        try:
            if conn.in_transaction:  # (SQLite itself ends a transaction on a full disk)
                conn.execute("ROLLBACK")
            if self._staging is not None and not self._applying and self.batch_id:
                with contextlib.suppress(sqlite3.Error):  # else recover_imports cleans it up
                    conn.execute("BEGIN IMMEDIATE")
                    conn.execute("DELETE FROM import_apply WHERE batch_id = ?", (self.batch_id,))
                    conn.execute("DELETE FROM import_batch WHERE id = ? AND status = 'running'", (self.batch_id,))
                    conn.execute("COMMIT")
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
        finally:
            self._after(keep_staging=self._applying)

    def commit(
        self, *, finished_at: str, rows_read: int, rejected: int, report_path: str | None,
        result: ApplyResult,
    ) -> int:  # fmt: skip
        conn = self.conn
        with _storage(Message("storage.step.import_finish")):
            if not self._first_load:
                conn.execute("BEGIN IMMEDIATE")
            try:
                if not self._first_load:
                    search_index.add_terms_from(conn, f"{cache_refresh.S}.s_term")
                    conn.execute("DELETE FROM import_apply WHERE batch_id = ?", (self.batch_id,))
                _finish_batch(conn, self.batch_id, finished_at, rows_read, rejected, report_path, result)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        self._open = False
        self._applying = False
        self._after()
        return self.batch_id

    def _after(self, keep_staging: bool = False) -> None:
        conn = self.conn
        try:
            conn.execute("DROP TABLE IF EXISTS temp.s_protect")
        except sqlite3.Error:  # pragma: no cover - best effort
            log.exception("dropping staging tables")
        if self._staging is not None:
            cache_refresh.detach(conn)
            cache_refresh.release(self._lock)
            self._lock = None
            cache_refresh.ACTIVE.discard(self.batch_id)
            if not keep_staging:
                cache_refresh.discard(self._staging)
            self._staging = None
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA temp_store=MEMORY")
        conn.execute(f"PRAGMA main.cache_size = {int(self._cache_size)}")

    # -- staging --------------------------------------------------------------------------------
    def stage(self, customers: Sequence[tuple], bills: Sequence[tuple]) -> None:
        """Stage parsed rows (tuples in CUSTOMER_COLUMNS / BILL_COLUMNS order)."""
        with _storage(Message("storage.step.import_stage")):
            if self._direct:
                self._insert_direct(customers, bills)
                return
            if customers:
                self.conn.executemany(cache_refresh.STAGE_CUST, customers)
            if bills:
                self.conn.executemany(cache_refresh.STAGE_BILL, bills)

    def stage_terms(self, terms: Iterable[str]) -> None:
        """Folded name/address words for the search vocabulary (see search_index)."""
        if self._direct:
            search_index.add_terms(self.conn, terms)
        else:
            self.conn.executemany(
                f"INSERT OR IGNORE INTO {self._s}.s_term (term) VALUES (?)", ((t,) for t in terms if len(t) > 3)
            )

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
            self.conn.execute(
                f"CREATE INDEX IF NOT EXISTS {self._s}.s_bill_key ON s_bill (customer_code, bill_id)"
            )
            self.conn.executemany(
                f"DELETE FROM {self._s}.s_bill WHERE customer_code = ? AND bill_id = ?", keys
            )

    def protect(self, codes: Iterable[str]) -> None:
        """Customers with a rejected row: none of their bills become paid_elsewhere."""
        self.conn.executemany(
            f"INSERT OR IGNORE INTO {self._s}.s_protect (code) VALUES (?)", ((c,) for c in codes)
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
                q(f"INSERT OR IGNORE INTO {self._s}.s_protect (code) {sql} (SELECT k FROM temp.s_protect_key)")
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

    # -- merge ----------------------------------------------------------------------------------
    def prepare(self, now: str) -> MissingPreview:
        """Work out what the file changes, without the write lock; return the bills it would
        turn paid elsewhere (per unit, with the unit's unpaid bills) for the threshold check."""
        if self._first_load:
            return MissingPreview(by_unit={})
        if self._plan is None:
            conn = self.conn
            with _storage(Message("storage.step.import_prepare")):
                if conn.in_transaction:
                    conn.execute("COMMIT")  # the staging file's writes
                self._plan = cache_refresh.prepare(conn, self.meta.present, self.store.chunk_customers)
        return MissingPreview(by_unit=dict(self._plan.missing_by_unit))

    def apply(self, now: str) -> ApplyResult:
        """Apply the file with the refresh rules: one transaction on a first load; short
        transactions (a chunk of customers each) on a refresh."""
        if self._direct:
            with _storage(Message("storage.step.import_store")):
                return self._apply_direct()
        self.prepare(now)
        plan = self._plan
        assert plan is not None
        conn = self.conn
        self.store.check_free_space(plan.new_customers + plan.new_bills)
        with _storage(Message("storage.step.import_apply")):
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(
                "UPDATE import_apply SET phase = 'applying', chunks = ?, now = ? WHERE batch_id = ?",
                (plan.chunks, now, self.batch_id),
            )
            conn.execute("COMMIT")
        self._applying = True
        try:
            cache_refresh.apply_chunks(
                conn, batch=self.batch_id, now=now, present=self.meta.present, start=0,
                chunks=plan.chunks, totals=self._totals, pause=self.store.chunk_pause,
                on_chunk=self.on_chunk,
            )  # fmt: skip
        except sqlite3.Error as exc:
            if sqlite_errors.is_full(exc):
                raise StorageFull("import.full_applying") from exc
            if sqlite_errors.is_busy(exc):
                raise StorageBusy("import.busy_applying") from exc
            raise
        t = self._totals
        log.info(
            "import batch %s applied in %d short transactions: %.2f s under the write lock, longest %.0f ms",
            self.batch_id, t.transactions, t.locked_seconds, 1000 * t.longest_seconds,
        )  # fmt: skip
        total_due = conn.execute("SELECT COALESCE(SUM(total), 0) FROM bill WHERE status = 'unpaid'").fetchone()[0]
        return ApplyResult(
            customers=plan.customers, new_customers=plan.new_customers, bills=plan.bills,
            new_bills=plan.new_bills, updated_bills=plan.bills - plan.new_bills,
            paid_elsewhere=t.paid_elsewhere, settled_in_file=plan.settled_in_file,
            conflicts=t.conflicts, conflict_bills=tuple(t.conflict_bills), reopened=t.reopened,
            kept_collected=plan.kept_collected, total_due=total_due, fts_mode="incremental",
        )  # fmt: skip

    #: called after each applied chunk with (done, total) (the service's progress)
    on_chunk: Any = None


def _finish_batch(conn: sqlite3.Connection, batch: int, finished_at: str, rows_read: int, rejected: int,
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
class SqliteCacheStore:
    """The debt cache in the station database (implements ``CacheStore``)."""

    def __init__(self, db: Any, *, staging: str = "FILE") -> None:
        """``staging``: SQLite's temp_store during a first load ("FILE", the default, or
        "MEMORY"); a refresh always stages in its own file beside the database."""
        if staging not in ("MEMORY", "FILE"):
            raise ValueError("staging must be MEMORY or FILE")
        self.db = db
        self._index_checked = False
        self.staging = staging
        self._has_ledger: bool | None = None
        #: refresh: changed customers per short apply transaction, and the pause after each
        #: (scaled to the chunk's time within chunk_pause/2 .. 2*chunk_pause: a collection
        #: waiting for the lock polls every 1-100 ms and gets in during the pause)
        self.chunk_customers = 2_000
        self.chunk_pause = 0.06
        #: free disk space a refresh needs before applying: this much plus ~1 KB per new row
        #: (customer or bill with its indexes and search entry; updates grow the file little)
        self.min_free_bytes = 32 << 20
        self._recovered = False

    def connection(self) -> sqlite3.Connection:
        """This thread's sqlite3 connection (peewee keeps one per thread). The first use also
        finishes an import a stopped process left half applied (:meth:`recover_imports`)."""
        conn = self.db.connection()
        if not self._index_checked:
            self._index_checked = True
            self._heal_search_index(conn)
        if not self._recovered and not conn.in_transaction:
            self._recovered = True
            try:
                self.recover_imports()
            except sqlite3.Error:  # busy or full: the next import tries again
                log.exception("could not finish an interrupted import")
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

    def database_path(self) -> Path | None:
        row = self.db.connection().execute("PRAGMA database_list").fetchone()
        return Path(row[2]) if row and row[2] else None

    def staging_path(self) -> Path:
        """Where a refresh stages its file: beside the database (same disk), else a temp dir."""
        db_path = self.database_path()
        folder = db_path.parent if db_path else Path(tempfile.gettempdir())
        name = (db_path.name if db_path else "cashier") + f".import-{os.getpid()}-{os.urandom(4).hex()}.staging"
        return folder / name

    def check_free_space(self, new_rows: int) -> None:
        """Refuse to start applying when the disk could fill up half way (StorageFull)."""
        db_path = self.database_path()
        if db_path is None:
            return
        try:
            free = shutil.disk_usage(db_path.parent).free
        except OSError:
            return
        need = self.min_free_bytes + 1024 * max(0, new_rows)
        if free < need:
            raise StorageFull(
                "import.disk_low", free_mb=free >> 20, need_mb=need >> 20, folder=str(db_path.parent)
            )

    def max_paid_elsewhere_ratio(self) -> float:
        """Setting ``cache.max_paid_elsewhere_ratio`` (default 0.02): above this share of the
        unpaid bills of the units a file covers, an import asks before marking them."""
        try:
            row = self.connection().execute(
                "SELECT value FROM setting WHERE key = 'cache.max_paid_elsewhere_ratio'"
            ).fetchone()
        except sqlite3.Error:
            row = None
        try:
            return float(json.loads(row[0])) if row else 0.02
        except (TypeError, ValueError):
            return 0.02

    def recover_imports(self) -> list[int]:
        """Finish (roll forward) a refresh that stopped while applying; throw away one that
        stopped before. Returns the batches finished. Idempotent; another process's running
        import is left alone."""
        conn = self.connection()
        if conn.in_transaction:
            return []
        conn.execute(cache_refresh.STATE_DDL)
        return cache_refresh.recover(conn, self._finish_recovered)

    def _finish_recovered(self, conn: sqlite3.Connection, batch: int, row: dict[str, Any]) -> None:
        from cashier.core.clock import SystemClock, iso

        s = cache_refresh.S
        customers, new_customers, bills, new_bills = cache_refresh.staged_counts(conn)
        total_due = conn.execute("SELECT COALESCE(SUM(total), 0) FROM bill WHERE status = 'unpaid'").fetchone()[0]
        result = ApplyResult(
            customers=customers, new_customers=new_customers, bills=bills, new_bills=new_bills,
            updated_bills=bills - new_bills, paid_elsewhere=row["paid_elsewhere"], settled_in_file=0,
            conflicts=row["conflicts"], conflict_bills=(), reopened=row["reopened"], kept_collected=0,
            total_due=total_due, fts_mode="incremental",
        )  # fmt: skip
        search_index.add_terms_from(conn, f"{s}.s_term")
        _finish_batch(conn, batch, iso(SystemClock().now()), 0, 0, None, result)

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
