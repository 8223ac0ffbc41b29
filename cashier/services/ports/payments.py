"""Port of the payments aggregate: committing a payment or a basket, and reading them back.

The hot path of the counter. ``commit_payment`` is ONE write transaction that takes the write
lock first, re-reads the customer and their bills (``planner`` runs on what is true *now*),
takes the station's next receipt number (gapless per station: ``<station>-0000001``...), writes
the payment, its lines, the bills' status and the journal entry together. The database itself
refuses a second active settling payment line for a bill (SQLite: the partial unique index
``payment_line_one_settling``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Protocol

from cashier.core.basket import BasketInfo, BasketResult
from cashier.core.debt import Bill, Customer
from cashier.core.ledger import Payment, PaymentPlan, PaymentRequest, Shift, User

#: Called by the store inside the payment transaction with the customer and their bills as
#: they are *now* (re-read under the write lock), the amounts already paid by partial
#: payments (bill id -> đồng), and whether a reconnection order is open. Raises DomainError to
#: refuse; nothing is written then.
Planner = Callable[[Customer, Sequence[Bill], Mapping[str, int], bool], PaymentPlan]


class PaymentStore(Protocol):
    def customer_with_bills(self, code: str) -> tuple[Customer, list[Bill]] | None:
        """The customer and every bill of theirs (oldest first), each bill with the receipt of
        its active settling payment (``Bill.receipt``); None for an unknown code."""
        ...

    def partial_paid(self, customer_code: str) -> dict[str, int]:
        """bill id -> amount already paid on it by active partial (non-settling) lines."""
        ...

    def find_by_key(self, key: str) -> tuple[Payment, str] | None:
        """(payment, request fingerprint JSON) for an idempotency key, or None."""
        ...

    def commit_payment(
        self,
        *,
        request: PaymentRequest,
        planner: Planner,
        shift: Shift,
        cashier: User,
        ts: datetime,
        approval_id: int | None = None,
        release_lost_by: User | None = None,
    ) -> Payment:
        """Commit one payment at ``shift.station`` (see the module docstring) and return it as
        stored (receipt number, journal seq, verification code).

        Idempotent: a request whose ``idempotency_key`` is known returns the stored payment when
        its fingerprint is the same, and raises Conflict ``ledger.key_reused`` otherwise.
        Raises Conflict ``shift.closed`` (the shift is closed or unknown), NotFound
        ``ledger.unknown_customer``, Conflict ``ledger.already_collected`` (a bill is settled
        already - whatever the planner said, the constraint refuses), Conflict
        ``ledger.lost_bill`` (a bill whose payment a restore lost, without ``release_lost_by``),
        whatever ``planner`` raises, Conflict ``ledger.db_refused`` for another constraint, and
        StorageBusy / StorageFull. Nothing is written when it raises."""
        ...

    def commit_basket(
        self,
        *,
        requests: Sequence[tuple[PaymentRequest, Planner]],
        settle: Callable[[int], int],
        tendered: int,
        shift: Shift,
        cashier: User,
        ts: datetime,
        idempotency_key: str | None = None,
        fingerprint: str = "",
        release_lost_by: User | None = None,
    ) -> BasketResult:
        """Every payment of a basket (one payer, several customers, one tender, one change) and
        the basket itself in ONE transaction: all or nothing - a refusal on any customer leaves
        no payment, no journal entry and no receipt number used.

        Each payment is committed as :meth:`commit_payment` would; ``settle(total)`` returns the
        change of the one tender (raises when short). A refusal of customer ``pos`` is raised as
        ``cashier.core.basket.refusal`` builds it (the customer and position named); the same
        customer twice raises Conflict ``basket.duplicate_customer``; a known
        ``idempotency_key`` returns the stored basket (same fingerprint) or raises Conflict
        ``basket.key_reused``."""
        ...

    def basket_of(self, receipt_no: str) -> BasketInfo | None:
        """The basket a receipt belongs to (None: an ordinary payment or unknown receipt)."""
        ...

    def basket(self, code: str) -> BasketResult | None: ...

    def payment(self, receipt_no: str) -> Payment | None: ...

    def payments(
        self,
        *,
        date: str | None = None,
        shift_id: int | None = None,
        not_exported: bool = False,
        status: str | None = None,
        station: str | None = None,
    ) -> list[Payment]:
        """Payments by id, filtered: ``date`` 'YYYY-MM-DD' (Vietnam time), a shift, not yet in
        a clearing batch (active ones only), a status ('active' / 'voided'), a station."""
        ...
