"""Turning SQLite's "database is locked" / "disk is full" into domain errors at the adapter
boundary (``cashier.core.storage_errors``), so no caller ever shows a driver traceback."""

from __future__ import annotations

import sqlite3

from cashier.core.errors import DomainError
from cashier.core.messages import Message
from cashier.core.storage_errors import busy, full

_BUSY = ("database is locked", "database is busy", "database table is locked")
_FULL = ("database or disk is full", "disk i/o error")


def is_busy(exc: BaseException) -> bool:
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError | _peewee_operational()) and any(b in text for b in _BUSY)


def is_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and getattr(exc, "errno", None) == 28:  # ENOSPC
        return True
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError | _peewee_operational()) and any(f in text for f in _FULL)


def translate(exc: BaseException, what: Message) -> DomainError | None:
    """The domain error for a locked/full database error, else None."""
    if is_busy(exc):
        return busy(what)
    if is_full(exc):
        return full(what)
    return None


def _peewee_operational() -> type:
    try:
        from peewee import OperationalError
    except ImportError:  # pragma: no cover - peewee is a dependency
        return sqlite3.OperationalError
    return OperationalError
