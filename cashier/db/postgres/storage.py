"""A counter's storage on the collection point's PostgreSQL server.

``open_postgres_storage(url, station=..., secrets=...)`` connects (clear ``postgres.*`` errors),
checks the schema version (a counter never migrates: its role has no DDL right; ``cashier server
init`` does), and returns :class:`PostgresStorage`, the storage ports (services/ports/) of this
counter: ``users``, ``shifts``, ``payments``, ``payment_changes``, ``orders`` (one store object,
:class:`PostgresLedgerStore`, which also serves the services' current ``ledger_ports.LedgerStore``
methods), ``journal`` (every station's chain; appends with this counter's key), ``settings`` (the
collection point's, shared), ``export`` (one counter's batch or the whole collection point's)
and ``reports`` (one counter's day or the collection point's). The journal key stays on the counter PC (``secrets``), as on SQLite.
"""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass
from typing import Any

from peewee import PostgresqlDatabase

from cashier.core.errors import Conflict
from cashier.core.ledger import LedgerSettings
from cashier.db.postgres.basket_store import PgBasketMixin
from cashier.db.postgres.change_store import PgChangeMixin
from cashier.db.postgres.connection import open_database
from cashier.db.postgres.export_store import PgExportStore
from cashier.db.postgres.journal_store import PgJournalStore
from cashier.db.postgres.payment_store import PgPaymentMixin
from cashier.db.postgres.people_store import PgPeopleMixin
from cashier.db.postgres.pg_base import SecretStore
from cashier.db.postgres.presence import PgPresenceMixin
from cashier.db.postgres.report_store import PgReportStore
from cashier.db.postgres.roles import check_station
from cashier.db.postgres.schema import check_version, migrate

_SETTING_KEYS = ("ledger.reconnection_fee", "ledger.variance_limit", "ledger.max_change", "ledger.max_failed_logins",
                 "ledger.lockout_minutes", "ledger.min_password_length")


class PostgresLedgerStore(PgPaymentMixin, PgBasketMixin, PgChangeMixin, PgPeopleMixin, PgPresenceMixin):
    """Users, shifts, payments, baskets' payments, voids, reprints and orders on the server,
    writing as one station (its receipts, shifts, journal chain); which counter has a customer
    on screen (presence.py)."""

    def settings(self) -> LedgerSettings:
        """The collection point's ledger settings (read each time: a manager's change counts at
        once on every counter); the station is this counter's."""
        d = LedgerSettings()
        values = {}
        for key, raw in self._q("SELECT key, value FROM setting WHERE key = ANY(%s)", (list(_SETTING_KEYS),)):
            try:
                values[key] = json.loads(raw)
            except ValueError:
                values[key] = raw

        def num(key: str, default: int) -> int:
            try:
                return int(values[key]) if values.get(key) is not None else default
            except (TypeError, ValueError):
                return default

        return LedgerSettings(
            station=self.station,
            reconnection_fee=num("ledger.reconnection_fee", d.reconnection_fee),
            variance_limit=num("ledger.variance_limit", d.variance_limit),
            max_change=num("ledger.max_change", d.max_change),
            max_failed_logins=num("ledger.max_failed_logins", d.max_failed_logins),
            lockout_minutes=num("ledger.lockout_minutes", d.lockout_minutes),
            min_password_length=num("ledger.min_password_length", d.min_password_length),
        )


class PgSettingsStore:
    """The SettingsStore port: the server's settings, shared by every counter."""

    def __init__(self, ledger: PostgresLedgerStore) -> None:
        self._ledger = ledger

    def ledger(self) -> LedgerSettings:
        return self._ledger.settings()

    def get(self, key: str, default: Any = None) -> Any:
        return self._ledger.get_setting(key, default)

    def set(self, key: str, value: Any) -> None:
        self._ledger.set_setting(key, value)


@dataclass
class PostgresStorage:
    db: PostgresqlDatabase
    station: str
    ledger: PostgresLedgerStore
    journal: PgJournalStore
    settings: PgSettingsStore
    export: PgExportStore
    reports: PgReportStore

    @property
    def users(self) -> PostgresLedgerStore:
        return self.ledger

    @property
    def shifts(self) -> PostgresLedgerStore:
        return self.ledger

    @property
    def payments(self) -> PostgresLedgerStore:
        return self.ledger

    @property
    def payment_changes(self) -> PostgresLedgerStore:
        return self.ledger

    @property
    def orders(self) -> PostgresLedgerStore:
        return self.ledger

    def close(self) -> None:
        if not self.db.is_closed():
            self.db.close()


def session_name(station: str, pc: str) -> str:
    """The connection's ``application_name``: "cashier ST01@pc-name" (PostgreSQL keeps 63 bytes)."""
    return f"cashier {station}@{pc}"[:63]


def _like_prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def check_station_free(db: PostgresqlDatabase, station: str, pc: str) -> None:
    """Refuse a station code another PC is connected with right now (two PCs as one counter would
    share its receipt numbers and journal chain); the same PC may open several connections."""
    other = db.execute_sql(
        "SELECT application_name FROM pg_stat_activity WHERE datname = current_database() "
        "AND application_name LIKE %s AND application_name <> %s AND pid <> pg_backend_pid() LIMIT 1",
        (_like_prefix(session_name(station, "")), session_name(station, pc))).fetchone()
    if other is not None:
        raise Conflict("postgres.station_on_other_pc", station=station, pc=other[0].split("@", 1)[-1])


def open_postgres_storage(url: str, *, station: str, secrets: SecretStore, migrate_schema: bool = False,
                          pc: str | None = None) -> PostgresStorage:
    """This counter's storage on the server at ``url``, as PC ``pc`` (default: this computer's
    host name). ``migrate_schema``: bring the schema up to date first (a login allowed DDL:
    tests, the server itself); otherwise it is only checked."""
    code = check_station(station)
    pc = pc or socket.gethostname()
    db = open_database(url, application_name=session_name(code, pc))
    try:
        check_station_free(db, code, pc)
        if migrate_schema:
            migrate(db)
        else:
            check_version(db)
    except BaseException:
        db.close()
        raise
    ledger = PostgresLedgerStore(db, secrets, station=code)
    return PostgresStorage(db=db, station=code, ledger=ledger, journal=PgJournalStore(db, secrets, station=code),
                           settings=PgSettingsStore(ledger), export=PgExportStore(db),
                           reports=PgReportStore(db))
