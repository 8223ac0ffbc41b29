"""Port of the station's settings: one JSON value per key (printer, company, demo accounts) and
the ledger's figures read from them (``ledger.*``, ``station.code``)."""

from __future__ import annotations

from typing import Any, Protocol

from cashier.core.ledger import LedgerSettings


class SettingsStore(Protocol):
    """The settings of the station the storage was opened for."""

    def ledger(self) -> LedgerSettings:
        """The ledger's settings with the defaults applied, read each time (a change made
        elsewhere counts)."""
        ...

    def get(self, key: str, default: Any = None) -> Any:
        """The stored value (JSON-decoded; a value that is not JSON as its text), or ``default``."""
        ...

    def set(self, key: str, value: Any) -> None:
        """Store one JSON-serialisable value (its own transaction)."""
        ...
