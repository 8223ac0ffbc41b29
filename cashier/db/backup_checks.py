"""SQLite work a backup and a restore need around the live database: can the live file be read
at all, the ledger of a backup file (on a scratch copy) to verify its journal or log an admin in
against its users, and a backup brought up to the journal's anchor before it replaces the live
database."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from cashier.core.journal import Entry, check_anchor_chain
from cashier.db.backup_store import scratch_copy
from cashier.db.journal_anchor import JournalAnchor
from cashier.db.journal_replay import Prepared, prepare
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


def prepare_restore(
    backup: Path,
    scratch: Path,
    replay: bool,
    *,
    anchor: JournalAnchor,
    secrets: SecretStore,
    live_store: SqliteLedgerStore | None,
    live_db: Path,
) -> Prepared:
    """A copy of ``backup`` in ``scratch`` brought up to the journal's anchor (journal_replay).
    ``live_store`` is the live ledger when the live database can be read (None: damaged), so
    that the anchor first holds everything it has. ValueError: the anchor is missing or altered,
    or the backup is not of this journal."""
    if live_store is not None:
        live_store.sync_anchor(quiet=True)
        if not anchor.exists() and live_store.journal_head() is None:
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

    return prepare(backup, scratch, checked(), secret, live_db=live_db if live_store is not None else None,
                   replay=replay)
