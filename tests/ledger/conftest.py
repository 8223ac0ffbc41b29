"""Fixtures for the ledger tests: a station on a temp database with fast argon2 parameters,
a fixed clock, users, an open shift, and customers/bills inserted with SQL."""

from __future__ import annotations

from datetime import datetime

import pytest
from station_helpers import PASSWORD, add_customer  # noqa: F401  (re-exported)

from cashier.app import Station
from cashier.core.clock import VN_TZ, FixedClock
from cashier.db.ledger_crypto import Argon2Hasher


@pytest.fixture
def clock():
    return FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=VN_TZ))


@pytest.fixture
def station(tmp_path, monkeypatch, clock):
    monkeypatch.delenv("CASHIER_KEYS", raising=False)
    st = Station(tmp_path / "cashier.sqlite3", clock=clock, hasher=Argon2Hasher.fast_for_tests())
    yield st
    st.close()


@pytest.fixture
def customers(db):
    """Customer A: three unpaid bills (Sep, Oct, Nov); B: one bill; C: disconnected, one bill."""
    add_customer(db, "PC12AA0000001", "Nguyễn Văn A", [
        ("HD-A-09", 1, 9, 2026, 250_000),
        ("HD-A-10", 1, 10, 2026, 300_000),
        ("HD-A-11", 1, 11, 2026, 123_456),
    ])
    add_customer(db, "PC12AA0000002", "Trần Thị B", [("HD-B-11", 1, 11, 2026, 456_789)])
    add_customer(db, "PC12AA0000003", "Phạm Văn C", [("HD-C-10", 1, 10, 2026, 200_000)],
                 disconnected=True)
    add_customer(db, "PC12AA0000004", "Võ Văn D", [("HD-D-10", 1, 10, 2026, 99_000, "paid_elsewhere"),
                                                    ("HD-D-11", 1, 11, 2026, 88_000)])
