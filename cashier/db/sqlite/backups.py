"""Online backups of the station database and their restore (implements
``services.ports.backups.BackupStore``), and the SQLite work around them: can the live file be
read at all, a private scratch copy of a backup file (``storage.backup_storage`` opens the stores
on it to verify its journal or log an admin in against its users), and a backup brought up to
the journal's anchor before it replaces the live database.

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
from typing import TYPE_CHECKING

from peewee import SqliteDatabase

from cashier.core.errors import FileRefused
from cashier.core.journal import Entry, check_anchor_chain
from cashier.db.journal_anchor import JournalAnchor
from cashier.db.sqlite.connection import private_file
from cashier.db.sqlite.journal_replay import Prepared, prepare
from cashier.services.ports.credentials import SecretStore

if TYPE_CHECKING:
    from cashier.services.ports.storage import Storage

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
            private_file(partial)  # a backup holds what the database does: 0600, like it
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
def scratch_copy(path: Path, name: str = "candidate.sqlite3") -> Iterator[SqliteDatabase]:
    """A peewee database on a private copy of ``path`` (read-only source, backup API), removed
    afterwards: for checking a backup's journal or users without touching the file itself."""
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


def live_database_ok(db_path: Path) -> bool:
    """Can the database at ``db_path`` be read (quick_check, users table)? Checked on its own
    sqlite3 connection, read-only; a missing file (a new station) counts as readable."""
    if not db_path.is_file():
        return True
    try:
        con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10)
        try:
            if con.execute("PRAGMA quick_check(1)").fetchone()[0] != "ok":
                return False
            con.execute("SELECT count(*) FROM app_user").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return False
    return True


def prepare_restore(
    backup: Path,
    scratch: Path,
    replay: bool,
    *,
    anchor: JournalAnchor,
    secrets: SecretStore,
    live: Storage | None,
    live_db: Path,
) -> Prepared:
    """A copy of ``backup`` in ``scratch`` brought up to the journal's anchor (journal_replay).
    ``live`` is the live storage when the live database can be read (None: damaged), so that
    the anchor first holds everything it has. ValueError: the anchor is missing or altered,
    or the backup is not of this journal."""
    if live is not None:
        live.journal.sync_anchor(quiet=True)
        if not anchor.exists() and live.journal.journal_head(live.settings.ledger().station) is None:
            anchor.create()  # a new station (disaster recovery): nothing here to lose, the backup counts
    if not anchor.exists():
        raise ValueError(
            f"the journal anchor {anchor.path} is missing: what this backup lacks cannot be told; "
            "an admin runs `cashier anchor-rebuild` first (journalled)"
        )
    secret = secrets.secret(create=False)

    def checked() -> Iterator[Entry]:
        for e, problem in check_anchor_chain(secret, anchor.iter_entries()):
            if problem or e is None:  # (None comes only with a problem)
                raise ValueError(f"the journal anchor is altered ({problem}): it cannot be trusted")
            yield e

    return prepare(backup, scratch, checked(), secret, live_db=live_db if live is not None else None,
                   replay=replay)
