"""Online backups of the station database and their restore (implements
``services.export_ports.BackupStore``).

Never a file copy of a live database (DESIGN.md §4: 42 of 60 copies were corrupt): a backup is
made with SQLite's online backup API from a separate connection, so payments committed by the
counter while it runs are either in the backup or not, never half. A restore first checks the
candidate (``PRAGMA integrity_check``, that it is a station database of a known schema); the
service checks its journal; only then the live database is saved aside (backup API again) and
overwritten page by page with the backup API inside SQLite's own locking - the WAL of the live
database is handled by SQLite, no file is renamed under an open connection.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

from cashier.core.errors import FileRefused

#: Tables every station database has (a file without them is "foreign").
REQUIRED_TABLES = ("customer", "bill", "payment", "payment_line", "journal_entry", "journal_head")


def _remove_with_sidecars(path: Path) -> None:
    """A half-written copy and SQLite's files beside it (its rollback journal stays behind when
    the disk fills up half-way: ``*.partial-journal``)."""
    for p in (path, *(path.with_name(path.name + s) for s in ("-journal", "-wal", "-shm"))):
        with contextlib.suppress(OSError):
            p.unlink()


def _connect_ro(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)


class SqliteBackups:
    def __init__(self, db_path: Path, *, schema_version: int | None = None) -> None:
        self.db_path = Path(db_path)
        self.schema_version = schema_version

    def backup_to(self, target: Path) -> None:
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        _remove_with_sidecars(partial)
        try:
            src = sqlite3.connect(str(self.db_path), timeout=30)
            try:
                dst = sqlite3.connect(str(partial))
                try:
                    # 256 pages per step: the counter's writers get the lock between steps
                    src.backup(dst, pages=256)
                    dst.execute("PRAGMA journal_mode=DELETE")
                finally:
                    dst.close()
            finally:
                src.close()
            fd = os.open(partial, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(partial, target)
        except (sqlite3.Error, OSError) as exc:
            _remove_with_sidecars(partial)
            raise FileRefused("backup.failed", file=str(target), detail=str(exc)) from None

    def check_file(self, path: Path) -> list[str]:
        path = Path(path)
        if not path.is_file():
            return [f"{path} is not a file"]
        with open(path, "rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                return [f"{path.name} is not an SQLite database"]
        try:
            con = _connect_ro(path)
        except sqlite3.Error as exc:
            return [f"cannot open {path.name}: {exc}"]
        try:
            try:
                rows = [r[0] for r in con.execute("PRAGMA integrity_check").fetchall()]
            except sqlite3.DatabaseError as exc:
                return [f"integrity_check failed: {exc}"]
            if rows != ["ok"]:
                return [f"integrity_check: {r}" for r in rows[:10]]
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            missing = [t for t in REQUIRED_TABLES if t not in tables]
            if missing:
                return [f"not a cashier station database (no table {', '.join(missing)})"]
            version = con.execute("PRAGMA user_version").fetchone()[0]
            if self.schema_version is not None and version != self.schema_version:
                return [f"schema version {version}, this program uses {self.schema_version}"]
        finally:
            con.close()
        return []

    def restore_from(self, source: Path, keep_aside: Path) -> None:
        """Save the live database to ``keep_aside``, then overwrite it with ``source``. A live
        database the backup API cannot read (damaged) is moved aside as it is (its -wal too)
        and the backup written to a new file."""
        try:
            self.backup_to(keep_aside)
        except FileRefused:
            if not self.db_path.exists() or not self.check_file(self.db_path):
                raise  # readable, yet the copy failed (disk full...): change nothing
            keep_aside.parent.mkdir(parents=True, exist_ok=True)
            for suffix in ("", "-wal", "-shm"):
                live = Path(str(self.db_path) + suffix)
                if live.exists():
                    os.replace(live, Path(str(keep_aside) + suffix))
        src = _connect_ro(Path(source))
        try:
            dst = sqlite3.connect(str(self.db_path), timeout=30)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=WAL")
                dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                dst.close()
        finally:
            src.close()


@contextlib.contextmanager
def scratch_copy(path: Path, name: str = "candidate.sqlite3") -> Iterator:
    """A peewee database on a private copy of ``path`` (read-only source, backup API), removed
    afterwards: for checking a backup's journal or users without touching the file itself."""
    from peewee import SqliteDatabase

    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp) / name
        src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        dst = sqlite3.connect(str(scratch))
        try:
            src.backup(dst)
        finally:
            src.close()
            dst.close()
        cand = SqliteDatabase(str(scratch))
        try:
            yield cand
        finally:
            cand.close()
