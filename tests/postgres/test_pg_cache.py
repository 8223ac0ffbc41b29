"""The debt cache on the server (cashier/db/postgres/cache_*.py) through the station's
CacheService: a first import with COPY, lookup by customer and card code, search over the folded
text, and a refresh with SQLite's rules (paid elsewhere, collected kept, double collection), while
another counter collects during the import."""

from __future__ import annotations

import pytest

from cashier.app import Station
from cashier.cli.server_commands import init_server
from cashier.core.demo_data import DEMO_FIELDS, generate_rows
from cashier.core.vntext import fold
from cashier.db.ledger_crypto import Argon2Hasher

HEADER = [*DEMO_FIELDS, "DA_THANH_TOAN"]
COL = {name: i for i, name in enumerate(HEADER)}


@pytest.fixture
def stations(pg_url, tmp_path, monkeypatch):
    for var in ("CASHIER_KEYS", "CASHIER_DB", "CASHIER_STATION"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("CASHIER_HOME", str(tmp_path))
    init_server(pg_url, [])
    made = []

    def make(code):
        st = Station(pg_url, station=code, hasher=Argon2Hasher.fast_for_tests())
        made.append(st)
        return st

    yield make
    for st in made:
        st.close()


def _rows(n=60):
    return [list(r) for r in generate_rows(n, 3, with_settled_column=True)]


def _due(station, code):
    return sum(b.total for b in station.cache.lookup(code).bills if b.status.value == "unpaid")


def _cashier(station, name):
    users = station.users
    if not users.has_users():
        users.add_user("admin", "admin-pw-1", "admin")
    admin = users.login("admin", "admin-pw-1")
    users.add_user(name, "cashier-pw-1", "cashier", cashier_code=name.upper(), actor=admin)
    user = users.login(name, "cashier-pw-1")
    station.shifts.open_shift(user, 0)
    return user


def test_first_import_lookup_card_and_search(stations):
    st = stations("ST01")
    rows = _rows()
    s = st.cache.import_rows([HEADER, *rows], name="morning")
    codes = {r[COL["MA_KHANG"]] for r in rows}
    assert s.customers == len(codes) and s.bills == len(rows) and s.new_bills == len(rows)
    first = rows[0]
    found = st.cache.lookup(first[COL["MA_KHANG"]])
    assert found.customer.name == first[COL["TEN_KHANG"]]
    assert [b.bill_id for b in found.bills if b.bill_id == str(first[COL["ID_HDON"]])]
    card = next(r for r in rows if r[COL["MA_THE"]])
    assert st.cache.lookup(card[COL["MA_THE"]]).customer.code == card[COL["MA_KHANG"]]
    name = fold(first[COL["TEN_KHANG"]])
    hits = st.cache.search(name)
    assert hits[0].code == first[COL["MA_KHANG"]] or fold(hits[0].name) == name
    # a word prefix, any order, a code prefix
    words = name.split()
    assert any(h.code == first[COL["MA_KHANG"]] for h in st.cache.search(f"{words[-1][:3]} {words[0]}", 500))
    assert {h.code for h in st.cache.search(first[COL["MA_KHANG"]][:11])} >= {first[COL["MA_KHANG"]]}
    assert st.cache.search("zzqqxx") == []


def test_refresh_keeps_collected_bills_flags_double_collection_and_marks_missing_paid_elsewhere(stations):
    st1, st2 = stations("ST01"), stations("ST02")
    rows = _rows()
    st1.cache.import_rows([HEADER, *rows], name="day1")
    codes = sorted({r[COL["MA_KHANG"]] for r in rows})
    a, b, c, d = codes[:4]  # a: collected, then settled elsewhere in the file; b: missing; c: changed
    u1 = _cashier(st1, "thu1")
    u2 = _cashier(st2, "thu2")
    paid = st1.collect.collect(u1, a, _due(st1, a))
    again = []
    for r in rows:
        r = list(r)
        if r[COL["MA_KHANG"]] == b:
            continue
        if r[COL["MA_KHANG"]] == a:
            r[COL["DA_THANH_TOAN"]] = "1"
        if r[COL["MA_KHANG"]] == c:
            r[COL["TONG_TIEN"]] += 1000
            r[COL["SO_TIEN"]] += 1000
        again.append(r)
    collected_during = []

    def progress(done, total, phase):
        # another counter collects while the extract is being staged: nothing waits for the import
        if phase == "read" and not collected_during:
            collected_during.append(st2.collect.collect(u2, d, _due(st2, d)))

    manager = st1.users.login("admin", "admin-pw-1")
    s = st1.cache.import_rows([HEADER, *again], name="day2", accept_missing=True, progress=progress, actor=manager)
    b_bills = sum(1 for r in rows if r[COL["MA_KHANG"]] == b)
    a_bills = sum(1 for r in rows if r[COL["MA_KHANG"]] == a)
    assert s.paid_elsewhere == b_bills and s.conflicts == a_bills
    assert collected_during
    found_a = st2.cache.lookup(a)
    assert {x.status.value for x in found_a.bills} == {"collected"}
    assert all(x.double_collection and x.receipt == paid.receipt_no for x in found_a.bills)
    assert {x.status.value for x in st2.cache.lookup(b).bills} == {"paid_elsewhere"}
    assert {x.status.value for x in st2.cache.lookup(d).bills} == {"collected"}
    c_total = {str(r[COL["ID_HDON"]]): r[COL["TONG_TIEN"]] + 1000 for r in rows if r[COL["MA_KHANG"]] == c}
    assert {x.bill_id: x.total for x in st2.cache.lookup(c).bills} == c_total
    # the same file again changes nothing
    s = st1.cache.import_rows([HEADER, *again], name="day2-again", actor=manager)
    assert (s.new_bills, s.paid_elsewhere) == (0, 0)
    assert st1.cache.last_import()["file_name"] == "day2-again"


def test_a_bill_with_a_live_partial_payment_is_never_marked_paid_elsewhere(stations):
    st = stations("ST01")
    rows = _rows(20)
    st.cache.import_rows([HEADER, *rows], name="day1")
    code = sorted({r[COL["MA_KHANG"]] for r in rows})[0]
    bill = st.cache.lookup(code).bills[0]
    user = _cashier(st, "thu1")
    st.collect.collect(user, code, 50_000, bill_ids=[bill.bill_id], partial_amount=50_000,
                       approval=None if bill.total <= 50_000 else _approval(st, user))
    again = [r for r in rows if r[COL["MA_KHANG"]] != code]
    manager = st.users.login("admin", "admin-pw-1")
    s = st.cache.import_rows([HEADER, *again], name="day2", accept_missing=True, actor=manager)
    after = {b.bill_id: b for b in st.cache.lookup(code).bills}
    others = [b for b in after.values() if b.bill_id != bill.bill_id]
    assert after[bill.bill_id].status.value == "unpaid"  # its live partial payment holds it
    assert {b.status.value for b in others} <= {"paid_elsewhere"}
    assert s.paid_elsewhere == len(others)


def _approval(station, user):
    return station.users.authorise("admin", "admin-pw-1", "partial_payment", user, "test")
