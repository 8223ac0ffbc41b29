"""A collection that cannot get the write lock in time (another process holds it) is a clear
refusal in Vietnamese, not a peewee traceback, and records nothing (issue 11 §5)."""

from __future__ import annotations

import sqlite3

import pytest
from station_helpers import count

from cashier.core.storage_errors import StorageBusy

A = "PC12AA0000001"


def test_collect_while_the_database_is_locked(station, shift, cashier, customers, db):
    before = count(db, "payment")
    other = sqlite3.connect(db.database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    db.execute_sql("PRAGMA busy_timeout = 50")
    try:
        with pytest.raises(StorageBusy) as err:
            station.collect.collect(cashier, A, 700_000)
    finally:
        other.execute("ROLLBACK")
        db.execute_sql("PRAGMA busy_timeout = 10000")
    assert "đang bận" in err.value.text("vi") and "try again" in str(err.value)
    assert count(db, "payment") == before
    assert station.collect.collect(cashier, A, 700_000).total == 673_456
