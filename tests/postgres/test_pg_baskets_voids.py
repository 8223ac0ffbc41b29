"""Baskets and voids on the PostgreSQL server through the real services: a basket is one
transaction (a refusal on any customer leaves no payment, no receipt number used); a void makes
the bills collectable again at any counter, journalled in the payment's station's chain."""

from __future__ import annotations

import pytest
from pg_helpers import PASSWORD, add_cashier, add_customers, customer_code, open_counter

from cashier.core.errors import Conflict


@pytest.fixture
def counters(pg_url):
    st1 = open_counter(pg_url, "ST01", migrate=True)
    add_customers(st1.storage.db, 6)
    st2 = open_counter(pg_url, "ST02")
    add_cashier(st1, "thu1")
    add_cashier(st2, "thu2")
    admin = st1.users.login("admin", PASSWORD)
    st1.users.add_user("ql", PASSWORD, "manager", full_name="Quản Lý", actor=admin)
    yield st1, st2
    st1.close()
    st2.close()


def _open(counter, name):
    user = counter.users.login(name, PASSWORD)
    counter.shifts.open_shift(user, 500_000)
    return user


def _entry(counter, i):
    return counter.collect.preview_basket_entry(customer_code(i))


def test_a_basket_is_one_transaction_and_a_refusal_leaves_nothing(counters):
    st1, st2 = counters
    u1, u2 = _open(st1, "thu1"), _open(st2, "thu2")
    entries = [_entry(st2, 1), _entry(st2, 2)]
    st1.collect.collect(u1, customer_code(2), 500_000)  # counter 1 takes customer 2 meanwhile
    with pytest.raises(Conflict):
        st2.collect.collect_basket(u2, entries, 500_000)
    assert st2.storage.ledger.payments(station="ST02") == []
    result = st2.collect.collect_basket(u2, [_entry(st2, 1), _entry(st2, 3)], 500_000)
    assert [p.receipt_no for p in result.payments] == ["ST02-0000001", "ST02-0000002"]  # no number lost
    assert result.basket.change == 500_000 - result.basket.total
    assert st2.collect.basket_of("ST02-0000002").code == result.basket.code
    kinds = [e.kind for e in st2.storage.journal.iter_journal("ST02")]
    assert kinds[-3:] == ["payment", "payment", "basket"]


def test_a_void_makes_the_bills_collectable_at_another_counter(counters):
    st1, st2 = counters
    u1, u2 = _open(st1, "thu1"), _open(st2, "thu2")
    p = st1.collect.collect(u1, customer_code(4), 500_000)
    ql = st1.users.login("ql", PASSWORD)
    void = st1.collect.void(p.receipt_no, "nhầm khách", ql)
    assert void.journal_seq == st1.storage.journal.journal_head("ST01")[0]
    with pytest.raises(Conflict, match="already voided"):
        st1.collect.void(p.receipt_no, "lần hai", ql)
    again = st2.collect.collect(u2, customer_code(4), 500_000)
    assert again.receipt_no == "ST02-0000001" and again.total == p.total
    assert [v.receipt_no for v in st2.storage.ledger.voids()] == [p.receipt_no]
    assert st1.collect.payment(p.receipt_no).status.value == "voided"
