"""Station settings: one JSON value per key (printer, company, demo accounts) and the ledger's
figures a manager sets in F10 (station code, reconnection fee, variance limit).

Storage behind the :class:`~cashier.services.ports.settings.SettingsStore` port; the ledger's
figures are read back through the store (defaults applied there), so what the counter collects
with is what this service shows.
"""

from __future__ import annotations

from typing import Any

from cashier.core.ledger import LedgerSettings, Permission, User
from cashier.services.guard import Guard, trusting_guard
from cashier.services.ports.settings import SettingsStore


class SettingsService:
    def __init__(self, store: SettingsStore, *, guard: Guard | None = None) -> None:
        self.store = store
        #: the permission check (the station wires UsersService.require; see services/guard.py)
        self.guard = guard or trusting_guard

    def get(self, key: str, default: Any = None) -> Any:
        return self.store.get(key, default)

    def set(self, key: str, value: Any, *, actor: User | None) -> None:
        """Save one value (needs the settings permission)."""
        self.guard(actor, Permission.SETTINGS)
        self.store.set(key, value)

    def ledger(self) -> LedgerSettings:
        """The ledger's settings as the services apply them (read each time)."""
        return self.store.ledger()

    def save_ledger(
        self, *, actor: User | None, station: str = "", reconnection_fee: int, variance_limit: int
    ) -> LedgerSettings:
        """Change the station code (kept when empty), the reconnection fee and the shift-close
        variance limit (needs the settings permission)."""
        self.guard(actor, Permission.SETTINGS)
        if station:
            self.store.set("station.code", station)
        self.store.set("ledger.reconnection_fee", int(reconnection_fee))
        self.store.set("ledger.variance_limit", int(variance_limit))
        return self.ledger()
