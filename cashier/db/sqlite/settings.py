"""The ``setting`` table (one JSON value per key) on the station's SQLite database (implements
``services.ports.settings.SettingsStore``), with the ledger's settings read from it."""

from __future__ import annotations

import json
from typing import Any

from peewee import Database

from cashier.core.ledger import LedgerSettings

_LEDGER_KEYS = (
    "ledger.station", "station.code", "ledger.reconnection_fee", "ledger.variance_limit",
    "ledger.max_change", "ledger.max_failed_logins", "ledger.lockout_minutes",
    "ledger.min_password_length",
)  # fmt: skip


def _decode(raw: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw


class SqliteSettings:
    """Station settings (printer, company, demo accounts, the ledger's figures) by key."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def ledger(self) -> LedgerSettings:
        """The ledger's settings (one query; read each time so a change made elsewhere counts)."""
        d = LedgerSettings()
        marks = ",".join("?" * len(_LEDGER_KEYS))
        values = {
            key: _decode(raw)
            for key, raw in self.db.execute_sql(
                f'SELECT key, value FROM "setting" WHERE key IN ({marks})', _LEDGER_KEYS
            ).fetchall()
        }

        def num(key: str, default: int) -> int:
            try:
                return int(values.get(key, default))
            except (TypeError, ValueError):
                return default

        station = values.get("ledger.station") or values.get("station.code") or d.station
        return LedgerSettings(
            station=str(station),
            reconnection_fee=num("ledger.reconnection_fee", d.reconnection_fee),
            variance_limit=num("ledger.variance_limit", d.variance_limit),
            max_change=num("ledger.max_change", d.max_change),
            max_failed_logins=num("ledger.max_failed_logins", d.max_failed_logins),
            lockout_minutes=num("ledger.lockout_minutes", d.lockout_minutes),
            min_password_length=num("ledger.min_password_length", d.min_password_length),
        )

    def get(self, key: str, default: Any = None) -> Any:
        row = self.db.execute_sql('SELECT value FROM "setting" WHERE key = ?', (key,)).fetchone()
        return default if row is None else _decode(row[0])

    def set(self, key: str, value: Any) -> None:
        with self.db.atomic("IMMEDIATE"):
            self.db.execute_sql(
                'INSERT INTO "setting"(key, value) VALUES (?, ?) '
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value, ensure_ascii=False)),
            )
