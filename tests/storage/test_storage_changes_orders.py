"""Voids, reprints, print outcomes and reconnection orders through the PaymentChangeStore and
OrderStore ports (every backend)."""

from __future__ import annotations

import pytest
from storage_helpers import A, C, at

from cashier.core.debt import BillStatus
from cashier.core.errors import Conflict, NotFound
from cashier.core.ledger import OrderStatus, PaymentStatus


def test_a_void_reopens_the_bills_and_is_listed(storage, pay, admin, shift):
    p = pay(A, 700_000)
    v = storage.payment_changes.void_payment(receipt_no=p.receipt_no, reason="nhầm khách", user=admin,
                                             approved_by=None, shift_id=shift.id, ts=at(5))
    assert v.receipt_no == p.receipt_no and v.journal_seq > p.journal_seq and not v.needs_reversal
    stored = storage.payments.payment(p.receipt_no)
    assert stored is not None and stored.status is PaymentStatus.VOIDED and stored.void_reason == "nhầm khách"
    found = storage.payments.customer_with_bills(A)
    assert found is not None and {b.status for b in found[1]} == {BillStatus.UNPAID}
    (listed,) = storage.payment_changes.voids()
    assert (listed.receipt_no, listed.voided_by, listed.voided_by_name) == (p.receipt_no, admin.id, "Quản Trị")
    assert storage.payment_changes.voids(not_exported=True) == []  # never exported: no reversal
    again = pay(A, 700_000, minutes=6)  # the bills can be collected again
    assert again.receipt_no == "ST01-0000002"


def test_void_refusals(storage, pay, admin):
    p = pay(A, 700_000)
    storage.payment_changes.void_payment(receipt_no=p.receipt_no, reason="x", user=admin, approved_by=None,
                                         shift_id=None, ts=at(2))
    with pytest.raises(Conflict) as exc:
        storage.payment_changes.void_payment(receipt_no=p.receipt_no, reason="x", user=admin, approved_by=None,
                                             shift_id=None, ts=at(3))
    assert exc.value.code == "ledger.already_voided"
    with pytest.raises(NotFound) as exc2:
        storage.payment_changes.void_payment(receipt_no="ST01-9999999", reason="x", user=admin, approved_by=None,
                                             shift_id=None, ts=at(3))
    assert exc2.value.code == "ledger.receipt_unknown"


def test_reprints_count_and_the_print_outcome_is_kept(storage, pay, admin, cashier):
    p = pay(A, 700_000)
    assert p.print_count == 1 and p.printed is None
    storage.payment_changes.record_print(p.receipt_no, True)
    assert storage.payments.payment(p.receipt_no).printed is True
    copy = storage.payment_changes.reprint(receipt_no=p.receipt_no, user=cashier, approved_by=admin, ts=at(3))
    assert copy.print_count == 2 and copy.printed is None
    storage.payment_changes.record_print(p.receipt_no, False)
    assert storage.payments.payment(p.receipt_no).printed is False
    for bad in (lambda: storage.payment_changes.record_print("ST01-9999999", True),
                lambda: storage.payment_changes.reprint(receipt_no="ST01-9999999", user=cashier, approved_by=None,
                                                        ts=at(4))):
        with pytest.raises(NotFound):
            bad()


def test_a_reconnection_order_opens_with_the_payment_and_closes(storage, pay, admin):
    p = pay(C, 300_000, fee=120_000)
    assert p.total == 270_000
    (order,) = storage.orders.reconnection_orders("open")
    assert (order.customer.code, order.receipt_no, order.fee, order.status) == (C, p.receipt_no, 120_000,
                                                                                OrderStatus.OPEN)
    assert storage.orders.reconnection_orders(station="ST01") == [order]
    storage.orders.set_order_status(order.id, "done", user=admin, ts=at(9))
    assert storage.orders.reconnection_orders("open") == []
    assert storage.orders.reconnection_orders("done")[0].id == order.id
    with pytest.raises(NotFound) as exc:
        storage.orders.set_order_status(999, "done", user=admin, ts=at(10))
    assert exc.value.code == "order.unknown"


def test_a_void_cancels_its_open_order(storage, pay, admin):
    p = pay(C, 300_000, fee=120_000)
    storage.payment_changes.void_payment(receipt_no=p.receipt_no, reason="x", user=admin, approved_by=None,
                                         shift_id=None, ts=at(2))
    (order,) = storage.orders.reconnection_orders()
    assert order.status is OrderStatus.CANCELLED
