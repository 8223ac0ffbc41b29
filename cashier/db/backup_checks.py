"""SQLite checks a backup and a restore need before anything opens the live database: can the
live file be read at all, and the ledger of a backup file (on a scratch copy) to verify its
journal or log an admin in against its users."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from cashier.db.backup_store import scratch_copy
from cashier.db.ledger_store import SqliteLedgerStore
from cashier.services.ledger_ports import SecretStore


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


@contextlib.contextmanager
def backup_ledger(
    backup: Path, secrets: SecretStore, name: str = "candidate.sqlite3"
) -> Iterator[SqliteLedgerStore]:
    """The ledger of ``backup`` on a private scratch copy (removed afterwards; the file itself is
    never written), without the live station's journal anchor."""
    with scratch_copy(backup, name) as cand:
        yield SqliteLedgerStore(cand, secrets)
