"""Collecting: oldest first, partial with permission, reconnection fee, refusals leave the
database unchanged, idempotency, gapless receipt numbers, one active payment per bill."""

from __future__ import annotations

import sqlite3

import peewee
import pytest
from station_helpers import PASSWORD, bill_status, count

from cashier.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from cashier.core.ledger import LineKind, Permission

A, B, C, D = "PC12AA0000001", "PC12AA0000002", "PC12AA0000003", "PC12AA0000004"


def snapshot(db):
    tables = ["payment", "payment_line", "journal_entry", "reconnection_order", "counter"]
    state = {t: count(db, t) for t in tables}
    state["bills"] = db.execute_sql("SELECT bill_id, status FROM bill ORDER BY id").fetchall()
    return state


def test_collect_all_oldest_first(station, shift, cashier, customers, db):
    p = station.collect.collect(cashier, A, 700_000)
    assert p.bill_ids == ["HD-A-09", "HD-A-10", "HD-A-11"]
    assert p.total == 673_456 and p.change == 26_544
    assert p.cashier_name == "Lê Thị Thu" and p.cashier_code == "TN01"
    assert p.customer.name == "Nguyễn Văn A" and p.customer.book == "SO01"
    assert p.print_count == 1 and p.copy_label == "" and len(p.verification) == 8
    assert p.journal_seq > 0 and p.lines[0].tiers[0].price == 1984
    assert all(bill_status(db, b) == "collected" for b in p.bill_ids)
    assert station.collect.payment(p.receipt_no) == p


def test_subset_oldest_first_only(station, shift, cashier, customers, db):
    before = snapshot(db)
    with pytest.raises(Conflict) as exc:
        station.collect.collect(cashier, A, 500_000, bill_ids=["HD-A-10"])
    assert exc.value.code == "ledger.oldest_first"
    assert snapshot(db) == before
    p = station.collect.collect(cashier, A, 250_000, bill_ids=["HD-A-09"])
    assert p.bill_ids == ["HD-A-09"] and p.change == 0
    p2 = station.collect.collect(cashier, A, 300_000, bill_ids=["HD-A-10"])
    assert p2.bill_ids == ["HD-A-10"]


@pytest.mark.parametrize(
    "kwargs, code",
    [
        (dict(code=B, tendered=456_788), "ledger.tendered_short"),
        (dict(code=B, tendered=-1), "money.negative"),
        (dict(code=B, tendered="12.5"), "money.fraction"),
        (dict(code=B, tendered=10**13), "money.too_large"),
        (dict(code=B, tendered=4_567_890), "ledger.change_absurd"),
        (dict(code="PC12AA9999999", tendered=1), "ledger.unknown_customer"),
        (dict(code="XYZ", tendered=1), "code.invalid"),
        (dict(code=D, tendered=200_000, bill_ids=["HD-D-10"]), "ledger.paid_elsewhere"),
        (dict(code=B, tendered=500_000, method="transfer"), "ledger.transfer_ref"),
        (dict(code=B, tendered=500_000, method="cheque", bank_ref="x"), "ledger.method"),
        (dict(code=B, tendered=500_000, bill_ids=["HD-A-09"]), "ledger.unknown_bill"),
    ],
)
def test_refusals_leave_database_unchanged(station, shift, cashier, customers, db, kwargs, code):
    before = snapshot(db)
    code_arg = kwargs.pop("code")
    tendered = kwargs.pop("tendered")
    with pytest.raises((Conflict, InvalidInput, NotFound)) as exc:
        station.collect.collect(cashier, code_arg, tendered, **kwargs)
    assert exc.value.code == code
    assert str(exc.value) and exc.value.text("vi")
    assert snapshot(db) == before


def test_paid_elsewhere_bill_does_not_block_newer(station, shift, cashier, customers):
    p = station.collect.collect(cashier, D, 100_000)
    assert p.bill_ids == ["HD-D-11"]


def test_already_collected_refused(station, shift, cashier, customers, db):
    p = station.collect.collect(cashier, B, 500_000)
    before = snapshot(db)
    with pytest.raises(Conflict) as exc:
        station.collect.collect(cashier, B, 500_000, bill_ids=["HD-B-11"])
    assert exc.value.code == "ledger.already_collected" and p.receipt_no in str(exc.value)
    with pytest.raises(Conflict) as exc:
        station.collect.collect(cashier, B, 500_000)
    assert exc.value.code == "ledger.no_bills"
    assert snapshot(db) == before


def test_scanned_code_is_normalised(station, shift, cashier, customers):
    p = station.collect.collect(cashier, " pc12aa0000002\n", 500_000)
    assert p.customer.code == B


def test_transfer_payment(station, shift, cashier, customers):
    p = station.collect.collect(cashier, B, 456_789, method="transfer", bank_ref="FT2611230001")
    assert p.method.value == "transfer" and p.change == 0 and p.bank_ref == "FT2611230001"
    x = station.shifts.x_report(cashier)
    assert x.totals.transfer_total == 456_789 and x.totals.cash_total == 0


def test_partial_needs_permission(station, shift, cashier, manager, customers, db):
    before = snapshot(db)
    with pytest.raises(PermissionDenied):
        station.collect.collect(cashier, A, 100_000, bill_ids=["HD-A-09"], partial_amount=100_000)
    assert snapshot(db) == before
    approval = station.users.authorise("manager", PASSWORD, Permission.PARTIAL_PAYMENT, cashier, "hardship")
    p1 = station.collect.collect(cashier, A, 100_000, bill_ids=["HD-A-09"], partial_amount=100_000,
                                 approval=approval)
    assert p1.lines[0].partial and bill_status(db, "HD-A-09") == "unpaid"
    # the newer bill is still blocked while the partly paid one is open
    with pytest.raises(Conflict):
        station.collect.collect(cashier, A, 300_000, bill_ids=["HD-A-10"])
    # paying the rest settles it
    p2 = station.collect.collect(cashier, A, 150_000, bill_ids=["HD-A-09"])
    assert p2.total == 150_000 and p2.lines[0].settles and bill_status(db, "HD-A-09") == "collected"
    assert station.collect.preview(A).total == 423_456


def test_reconnection_fee_and_order(station, shift, cashier, customers, db):
    station.storage.settings.set("ledger.reconnection_fee", 150_000)
    plan = station.collect.preview(C)
    assert plan.total == 350_000 and plan.reconnection
    p = station.collect.collect(cashier, C, 400_000)
    assert [ln.kind for ln in p.lines] == [LineKind.BILL, LineKind.RECONNECTION_FEE]
    assert p.total == 350_000 and p.reconnection_fee == 150_000 and p.change == 50_000
    orders = station.collect.reconnection_orders("open")
    assert len(orders) == 1
    o = orders[0]
    assert (o.customer.code, o.receipt_no, o.fee, o.cashier_name) == (C, p.receipt_no, 150_000, "Lê Thị Thu")
    assert o.customer.address and o.customer.book == "SO01"
    # voiding the payment cancels the order
    station.collect.void(p.receipt_no, "fee charged by mistake",
                         station.users.login("admin", PASSWORD))
    assert station.collect.reconnection_orders("open") == []
    assert station.collect.reconnection_orders()[0].status.value == "cancelled"


def test_idempotency_key_returns_first_result(station, shift, cashier, customers, db):
    p1 = station.collect.collect(cashier, B, 500_000, idempotency_key="att-1")
    p2 = station.collect.collect(cashier, B, 500_000, idempotency_key="att-1")
    assert p2.receipt_no == p1.receipt_no and count(db, "payment") == 1
    with pytest.raises(Conflict) as exc:
        station.collect.collect(cashier, A, 700_000, idempotency_key="att-1")
    assert exc.value.code == "ledger.key_reused"
    # the store answers the same even when the service-level check is bypassed
    from cashier.core.ledger import PaymentRequest, validate_request

    req = validate_request(PaymentRequest(customer_code=B, tendered=500_000, idempotency_key="att-1"))
    again = station.storage.payments.commit_payment(
        request=req, planner=lambda *a: pytest.fail("must not plan again"), shift=shift, cashier=cashier,
        ts=station.clock.now())
    assert again.receipt_no == p1.receipt_no and count(db, "payment") == 1


def test_receipt_numbers_gapless_despite_refusals(station, shift, cashier, customers, db):
    from station_helpers import add_customer

    for i in range(5, 15):
        add_customer(db, f"PC12AA00000{i:02d}", bills=[(f"HD-{i}", 1, 11, 2026, 10_000)])
    receipts = []
    for i in range(5, 15):
        with pytest.raises(Conflict):
            station.collect.collect(cashier, f"PC12AA00000{i:02d}", 9_999)  # short: refused
        receipts.append(station.collect.collect(cashier, f"PC12AA00000{i:02d}", 10_000).receipt_no)
    nums = [int(r.split("-")[1]) for r in receipts]
    assert nums == list(range(1, 11))
    assert receipts[0] == "ST01-0000001"


def test_database_refuses_second_active_settling_line(station, shift, cashier, customers, db):
    p = station.collect.collect(cashier, B, 500_000)
    pid, bill_row = db.execute_sql(
        "SELECT payment_id, bill_row FROM payment_line WHERE bill_id = 'HD-B-11'").fetchone()
    with pytest.raises((sqlite3.IntegrityError, peewee.IntegrityError)):
        db.execute_sql(
            "INSERT INTO payment_line(payment_id, line_no, kind, bill_row, bill_id, ky, thang, nam, kwh, "
            "bill_amount, vat, bill_total, series, number, amount, settles, active) "
            "VALUES (?, 9, 'bill', ?, 'HD-B-11', 1, 11, 2026, 0, 0, 0, 456789, '', '', 456789, 1, 1)",
            (pid, bill_row))
    with pytest.raises((sqlite3.IntegrityError, peewee.IntegrityError)):
        db.execute_sql("UPDATE payment SET total = -5 WHERE receipt_no = ?", (p.receipt_no,))
    with pytest.raises((sqlite3.IntegrityError, peewee.IntegrityError)):
        db.execute_sql("UPDATE payment SET change_amount = 1 WHERE receipt_no = ?", (p.receipt_no,))


def test_closed_shift_refused_inside_transaction(station, shift, cashier, customers, db):
    """A payment that raced a shift close is refused by the store's own re-check."""
    from cashier.core.ledger import PaymentRequest, validate_request

    station.shifts.close_shift(cashier, {500_000: 2})
    req = validate_request(PaymentRequest(customer_code=B, tendered=500_000))
    with pytest.raises(Conflict) as exc:
        station.storage.payments.commit_payment(
            request=req, planner=station.collect._planner(req, 0), shift=shift, cashier=cashier,
            ts=station.clock.now())
    assert exc.value.code == "shift.closed" and count(db, "payment") == 0


def test_bill_paid_elsewhere_between_lookup_and_commit(station, shift, cashier, customers, db):
    """The store re-reads bills under the write lock: a status change after the preview wins."""
    plan = station.collect.preview(B)
    assert plan.total == 456_789
    db.execute_sql("UPDATE bill SET status = 'paid_elsewhere' WHERE bill_id = 'HD-B-11'")
    with pytest.raises(Conflict) as exc:
        station.collect.collect(cashier, B, 500_000, bill_ids=["HD-B-11"])
    assert exc.value.code == "ledger.paid_elsewhere" and count(db, "payment") == 0


def test_retried_partial_payment_returns_first_result(station, shift, cashier, manager, customers, db):
    approval = station.users.authorise("manager", PASSWORD, Permission.PARTIAL_PAYMENT, cashier)
    kw = dict(bill_ids=["HD-A-09"], partial_amount=100_000, idempotency_key="part-1")
    p1 = station.collect.collect(cashier, A, 100_000, approval=approval, **kw)
    p2 = station.collect.collect(cashier, A, 100_000, **kw)  # the UI retries after a timeout
    assert p2.receipt_no == p1.receipt_no and count(db, "payment") == 1
    with pytest.raises(PermissionDenied):  # a new partial payment still needs a manager
        station.collect.collect(cashier, A, 100_000, bill_ids=["HD-A-09"], partial_amount=100_000)


def test_unique_index_is_the_last_line_of_defence(station, shift, cashier, customers, db):
    """Even if the planner is fooled (a stale bill list), the partial unique index refuses a
    second settling line and the whole transaction rolls back."""
    from cashier.core.ledger import PaymentRequest, plan_payment, validate_request

    first = station.collect.collect(cashier, B, 500_000)
    before = snapshot(db)
    stale = station.storage.payments.customer_with_bills(B)
    stale_bills = [b.__class__(**{**{f: getattr(b, f) for f in b.__slots__}, "status": "unpaid"})
                   for b in stale[1]]
    req = validate_request(PaymentRequest(customer_code=B, tendered=500_000))
    # bypass the status update check by pretending the bill is unpaid AND skipping the update:
    db.execute_sql("UPDATE bill SET status = 'unpaid' WHERE bill_id = 'HD-B-11'")
    with pytest.raises(Conflict) as exc:
        station.storage.payments.commit_payment(
            request=req, planner=lambda c, bills, paid, o: plan_payment(req, c, stale_bills),
            shift=shift, cashier=cashier, ts=station.clock.now())
    assert exc.value.code == "ledger.already_collected"
    db.execute_sql("UPDATE bill SET status = 'collected' WHERE bill_id = 'HD-B-11'")
    assert snapshot(db) == before and first.receipt_no
