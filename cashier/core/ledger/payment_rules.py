"""The payment rules the service, the store (re-checking inside its transaction) and the UI
(previewing) all apply: input checks, the oldest-first bill selection, partial amounts, split
payments, the reconnection-fee line and the change."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from cashier.core.debt import Bill, BillStatus, Customer
from cashier.core.errors import Conflict, InvalidInput, NotFound
from cashier.core.ledger.cash import compute_change
from cashier.core.ledger.payments import (
    LineKind,
    Method,
    PaymentLine,
    PaymentPlan,
    PaymentRequest,
)
from cashier.core.money import MAX_AMOUNT, format_number, parse_amount


def validate_request(req: PaymentRequest) -> PaymentRequest:
    """Input checks that need no state (amounts, method, reference)."""
    tendered = parse_amount(req.tendered, limit=MAX_AMOUNT)
    try:
        method = Method(req.method)
    except ValueError:
        raise InvalidInput("ledger.method", method=str(req.method)) from None
    partial = req.partial_amount
    if partial is not None:
        partial = parse_amount(partial)
    bank_ref = (req.bank_ref or "").strip()
    if method is Method.TRANSFER and not bank_ref:
        raise InvalidInput("ledger.transfer_ref")
    transfer = parse_amount(req.transfer_amount or 0, limit=MAX_AMOUNT)
    if transfer:
        if method is not Method.CASH:
            raise InvalidInput("ledger.split_method")
        if not bank_ref:
            raise InvalidInput("ledger.split_ref")
    bills = req.bill_ids
    if bills is not None:
        bills = tuple(dict.fromkeys(b.strip() for b in bills if b and b.strip()))
        if not bills:
            raise InvalidInput("ledger.nothing_to_pay")
    if partial is not None and (bills is None or len(bills) != 1):
        raise InvalidInput("ledger.partial_one_bill")
    key = (req.idempotency_key or "").strip() or None
    return PaymentRequest(
        customer_code=req.customer_code,
        tendered=tendered,
        bill_ids=bills,
        method=method,
        bank_ref=bank_ref,
        partial_amount=partial,
        idempotency_key=key,
        transfer_amount=transfer,
    )


def _refuse_status(bill: Bill, receipt: str | None) -> None:
    if bill.status == BillStatus.UNPAID:
        return
    if bill.status in (BillStatus.COLLECTED, BillStatus.CLEARED):
        raise Conflict("ledger.already_collected", bill=bill.bill_id, receipt=receipt or "?")
    if bill.status == BillStatus.PAID_ELSEWHERE:
        raise Conflict("ledger.paid_elsewhere", bill=bill.bill_id)
    raise Conflict("ledger.not_collectable", bill=bill.bill_id, status=str(bill.status))


def select_bills(
    bills: Sequence[Bill], requested: Iterable[str] | None, *, customer_code: str = ""
) -> list[Bill]:
    """Oldest-first selection rule.

    ``bills``: every bill of the customer (any status). ``requested``: bill ids (ID_HDON), or
    None for all unpaid. Returns the selected bills oldest first. Refuses an unknown bill, a bill
    that is not unpaid, and a newer bill while an older unpaid one is not selected.
    """
    open_bills = sorted((b for b in bills if b.status == BillStatus.UNPAID), key=lambda b: b.sort_key)
    if requested is None:
        if not open_bills:
            raise Conflict("ledger.no_bills", code=customer_code)
        return open_bills
    by_id = {b.bill_id: b for b in bills}
    wanted = []
    for bid in requested:
        bill = by_id.get(bid)
        if bill is None:
            raise NotFound("ledger.unknown_bill", bill=bid, code=customer_code)
        _refuse_status(bill, bill.receipt)
        wanted.append(bill)
    if not wanted:
        raise InvalidInput("ledger.nothing_to_pay")
    wanted_ids = {b.bill_id for b in wanted}
    newest = max(wanted, key=lambda b: b.sort_key)
    for older in open_bills:
        if older.sort_key >= newest.sort_key:
            break
        if older.bill_id not in wanted_ids:
            offender = min(
                (b for b in wanted if b.sort_key > older.sort_key), key=lambda b: b.sort_key
            )
            raise Conflict(
                "ledger.oldest_first",
                bill=offender.bill_id,
                period=offender.period,
                older=older.bill_id,
                older_period=older.period,
            )
    return sorted(wanted, key=lambda b: b.sort_key)


def bill_line(bill: Bill, amount: int | None = None, *, settles: bool = True) -> PaymentLine:
    return PaymentLine(
        kind=LineKind.BILL,
        amount=bill.total if amount is None else amount,
        bill_row=bill.id,
        bill_id=bill.bill_id,
        ky=bill.ky,
        thang=bill.thang,
        nam=bill.nam,
        kwh=bill.kwh,
        bill_amount=bill.amount,
        vat=bill.vat,
        bill_total=bill.total,
        series=bill.series,
        number=bill.number,
        reading_start=bill.reading_start,
        reading_end=bill.reading_end,
        tiers=bill.tiers,
        settles=settles,
    )


def refuse_absurd_change(tendered: int, due: int, change: int, max_change: int) -> None:
    """A change as large as the cash due (and over the limit) is a typing slip, not a payment."""
    if max_change and change >= max(max_change, due):
        raise InvalidInput(
            "ledger.change_absurd",
            tendered=format_number(tendered),
            total=format_number(due),
            change=format_number(change),
        )


def plan_payment(
    req: PaymentRequest,
    customer: Customer,
    bills: Sequence[Bill],
    *,
    paid_so_far: Mapping[str, int] | None = None,
    reconnection_fee: int = 0,
    reconnection_open: bool = False,
    max_change: int = 0,
) -> PaymentPlan:
    """Lines, total and change of a payment (pure; the store re-runs it inside its transaction).

    ``paid_so_far``: bill id -> amount already paid by active partial payments.
    ``reconnection_fee``: the configured fee; added when the customer is flagged disconnected and
    no reconnection order is open for them yet (``reconnection_open``).
    ``max_change``: refuse a cash tender whose change would reach both this and the total due (a
    typing slip such as 5,000,000 for 500,000; 2,000,000 for 1,496,947 is fine); 0 = no limit.
    """
    paid_so_far = paid_so_far or {}
    add_fee = bool(customer.disconnected and reconnection_fee > 0 and not reconnection_open)
    open_bills = [b for b in bills if b.status == BillStatus.UNPAID]
    if req.bill_ids is None and not open_bills and add_fee:
        selected: list[Bill] = []  # only the reconnection fee is due
    else:
        selected = select_bills(bills, req.bill_ids, customer_code=customer.code)
    lines: list[PaymentLine] = []
    for bill in selected:
        remaining = bill.total - paid_so_far.get(bill.bill_id, 0)
        if req.partial_amount is not None:
            if not 0 < req.partial_amount <= remaining:
                raise InvalidInput(
                    "ledger.partial_range",
                    amount=format_number(req.partial_amount),
                    remaining=format_number(remaining),
                    bill=bill.bill_id,
                )
            lines.append(bill_line(bill, req.partial_amount, settles=req.partial_amount == remaining))
        else:
            lines.append(bill_line(bill, remaining))
    if add_fee:
        lines.append(PaymentLine(kind=LineKind.RECONNECTION_FEE, amount=reconnection_fee))
    total = sum(ln.amount for ln in lines)
    if total > MAX_AMOUNT:
        raise InvalidInput("money.too_large", value=str(total), limit=format_number(MAX_AMOUNT))
    if req.method is Method.TRANSFER:
        if req.tendered != total:
            raise Conflict(
                "ledger.transfer_amount",
                total=format_number(total),
                tendered=format_number(req.tendered),
            )
        change = 0
    elif req.transfer_amount:
        # split: the transfer part is exact, change only ever comes out of the cash part
        transfer = req.transfer_amount
        if not 0 < transfer < total:
            raise InvalidInput(
                "ledger.split_range", transfer=format_number(transfer), total=format_number(total)
            )
        cash_due = total - transfer
        if req.tendered < cash_due:
            raise Conflict(
                "ledger.split_cash_short",
                tendered=format_number(req.tendered),
                cash=format_number(cash_due),
                total=format_number(total),
                transfer=format_number(transfer),
            )
        change = req.tendered - cash_due
        refuse_absurd_change(req.tendered, cash_due, change, max_change)
        return PaymentPlan(
            lines=tuple(lines),
            total=total,
            tendered=req.tendered + transfer,
            change=change,
            reconnection=add_fee,
            transfer_amount=transfer,
        )
    else:
        change = compute_change(total, req.tendered)
        refuse_absurd_change(req.tendered, total, change, max_change)
    return PaymentPlan(
        lines=tuple(lines),
        total=total,
        tendered=req.tendered,
        change=change,
        reconnection=add_fee,
    )
