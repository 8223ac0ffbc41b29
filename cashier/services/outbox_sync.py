"""Uploading the outbox (issue 13 item 3): the payments a counter collected on its local ledger
while the server could not be reached go to the server, in order per station.

``run_once`` is one cycle. Each payment is applied by the server in its own transaction
(idempotent: a re-send gets the same answer, counted as a duplicate). A payment the server
refuses for a reason of its own (a customer, bill or cashier it does not know, a receipt number
already used) is set aside with its reason and the cycle goes on: one stuck payment never blocks
the ones after it (ERPNext #13388). A refusal that says "not now" (the connection is lost, the
server is busy: ``TRANSIENT_CODES``) ends the cycle; that payment and the rest stay pending for
the next one. Nothing is lost either way: a payment leaves the queue only once the server has it.
"""

from __future__ import annotations

from dataclasses import dataclass

from cashier.core.clock import Clock, SystemClock, iso
from cashier.core.errors import Conflict, DomainError
from cashier.core.messages import Message
from cashier.services.ports.outbox import REFUND_CASE, TRANSIENT_CODES, OutboxServer, OutboxStore


@dataclass(frozen=True)
class SyncCounts:
    uploaded: int = 0  # newly applied (refund cases included)
    duplicates: int = 0  # the server had them already
    refund_cases: int = 0  # applied with a refund case (the bill was collected elsewhere)
    set_aside: int = 0  # refused for a reason of their own, this cycle
    pending: int = 0  # still waiting after the cycle
    #: the transient refusal that ended the cycle early (None: the queue was worked through)
    stopped_by: str | None = None


class OutboxSync:
    def __init__(self, local: OutboxStore, server: OutboxServer, clock: Clock | None = None) -> None:
        self.local = local
        self.server = server
        self.clock = clock or SystemClock()

    def pending_count(self) -> int:
        return self.local.pending_count()

    def status(self) -> Message:
        """The counter's status line: "N payments wait to upload"."""
        return Message("outbox.pending", {"count": self.pending_count()})

    def refuse_close_with_pending(self) -> None:
        """For closing a shift: refused (``outbox.close_with_pending``) while any payment of this
        counter is not on the server (waiting, or set aside); the shift flow may let a manager
        override it."""
        pending, aside = self.pending_count(), len(self.local.set_aside_items())
        if pending + aside:
            raise Conflict("outbox.close_with_pending", count=pending + aside, aside=aside)

    def run_once(self) -> SyncCounts:
        uploaded = duplicates = refunds = set_aside = 0
        stopped_by: str | None = None
        for item in self.local.pending():
            try:
                result = self.server.apply(item)
            except DomainError as exc:
                if exc.code in TRANSIENT_CODES:
                    stopped_by = exc.code
                    break
                self.local.set_aside(item, exc.code, exc.text("en"), iso(self.clock.now()))
                set_aside += 1
                continue
            except Exception as exc:  # a fault of this payment's data: never block the others
                err = DomainError("outbox.unexpected", receipt=item.payment.receipt_no, detail=repr(exc))
                self.local.set_aside(item, err.code, err.text("en"), iso(self.clock.now()))
                set_aside += 1
                continue
            self.local.mark_uploaded(item, result, iso(self.clock.now()))
            if result.duplicate:
                duplicates += 1
            else:
                uploaded += 1
                refunds += result.outcome == REFUND_CASE
        return SyncCounts(uploaded=uploaded, duplicates=duplicates, refund_cases=refunds, set_aside=set_aside,
                          pending=self.local.pending_count(), stopped_by=stopped_by)
