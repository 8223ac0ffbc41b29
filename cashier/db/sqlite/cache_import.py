"""The SQLite debt-cache import: one :class:`SqliteImportSession` per extract (the
``ImportSession`` port of ``cashier.services.cache_ports``).

Import
    A first load into an empty cache is ONE transaction (``BEGIN IMMEDIATE``, rows straight into
    the tables, the search index rebuilt once; nobody can collect from an empty cache). A
    refresh over a cache that counters collect from holds the write lock only for moments: the
    file is staged in a separate SQLite file, compared with a read snapshot of the cache, and
    applied in short transactions of a few thousand customers each
    (:mod:`cashier.db.sqlite.cache_refresh`; crash recovery: :mod:`.cache_recovery`).
    ``synchronous=NORMAL`` for the import's own commits (payments never run under it).
    "database is locked" / "disk is full" become ``StorageBusy`` / ``StorageFull``. Measured:
    bench/bench_cache.py, bench/bench_import_collect.py.

Refresh rules (newer extract over the cache)
    * a bill in the extract is inserted, or updated when it is still ``unpaid`` or
      ``paid_elsewhere`` (it reappears as unpaid: CMIS is the reference);
    * a bill collected here (``collected``) or already ``cleared`` keeps its status and amounts;
    * a bill collected here that the extract marks settled elsewhere gets
      ``double_collection = 1`` and is counted as a conflict;
    * an ``unpaid`` bill missing from the extract becomes ``paid_elsewhere`` - only within the
      units (MA_DVIQLY) the extract covers, and never for customers with a rejected row in the
      file (their bills stay as they were: a bad row is not proof of payment).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from cashier.core.errors import Conflict
from cashier.core.messages import Message
from cashier.core.storage_errors import StorageBusy, StorageFull
from cashier.db.sqlite import cache_recovery, cache_refresh, search_index
from cashier.db.sqlite import errors as sqlite_errors
from cashier.db.sqlite.cache_import_sql import (
    BILL_WITHOUT_ROW,
    CUST_WITHOUT_CARD,
    DIRECT_BILL,
    DIRECT_CARD,
    DIRECT_CUST,
    finish_batch,
)
from cashier.services.cache_ports import ApplyResult, ImportMeta, MissingPreview

log = logging.getLogger(__name__)

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



class ImportHost(Protocol):
    """What an import session needs of its cache store."""

    staging: str  # temp_store of a first load: "FILE" or "MEMORY"
    chunk_customers: int
    chunk_pause: float

    def connection(self) -> sqlite3.Connection: ...

    def recover_imports(self) -> list[int]: ...

    def staging_path(self) -> Path: ...

    def check_free_space(self, new_rows: int) -> None: ...


class SqliteImportSession:
    """One import. Use as a context manager; :meth:`prepare`, :meth:`apply`, :meth:`commit`.

    A first load into an empty cache is ONE transaction (nothing to collect yet; the fastest
    path). A refresh stages the file in a separate SQLite file and applies it in short
    transactions (``cashier.db.sqlite.cache_refresh``): the write lock is held only for moments.
    Leaving the ``with`` block before :meth:`apply` started (an exception, a cancel, a refusal)
    leaves the cache as it was; once a chunk is applied the import is finished (rolled forward)
    by the store's ``recover_imports`` if this process stops.
    """

    def __init__(self, store: ImportHost, meta: ImportMeta) -> None:
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
        self._direct_cust = DIRECT_CUST.format(batch=b)
        self._direct_bill = DIRECT_BILL.format(batch=b, now=now)
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
        self._lock = cache_recovery.hold(self._staging)
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
        cache_recovery.ACTIVE.add(self.batch_id)
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
                finish_batch(conn, self.batch_id, finished_at, rows_read, rejected, report_path, result)
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
            cache_recovery.release(self._lock)
            self._lock = None
            cache_recovery.ACTIVE.discard(self.batch_id)
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
            conn.executemany(self._direct_cust, map(CUST_WITHOUT_CARD, customers))
            cards = [(c[8], c[0]) for c in customers if c[8]]
            if cards:
                conn.executemany(DIRECT_CARD, cards)
        if bills:
            conn.executemany(self._direct_bill, map(BILL_WITHOUT_ROW, bills))

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
