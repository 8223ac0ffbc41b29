"""The import of the morning extract on the server: one :class:`PgImportSession` per file (the
``ImportSession`` port of ``cashier.services.cache_ports``), run once for every counter.

* The parsed rows are streamed with COPY (psycopg's ``cursor.copy()``) into TEMP staging tables
  of the import's own connection: no lock on the cache while the file is read.
* :meth:`PgImportSession.prepare` diffs the staging against the cache (no write, no lock): the
  customers and bills the file changes, and the unpaid bills it does not list (the paid-elsewhere
  candidates, per unit, for the service's threshold), with SQLite's rules (``cache_import_sql``).
* :meth:`PgImportSession.apply` writes only those rows in ONE short transaction: counters keep
  collecting during the whole import, and wait at most for that transaction, only for a bill it
  changes (row locks; a payment holding a bill makes the import wait for it instead). Each rule is
  re-checked against the rows as they are then: a bill collected meanwhile keeps its status; a
  bill with any live payment line is never touched; one the file settles elsewhere after it was
  collected here is flagged a double collection. Whole or absent: nothing to roll forward.

The import writes the cache tables a counter's role may only read: it runs with the server's owner
login (``cashier server init``'s); a counter's login is refused (``postgres.import_needs_owner``).
One import at a time per server (a session advisory lock; a second one is refused with
``import.already_running``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence
from typing import Any

import psycopg
from peewee import PostgresqlDatabase

from cashier.core.errors import Conflict, PermissionDenied
from cashier.core.messages import Message
from cashier.db.postgres import cache_import_sql as sql
from cashier.db.postgres.pg_base import driver_error, translate
from cashier.services.cache_ports import ApplyResult, ImportMeta, MissingPreview

log = logging.getLogger(__name__)

#: pg_advisory_lock key of the server's one running import ("import")
IMPORT_LOCK = 0x696D706F


class PgImportSession:
    """One import (context manager): stage, :meth:`prepare`, :meth:`apply`, :meth:`commit`."""

    #: called with (done, total) after the apply (the service's progress)
    on_chunk: Any = None

    def __init__(self, db: PostgresqlDatabase, meta: ImportMeta) -> None:
        self.db = db
        self.meta = meta
        self.batch_id = 0
        self._locked = False
        self._applied = False
        self._preview: MissingPreview | None = None
        self._counts: tuple[int, ...] = ()
        self._first_load = False
        #: seconds the apply transaction took (the longest a counter can wait for a bill)
        self.apply_seconds = 0.0

    def _x(self, statement: str, params: Any = ()) -> Any:
        try:
            return self.db.execute_sql(statement, params)
        except Exception as exc:
            if isinstance(driver_error(exc), psycopg.errors.InsufficientPrivilege):
                raise PermissionDenied("postgres.import_needs_owner") from exc
            err = translate(exc, Message("storage.step.import_store"))
            if err is None:
                raise
            raise err from exc

    # -- the session ----------------------------------------------------------------------------
    def __enter__(self) -> PgImportSession:
        if not self._x("SELECT pg_try_advisory_lock(%s)", (IMPORT_LOCK,)).fetchone()[0]:
            running = self._x("SELECT max(id) FROM import_batch WHERE status = 'running'").fetchone()[0]
            raise Conflict("import.already_running", batch=running or "?")
        self._locked = True
        try:
            m = self.meta
            with self.db.atomic():
                self.batch_id = int(self._x(
                    "INSERT INTO import_batch (file_name, file_sha256, profile, started_at, status) "
                    "VALUES (%s, %s, %s, %s, 'running') RETURNING id",
                    (m.file_name, m.file_sha256, m.profile, m.started_at)).fetchone()[0])
            self._drop_staging()
            for stmt in sql.CREATE_STAGING:
                self._x(stmt)
        except BaseException:
            self.rollback()
            raise
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if self._locked:
            self.rollback()

    def _drop_staging(self) -> None:
        self._x("DROP TABLE IF EXISTS " + ", ".join(sql.STAGING_TABLES))

    def _release(self) -> None:
        try:
            if not self.db.is_closed():
                self._drop_staging()
                self._x("SELECT pg_advisory_unlock(%s)", (IMPORT_LOCK,))
        except Exception:  # noqa: BLE001 - a dead connection drops both with the session
            log.debug("releasing the import's staging", exc_info=True)
        self._locked = False

    def rollback(self) -> None:
        """Leave the cache as it was (before :meth:`apply`), forget the running batch."""
        try:
            if self.batch_id and not self._applied and not self.db.is_closed():
                with self.db.atomic():
                    self._x("DELETE FROM import_batch WHERE id = %s AND status = 'running'", (self.batch_id,))
        except Exception:  # noqa: BLE001 - the batch row stays 'running'; last_import ignores it
            log.debug("forgetting the import batch", exc_info=True)
        finally:
            self._release()

    def commit(self, *, finished_at: str, rows_read: int, rejected: int, report_path: str | None,
               result: ApplyResult) -> int:  # fmt: skip
        with self.db.atomic():
            self._x(sql.FINISH_BATCH, (finished_at, rows_read, result.customers, result.bills, result.new_bills,
                                       result.paid_elsewhere, result.conflicts, rejected, result.total_due,
                                       report_path, self.batch_id))
        self._release()
        return self.batch_id

    def _tidy(self) -> None:
        """After a big change: fresh planner statistics (a first load leaves none: the search then
        scans the table) and the trigram index's pending entries merged (GIN's fast update keeps
        new entries in an unsorted list that every search reads until merged). Outside the apply
        transaction; only the owner may (the import's login); skipped otherwise."""
        try:
            self._x("ANALYZE customer, bill")
            self._x("SELECT gin_clean_pending_list('customer_search_trgm'::regclass)")
        except Exception:  # noqa: BLE001 - autovacuum does the same later
            log.warning("could not analyze the cache tables after the import", exc_info=True)

    # -- staging --------------------------------------------------------------------------------
    def stage(self, customers: Sequence[tuple], bills: Sequence[tuple]) -> None:
        """Stream parsed rows (CUSTOMER_COLUMNS / BILL_COLUMNS tuples) into the staging tables."""
        try:
            cur = self.db.connection().cursor()
            for statement, rows in ((sql.COPY_CUST, customers), (sql.COPY_BILL, bills)):
                if rows:
                    with cur.copy(statement) as copy:
                        for row in rows:
                            copy.write_row(row)
        except Exception as exc:
            err = translate(exc, Message("storage.step.import_stage"))
            if err is None:
                raise
            raise err from exc

    def stage_terms(self, terms: Iterable[str]) -> None:
        """No vocabulary on PostgreSQL: the trigram index matches any word prefix itself."""

    def drop_bills(self, keys: Iterable[tuple[str, str]]) -> None:
        """Withdraw staged bills (conflicting duplicates: neither version is applied)."""
        keys = list(keys)
        if keys:
            self._x("DELETE FROM s_bill s USING unnest(%s::text[], %s::text[]) AS k(code, bill) "
                    "WHERE s.customer_code = k.code AND s.bill_id = k.bill",
                    ([k[0] for k in keys], [k[1] for k in keys]))

    def protect(self, codes: Iterable[str]) -> None:
        """Customers with a rejected row: none of their bills become paid elsewhere."""
        codes = list(codes)
        if codes:
            self._x("INSERT INTO s_protect (code) SELECT unnest(%s::text[]) ON CONFLICT DO NOTHING", (codes,))

    def protect_bills(self, bill_ids: Iterable[str], units: Iterable[str] = ()) -> None:
        """Rejected rows without a readable code: the customers holding one of these bill ids and,
        for rows naming no bill either, every customer of their unit are protected."""
        self._x("INSERT INTO s_protect (code) SELECT DISTINCT customer_code FROM bill WHERE bill_id = ANY(%s) "
                "ON CONFLICT DO NOTHING", (list(bill_ids),))
        self._x("INSERT INTO s_protect (code) SELECT code FROM customer WHERE unit_code = ANY(%s) "
                "ON CONFLICT DO NOTHING", (list(units),))

    # -- merge ----------------------------------------------------------------------------------
    def prepare(self, now: str) -> MissingPreview:
        """What the file changes (reads only): the paid-elsewhere candidates per unit."""
        if self._preview is None:
            for stmt in sql.diff_sql(self.meta.present):
                self._x(stmt)
            missing = dict(self._x(sql.MISSING_BY_UNIT).fetchall())
            unpaid = dict(self._x(sql.UNPAID_BY_UNIT).fetchall())
            self._preview = MissingPreview(by_unit={
                u: (int(missing.get(u, 0)), int(unpaid.get(u, 0))) for u in sorted(set(missing) | set(unpaid))})
            self._counts = tuple(int(v) for v in self._x(sql.COUNTS).fetchone())
            self._first_load = self._x("SELECT NOT EXISTS (SELECT 1 FROM customer)").fetchone()[0]
        return self._preview

    def apply(self, now: str) -> ApplyResult:
        """Write what the file changes, in one short transaction."""
        self.prepare(now)
        customers, new_customers, bills, new_bills, settled, kept = self._counts
        params = {"batch": self.batch_id, "now": now}
        t0 = time.perf_counter()
        with self.db.atomic():
            conflicts = [(r[0], r[1]) for r in self._x(sql.CONFLICTS).fetchall()]
            reopened = int(self._x(sql.REOPENED).fetchone()[0])
            if self._first_load:
                # an empty cache (nobody collects yet): the trigram index built once after the
                # rows, not entry by entry (measured 100k customers: see bench/bench_pg_search.py)
                self._x(sql.DROP_SEARCH_INDEX)
            for stmt in sql.apply_sql(self.meta.present):
                self._x(stmt, params)
            if self._first_load:
                self._x(sql.CREATE_SEARCH_INDEX)
            paid = max(int(self._x(sql.PAID_ELSEWHERE, params).rowcount), 0)
        self._applied = True
        self.apply_seconds = time.perf_counter() - t0
        self._tidy()
        log.info("import batch %s applied in one transaction of %.0f ms", self.batch_id, 1000 * self.apply_seconds)
        if self.on_chunk is not None:
            self.on_chunk(1, 1)
        total_due = int(self._x(sql.TOTAL_DUE).fetchone()[0])
        return ApplyResult(
            customers=customers, new_customers=new_customers, bills=bills, new_bills=new_bills,
            updated_bills=bills - new_bills, paid_elsewhere=paid, settled_in_file=settled,
            conflicts=len(conflicts), conflict_bills=tuple(conflicts), reopened=reopened, kept_collected=kept,
            total_due=total_due, fts_mode="trigram",
        )  # fmt: skip
