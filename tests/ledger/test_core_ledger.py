"""Pure rules of cashier.core.ledger: oldest-first, partial, fee, change, counts, permissions."""

from __future__ import annotations

import pytest

from cashier.core.debt import Bill, BillStatus, Customer
from cashier.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from cashier.core.ledger import (
    DENOMINATIONS,
    PERMISSIONS,
    LineKind,
    Method,
    PaymentRequest,
    Permission,
    Role,
    User,
    change_notes,
    compute_change,
    count_total,
    parse_denominations,
    plan_payment,
    select_bills,
    validate_request,
)

CUST = Customer(code="PC12AA0000001", name="A", address="x")


def bill(bid, thang, total, status=BillStatus.UNPAID, nam=2026, ky=1):
    return Bill(customer_code=CUST.code, bill_id=bid, ky=ky, thang=thang, nam=nam, kwh=1, amount=total,
                vat=0, total=total, status=status)


BILLS = [bill("N", 11, 300), bill("S", 9, 100), bill("O", 10, 200)]


def req(**kw):
    base = dict(customer_code=CUST.code, tendered=1000)
    base.update(kw)
    return validate_request(PaymentRequest(**base))


def test_default_selects_all_unpaid_oldest_first():
    assert [b.bill_id for b in select_bills(BILLS, None)] == ["S", "O", "N"]


def test_oldest_prefix_allowed_newer_refused():
    assert [b.bill_id for b in select_bills(BILLS, ["O", "S"])] == ["S", "O"]
    with pytest.raises(Conflict) as exc:
        select_bills(BILLS, ["O"])
    assert exc.value.code == "ledger.oldest_first"
    assert "S" in str(exc.value) and "O" in str(exc.value)
    with pytest.raises(Conflict):
        select_bills(BILLS, ["S", "N"])  # skips October


def test_ordering_uses_year_and_period():
    bills = [bill("Y2025", 12, 10, nam=2025), bill("Y2026", 1, 10), bill("K2", 1, 10, ky=2)]
    assert [b.bill_id for b in select_bills(bills, None)] == ["Y2025", "Y2026", "K2"]
    with pytest.raises(Conflict):
        select_bills(bills, ["Y2026"])


def test_collected_or_paid_elsewhere_bills_are_refused_but_do_not_block():
    bills = [bill("S", 9, 100, BillStatus.PAID_ELSEWHERE), bill("O", 10, 200)]
    assert [b.bill_id for b in select_bills(bills, ["O"])] == ["O"]
    with pytest.raises(Conflict) as exc:
        select_bills(bills, ["S"])
    assert exc.value.code == "ledger.paid_elsewhere"
    bills = [bill("S", 9, 100, BillStatus.COLLECTED)]
    with pytest.raises(Conflict) as exc:
        select_bills(bills, ["S"])
    assert exc.value.code == "ledger.already_collected"
    with pytest.raises(Conflict) as exc:
        select_bills(bills, None)
    assert exc.value.code == "ledger.no_bills"


def test_unknown_bill():
    with pytest.raises(NotFound):
        select_bills(BILLS, ["nope"])


def test_plan_total_change_and_fee_line():
    plan = plan_payment(req(tendered=1000), CUST, BILLS)
    assert plan.total == 600 and plan.change == 400 and not plan.reconnection
    disc = Customer(code=CUST.code, name="A", address="x", disconnected=True)
    plan = plan_payment(req(tendered=1000), disc, BILLS, reconnection_fee=50)
    assert plan.total == 650 and plan.lines[-1].kind is LineKind.RECONNECTION_FEE and plan.reconnection
    # an open order means the fee was already paid
    plan = plan_payment(req(tendered=1000), disc, BILLS, reconnection_fee=50, reconnection_open=True)
    assert plan.total == 600 and not plan.reconnection


def test_tendered_short_and_transfer_rules():
    with pytest.raises(Conflict) as exc:
        plan_payment(req(tendered=599), CUST, BILLS)
    assert exc.value.code == "ledger.tendered_short"
    with pytest.raises(InvalidInput):
        req(method=Method.TRANSFER)  # no bank reference
    with pytest.raises(Conflict):
        plan_payment(req(tendered=700, method=Method.TRANSFER, bank_ref="FT1"), CUST, BILLS)
    plan = plan_payment(req(tendered=600, method=Method.TRANSFER, bank_ref="FT1"), CUST, BILLS)
    assert plan.change == 0


def test_partial_amount_rules():
    with pytest.raises(InvalidInput):
        req(partial_amount=50)  # no single bill chosen
    plan = plan_payment(req(bill_ids=("S",), partial_amount=40), CUST, BILLS)
    assert plan.total == 40 and not plan.lines[0].settles
    # completing the bill settles it
    plan = plan_payment(req(bill_ids=("S",), partial_amount=60), CUST, BILLS, paid_so_far={"S": 40})
    assert plan.lines[0].settles
    with pytest.raises(InvalidInput):
        plan_payment(req(bill_ids=("S",), partial_amount=61), CUST, BILLS, paid_so_far={"S": 40})
    # the remaining amount is what a full payment takes
    plan = plan_payment(req(tendered=1000), CUST, BILLS, paid_so_far={"S": 40})
    assert plan.total == 560


@pytest.mark.parametrize("bad", [-1, "-5", "abc", 1.5, "10.000,5"])
def test_bad_amounts_refused(bad):
    with pytest.raises(InvalidInput):
        req(tendered=bad)


def test_change_and_notes():
    assert compute_change(123_456, 200_000) == 76_544
    notes, rest = change_notes(76_544)
    assert sum(d * n for d, n in notes) + rest == 76_544 and rest == 44
    assert notes[0] == (50_000, 1)
    with pytest.raises(Conflict):
        compute_change(10, 9)


def test_denominations():
    counts = parse_denominations("500000x3, 200.000x1,10000x4,500000x1")
    assert counts == {500_000: 4, 200_000: 1, 10_000: 4}
    assert count_total(counts) == 2_240_000
    assert DENOMINATIONS[-1] == 500 and DENOMINATIONS[0] == 500_000
    for bad in ("300000x1", "500000", "x3", "500000x-1"):
        with pytest.raises(InvalidInput):
            parse_denominations(bad)


def test_permission_table():
    assert Permission.COLLECT in PERMISSIONS[Role.CASHIER]
    for p in (Permission.VOID, Permission.REPRINT, Permission.PARTIAL_PAYMENT, Permission.MANAGE_USERS):
        assert p not in PERMISSIONS[Role.CASHIER]
    assert PERMISSIONS[Role.CASHIER] < PERMISSIONS[Role.MANAGER] < PERMISSIONS[Role.ADMIN]
    u = User(id=1, username="t", full_name="", role=Role.CASHIER)
    with pytest.raises(PermissionDenied) as exc:
        u.require(Permission.VOID)
    assert "hủy biên nhận" in exc.value.text("vi")
    assert not User(id=2, username="m", full_name="", role=Role.ADMIN, active=False).can(Permission.COLLECT)


def test_absurd_tender_refused():
    with pytest.raises(InvalidInput) as exc:
        plan_payment(req(tendered=5_000_600), CUST, BILLS, max_change=500_000)
    assert exc.value.code == "ledger.change_absurd"
    assert plan_payment(req(tendered=1_000), CUST, BILLS, max_change=500_000).change == 400
    # rounding up to whole millions is normal: 2,000,000 for 1,496,947
    big = [bill("X", 9, 1_496_947)]
    assert plan_payment(req(tendered=2_000_000), CUST, big, max_change=500_000).change == 503_053
    with pytest.raises(InvalidInput):
        plan_payment(req(tendered=3_000_000), CUST, big, max_change=500_000)


def test_verification_code_read_over_the_phone():
    from cashier.core.ledger import format_verification, normalise_verification

    assert format_verification("QP7KO3U3") == "QP7K-O3U3"
    assert normalise_verification(" qp7k-03u3 ") == "QP7KO3U3"  # zero for O
    assert normalise_verification("ab1c 8d") == "ABICBD"


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(
    statuses=st.lists(st.sampled_from(["unpaid", "unpaid", "collected", "paid_elsewhere"]), min_size=1,
                      max_size=7),
    picks=st.sets(st.integers(min_value=0, max_value=6)),
)
def test_selection_is_exactly_an_oldest_first_prefix(statuses, picks):
    """Accepted iff the chosen bills are all unpaid and every unpaid bill older than the newest
    chosen one is chosen too."""
    bills = [bill(f"B{i}", i + 1, 100, BillStatus(s)) for i, s in enumerate(statuses)]
    chosen = sorted(p for p in picks if p < len(bills))
    unpaid = [i for i, s in enumerate(statuses) if s == "unpaid"]
    ok = bool(chosen) and all(statuses[i] == "unpaid" for i in chosen) and all(
        i in chosen for i in unpaid if i < max(chosen))
    try:
        got = select_bills(bills, [f"B{i}" for i in chosen])
    except (Conflict, InvalidInput, NotFound):
        assert not ok
    else:
        assert ok and [b.bill_id for b in got] == [f"B{i}" for i in chosen]
