"""A refresh import that holds the station's write lock only for short moments (issue 11 §5).

The parsed extract goes into a *staging* SQLite file next to the database (ATTACHed as ``st``;
journal off, never the ledger's transaction), so reading, parsing and staging a 600k-customer
extract take no lock on the station database at all. Then, still without the write lock (a WAL
read snapshot of the cache), :func:`prepare` works out what the file changes:

* which staged customers and bills differ from the cache (the rest is never written again);
* which unpaid bills are missing from the file (the "paid elsewhere" candidates: only in the
  units the file covers, never for protected customers) - the counts the threshold asks about;
* a *chunk* number per changed customer code (codes in order, ``chunk_customers`` per chunk):
  every change of one customer lands in the same chunk.

:func:`apply_chunks` applies one chunk per short ``BEGIN IMMEDIATE`` transaction (each ~10-100
ms), with a pause between chunks so a waiting collection gets the lock. Each chunk re-evaluates
the refresh rules against the cache *as it is then* (a bill collected meanwhile stays collected;
one settled elsewhere in the file after being collected is flagged a double collection), and
records its progress in ``import_apply`` in the same transaction. A customer is therefore always
seen entirely before or entirely after the import, never half of it.

A crash before the first chunk leaves the cache untouched (the staging file is thrown away at the
next start); a crash between chunks is rolled *forward* from ``import_apply`` at the next use of
the cache (:mod:`cashier.db.sqlite.cache_recovery`), so a half-applied import never stays.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cashier.core.extract.columns import BILL_COLUMNS, CUSTOMER_COLUMNS

log = logging.getLogger(__name__)

S = "st"  # schema name of the ATTACHed staging file

STATE_DDL = (
    "CREATE TABLE IF NOT EXISTS import_apply (batch_id INTEGER PRIMARY KEY, staging TEXT NOT NULL, "
    "pid INTEGER NOT NULL, phase TEXT NOT NULL, next_chunk INTEGER NOT NULL DEFAULT 0, "
    "chunks INTEGER NOT NULL DEFAULT 0, now TEXT NOT NULL DEFAULT '', present TEXT NOT NULL DEFAULT '', "
    "paid_elsewhere INTEGER NOT NULL DEFAULT 0, conflicts INTEGER NOT NULL DEFAULT 0, "
    "reopened INTEGER NOT NULL DEFAULT 0)"
)

_OPTIONAL = (
    ("DIA_CHI", "address"), ("SO_DTHOAI", "phone"), ("MA_SOGCS", "book"),
    ("STT", "book_pos"), ("CAT_DIEN", "disconnected"),
)  # fmt: skip


def create_staging(conn: sqlite3.Connection, path: Path) -> None:
    """ATTACH a fresh staging file as ``st`` (outside any transaction); created 0600 like the
    database (it holds the whole extract)."""
    for suffix in ("", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    conn.execute(f"ATTACH DATABASE ? AS {S}", (str(path),))
    conn.execute(f"PRAGMA {S}.journal_mode=OFF")
    conn.execute(f"PRAGMA {S}.synchronous=OFF")
    conn.execute(f"PRAGMA {S}.cache_size=-32768")
    conn.execute(f"CREATE TABLE {S}.s_cust ({', '.join(CUSTOMER_COLUMNS)}, chunk INTEGER)")
    conn.execute(f"CREATE TABLE {S}.s_bill ({', '.join(BILL_COLUMNS)}, chunk INTEGER)")
    conn.execute(f"CREATE TABLE {S}.s_protect (code TEXT PRIMARY KEY)")
    conn.execute(f"CREATE TABLE {S}.s_term (term TEXT PRIMARY KEY) WITHOUT ROWID")


def attach(conn: sqlite3.Connection, path: Path) -> None:
    conn.execute(f"ATTACH DATABASE ? AS {S}", (str(path),))


def detach(conn: sqlite3.Connection) -> None:
    with contextlib.suppress(sqlite3.Error):
        if not conn.in_transaction:
            conn.execute(f"DETACH DATABASE {S}")


def discard(path: Path) -> None:
    for suffix in ("", "-journal", ".lock"):
        with contextlib.suppress(OSError):
            Path(str(path) + suffix).unlink()


STAGE_CUST = (
    f"INSERT INTO {S}.s_cust ({', '.join(CUSTOMER_COLUMNS)}) VALUES ({', '.join('?' * len(CUSTOMER_COLUMNS))})"
)
STAGE_BILL = f"INSERT INTO {S}.s_bill ({', '.join(BILL_COLUMNS)}) VALUES ({', '.join('?' * len(BILL_COLUMNS))})"


def _cust_changed(present: frozenset[str]) -> list[str]:
    """Columns a refresh writes on a customer (optional ones only when the file has them)."""
    cols = ["unit_code", "name", "search_text"]
    cols += [col for f, col in _OPTIONAL if f in present]
    return cols


_BILL_STATUS = "CASE WHEN {s}.settled THEN 'paid_elsewhere' ELSE 'unpaid' END"


def _bill_differs(b: str, s: str, st: str | None = None, settled: str | None = None) -> str:
    """SQL: staged bill ``s`` would change cached bill ``b`` (the upsert's WHERE, plus a collected
    bill the file settles elsewhere, so that it is counted as a conflict again). ``st`` /
    ``settled``: the staged status / settled test (the upsert's ``excluded`` has a status)."""
    st = st or _BILL_STATUS.format(s=s)
    settled = settled or f"{s}.settled = 1"
    return (
        f"(({b}.status NOT IN ('collected', 'cleared') AND ({b}.status IS NOT {st} "
        f"OR {b}.ky IS NOT {s}.ky OR {b}.thang IS NOT {s}.thang OR {b}.nam IS NOT {s}.nam "
        f"OR {b}.kwh IS NOT {s}.kwh OR {b}.amount IS NOT {s}.amount OR {b}.vat IS NOT {s}.vat "
        f"OR {b}.total IS NOT {s}.total OR ({s}.tiers IS NOT NULL AND {b}.tiers IS NOT {s}.tiers))) "
        f"OR ({b}.status = 'collected' AND {settled}) "
        f"OR {b}.series IS NOT {s}.series OR {b}.number IS NOT {s}.number "
        f"OR {b}.reading_start IS NOT {s}.reading_start OR {b}.reading_end IS NOT {s}.reading_end)"
    )


@dataclass
class Plan:
    """What :func:`prepare` found (no write lock taken)."""

    customers: int
    new_customers: int
    bills: int
    new_bills: int
    settled_in_file: int
    kept_collected: int
    chunks: int
    #: unit -> (unpaid bills missing from the file, unpaid bills of the unit in the cache)
    missing_by_unit: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def missing(self) -> int:
        return sum(m for m, _ in self.missing_by_unit.values())


def prepare(conn: sqlite3.Connection, present: frozenset[str], chunk_customers: int) -> Plan:
    """Diff the staged extract against a read snapshot of the cache; assign chunks."""
    q = conn.execute
    q("BEGIN")  # deferred: reads the cache (a WAL snapshot), writes only the staging file
    try:
        q(f"CREATE INDEX IF NOT EXISTS {S}.s_bill_key ON s_bill (customer_code, bill_id)")
        q(f"CREATE INDEX IF NOT EXISTS {S}.s_cust_code ON s_cust (code)")
        same = " AND ".join(
            f"c.{col} IS " + ("COALESCE(s.disconnected, 0)" if col == "disconnected" else f"s.{col}")
            for col in _cust_changed(present)
        )
        if "MA_THE" in present:
            same += (
                " AND (s.card_code = '' OR EXISTS (SELECT 1 FROM main.card k "
                "WHERE k.card_code = s.card_code AND k.customer_id = c.id))"
            )
        # only the staged rows that change something are written down (a daily file leaves
        # most rows as they are: rewriting 1M staged rows cost seconds)
        for t in ("d_cust", "d_bill"):
            q(f"DROP TABLE IF EXISTS {S}.{t}")
        q(
            f"CREATE TABLE {S}.d_cust AS SELECT s.rowid AS r, c.id IS NULL AS new FROM {S}.s_cust s "
            f"LEFT JOIN main.customer c ON c.code = s.code WHERE c.id IS NULL OR NOT ({same})"
        )
        q(
            f"CREATE TABLE {S}.d_bill AS SELECT s.rowid AS r, b.id IS NULL AS new FROM {S}.s_bill s "
            "LEFT JOIN main.bill b ON b.customer_code = s.customer_code AND b.bill_id = s.bill_id "
            f"WHERE b.id IS NULL OR {_bill_differs('b', 's')}"
        )
        # unpaid bills missing from the file: units the file covers (or customers it lists),
        # never a protected customer
        q(f"DROP TABLE IF EXISTS {S}.d_missing")
        q(
            f"CREATE TABLE {S}.d_missing AS SELECT b.id AS bill_row, b.customer_code AS code, "
            "c.unit_code AS unit, CAST(NULL AS INTEGER) AS chunk FROM main.bill b "
            "JOIN main.customer c ON c.id = b.customer_id WHERE b.status = 'unpaid' "
            f"AND (c.unit_code IN (SELECT DISTINCT unit_code FROM {S}.s_cust) "
            f"  OR EXISTS (SELECT 1 FROM {S}.s_cust s WHERE s.code = c.code)) "
            f"AND b.customer_code NOT IN (SELECT code FROM {S}.s_protect) "
            f"AND NOT EXISTS (SELECT 1 FROM {S}.s_bill s WHERE s.customer_code = b.customer_code "
            "AND s.bill_id = b.bill_id)"
        )
        missing = dict(q(f"SELECT unit, COUNT(*) FROM {S}.d_missing GROUP BY unit").fetchall())
        unpaid = dict(
            q(
                "SELECT c.unit_code, COUNT(*) FROM main.bill b JOIN main.customer c ON c.id = b.customer_id "
                f"WHERE b.status = 'unpaid' AND c.unit_code IN (SELECT DISTINCT unit_code FROM {S}.s_cust) "
                "GROUP BY c.unit_code"
            ).fetchall()
        )
        by_unit = {u: (missing.get(u, 0), unpaid.get(u, 0)) for u in sorted(set(missing) | set(unpaid))}
        # chunks: changed customer codes in order, chunk_customers per chunk
        q(f"DROP TABLE IF EXISTS {S}.d_code")
        q(f"CREATE TABLE {S}.d_code (n INTEGER PRIMARY KEY, code TEXT UNIQUE)")
        q(
            f"INSERT INTO {S}.d_code (code) SELECT code FROM ("
            f"SELECT s.code FROM {S}.d_cust d JOIN {S}.s_cust s ON s.rowid = d.r "
            f"UNION SELECT s.customer_code FROM {S}.d_bill d JOIN {S}.s_bill s ON s.rowid = d.r "
            f"UNION SELECT code FROM {S}.d_missing) ORDER BY code"
        )
        k = max(1, int(chunk_customers))
        chunk = f"(SELECT (n - 1) / {k} FROM {S}.d_code d WHERE d.code = {{col}})"
        q(f"UPDATE {S}.s_cust SET chunk = {chunk.format(col='s_cust.code')} WHERE rowid IN (SELECT r FROM {S}.d_cust)")
        q(
            f"UPDATE {S}.s_bill SET chunk = {chunk.format(col='s_bill.customer_code')} "
            f"WHERE rowid IN (SELECT r FROM {S}.d_bill)"
        )
        q(f"UPDATE {S}.d_missing SET chunk = {chunk.format(col='d_missing.code')}")
        for t in ("s_cust", "s_bill", "d_missing"):
            q(f"CREATE INDEX IF NOT EXISTS {S}.{t}_chunk ON {t} (chunk)")
        n_codes = q(f"SELECT COUNT(*) FROM {S}.d_code").fetchone()[0]
        customers, new_customers, bills, new_bills = staged_counts(conn)
        settled = q(f"SELECT COUNT(*) FROM {S}.s_bill WHERE settled = 1").fetchone()[0]
        # bills collected or cleared here that the file still lists (the status index: only those)
        kept = q(
            "SELECT COUNT(*) FROM main.bill b WHERE b.status IN ('collected', 'cleared') AND EXISTS "
            f"(SELECT 1 FROM {S}.s_bill s WHERE s.customer_code = b.customer_code AND s.bill_id = b.bill_id)"
        ).fetchone()[0]
        q("COMMIT")
    except BaseException:
        if conn.in_transaction:
            q("ROLLBACK")
        raise
    return Plan(
        customers=customers, new_customers=new_customers, bills=bills, new_bills=new_bills,
        settled_in_file=settled, kept_collected=kept, chunks=(n_codes + k - 1) // k,
        missing_by_unit=by_unit,
    )  # fmt: skip


def staged_counts(conn: sqlite3.Connection) -> tuple[int, int, int, int]:
    """(customers, new customers, bills, new bills) of the staged file (after :func:`prepare`)."""
    q = conn.execute
    return (
        q(f"SELECT COUNT(*) FROM {S}.s_cust").fetchone()[0],
        q(f"SELECT COALESCE(SUM(new), 0) FROM {S}.d_cust").fetchone()[0],
        q(f"SELECT COUNT(*) FROM {S}.s_bill").fetchone()[0],
        q(f"SELECT COALESCE(SUM(new), 0) FROM {S}.d_bill").fetchone()[0],
    )


@dataclass
class ChunkTotals:
    paid_elsewhere: int = 0
    conflicts: int = 0
    reopened: int = 0
    conflict_bills: list[tuple[str, str]] = field(default_factory=list)
    transactions: int = 0
    locked_seconds: float = 0.0  # time spent inside the apply's write transactions
    longest_seconds: float = 0.0  # the longest of them


def _chunk_sql(present: frozenset[str]) -> list[str]:
    updates = ["unit_code = excluded.unit_code", "name = excluded.name",
               "search_text = excluded.search_text", "last_batch = excluded.last_batch"]  # fmt: skip
    changed = ["unit_code", "name", "search_text"]
    for f, col in _OPTIONAL:
        if f in present:
            updates.append(f"{col} = excluded.{col}")
            changed.append(col)
    where = " OR ".join(f"customer.{c} IS NOT excluded.{c}" for c in changed)
    keep = "bill.status IN ('collected', 'cleared')"
    kept = ", ".join(
        f"{c} = CASE WHEN {keep} THEN bill.{c} ELSE excluded.{c} END"
        for c in ("ky", "thang", "nam", "kwh", "amount", "vat", "total")
    )
    out = [
        "INSERT INTO customer (code, unit_code, name, address, phone, book, book_pos, "
        "disconnected, search_text, last_batch) SELECT code, unit_code, name, address, phone, book, "
        f"book_pos, COALESCE(disconnected, 0), search_text, :batch FROM {S}.s_cust WHERE chunk = :chunk "
        f"ON CONFLICT (code) DO UPDATE SET {', '.join(updates)} WHERE {where}",
    ]
    if "MA_THE" in present:
        out.append(
            f"INSERT INTO card (card_code, customer_id) SELECT s.card_code, c.id FROM {S}.s_cust s "
            "JOIN customer c ON c.code = s.code WHERE s.chunk = :chunk AND s.card_code != '' "
            "ON CONFLICT (card_code) DO UPDATE SET customer_id = excluded.customer_id"
        )
    out.append(
        "INSERT INTO bill (customer_id, customer_code, bill_id, ky, thang, nam, kwh, amount, vat, "
        "total, series, number, reading_start, reading_end, tiers, status, double_collection, "
        "first_batch, last_batch, status_changed_at) "
        "SELECT c.id, s.customer_code, s.bill_id, s.ky, s.thang, s.nam, s.kwh, s.amount, s.vat, "
        "s.total, s.series, s.number, s.reading_start, s.reading_end, s.tiers, "
        f"{_BILL_STATUS.format(s='s')}, 0, :batch, :batch, :now FROM {S}.s_bill s "
        "JOIN customer c ON c.code = s.customer_code WHERE s.chunk = :chunk "
        "ORDER BY s.customer_code, s.bill_id "
        "ON CONFLICT (customer_code, bill_id) DO UPDATE SET "
        "double_collection = CASE WHEN bill.status = 'collected' AND excluded.status = 'paid_elsewhere' "
        "  THEN 1 ELSE bill.double_collection END, "
        f"status_changed_at = CASE WHEN {keep} OR bill.status = excluded.status "
        "  THEN bill.status_changed_at ELSE excluded.status_changed_at END, "
        f"status = CASE WHEN {keep} THEN bill.status ELSE excluded.status END, {kept}, "
        "series = excluded.series, number = excluded.number, reading_start = excluded.reading_start, "
        "reading_end = excluded.reading_end, tiers = COALESCE(excluded.tiers, bill.tiers), "
        "last_batch = excluded.last_batch "
        "WHERE " + _bill_differs("bill", "excluded", "excluded.status", "excluded.status = 'paid_elsewhere'")
    )
    return out


def apply_chunks(
    conn: sqlite3.Connection, *, batch: int, now: str, present: frozenset[str], start: int, chunks: int,
    totals: ChunkTotals, pause: float, on_chunk: Callable[[int, int], None] | None = None,
    begin: Callable[[], None] | None = None,
) -> None:  # fmt: skip
    """Apply chunks ``start..chunks-1``, one short transaction each (progress in import_apply)."""
    stmts = _chunk_sql(present)
    q = conn.execute
    for k in range(start, chunks):
        if begin is not None:
            begin()
        else:
            q("BEGIN IMMEDIATE")
        t0 = time.perf_counter()
        try:
            p = {"batch": batch, "chunk": k, "now": now}
            conflicts = q(
                f"SELECT s.customer_code, s.bill_id FROM {S}.s_bill s JOIN bill c "
                "ON c.customer_code = s.customer_code AND c.bill_id = s.bill_id "
                "WHERE s.chunk = ? AND s.settled = 1 AND c.status = 'collected' ORDER BY 1, 2",
                (k,),
            ).fetchall()
            reopened = q(
                f"SELECT COUNT(*) FROM {S}.s_bill s JOIN bill c ON c.customer_code = s.customer_code "
                "AND c.bill_id = s.bill_id WHERE s.chunk = ? AND s.settled = 0 AND c.status = 'paid_elsewhere'",
                (k,),
            ).fetchone()[0]
            for sql in stmts:
                q(sql, p)
            cur = q(
                "UPDATE bill SET status = 'paid_elsewhere', status_changed_at = ?, last_batch = ? "
                f"WHERE id IN (SELECT bill_row FROM {S}.d_missing WHERE chunk = ?) AND status = 'unpaid'",
                (now, batch, k),
            )
            paid = max(cur.rowcount, 0)
            q(
                "UPDATE import_apply SET next_chunk = ?, paid_elsewhere = paid_elsewhere + ?, "
                "conflicts = conflicts + ?, reopened = reopened + ? WHERE batch_id = ?",
                (k + 1, paid, len(conflicts), reopened, batch),
            )
            q("COMMIT")
        except BaseException:
            if conn.in_transaction:
                q("ROLLBACK")
            raise
        took = time.perf_counter() - t0
        totals.transactions += 1
        totals.locked_seconds += took
        totals.longest_seconds = max(totals.longest_seconds, took)
        totals.paid_elsewhere += paid
        totals.conflicts += len(conflicts)
        totals.reopened += reopened
        totals.conflict_bills.extend((r[0], r[1]) for r in conflicts)
        if on_chunk is not None:
            on_chunk(k + 1, chunks)
        if pause > 0 and k + 1 < chunks:
            # let a waiting collection take the lock: SQLite's busy handler polls a waiter about
            # every elapsed/3 (1 ms ... 100 ms), so a pause of a third of the chunk (within
            # pause/2 .. 2*pause) always spans one of its polls
            time.sleep(min(max(pause / 2, took / 3), 2 * pause))
