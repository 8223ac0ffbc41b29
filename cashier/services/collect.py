"""Collecting money: payments, receipts, reprints, voids, reconnection orders.

Public API (UI, printing, export helpers):

* ``preview(code, bill_ids=None, tendered=None, partial_amount=None)`` -> ``PaymentPlan``
* ``collect(user, code, tendered, bill_ids=None, method="cash", bank_ref="",
  partial_amount=None, idempotency_key=None, approval=None, transfer_amount=0)`` ->
  ``core.ledger.Payment`` (``transfer_amount`` > 0: a split payment, cash + bank transfer)
* ``payment(receipt_no)`` -> ``Payment`` (everything the receipt prints: cashier name and code,
  verification code, journal seq, print count / ``copy_label``)
* ``record_print(receipt_no, ok)`` - the printer reports whether the receipt came out
* ``reprint(receipt_no, user, approval=None)`` -> ``Payment`` with ``print_count`` incremented
  (the receipt then says ``payment.copy_label`` = "BẢN SAO — In lần N")
* ``void(receipt_no, reason, user, approval=None)`` -> ``Void``
* ``receipts(user, date=None)``, ``reconnection_orders(status=None)``
* baskets (one payer, several customers): ``preview_basket_entry``, ``collect_basket``,
  ``basket_of`` (services/basket_collect.py)
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence

from cashier.core.clock import Clock, SystemClock
from cashier.core.customer_code import CodePolicy, parse_scanned
from cashier.core.debt import Bill, Customer
from cashier.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from cashier.core.ledger import (
    Approval,
    Method,
    OrderStatus,
    Payment,
    PaymentPlan,
    PaymentRequest,
    PaymentStatus,
    Permission,
    ReconnectionOrder,
    User,
    Void,
    plan_payment,
    validate_request,
)
from cashier.services.basket_collect import BasketCollectMixin
from cashier.services.ports.orders import OrderStore
from cashier.services.ports.payment_changes import PaymentChangeStore
from cashier.services.ports.payments import PaymentStore
from cashier.services.ports.settings import SettingsStore
from cashier.services.shifts import ShiftService
from cashier.services.users import UsersService


class CollectService(BasketCollectMixin):  # + baskets (thu gộp): basket_collect.py
    def __init__(
        self,
        *,
        payments: PaymentStore,
        changes: PaymentChangeStore,
        orders: OrderStore,
        settings: SettingsStore,
        users: UsersService,
        shifts: ShiftService,
        clock: Clock | None = None,
        code_policy: CodePolicy | None = None,
    ) -> None:
        self.payment_store = payments
        self.change_store = changes
        self.order_store = orders
        self.settings_store = settings
        self.users = users
        self.shifts = shifts
        self.clock = clock or SystemClock()
        self.code_policy = code_policy or CodePolicy()

    def _code(self, raw: str) -> str:
        return parse_scanned(raw, self.code_policy).code

    def _planner(self, req: PaymentRequest, fee: int, max_change: int = 0):
        def plan(customer: Customer, bills: Sequence[Bill], paid: Mapping[str, int], order_open: bool) -> PaymentPlan:
            return plan_payment(
                req, customer, bills, paid_so_far=paid, reconnection_fee=fee, reconnection_open=order_open,
                max_change=max_change,
            )

        return plan

    def preview(
        self,
        code: str,
        bill_ids: Iterable[str] | None = None,
        tendered: int | None = None,
        partial_amount: int | None = None,
        method: Method | str = Method.CASH,
        transfer_amount: int = 0,
    ) -> PaymentPlan:
        """What ``collect`` would do (no write). ``tendered`` None previews with exact money
        (with ``transfer_amount``, a split payment: ``tendered`` is the cash handed over)."""
        code = self._code(code)
        found = self.payment_store.customer_with_bills(code)
        if found is None:
            raise NotFound("ledger.unknown_customer", code=code)
        customer, bills = found
        settings = self.settings_store.ledger()
        fee = settings.reconnection_fee
        orders = [o for o in self.order_store.reconnection_orders("open") if o.customer.code == code]
        probe = validate_request(
            PaymentRequest(
                customer_code=code,
                tendered=0,
                bill_ids=tuple(bill_ids) if bill_ids is not None else None,
                partial_amount=partial_amount,
                method=Method.CASH,
            )
        )
        paid = self.payment_store.partial_paid(code)
        open_order = bool(orders)
        if tendered is None:
            tendered = plan_payment(_with(probe, tendered=10**12), customer, bills, paid_so_far=paid,
                                    reconnection_fee=fee, reconnection_open=open_order).total
            tendered = max(0, tendered - (transfer_amount or 0))
        req = _with(probe, tendered=tendered, method=Method(method), bank_ref="preview",
                    transfer_amount=transfer_amount or 0)
        return plan_payment(req, customer, bills, max_change=settings.max_change, paid_so_far=paid,
                            reconnection_fee=fee, reconnection_open=open_order)

    def collect(
        self,
        user: User,
        code: str,
        tendered: int | str,
        *,
        bill_ids: Iterable[str] | None = None,
        method: Method | str = Method.CASH,
        bank_ref: str = "",
        partial_amount: int | str | None = None,
        idempotency_key: str | None = None,
        approval: Approval | None = None,
        transfer_amount: int | str = 0,
    ) -> Payment:
        """Take a payment: one atomic transaction; refusals leave the database unchanged.

        Split payment: ``method`` cash, ``transfer_amount`` paid by bank transfer (``bank_ref``),
        ``tendered`` the cash handed over for the rest (change only out of the cash part)."""
        req = validate_request(
            PaymentRequest(
                customer_code=self._code(code),
                tendered=tendered,  # type: ignore[arg-type]
                bill_ids=tuple(bill_ids) if bill_ids is not None else None,
                method=method,  # type: ignore[arg-type]
                bank_ref=bank_ref,
                partial_amount=partial_amount,  # type: ignore[arg-type]
                idempotency_key=idempotency_key,
                transfer_amount=transfer_amount or 0,  # type: ignore[arg-type]
            )
        )
        user, _ = self.users.check(user, Permission.COLLECT)
        if req.idempotency_key:
            prior = self.payment_store.find_by_key(req.idempotency_key)
            if prior is not None:
                # the same attempt retried: the first result, never a second payment
                payment, fingerprint = prior
                if fingerprint != json.dumps(req.fingerprint(), sort_keys=True):
                    raise Conflict("ledger.key_reused", key=req.idempotency_key, receipt=payment.receipt_no)
                return payment
        approval_id = None
        release_lost_by = None
        if approval is not None and approval.permission is Permission.COLLECT_LOST:
            # a manager lets a bill whose payment a restore lost be collected again (recorded)
            fresh, approver = self.users.check(user, Permission.COLLECT_LOST, approval)
            release_lost_by = approver or fresh
            approval_id = approval.override_id if approver is not None else None
        elif user.can(Permission.COLLECT_LOST):
            release_lost_by = self.users.refresh(user)
        if req.partial_amount is not None:
            _, approver = self.users.check(user, Permission.PARTIAL_PAYMENT, approval)
            approval_id = approval.override_id if approver is not None and approval else approval_id
        shift = self.shifts.require_open_shift(user)
        settings = self.settings_store.ledger()
        return self.payment_store.commit_payment(
            request=req,
            planner=self._planner(req, settings.reconnection_fee, settings.max_change),
            shift=shift,
            cashier=user,
            ts=self.clock.now(),
            approval_id=approval_id,
            release_lost_by=release_lost_by,
        )

    # -- receipts -------------------------------------------------------------------------
    def payment(self, receipt_no: str) -> Payment:
        p = self.payment_store.payment((receipt_no or "").strip().upper())
        if p is None:
            raise NotFound("ledger.receipt_unknown", receipt=receipt_no)
        return p

    def record_print(self, receipt_no: str, ok: bool) -> None:
        self.change_store.record_print(receipt_no, ok)

    def reprint(self, receipt_no: str, user: User, approval: Approval | None = None) -> Payment:
        """Print again: needs the reprint permission (or a manager's override), except the
        cashier's own receipt whose last print failed (printer jam, paper out)."""
        p = self.payment(receipt_no)
        if p.status is PaymentStatus.VOIDED:
            raise Conflict("ledger.already_voided", receipt=p.receipt_no)
        fresh = self.users.refresh(user)
        approver = None
        if not fresh.can(Permission.REPRINT):
            retry_failed = p.printed is False and p.cashier_id == fresh.id and fresh.can(Permission.COLLECT)
            if not retry_failed:
                try:
                    _, approver = self.users.check(fresh, Permission.REPRINT, approval)
                except PermissionDenied:
                    raise PermissionDenied(
                        "ledger.reprint_denied", receipt=p.receipt_no, count=p.print_count
                    ) from None
        return self.change_store.reprint(receipt_no=p.receipt_no, user=fresh, approved_by=approver, ts=self.clock.now())

    def void(self, receipt_no: str, reason: str, user: User, approval: Approval | None = None) -> Void:
        """Void a payment (manager, or cashier with a manager's override). Never deletes: the
        bills become unpaid again; an exported payment's void goes out as a reversal."""
        reason = " ".join((reason or "").split())
        if not reason:
            raise InvalidInput("ledger.void_reason")
        fresh, approver = self.users.check(user, Permission.VOID, approval)
        p = self.payment(receipt_no)
        shift = self.shifts.current_shift()
        return self.change_store.void_payment(
            receipt_no=p.receipt_no,
            reason=reason,
            user=fresh,
            approved_by=approver,
            shift_id=shift.id if shift else None,
            ts=self.clock.now(),
        )

    def receipts(self, user: User, date: str | None = None) -> list[Payment]:
        """Payments (all statuses), optionally of one day 'YYYY-MM-DD' (Vietnam time)."""
        fresh = self.users.refresh(user)
        if date:
            from datetime import date as _date

            try:
                date = _date.fromisoformat(date).isoformat()
            except ValueError:
                raise InvalidInput("invalid_input", detail=f"date {date!r} (expected YYYY-MM-DD)") from None
        payments = self.payment_store.payments(date=date)
        if not fresh.can(Permission.VIEW_REPORTS):
            payments = [p for p in payments if p.cashier_id == fresh.id]
        return payments

    def reconnection_orders(self, status: str | None = None) -> list[ReconnectionOrder]:
        return self.order_store.reconnection_orders(status)

    def set_order_status(self, user: User, order_id: int, status: str = "done") -> None:
        """A manager marks a reconnection order done (field crew reconnected) or cancelled."""
        fresh, _ = self.users.check(user, Permission.VIEW_REPORTS)
        try:
            status = OrderStatus(status).value
        except ValueError:
            raise InvalidInput("invalid_input", detail=f"order status {status!r}") from None
        self.order_store.set_order_status(order_id, status, user=fresh, ts=self.clock.now())


def _with(req: PaymentRequest, **changes) -> PaymentRequest:
    from dataclasses import replace

    return replace(req, **changes)


