"""Collecting a basket ("thu gộp"): one payer, several customers, one tender and one change.

Part of ``CollectService`` (mixed in): ``preview_basket_entry(code)`` -> ``BasketEntry`` (what a
scan adds to the basket), ``collect_basket(user, entries, tendered, idempotency_key=None)`` ->
``BasketResult`` (one receipt per customer, committed in ONE transaction), ``basket_of(receipt)``.
Rules: ``core/basket.py``; the permission (collect) and the open shift are checked here, for the
window and the command line alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from cashier.core.basket import (
    BasketEntry,
    BasketInfo,
    BasketResult,
    fingerprint,
    settle,
    validate_entries,
)
from cashier.core.debt import Bill, Customer
from cashier.core.errors import Conflict, NotFound
from cashier.core.ledger import (
    Method,
    PaymentPlan,
    PaymentRequest,
    Permission,
    User,
    plan_payment,
    validate_request,
)
from cashier.core.money import MAX_AMOUNT, format_number, parse_amount
from cashier.services.ports.payments import PaymentStore
from cashier.services.ports.settings import SettingsStore


def _exact_planner(req: PaymentRequest, entry: BasketEntry, fee: int):
    """One customer's payment in a basket: paid exactly (the basket holds the tender), and
    refused when the ledger now computes another amount than the one announced."""

    def plan(customer: Customer, bills: Sequence[Bill], paid: Mapping[str, int], order_open: bool) -> PaymentPlan:
        p = plan_payment(
            replace(req, tendered=MAX_AMOUNT), customer, bills, paid_so_far=paid, reconnection_fee=fee,
            reconnection_open=order_open,
        )  # fmt: skip
        if p.total != entry.amount:
            raise Conflict(
                "basket.amount_changed", code=entry.customer_code, was=format_number(entry.amount),
                now=format_number(p.total),
            )  # fmt: skip
        return replace(p, tendered=p.total, change=0)

    return plan


class BasketCollectMixin:
    """The basket use cases of :class:`~cashier.services.collect.CollectService`."""

    # provided by CollectService
    payment_store: PaymentStore
    settings_store: SettingsStore
    users: Any
    shifts: Any
    clock: Any

    def _code(self, raw: str) -> str:  # pragma: no cover - CollectService's
        raise NotImplementedError

    def preview(self, code: str) -> PaymentPlan:  # pragma: no cover - CollectService's
        raise NotImplementedError

    def preview_basket_entry(self, code: str) -> BasketEntry:
        """What scanning ``code`` adds to a basket: every unpaid bill (oldest first) and the
        reconnection fee when due; raises when there is nothing to collect (as a single payment)."""
        plan = self.preview(code)
        customer_code = self._code(code)
        found = self.payment_store.customer_with_bills(customer_code)
        name = found[0].name if found else ""
        bill_ids = tuple(ln.bill_id for ln in plan.lines if ln.bill_id) or None
        if bill_ids is None and plan.total <= 0:
            raise Conflict("basket.nothing_due", code=customer_code)
        return BasketEntry(customer_code=customer_code, amount=plan.total, bill_ids=bill_ids, name=name)

    def collect_basket(
        self,
        user: User,
        entries: Iterable[BasketEntry],
        tendered: int | str,
        *,
        idempotency_key: str | None = None,
    ) -> BasketResult:
        """Collect every customer of the basket with one tender: all the payments, their journal
        entries and the basket's entry in one transaction, or nothing (the refusal names the
        customer). ``tendered`` >= the basket's total; the change is given once."""
        items = validate_entries(
            replace(e, customer_code=self._code(e.customer_code)) for e in entries
        )
        given = parse_amount(tendered, limit=MAX_AMOUNT)
        user, _ = self.users.check(user, Permission.COLLECT)
        settings = self.settings_store.ledger()
        settle(sum(e.amount for e in items), given, settings.max_change)  # refuse early (no lock)
        release_lost_by = self.users.refresh(user) if user.can(Permission.COLLECT_LOST) else None
        shift = self.shifts.require_open_shift(user)
        key = (idempotency_key or "").strip() or None
        requests = []
        for e in items:
            req = validate_request(
                PaymentRequest(customer_code=e.customer_code, tendered=e.amount, bill_ids=e.bill_ids,
                               method=Method.CASH)
            )  # fmt: skip
            requests.append((req, _exact_planner(req, e, settings.reconnection_fee)))
        return self.payment_store.commit_basket(
            requests=requests,
            settle=lambda total: settle(total, given, settings.max_change),
            tendered=given,
            shift=shift,
            cashier=user,
            ts=self.clock.now(),
            idempotency_key=key,
            fingerprint=fingerprint(items, given),
            release_lost_by=release_lost_by,
        )

    def max_change(self) -> int:
        """The absurd-change limit a tender is judged against (``ledger.max_change``)."""
        return int(self.settings_store.ledger().max_change)

    def basket_of(self, receipt_no: str) -> BasketInfo | None:
        """The basket a receipt belongs to (None: an ordinary payment)."""
        return self.payment_store.basket_of((receipt_no or "").strip().upper())

    def basket(self, code: str) -> BasketResult:
        found = self.payment_store.basket((code or "").strip().upper())
        if found is None:
            raise NotFound("not_found", what=f"basket {code}")
        return found
