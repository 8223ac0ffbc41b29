"""One payer, several customers ("thu gộp"): a landlord or a family pays several meters at once.

Pure rules (stdlib only); the service (``services/basket_collect.py``) and the store
(``db/basket_store.py``, re-checking inside its one transaction) apply these same ones:

* a basket holds 2 .. :data:`MAX_ENTRIES` customers, each at most once (the database also
  refuses a customer twice in one basket: a unique index on ``payment(basket_id, customer_code)``);
* each customer's payment is an ordinary full cash payment of the bills shown (oldest first, the
  reconnection fee when due): one receipt per customer, each clearing its own bills; partial,
  split and bank-transfer payments are collected one customer at a time;
* ONE tender for the whole basket: tendered >= the basket's total, change = tendered - total
  (the absurd-change guard of a single payment applies to the basket's total). Each payment is
  recorded as paid exactly (tendered = its total, change 0); the basket row holds the tender and
  the change, so the cash drawer counts the money once: tendered - change = sum of the payments.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from cashier.core.errors import Conflict, DomainError, InvalidInput
from cashier.core.ledger import Payment, compute_change
from cashier.core.ledger.payment_rules import refuse_absurd_change
from cashier.core.messages import Message
from cashier.core.money import MAX_AMOUNT, parse_amount

MIN_ENTRIES = 2
MAX_ENTRIES = 30


@dataclass(frozen=True, slots=True)
class BasketEntry:
    """One customer of the basket: the bills shown on screen and what they came to.

    ``bill_ids`` None: every unpaid bill. ``amount``: the total the cashier announced; the store
    refuses the basket when the ledger now computes another one (bills collected elsewhere
    between the scan and the confirmation, a fee now due)."""

    customer_code: str
    amount: int
    bill_ids: tuple[str, ...] | None = None
    name: str = ""


@dataclass(frozen=True, slots=True)
class Basket:
    """The basket being filled at the counter (immutable: ``add``/``remove`` return a new one)."""

    entries: tuple[BasketEntry, ...] = ()

    def __len__(self) -> int:
        return len(self.entries)

    def position(self, code: str) -> int | None:
        """1-based line of ``code`` in the basket, or None."""
        for i, e in enumerate(self.entries, 1):
            if e.customer_code == code:
                return i
        return None

    def add(self, entry: BasketEntry) -> Basket:
        if entry.amount <= 0:
            raise Conflict("basket.nothing_due", code=entry.customer_code)
        pos = self.position(entry.customer_code)
        if pos is not None:
            raise Conflict("basket.duplicate_customer", code=entry.customer_code, position=pos)
        if len(self.entries) >= MAX_ENTRIES:
            raise InvalidInput("basket.too_large", max=MAX_ENTRIES)
        return Basket(self.entries + (entry,))

    def remove(self, code: str) -> Basket:
        if self.position(code) is None:
            raise InvalidInput("basket.not_in_basket", code=code)
        return Basket(tuple(e for e in self.entries if e.customer_code != code))

    @property
    def total(self) -> int:
        return sum(e.amount for e in self.entries)

    def change(self, tendered: int | str, max_change: int = 0) -> int:
        return settle(self.total, tendered, max_change)


def validate_entries(entries: Iterable[BasketEntry]) -> tuple[BasketEntry, ...]:
    """The checks that need no state: 2..MAX customers, each once, positive amounts."""
    basket = Basket()
    for e in entries:
        code = (e.customer_code or "").strip()
        bills = None
        if e.bill_ids is not None:
            bills = tuple(dict.fromkeys(b.strip() for b in e.bill_ids if b and b.strip()))
            if not bills:
                raise InvalidInput("ledger.nothing_to_pay")
        amount = parse_amount(e.amount, limit=MAX_AMOUNT)
        basket = basket.add(replace(e, customer_code=code, bill_ids=bills, amount=amount))
    if len(basket) < MIN_ENTRIES:
        raise InvalidInput("basket.too_small", min=MIN_ENTRIES)
    return basket.entries


def settle(total: int, tendered: int | str, max_change: int = 0) -> int:
    """The basket's change for one tender; refuses tendered < total and an absurd change (a
    change reaching both ``max_change`` and the total: a typing slip, as for one payment)."""
    given = parse_amount(tendered, limit=MAX_AMOUNT)
    change = compute_change(total, given)
    refuse_absurd_change(given, total, change, max_change)
    return change


def refusal(exc: DomainError, code: str, position: int, size: int) -> DomainError:
    """The refusal of one customer's payment as the refusal of the whole basket (same class)."""
    why = Message(
        "basket.refused",
        {"code": code, "position": position, "size": size, "reason": Message(exc.code, exc.params)},
    )
    return type(exc)(why.code, **why.params)


def basket_code(first_receipt: str) -> str:
    """The basket's number: 'G-' + its first receipt (unique, as receipts are; no new counter)."""
    return f"G-{first_receipt}"


@dataclass(frozen=True, slots=True)
class BasketInfo:
    """A committed basket, as its receipts print it."""

    code: str
    total: int
    tendered: int
    change: int
    receipts: tuple[str, ...]
    journal_seq: int = 0
    id: int | None = None

    @property
    def size(self) -> int:
        return len(self.receipts)

    def position(self, receipt_no: str) -> int:
        return self.receipts.index(receipt_no) + 1

    def label(self, receipt_no: str) -> str:
        """'Thu gộp 2/3 — mã giỏ G-ST01-0000012' (printed on each receipt of the basket)."""
        return f"Thu gộp {self.position(receipt_no)}/{self.size} — mã giỏ {self.code}"

    def as_dict(self) -> dict:
        return {
            "basket": self.code,
            "total": self.total,
            "tendered": self.tendered,
            "change": self.change,
            "receipts": list(self.receipts),
        }


@dataclass(frozen=True, slots=True)
class BasketResult:
    """What ``collect_basket`` returns: the basket and its payments, in basket order."""

    basket: BasketInfo
    payments: tuple[Payment, ...] = field(default_factory=tuple)


def check_totals(basket: BasketInfo, payments: Sequence[Payment]) -> None:
    """The invariant the store re-checks before committing: cash counted once."""
    if sum(p.total for p in payments) != basket.total or basket.tendered - basket.change != basket.total:
        raise Conflict("conflict", detail=f"basket {basket.code} totals do not add up")


def fingerprint(entries: Iterable[BasketEntry], tendered: int) -> str:
    """What must match when the same basket idempotency key comes back."""
    return json.dumps(
        {"entries": [[e.customer_code, sorted(e.bill_ids) if e.bill_ids is not None else None, e.amount]
                     for e in entries], "tendered": tendered},
        sort_keys=True,
    )
