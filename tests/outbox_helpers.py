"""An offline counter for the outbox tests: a station on its own SQLite file (its station code
set), holding the same customers and bills as pg_helpers.add_customers puts on the server."""

from __future__ import annotations

from datetime import datetime

from station_helpers import PASSWORD, add_customer

from cashier.app import Station
from cashier.core.clock import VN_TZ, FixedClock
from cashier.db.ledger_crypto import Argon2Hasher
from cashier.db.sqlite.outbox import SqliteOutbox


def customer_code(i: int) -> str:  # the same codes and bills as tests/postgres/pg_helpers.py
    return f"PC12BB{i:07d}"


def add_local_customers(db, n: int, *, bills_each: int = 2, start: int = 1) -> None:
    with db.atomic():
        for i in range(start, start + n):
            add_customer(db, customer_code(i), f"Nguyễn Văn {i}",
                         [(f"HD{i:07d}{k}", 1, k, 2026, 100_000 + i * 10 + k) for k in range(1, bills_each + 1)])


def offline_station(path, station: str, username: str, customers: int):
    """(station, cashier user, outbox) with ``customers`` customers and an open shift."""
    st = Station(path, clock=FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=VN_TZ)),
                 hasher=Argon2Hasher.fast_for_tests())
    st.storage.settings.set("ledger.station", station)
    add_local_customers(st.db, customers)
    st.users.add_user("admin", PASSWORD, "admin", full_name="Quản Trị")
    admin = st.users.login("admin", PASSWORD)
    st.users.add_user(username, PASSWORD, "cashier", full_name=f"Thu ngân {username}",
                      cashier_code=username.upper(), actor=admin)
    user = st.users.login(username, PASSWORD)
    st.shifts.open_shift(user, 500_000)
    return st, user, SqliteOutbox(st.storage.journal)
