"""The ``setting`` table (one JSON value per key) as the services' SettingsStore port
(services/settings.py), with the ledger's settings as the ledger store reads them."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from peewee import SqliteDatabase

from cashier.core.ledger import LedgerSettings


class SqliteSettingsStore:
    """Station settings (printer, company, demo accounts, the ledger's figures) by key."""

    def __init__(self, db: SqliteDatabase, ledger: Callable[[], LedgerSettings]) -> None:
        self.db = db
        self._ledger = ledger

    def ledger(self) -> LedgerSettings:
        """The ledger's settings (defaults and the station override applied by the ledger store)."""
        return self._ledger()

    def get(self, key: str, default: Any = None) -> Any:
        row = self.db.execute_sql('SELECT value FROM "setting" WHERE key = ?', (key,)).fetchone()
        if row is None:
            return default
        try:
            return json.loads(row[0])
        except ValueError:
            return row[0]

    def set(self, key: str, value: Any) -> None:
        with self.db.atomic("IMMEDIATE"):
            self.db.execute_sql(
                'INSERT INTO "setting"(key, value) VALUES (?, ?) '
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value, ensure_ascii=False)),
            )
