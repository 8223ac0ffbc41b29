"""Composition root: the only place (with cashier/cli) that wires db, devices and export into the
services. ``Station`` builds each service on first use, bound to one database file.
"""

from __future__ import annotations

import logging
from functools import cached_property
from pathlib import Path

from cashier import paths

log = logging.getLogger(__name__)


class Station:
    """Everything one station needs, built lazily from a database path."""

    def __init__(self, db_path: str | Path | None = None, *, printer_url: str | None = None) -> None:
        self.db_path = Path(db_path) if db_path else paths.default_db_path()
        self.printer_url_override = printer_url

    @cached_property
    def db(self):
        from cashier.db.connection import open_database

        return open_database(self.db_path)

    @property
    def keys_dir(self) -> Path:
        return paths.keys_dir(self.db_path)

    @property
    def reports_dir(self) -> Path:
        return paths.reports_dir(self.db_path)

    # -- debt cache (issue: local debt cache) ---------------------------------------------
    # Services are added below as cached properties, one per use case, each wiring its
    # concrete store/device/exporter implementation.

    # -- ledger (issue 3: payments, receipts, journal, users, shifts) -------------------------
    @cached_property
    def journal_secrets(self):
        from cashier.db.ledger_crypto import FileSecretStore

        return FileSecretStore(self.keys_dir)

    @cached_property
    def ledger_store(self):
        from cashier.db.ledger_store import SqliteLedgerStore

        return SqliteLedgerStore(self.db, self.journal_secrets)

    @cached_property
    def password_hasher(self):
        from cashier.db.ledger_crypto import Argon2Hasher

        return Argon2Hasher()

    def _ledger_clock(self):
        from cashier.core.clock import SystemClock

        return getattr(self, "clock", None) or SystemClock()

    @cached_property
    def users(self):
        from cashier.services.users import UsersService

        return UsersService(self.ledger_store, self.password_hasher, self._ledger_clock())

    @cached_property
    def shifts(self):
        from cashier.services.shifts import ShiftService

        return ShiftService(self.ledger_store, self.users, self._ledger_clock())

    @cached_property
    def collect(self):
        from cashier.services.collect import CollectService

        return CollectService(self.ledger_store, self.users, self.shifts, self._ledger_clock())

    @cached_property
    def journal(self):
        from cashier.services.journal_service import JournalService

        return JournalService(self.ledger_store, self.journal_secrets, self._ledger_clock())

    def close(self) -> None:
        from cashier.db.connection import close_database

        if "db" in self.__dict__:
            close_database()
            del self.__dict__["db"]


def main(argv: list[str] | None = None) -> int:
    """Start the counter app (GUI)."""
    from cashier.ui.main import run_gui  # noqa: PLC0415 (Qt only loads for the GUI)

    return run_gui(argv)
