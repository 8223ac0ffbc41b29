"""Finishing an import a stopped process left behind (issue 11 §5): an orphaned refresh that was
still staging is thrown away (the cache was never touched); one that had started applying is
rolled *forward* from ``import_apply`` at the next use of the cache, so a half-applied import
never stays. The staging file's lock (:func:`hold`) tells a live importer from an orphan.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cashier.db.sqlite.cache_refresh import ChunkTotals, apply_chunks, attach, detach, discard

log = logging.getLogger(__name__)


#: batches this process is importing right now (a row of another batch with our pid is orphaned)
ACTIVE: set[int] = set()


def hold(staging: Path) -> Any:
    """An exclusive lock on ``<staging>.lock`` held while this process imports (a crash releases
    it; another process then knows the import is orphaned even if the pid was reused)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: the pid check alone
        return None
    fh = open(str(staging) + ".lock", "a+")  # noqa: SIM115 - kept open for the import's life
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        fh.close()
        raise
    return fh


def release(handle: Any) -> None:
    if handle is not None:
        with contextlib.suppress(OSError):
            handle.close()  # closing the file releases the flock


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(conn: sqlite3.Connection, finish: Callable[[sqlite3.Connection, int, dict], None]) -> list[int]:
    """Orphaned imports: 'staging' -> thrown away (the cache was never touched); 'applying' ->
    the remaining chunks applied and the batch finished by ``finish(conn, batch, row)`` inside
    the last short transaction. Returns the batches finished."""
    cols = ("batch_id", "staging", "pid", "phase", "next_chunk", "chunks", "now", "present",
            "paid_elsewhere", "conflicts", "reopened")  # fmt: skip
    rows = [dict(zip(cols, r, strict=True)) for r in conn.execute(f"SELECT {', '.join(cols)} FROM import_apply")]
    finished = []
    for row in rows:
        batch = row["batch_id"]
        staging = Path(row["staging"])
        if row["pid"] == os.getpid() and batch in ACTIVE:
            continue  # this process is importing it
        try:
            handle = hold(staging) if staging.parent.is_dir() else None
        except OSError:
            continue  # the importing process still holds the staging file's lock
        if handle is None and row["pid"] != os.getpid() and pid_alive(row["pid"]):
            continue
        try:
            done = _recover_one(conn, row, cols, staging, finish)
        finally:
            release(handle)
        if done:
            finished.append(batch)
    return finished


def _recover_one(conn: sqlite3.Connection, row: dict, cols: tuple, staging: Path,
                 finish: Callable[[sqlite3.Connection, int, dict], None]) -> bool:  # fmt: skip
    batch = row["batch_id"]
    # claim it (another process may be recovering it too)
    conn.execute("BEGIN IMMEDIATE")
    cur = conn.execute(
        "UPDATE import_apply SET pid = ? WHERE batch_id = ? AND pid = ?", (os.getpid(), batch, row["pid"])
    )
    conn.execute("COMMIT")
    if cur.rowcount != 1:
        return False
    ACTIVE.add(batch)
    try:
        if row["phase"] != "applying" or not staging.exists():
            if row["phase"] == "applying":
                log.error("import batch %s stopped half applied and its staging file %s is gone: "
                          "the next import brings every customer up to date", batch, staging)  # fmt: skip
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("DELETE FROM import_apply WHERE batch_id = ?", (batch,))
            conn.execute(
                "UPDATE import_batch SET status = CASE WHEN ? = 'applying' THEN 'failed' ELSE status END "
                "WHERE id = ?",
                (row["phase"], batch),
            )
            conn.execute("DELETE FROM import_batch WHERE id = ? AND status = 'running'", (batch,))
            conn.execute("COMMIT")
            discard(staging)
            return False
        log.warning("finishing import batch %s (stopped after chunk %s of %s)", batch,
                    row["next_chunk"], row["chunks"])  # fmt: skip
        attach(conn, staging)
        try:
            present = frozenset(p for p in row["present"].split(",") if p)
            totals = ChunkTotals()
            apply_chunks(
                conn, batch=batch, now=row["now"], present=present, start=row["next_chunk"],
                chunks=row["chunks"], totals=totals, pause=0.0,
            )  # fmt: skip
            conn.execute("BEGIN IMMEDIATE")
            got = dict(zip(cols, conn.execute(
                f"SELECT {', '.join(cols)} FROM import_apply WHERE batch_id = ?", (batch,)
            ).fetchone(), strict=True))  # fmt: skip
            finish(conn, batch, got)
            conn.execute("DELETE FROM import_apply WHERE batch_id = ?", (batch,))
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        finally:
            detach(conn)
        discard(staging)
        return True
    finally:
        ACTIVE.discard(batch)
