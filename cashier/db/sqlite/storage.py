"""The SQLite storage of one station: :func:`open_sqlite_storage` opens (creating and migrating)
the database file and builds one store per aggregate on its one connection
(``services.ports.storage.Storage``)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from peewee import SqliteDatabase

from cashier.db.journal_anchor import JournalAnchor
from cashier.db.sqlite import schema
from cashier.db.sqlite.backups import SqliteBackups, scratch_copy
from cashier.db.sqlite.exports import SqliteExports
from cashier.db.sqlite.journal import SqliteJournal
from cashier.db.sqlite.orders import SqliteOrders
from cashier.db.sqlite.payment_changes import SqlitePaymentChanges
from cashier.db.sqlite.payments import SqlitePayments
from cashier.db.sqlite.reports import SqliteReports
from cashier.db.sqlite.settings import SqliteSettings
from cashier.db.sqlite.shifts import SqliteShifts
from cashier.db.sqlite.users import SqliteUsers
from cashier.services.ports.credentials import SecretStore


@dataclass
class SqliteStorage:
    """Every store of one SQLite station database (they share ``db``, its one connection, and
    ``journal``'s write transaction)."""

    db: SqliteDatabase
    path: Path
    users: SqliteUsers
    shifts: SqliteShifts
    payments: SqlitePayments
    payment_changes: SqlitePaymentChanges
    orders: SqliteOrders
    journal: SqliteJournal
    settings: SqliteSettings
    export: SqliteExports
    reports: SqliteReports
    backups: SqliteBackups

    def close(self) -> None:
        if not self.db.is_closed():
            self.db.close()


def sqlite_storage_on(
    db: SqliteDatabase, path: Path, secrets: SecretStore, *, anchor: JournalAnchor | None = None
) -> SqliteStorage:
    """The stores on an open database (``anchor`` None: a scratch copy, e.g. a backup being
    checked - its journal is never anchored)."""
    journal = SqliteJournal(db, secrets, anchor=anchor)
    return SqliteStorage(
        db=db,
        path=path,
        users=SqliteUsers(journal),
        shifts=SqliteShifts(journal),
        payments=SqlitePayments(journal),
        payment_changes=SqlitePaymentChanges(journal),
        orders=SqliteOrders(journal),
        journal=journal,
        settings=SqliteSettings(db),
        export=SqliteExports(db),
        reports=SqliteReports(db),
        backups=SqliteBackups(path, schema_version=schema.SCHEMA_VERSION),
    )


def open_sqlite_storage(
    path: str | Path,
    *,
    secrets: SecretStore,
    anchor: JournalAnchor | None = None,
    backup_dir: Path | None = None,
) -> SqliteStorage:
    """Open the station database at ``path`` (created and migrated as needed; an existing file
    is backed up before a migration) with its journal ``anchor``; an anchor left behind by a
    crash after a commit is healed."""
    path = Path(path)
    storage = sqlite_storage_on(schema.open_station_database(path, backup_dir=backup_dir), path, secrets, anchor=anchor)
    if anchor is not None and anchor.exists():
        storage.journal.sync_anchor(quiet=True)
    return storage


@contextlib.contextmanager
def backup_storage(backup: Path, secrets: SecretStore, name: str = "candidate.sqlite3") -> Iterator[SqliteStorage]:
    """The storage of ``backup`` on a private scratch copy (removed afterwards; the file itself
    is never written), without the live station's journal anchor."""
    with scratch_copy(backup, name) as cand:
        yield sqlite_storage_on(cand, Path(backup), secrets)
