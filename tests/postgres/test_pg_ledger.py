"""The ledger on the PostgreSQL server through the real services (users, shifts, collect): a
payment is one transaction with its journal entry and this station's receipt number; two
stations keep their own receipt sequences and journal chains; a bill collected at one counter is
refused at the other with that counter's receipt."""

from __future__ import annotations

import json

import psycopg
import pytest
from pg_helpers import PASSWORD, add_cashier, add_customers, customer_code, open_counter

from cashier.core import journal as jr
from cashier.core.errors import Conflict, DomainError
from cashier.core.ledger import PaymentRequest, plan_payment, validate_request


@pytest.fixture
def counters(pg_url):
    st1 = open_counter(pg_url, "ST01", migrate=True)
    add_customers(st1.storage.db, 5)
    st2 = open_counter(pg_url, "ST02")
    add_cashier(st1, "thu1")
    add_cashier(st2, "thu2")
    yield st1, st2
    st1.close()
    st2.close()


def _open(counter, name):
    user = counter.users.login(name, PASSWORD)
    counter.shifts.open_shift(user, 500_000)
    return user


def test_each_station_has_its_own_receipts_shift_and_journal_chain(counters):
    st1, st2 = counters
    u1, u2 = _open(st1, "thu1"), _open(st2, "thu2")
    p1 = st1.collect.collect(u1, customer_code(1), 500_000)
    p2 = st2.collect.collect(u2, customer_code(2), 500_000)
    p3 = st1.collect.collect(u1, customer_code(3), 500_000)
    assert [p1.receipt_no, p3.receipt_no, p2.receipt_no] == ["ST01-0000001", "ST01-0000002", "ST02-0000001"]
    assert p1.change == 500_000 - p1.total and len(p1.lines) == 2
    assert st1.collect.payment(p1.receipt_no).verification == p1.verification
    for counter, station, secret in ((st1, "ST01", b"test-journal-key-ST01"), (st2, "ST02", b"test-journal-key-ST02")):
        store = counter.storage.journal
        entries = list(store.iter_journal(station))
        head = store.journal_head(station)
        assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
        assert head[0] == entries[-1].seq and head[1] == entries[-1].hash
        key = secret.ljust(32, b".")
        assert head[2] == jr.head_mac(key, head[0], head[1])
        prev = jr.GENESIS
        for e in entries:
            assert e.prev_hash == prev and jr.make_entry(key, e.seq, e.ts, e.kind, json.loads(e.payload),
                                                         e.prev_hash).hash == e.hash
            prev = e.hash
    kinds = [e.kind for e in st1.storage.journal.iter_journal("ST01")]
    assert kinds.count("payment") == 2


def test_a_bill_collected_at_one_counter_is_refused_at_the_other_with_its_receipt(counters):
    st1, st2 = counters
    u1, u2 = _open(st1, "thu1"), _open(st2, "thu2")
    p = st1.collect.collect(u1, customer_code(4), 500_000)
    with pytest.raises(Conflict) as info:
        st2.collect.collect(u2, customer_code(4), 500_000)
    assert info.value.code == "ledger.no_bills"
    with pytest.raises(Conflict) as info:
        st2.collect.collect(u2, customer_code(4), 500_000, bill_ids=["HD00000041"])
    assert info.value.code == "ledger.already_collected"
    assert info.value.params == {"bill": "HD00000041", "receipt": "ST01-0000001"}
    assert st2.storage.ledger.payments(station="ST02") == []
    assert len(st1.storage.ledger.payments()) == 1 and p.receipt_no == "ST01-0000001"


def test_one_open_shift_per_station_and_z_numbers_per_station(counters):
    st1, st2 = counters
    u1 = _open(st1, "thu1")
    with pytest.raises(Conflict, match="shift"):
        st1.shifts.open_shift(u1, 0)
    u2 = _open(st2, "thu2")
    z1 = st1.shifts.close_shift(u1, {500_000: 1})
    z2 = st2.shifts.close_shift(u2, {500_000: 1})
    assert st1.storage.ledger.last_closed_shift("ST01").z_number == 1
    assert st2.storage.ledger.last_closed_shift("ST02").z_number == 1
    assert z1 is not None and z2 is not None


def test_the_unique_index_decides_when_a_plan_is_stale(counters):
    """A planner working from bills read before the other counter committed (no re-read): the
    partial unique index refuses the second settling line, with the receipt that has the bill."""
    st1, st2 = counters
    u1, u2 = _open(st1, "thu1"), _open(st2, "thu2")
    store2 = st2.storage.ledger
    customer, stale_bills = store2.customer_with_bills(customer_code(5))
    head = st2.storage.journal.journal_head("ST02")
    p = st1.collect.collect(u1, customer_code(5), 500_000)
    req = validate_request(PaymentRequest(customer_code=customer_code(5), tendered=500_000))
    stale = plan_payment(req, customer, stale_bills, paid_so_far={}, reconnection_fee=0, reconnection_open=False,
                         max_change=500_000)
    with pytest.raises(Conflict) as info:
        store2.commit_payment(request=req, planner=lambda *a: stale, shift=st2.shifts.current_shift(),
                              cashier=u2, ts=st2.collect.clock.now())
    assert info.value.code == "ledger.already_collected"
    assert info.value.params["receipt"] == p.receipt_no
    assert store2.payments(station="ST02") == [] and st2.storage.journal.journal_head("ST02") == head  # nothing of it kept


def test_a_dropped_connection_is_one_clear_error_and_the_next_payment_reconnects(counters, pg_cluster):
    st1, _ = counters
    u1 = _open(st1, "thu1")
    db = st1.storage.db
    pid = db.execute_sql("SELECT pg_backend_pid()").fetchone()[0]
    with psycopg.connect(pg_cluster.admin_url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    with pytest.raises(DomainError) as info:
        st1.collect.collect(u1, customer_code(1), 500_000)
    assert info.value.code == "postgres.connection_lost"
    assert "Traceback" not in str(info.value)
    p = st1.collect.collect(u1, customer_code(1), 500_000)
    assert p.receipt_no == "ST01-0000001"  # nothing of the failed attempt used a number
