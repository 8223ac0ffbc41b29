"""Opening the station's SQLite database (the schema is brought up to date by
:func:`cashier.db.sqlite.schema.open_station_database`, which calls :func:`open_database`).

Durability settings are the measured ones (DESIGN.md §4): WAL + synchronous=FULL lost no
acknowledged payment in 40 simulated power cuts; NORMAL lost 1,163. Bulk import may relax
``synchronous`` inside its own transaction only (see :func:`bulk_settings`).
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from peewee import DatabaseProxy, SqliteDatabase

log = logging.getLogger(__name__)

#: Every model binds to this proxy; :func:`open_database` points it at the real database.
database = DatabaseProxy()

PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": 2,  # FULL
    "foreign_keys": 1,
    "busy_timeout": 10_000,
    "cache_size": -32_000,  # 32 MB
    "temp_store": 2,  # memory
}


def sqlite_version() -> tuple[int, int, int]:
    return tuple(int(x) for x in sqlite3.sqlite_version.split(".")[:3])  # type: ignore[return-value]


def open_database(path: str | Path) -> SqliteDatabase:
    """Open (creating if needed) the SQLite database at ``path`` with the durability settings
    and bind the models to it (no schema change: see ``schema.open_station_database``)."""
    path = Path(path)
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
        private_file(path)
    db = SqliteDatabase(str(path), pragmas=PRAGMAS, check_same_thread=False, autoconnect=True)
    db.connect(reuse_if_open=True)
    database.initialize(db)
    return db


#: the database and its -wal/-shm/-journal: readable by the station's own account only
DB_FILE_MODE = 0o600


def private_file(path: Path) -> None:
    """Create the database file 0600 before SQLite opens it (SQLite gives the -wal, -shm and
    -journal files the database file's mode), and take group/other access away from an older
    database (and its companions) created 0644."""
    import os

    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, DB_FILE_MODE)
    except FileExistsError:
        pass
    else:
        os.close(fd)
    for suffix in ("", "-wal", "-shm", "-journal"):
        f = path.with_name(path.name + suffix)
        try:
            mode = f.stat().st_mode & 0o777
            if mode & 0o077:
                os.chmod(f, mode & 0o700)
        except FileNotFoundError:
            continue
        except OSError as exc:  # not ours (read-only medium...): SQLite reports what matters
            log.debug("cannot tighten the mode of %s: %s", f, exc)


@contextlib.contextmanager
def bulk_settings(db: SqliteDatabase) -> Iterator[None]:
    """Faster settings for one bulk transaction (import); restores FULL afterwards.

    With WAL, synchronous=NORMAL keeps the database consistent after a power cut (the whole
    import is one transaction: it is either there or not); payments never run under it.
    """
    db.execute_sql("PRAGMA synchronous=NORMAL")
    try:
        yield
    finally:
        db.execute_sql("PRAGMA synchronous=FULL")


def close_database() -> None:
    obj = database.obj
    if obj is not None and not obj.is_closed():
        obj.close()
