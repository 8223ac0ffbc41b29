"""The durable outbox (issue 13 item 3): the counter's local ledger keeps every payment collected
while the server could not be reached until the server has it; the server applies an uploaded
payment idempotently (its client UUID, and the station and sequence).

``OutboxStore`` is the local side (SQLite), ``OutboxServer`` the server side (PostgreSQL);
``services/outbox_sync.py`` moves payments from one to the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from cashier.core.ledger import Payment

#: outcomes of an applied payment: on the server as collected, or recorded with a refund case
#: for the bills another counter had already collected (the cash was taken: it is owed back)
APPLIED = "applied"
REFUND_CASE = "refund_case"

#: codes of the refusals that say "not now" (the server is down or busy): the cycle stops and the
#: payment stays pending; every other refusal is about the payment itself and sets it aside
TRANSIENT_CODES = frozenset({"postgres.connection_lost", "storage.busy"})


@dataclass(frozen=True)
class OutboxItem:
    """One payment waiting to upload: the payment as the receipt shows it, its identity and
    place in the station's order, and the local shift it was collected in."""

    client_uuid: str
    station: str
    sequence: int
    payment: Payment
    shift_opened_at: str
    shift_opening_float: int


@dataclass(frozen=True)
class ApplyResult:
    """The server's answer (the same one each time the same payment is sent)."""

    outcome: str  # APPLIED or REFUND_CASE
    receipt_no: str
    refund_bills: tuple[str, ...] = ()
    #: True when the server had it already (a re-send after a lost answer)
    duplicate: bool = False


@dataclass(frozen=True)
class SetAside:
    """A payment the server refused for a reason of its own (never retried by itself)."""

    client_uuid: str
    receipt_no: str
    reason_code: str
    reason: str
    at: str


class OutboxStore(Protocol):
    def pending(self) -> list[OutboxItem]:
        """The payments waiting to upload, per station in sequence order."""
        ...

    def pending_count(self) -> int: ...

    def mark_uploaded(self, item: OutboxItem, result: ApplyResult, ts: str) -> None: ...

    def set_aside(self, item: OutboxItem, reason_code: str, reason: str, ts: str) -> None: ...

    def set_aside_items(self) -> list[SetAside]: ...

    def retry(self, client_uuid: str) -> bool:
        """Put a set-aside payment back in the queue (after its cause was fixed)."""
        ...


class OutboxServer(Protocol):
    def apply(self, item: OutboxItem) -> ApplyResult:
        """Apply one uploaded payment in ONE transaction; raises a DomainError whose code is in
        :data:`TRANSIENT_CODES` when the server cannot be reached, another one when the payment
        itself is refused."""
        ...
