"""Payments and baskets through the PaymentStore port (every backend): gapless receipts per
station, the database refusing a bill settled twice, idempotency keys, all-or-nothing baskets."""

from __future__ import annotations

from dataclasses import replace

import pytest
from storage_helpers import A, B, C, at, planner

from cashier.core.basket import settle
from cashier.core.debt import BillStatus
from cashier.core.errors import Conflict, DomainError, NotFound
from cashier.core.ledger import LineKind, PaymentRequest, PaymentStatus, plan_payment


def _bill_statuses(storage, code):
    found = storage.payments.customer_with_bills(code)
    assert found is not None
    return {b.bill_id: (b.status, b.receipt) for b in found[1]}


def test_a_payment_is_stored_as_planned(storage, pay, shift, cashier):
    p = pay(A, 1_000_000)
    assert p.receipt_no == "ST01-0000001" and p.total == 700_000 and p.change == 300_000
    assert p.journal_seq > 0 and p.verification and p.id
    stored = storage.payments.payment(p.receipt_no)
    assert stored == p
    assert stored.cashier_username == "thu1" and stored.shift_id == shift.id
    assert [ln.bill_id for ln in stored.lines if ln.kind is LineKind.BILL] == ["HD-A1", "HD-A2"]
    assert _bill_statuses(storage, A) == {"HD-A1": (BillStatus.COLLECTED, p.receipt_no),
                                          "HD-A2": (BillStatus.COLLECTED, p.receipt_no)}
    assert storage.payments.payment("ST01-9999999") is None
    assert storage.payments.customer_with_bills("PC99ZZ9999999") is None


def test_receipt_numbers_are_gapless_and_a_refusal_uses_none(storage, pay):
    first = pay(A, 700_000)
    with pytest.raises(DomainError):
        pay(B, 100_000)  # tendered short: the planner refuses inside the transaction
    second = pay(B, 250_000, minutes=2)
    third = pay(C, 150_000, minutes=3)
    assert [p.receipt_no for p in (first, second, third)] == ["ST01-0000001", "ST01-0000002", "ST01-0000003"]


def test_receipt_numbers_are_per_station(storage, pay, admin, customers):
    pay(A, 700_000)
    other = storage.shifts.open_shift(station="ST02", user=admin, opening_float=0, ts=at(0))
    req = PaymentRequest(customer_code=B, tendered=250_000)
    p = storage.payments.commit_payment(request=req, planner=planner(req), shift=other, cashier=admin, ts=at(5))
    assert p.receipt_no == "ST02-0000001" and p.station == "ST02"
    assert [x.receipt_no for x in storage.payments.payments(station="ST02")] == ["ST02-0000001"]


def test_the_database_refuses_a_second_settling_payment_for_a_bill(storage, shift, cashier, customers):
    """A planner working on a stale read (the bill looked unpaid) is refused by the storage
    itself (SQLite: the partial unique index payment_line_one_settling), nothing written."""
    req = PaymentRequest(customer_code=B, tendered=250_000)
    found = storage.payments.customer_with_bills(B)
    assert found is not None
    stale = plan_payment(req, found[0], found[1])  # planned before the first payment
    first = storage.payments.commit_payment(request=req, planner=planner(req), shift=shift, cashier=cashier, ts=at(1))
    with pytest.raises(Conflict) as exc:
        storage.payments.commit_payment(request=req, planner=lambda *_: stale, shift=shift, cashier=cashier, ts=at(2))
    assert exc.value.code == "ledger.already_collected"
    assert [p.receipt_no for p in storage.payments.payments()] == [first.receipt_no]
    assert _bill_statuses(storage, B) == {"HD-B1": (BillStatus.COLLECTED, first.receipt_no)}


def test_partial_payments_add_up_until_the_bill_is_settled(storage, pay):
    part = pay(B, 100_000, bill_ids=("HD-B1",), partial_amount=100_000)
    assert storage.payments.partial_paid(B) == {"HD-B1": 100_000}
    assert _bill_statuses(storage, B)["HD-B1"][0] is BillStatus.UNPAID
    rest = pay(B, 150_000, minutes=2, bill_ids=("HD-B1",))
    assert rest.total == 150_000 and part.receipt_no != rest.receipt_no
    assert _bill_statuses(storage, B)["HD-B1"] == (BillStatus.COLLECTED, rest.receipt_no)


def test_an_idempotency_key_returns_the_same_payment_or_is_refused(storage, pay):
    p = pay(A, 1_000_000, idempotency_key="K-1")
    again = pay(A, 1_000_000, minutes=5, idempotency_key="K-1")
    assert again == p and len(storage.payments.payments()) == 1
    found = storage.payments.find_by_key("K-1")
    assert found is not None and found[0] == p and '"tendered": 1000000' in found[1]
    assert storage.payments.find_by_key("K-unknown") is None
    with pytest.raises(Conflict) as exc:
        pay(A, 900_000, minutes=6, idempotency_key="K-1")
    assert exc.value.code == "ledger.key_reused"


def test_a_closed_shift_or_unknown_customer_is_refused(storage, pay, shift, cashier):
    with pytest.raises(NotFound) as exc:
        pay("PC99ZZ9999999", 100_000)
    assert exc.value.code == "ledger.unknown_customer"
    storage.shifts.close_shift(shift_id=shift.id, closed_by=cashier, counts={}, ts=at(2),
                               decide=lambda s, t: (s.opening_float, s.opening_float, None))
    with pytest.raises(Conflict) as exc2:
        pay(A, 700_000, minutes=3)
    assert exc2.value.code == "shift.closed"
    assert storage.payments.payments() == []


def test_payments_are_listed_by_day_shift_status(storage, pay, shift):
    a, b = pay(A, 700_000), pay(B, 250_000, minutes=2)
    assert [p.receipt_no for p in storage.payments.payments(date="2026-11-23")] == [a.receipt_no, b.receipt_no]
    assert storage.payments.payments(date="2026-11-24") == []
    assert len(storage.payments.payments(shift_id=shift.id, status="active")) == 2
    assert storage.payments.payments(status="voided") == []
    assert len(storage.payments.payments(not_exported=True)) == 2


def _exact(req):
    def plan(customer, bills, paid, order_open):
        p = plan_payment(replace(req, tendered=10**12), customer, bills, paid_so_far=paid)
        return replace(p, tendered=p.total, change=0)

    return plan


def _basket(storage, shift, cashier, codes, tendered, *, key=None, planners=None):
    reqs = [PaymentRequest(customer_code=c, tendered=0) for c in codes]
    pairs = [(r, (planners or {}).get(r.customer_code) or _exact(r)) for r in reqs]
    return storage.payments.commit_basket(
        requests=pairs, settle=lambda total: settle(total, tendered), tendered=tendered, shift=shift,
        cashier=cashier, ts=at(10), idempotency_key=key, fingerprint=f"fp-{tendered}",
    )


def test_a_basket_is_all_its_payments_and_one_tender(storage, shift, cashier, customers):
    result = _basket(storage, shift, cashier, [A, B], 1_000_000, key="BK-1")
    info = result.basket
    assert info.total == 950_000 and info.change == 50_000 and info.receipts == ("ST01-0000001", "ST01-0000002")
    assert [p.total for p in result.payments] == [700_000, 250_000] and info.journal_seq > 0
    assert storage.payments.basket_of("ST01-0000002") == info
    assert storage.payments.basket(info.code) == result
    assert storage.payments.basket_of("ST01-9999999") is None and storage.payments.basket("NOPE") is None
    assert _basket(storage, shift, cashier, [A, B], 1_000_000, key="BK-1") == result  # idempotent
    with pytest.raises(Conflict) as exc:
        _basket(storage, shift, cashier, [A, B], 2_000_000, key="BK-1")
    assert exc.value.code == "basket.key_reused"


@pytest.mark.parametrize("how", ["second_customer_refused", "tender_short", "same_customer_twice"])
def test_a_basket_is_all_or_nothing(storage, shift, cashier, customers, how):
    def refuse(*_):
        raise Conflict("ledger.already_collected", bill="HD-B1", receipt="?")

    with pytest.raises(DomainError):
        if how == "second_customer_refused":
            _basket(storage, shift, cashier, [A, B], 1_000_000, planners={B: refuse})
        elif how == "tender_short":
            _basket(storage, shift, cashier, [A, B], 900_000)
        else:
            _basket(storage, shift, cashier, [A, B, A], 2_000_000)
    assert storage.payments.payments() == []
    assert _bill_statuses(storage, A)["HD-A1"][0] is BillStatus.UNPAID
    req = PaymentRequest(customer_code=C, tendered=150_000)
    after = storage.payments.commit_payment(request=req, planner=planner(req), shift=shift, cashier=cashier, ts=at(20))
    assert after.receipt_no == "ST01-0000001" and after.status is PaymentStatus.ACTIVE  # no number used
