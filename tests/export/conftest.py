"""Fixtures for the end-of-day tests: a station on a temp database (fast argon2), a fixed clock,
a cashier with an open shift and customers with bills, and helpers to collect payments."""

from __future__ import annotations

from datetime import datetime

import pytest
from station_helpers import PASSWORD, add_customer  # noqa: F401  (PASSWORD re-exported)

from cashier.app import Station
from cashier.core.clock import VN_TZ, FixedClock
from cashier.db.ledger_crypto import Argon2Hasher


def make_customers(db, n, *, start=1, bills_each=1):
    """n customers PC12AA000xxxx, each with ``bills_each`` bills (oldest first)."""
    codes = []
    with db.atomic():
        for i in range(start, start + n):
            code = f"PC12AA{i:07d}"
            bills = [(f"HD{i:07d}-{k}", 1, 9 + k, 2026, 100_000 + 1_000 * i + 17 * k) for k in range(bills_each)]
            add_customer(db, code, f"Khách hàng {i}", bills, book=f"SO{i % 3:02d}", phone=f"09050{i:05d}")
            codes.append(code)
    return codes


@pytest.fixture
def clock():
    return FixedClock(datetime(2026, 11, 23, 8, 0, tzinfo=VN_TZ))


@pytest.fixture
def station(tmp_path, monkeypatch, clock):
    monkeypatch.delenv("CASHIER_KEYS", raising=False)
    st = Station(tmp_path / "db" / "cashier.sqlite3", clock=clock, hasher=Argon2Hasher.fast_for_tests())
    yield st
    st.close()


def collect_all(station, user, codes, clock, *, method="cash", step_minutes=7):
    """One payment per customer (every unpaid bill), the clock moving between them."""
    out = []
    for code in codes:
        plan = station.collect.preview(code)
        kwargs = {"method": method}
        if method == "transfer":
            kwargs["bank_ref"] = f"FT{code[-6:]}"
        out.append(station.collect.collect(user, code, plan.total, **kwargs))
        clock.advance(minutes=step_minutes)
    return out
