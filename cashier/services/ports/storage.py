"""The storage bundle a backend hands to the composition root (``cashier.app.Station``): one
store per aggregate. ``cashier.db.sqlite.storage.open_sqlite_storage`` builds the SQLite one;
tests/storage/backends.py lists every backend the conformance suite runs against."""

from __future__ import annotations

from typing import Protocol

from cashier.services.ports.export import ExportStore
from cashier.services.ports.journal import JournalStore
from cashier.services.ports.orders import OrderStore
from cashier.services.ports.payment_changes import PaymentChangeStore
from cashier.services.ports.payments import PaymentStore
from cashier.services.ports.reports import ReportStore
from cashier.services.ports.settings import SettingsStore
from cashier.services.ports.shifts import ShiftStore
from cashier.services.ports.users import UserStore


class Storage(Protocol):
    """One station's storage. The stores share one database connection (pool) and may be
    used from the threads the station runs its services on; :meth:`close` ends it."""

    @property
    def users(self) -> UserStore: ...

    @property
    def shifts(self) -> ShiftStore: ...

    @property
    def payments(self) -> PaymentStore: ...

    @property
    def payment_changes(self) -> PaymentChangeStore: ...

    @property
    def orders(self) -> OrderStore: ...

    @property
    def journal(self) -> JournalStore: ...

    @property
    def settings(self) -> SettingsStore: ...

    @property
    def export(self) -> ExportStore: ...

    @property
    def reports(self) -> ReportStore: ...

    def close(self) -> None: ...
