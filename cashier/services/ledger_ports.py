"""Ports (typing.Protocol) the ledger services depend on; ``cashier/db`` implements them.

* :class:`PasswordHasher` - argon2id (``cashier.db.ledger_crypto.Argon2Hasher``).
* :class:`SecretStore` - the per-station journal key, kept outside the database file
  (``cashier.db.ledger_crypto.FileSecretStore``).
* :class:`LedgerStore` - users, shifts, payments, voids, orders and the journal
  (``cashier.db.ledger_store.SqliteLedgerStore``). Every write that moves money or changes a
  user appends its journal entry inside the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Protocol

from cashier.core.basket import BasketInfo, BasketResult
from cashier.core.debt import Bill, Customer
from cashier.core.journal import Entry
from cashier.core.ledger import (
    LedgerSettings,
    Payment,
    PaymentPlan,
    PaymentRequest,
    ReconnectionOrder,
    Role,
    Shift,
    ShiftTotals,
    User,
    Void,
)

#: Called by the store inside the payment transaction with the customer and their bills as
#: they are *now* (re-read under the write lock), the amounts already paid by partial
#: payments, and whether a reconnection order is open. Raises DomainError to refuse.
Planner = Callable[[Customer, Sequence[Bill], Mapping[str, int], bool], PaymentPlan]


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, hashed: str, password: str) -> bool: ...

    def needs_rehash(self, hashed: str) -> bool: ...


class SecretStore(Protocol):
    def secret(self, create: bool = True) -> bytes:
        """The station's journal key (created on first use when ``create``; otherwise a missing
        key raises IntegrityError)."""
        ...

    def exists(self) -> bool: ...


class LedgerStore(Protocol):
    # -- settings -------------------------------------------------------------------------
    def settings(self) -> LedgerSettings: ...

    # -- users ----------------------------------------------------------------------------
    def count_users(self) -> int: ...

    def add_user(
        self,
        *,
        username: str,
        full_name: str,
        role: Role,
        cashier_code: str,
        password_hash: str,
        actor: User | None,
        ts: datetime,
        only_if_empty: bool = False,
    ) -> User: ...

    def user_by_name(self, username: str) -> tuple[User, str] | None:
        """(user, password hash) or None."""
        ...

    def user_by_id(self, user_id: int) -> User | None: ...

    def list_users(self) -> list[User]: ...

    def login_failed(
        self, user_id: int, ts: datetime, lock_until: datetime | None, *, restart: bool = False
    ) -> User: ...

    def login_succeeded(self, user_id: int, new_hash: str | None, ts: datetime | None = None) -> None: ...

    def update_user(self, user_id: int, *, actor: User, ts: datetime, event: str, **changes) -> User: ...

    def add_override(
        self, *, permission: str, approver: User, for_user: User, reason: str, ts: datetime
    ) -> int: ...

    # -- shifts ---------------------------------------------------------------------------
    def open_shift(self, *, station: str, user: User, opening_float: int, ts: datetime) -> Shift: ...

    def current_shift(self, station: str) -> Shift | None: ...

    def shift(self, shift_id: int) -> Shift | None: ...

    def last_closed_shift(self, station: str) -> Shift | None: ...

    def shift_totals(self, shift_id: int) -> ShiftTotals: ...

    def close_shift(
        self,
        *,
        shift_id: int,
        closed_by: User,
        counts: Mapping[int, int],
        ts: datetime,
        decide: Callable[[Shift, ShiftTotals], tuple[int, int, User | None]],
    ) -> Shift:
        """Close under the write lock; ``decide(shift, totals)`` returns (expected, counted,
        approver) or raises (variance over the limit without a manager)."""
        ...

    # -- payments -------------------------------------------------------------------------
    def customer_with_bills(self, code: str) -> tuple[Customer, list[Bill]] | None: ...

    def partial_paid(self, customer_code: str) -> dict[str, int]: ...

    def find_by_key(self, key: str) -> tuple[Payment, str] | None:
        """(payment, request fingerprint JSON) for an idempotency key."""
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
    ) -> Payment: ...

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
        """Every payment of a basket and the basket (one tender, one change) in ONE transaction
        (see db/basket_store.py): all or nothing."""
        ...

    def basket_of(self, receipt_no: str) -> BasketInfo | None: ...

    def basket(self, code: str) -> BasketResult | None: ...

    def payment(self, receipt_no: str) -> Payment | None: ...

    def payments(
        self, *, date: str | None = None, shift_id: int | None = None, not_exported: bool = False
    ) -> list[Payment]: ...

    def void_payment(
        self,
        *,
        receipt_no: str,
        reason: str,
        user: User,
        approved_by: User | None,
        shift_id: int | None,
        ts: datetime,
    ) -> Void: ...

    def voids(self, *, not_exported: bool = False) -> list[Void]: ...

    def reprint(self, *, receipt_no: str, user: User, approved_by: User | None, ts: datetime) -> Payment: ...

    def record_print(self, receipt_no: str, ok: bool) -> None: ...

    def reconnection_orders(self, status: str | None = None) -> list[ReconnectionOrder]: ...

    def set_order_status(self, order_id: int, status: str, *, user: User, ts: datetime) -> None: ...

    # -- journal --------------------------------------------------------------------------
    def append_journal(self, kind: str, payload: dict, ts: datetime) -> int: ...

    def journal_entries(self) -> list[Entry]: ...

    def journal_entry(self, seq: int) -> Entry | None: ...

    def iter_journal(self) -> Iterator[Entry]:
        """Entries in seq order, streamed."""
        ...

    def iter_payment_state(self) -> Iterator[tuple[tuple, list]]:
        """(payment row, lines) streamed, for verify's cross-check (see the store)."""
        ...

    def journal_head(self) -> tuple[int, str, str, str] | None:
        """(seq, hash, mac, key fingerprint) or None."""
        ...

    def state_rows(self) -> dict:
        """What verify cross-checks against the journal besides payments (voids, shifts, users,
        bills marked collected without a payment)."""
        ...
