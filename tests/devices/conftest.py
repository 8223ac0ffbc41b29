from __future__ import annotations

from datetime import datetime

import pytest

from cashier.core.clock import VN_TZ


@pytest.fixture
def now() -> datetime:
    return datetime(2026, 11, 23, 14, 5, 9, tzinfo=VN_TZ)


@pytest.fixture
def station(tmp_path, monkeypatch):
    """A real station (ledger + settings) on a temp database, with one cashier, an open shift and
    a customer with two unpaid bills."""
    from cashier.app import Station
    from cashier.core.clock import FixedClock
    from cashier.db.ledger_crypto import Argon2Hasher

    monkeypatch.delenv("CASHIER_KEYS", raising=False)
    st = Station(
        tmp_path / "cashier.sqlite3",
        clock=FixedClock(datetime(2026, 11, 23, 9, 30, tzinfo=VN_TZ)),
        hasher=Argon2Hasher.fast_for_tests(),
    )
    db = st.db
    cur = db.execute_sql(
        "INSERT INTO customer(code, unit_code, name, address, phone, book, book_pos, disconnected, "
        "search_text) VALUES (?,?,?,?,?,?,?,?,?)",
        ("PC12AA0012345", "PC12AA", "Nguyễn Văn Đạt", "123 Lê Duẩn, Buôn Ma Thuột", "0905123456",
         "AA01", "42", 0, "nguyen van dat"),
    )
    for bill_id, thang, total in (("HD-10", 10, 595_966), ("HD-11", 11, 638_601)):
        vat = total * 8 // 108
        db.execute_sql(
            "INSERT INTO bill(customer_id, customer_code, bill_id, ky, thang, nam, kwh, amount, vat, "
            "total, series, number, reading_start, reading_end, tiers, status, double_collection) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0)",
            (cur.lastrowid, "PC12AA0012345", bill_id, 1, thang, 2026, 237, total - vat, vat, total,
             "1K26TAA", bill_id, 12034, 12271, "[[50, 1984, 99200], [50, 2050, 102500]]", "unpaid"),
        )
    st.users.add_user("admin", "secret-pw", "admin", full_name="Quản Trị")
    admin = st.users.login("admin", "secret-pw")
    st.users.add_user("thu1", "secret-pw", "cashier", full_name="Trần Thị Thủy", cashier_code="TN012", actor=admin)
    st.test_cashier = st.users.login("thu1", "secret-pw")
    st.test_admin = admin
    st.shifts.open_shift(st.test_cashier, 1_000_000)
    yield st
    st.close()
