"""SQLite implementation of the debt-cache storage port (``CacheStore`` of
``cashier.services.cache_ports``): the store of the station database's cache tables.

Imports go through :class:`~cashier.db.sqlite.cache_import.SqliteImportSession` (first load in
one transaction; a refresh staged and applied in short transactions); reads are
:class:`~cashier.db.sqlite.cache_reads.SqliteCacheReads`; an import a stopped process left half
applied is finished by :meth:`SqliteCacheStore.recover_imports`
(:mod:`cashier.db.sqlite.cache_recovery`).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from cashier.core.storage_errors import StorageFull
from cashier.db.sqlite import cache_recovery, cache_refresh, search_index
from cashier.db.sqlite.cache_import import SqliteImportSession
from cashier.db.sqlite.cache_import_sql import finish_batch
from cashier.db.sqlite.cache_reads import SqliteCacheReads
from cashier.services.cache_ports import ApplyResult, ImportMeta

log = logging.getLogger(__name__)


class SqliteCacheStore(SqliteCacheReads):
    """The debt cache in the station database (implements ``CacheStore``)."""

    def __init__(self, db: Any, *, staging: str = "FILE") -> None:
        """``staging``: SQLite's temp_store during a first load ("FILE", the default, or
        "MEMORY"); a refresh always stages in its own file beside the database."""
        if staging not in ("MEMORY", "FILE"):
            raise ValueError("staging must be MEMORY or FILE")
        self.db = db
        self._index_checked = False
        self.staging = staging
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
        return cache_recovery.recover(conn, self._finish_recovered)

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
        finish_batch(conn, batch, iso(SystemClock().now()), 0, 0, None, result)

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
