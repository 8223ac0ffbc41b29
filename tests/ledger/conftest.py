"""Fixtures for the ledger tests: a station on a temp database with fast argon2 parameters,
a fixed clock, users, an open shift, and customers/bills inserted with SQL."""

from __future__ import annotations

from datetime import datetime

import pytest

from cashier.app import Station
from cashier.core.clock import VN_TZ, FixedClock
from cashier.db.ledger_crypto import Argon2Hasher

PASSWORD = "secret-pw"


def add_customer(db, code, name="Nguyễn Văn A", bills=(), *, address="12 Lê Lợi", book="SO01",
                 disconnected=False, phone="0905000000"):
    """bills: iterable of (bill_id, ky, thang, nam, total[, status])."""
    cur = db.execute_sql(
        "INSERT INTO customer(code, unit_code, name, address, phone, book, book_pos, disconnected, "
        "search_text) VALUES (?,?,?,?,?,?,?,?,?)",
        (code, code[:6], name, address, phone, book, "1", int(disconnected), name.lower()),
    )
    cid = cur.lastrowid
    for b in bills:
        bill_id, ky, thang, nam, total = b[:5]
        status = b[5] if len(b) > 5 else "unpaid"
        vat = total * 8 // 108
        db.execute_sql(
            "INSERT INTO bill(customer_id, customer_code, bill_id, ky, thang, nam, kwh, amount, vat, "
            "total, series, number, reading_start, reading_end, tiers, status, double_collection) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0)",
            (cid, code, bill_id, ky, thang, nam, 100, total - vat, vat, total, "1K26TAA", bill_id,
             1000, 1100, "[[50, 1984, 99200], [50, 2050, 102500]]", status),
        )
    return cid


def bill_status(db, bill_id):
    return db.execute_sql("SELECT status FROM bill WHERE bill_id = ?", (bill_id,)).fetchone()[0]


def count(db, table, where="1=1", params=()):
    return db.execute_sql(f"SELECT count(*) FROM {table} WHERE {where}", params).fetchone()[0]


@pytest.fixture
def clock():
    return FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=VN_TZ))


@pytest.fixture
def station(tmp_path, monkeypatch, clock):
    monkeypatch.delenv("CASHIER_KEYS", raising=False)
    st = Station(tmp_path / "cashier.sqlite3")
    st.__dict__["password_hasher"] = Argon2Hasher.fast_for_tests()
    st.clock = clock
    yield st
    st.close()


@pytest.fixture
def db(station):
    return station.db


@pytest.fixture
def admin(station):
    station.users.add_user("admin", PASSWORD, "admin", full_name="Quản Trị")
    return station.users.login("admin", PASSWORD)


@pytest.fixture
def manager(station, admin):
    station.users.add_user("manager", PASSWORD, "manager", full_name="Trần Quản Lý", cashier_code="QL01",
                           actor=admin)
    return station.users.login("manager", PASSWORD)


@pytest.fixture
def cashier(station, admin):
    station.users.add_user("thu1", PASSWORD, "cashier", full_name="Lê Thị Thu", cashier_code="TN01",
                           actor=admin)
    return station.users.login("thu1", PASSWORD)


@pytest.fixture
def shift(station, cashier):
    return station.shifts.open_shift(cashier, 1_000_000)


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
