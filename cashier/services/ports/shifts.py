"""Port of the shifts aggregate: a cashier's shift at one station, its totals and its close (Z).

Per station: at most ONE open shift per station (a database constraint, not only a check), and
Z numbers are a gapless sequence per station, taken in the closing transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Protocol

from cashier.core.ledger import Shift, ShiftTotals, User

#: Called inside the closing transaction with the shift and its totals as they are now; returns
#: (expected cash, counted cash, approving manager or None) or raises DomainError to refuse.
CloseDecision = Callable[[Shift, ShiftTotals], tuple[int, int, User | None]]


class ShiftStore(Protocol):
    def open_shift(self, *, station: str, user: User, opening_float: int, ts: datetime) -> Shift:
        """Open a shift (journalled ``shift_open``), one transaction. Raises Conflict
        ``shift.already_open`` when the station has an open shift."""
        ...

    def current_shift(self, station: str) -> Shift | None:
        """The station's open shift, if any."""
        ...

    def shift(self, shift_id: int) -> Shift | None: ...

    def last_closed_shift(self, station: str) -> Shift | None:
        """The station's closed shift with the highest Z number."""
        ...

    def shift_totals(self, shift_id: int) -> ShiftTotals:
        """Payments, cash/transfer parts, bills, fees, voids, reprints and cash refunds of the
        shift (active payments only; voids of other shifts' cash payments as refunds)."""
        ...

    def close_shift(
        self,
        *,
        shift_id: int,
        closed_by: User,
        counts: Mapping[int, int],
        ts: datetime,
        decide: CloseDecision,
    ) -> Shift:
        """Close under the write lock: re-read the shift and its totals, ``decide`` (may raise),
        take the station's next Z number, store the counts and journal ``shift_close`` - one
        transaction. Raises Conflict ``shift.closed`` for an unknown or closed shift."""
        ...
