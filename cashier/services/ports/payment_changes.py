"""Port of what happens to a payment after it is committed: voids, reprints, print outcomes."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from cashier.core.ledger import Payment, User, Void


class PaymentChangeStore(Protocol):
    def void_payment(
        self,
        *,
        receipt_no: str,
        reason: str,
        user: User,
        approved_by: User | None,
        shift_id: int | None,
        ts: datetime,
    ) -> Void:
        """Void a payment - ONE transaction: the payment and its lines inactive, its settled
        bills unpaid again, its open reconnection order cancelled, the void row and the journal
        entry (in the payment's station's chain). A payment already in a clearing batch is
        marked ``needs_reversal`` (the next export sends a reversal row).

        Raises NotFound ``ledger.receipt_unknown``, Conflict ``ledger.already_voided``."""
        ...

    def voids(self, *, not_exported: bool = False, station: str | None = None) -> list[Void]:
        """Voids by id; ``not_exported``: those needing a reversal not yet exported."""
        ...

    def reprint(self, *, receipt_no: str, user: User, approved_by: User | None, ts: datetime) -> Payment:
        """Count one more print of the receipt (journalled ``reprint``), one transaction; the
        print outcome is unknown again until :meth:`record_print`. Raises NotFound
        ``ledger.receipt_unknown``."""
        ...

    def record_print(self, receipt_no: str, ok: bool) -> None:
        """Whether the last print of the receipt came out (not journalled). Raises NotFound
        ``ledger.receipt_unknown``."""
        ...
