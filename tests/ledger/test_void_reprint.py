"""Void (manager or override, reason, bills unpaid again, exported -> reversal), reprint and
print record, receipts listing, export hand-off."""

from __future__ import annotations

import pytest
from station_helpers import PASSWORD, bill_status, count, record_batch

from cashier.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from cashier.core.ledger import Permission

B = "PC12AA0000002"


@pytest.fixture
def paid(station, shift, cashier, customers):
    return station.collect.collect(cashier, B, 500_000)


def test_cashier_cannot_void_without_manager(station, paid, cashier, db):
    with pytest.raises(PermissionDenied):
        station.collect.void(paid.receipt_no, "mistake", cashier)
    assert station.collect.payment(paid.receipt_no).status.value == "active"
    assert count(db, "void") == 0


def test_void_needs_reason(station, paid, manager):
    with pytest.raises(InvalidInput):
        station.collect.void(paid.receipt_no, "   ", manager)


def test_void_restores_bill_and_keeps_payment(station, paid, manager, cashier, db):
    v = station.collect.void(paid.receipt_no, "wrong customer", manager)
    assert not v.needs_reversal
    p = station.collect.payment(paid.receipt_no)
    assert p.status.value == "voided" and p.void_reason == "wrong customer" and p.total == paid.total
    assert bill_status(db, "HD-B-11") == "unpaid"
    with pytest.raises(Conflict):
        station.collect.void(paid.receipt_no, "again", manager)
    # the bill can be collected again, with a new receipt number
    p2 = station.collect.collect(cashier, B, 456_789)
    assert p2.receipt_no != paid.receipt_no and bill_status(db, "HD-B-11") == "collected"
    assert count(db, "payment") == 2


def test_void_with_override(station, paid, manager, cashier, db):
    approval = station.users.authorise("manager", PASSWORD, Permission.VOID, cashier, "customer complaint")
    v = station.collect.void(paid.receipt_no, "customer complaint", cashier, approval)
    assert v.approved_by == manager.id and v.voided_by == cashier.id


def _pending_export(station):
    st = station.storage
    return st.payments.payments(not_exported=True), st.payment_changes.voids(not_exported=True)


def test_void_of_exported_payment_goes_out_as_reversal(station, paid, manager):
    pending, reversals = _pending_export(station)
    assert [p.receipt_no for p in pending] == [paid.receipt_no] and reversals == []
    record_batch(station.storage.export, "BATCH-1")
    assert _pending_export(station) == ([], [])
    v = station.collect.void(paid.receipt_no, "paid twice", manager)
    assert v.needs_reversal
    pending, reversals = _pending_export(station)
    assert pending == [] and [r.receipt_no for r in reversals] == [paid.receipt_no]
    record_batch(station.storage.export, "BATCH-2", sequence=2)
    assert _pending_export(station) == ([], [])
    p = station.collect.payment(paid.receipt_no)
    assert (p.export_batch, p.void_export_batch) == ("BATCH-1", "BATCH-2")


def test_unknown_receipt(station, manager, shift):
    with pytest.raises(NotFound):
        station.collect.void("ST01-9999999", "x", manager)
    with pytest.raises(NotFound):
        station.collect.reprint("ST01-9999999", manager)


def test_reprint_needs_permission_and_counts(station, paid, cashier, manager):
    with pytest.raises(PermissionDenied):
        station.collect.reprint(paid.receipt_no, cashier)
    p = station.collect.reprint(paid.receipt_no, manager)
    assert p.print_count == 2 and p.copy_label == "BẢN SAO — In lần 2"
    approval = station.users.authorise("manager", PASSWORD, Permission.REPRINT, cashier)
    p = station.collect.reprint(paid.receipt_no, cashier, approval)
    assert p.print_count == 3 and p.copy_label.endswith("In lần 3")


def test_failed_print_can_be_retried_by_its_cashier(station, paid, cashier):
    station.collect.record_print(paid.receipt_no, False)
    assert station.collect.payment(paid.receipt_no).printed is False
    p = station.collect.reprint(paid.receipt_no, cashier)
    assert p.print_count == 2 and p.is_copy  # still marked as a copy: the first may have come out
    station.collect.record_print(paid.receipt_no, True)
    assert station.collect.payment(paid.receipt_no).printed is True
    with pytest.raises(PermissionDenied):
        station.collect.reprint(paid.receipt_no, cashier)  # printed fine: a copy needs a manager


def test_receipts_listing_by_date_and_owner(station, paid, cashier, manager, clock):
    assert [p.receipt_no for p in station.collect.receipts(cashier, "2026-11-23")] == [paid.receipt_no]
    assert station.collect.receipts(cashier, "2026-11-22") == []
    assert len(station.collect.receipts(manager)) == 1
    with pytest.raises(InvalidInput):
        station.collect.receipts(cashier, "23/11/2026")


def test_voided_receipt_is_not_reprinted(station, paid, manager):
    station.collect.void(paid.receipt_no, "mistake", manager)
    with pytest.raises(Conflict):
        station.collect.reprint(paid.receipt_no, manager)
