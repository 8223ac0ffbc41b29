"""Shifts, their money totals and the X/Z shift reports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class ShiftStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class Shift:
    id: int
    station: str
    user_id: int
    username: str
    opened_at: datetime
    opening_float: int
    status: ShiftStatus = ShiftStatus.OPEN
    closed_at: datetime | None = None
    counts: Mapping[int, int] = field(default_factory=dict)
    counted: int | None = None
    expected: int | None = None
    variance: int | None = None
    z_number: int | None = None
    closed_by: int | None = None
    approved_by: int | None = None


@dataclass(frozen=True, slots=True)
class ShiftTotals:
    """Money moved during a shift (computed by the store)."""

    payments: int = 0  # active payments taken in the shift
    cash_total: int = 0
    transfer_total: int = 0
    bills: int = 0
    reconnection_fees: int = 0
    voids: int = 0  # payments of this shift voided (any time)
    voided_total: int = 0
    refunds_cash: int = 0  # cash handed back in this shift for voids of earlier shifts' payments
    reprints: int = 0


@dataclass(frozen=True, slots=True)
class ShiftReport:
    """X report (kind 'X', mid-shift) or Z report (kind 'Z', at closing, numbered)."""

    kind: str
    station: str
    shift: Shift
    cashier_name: str
    totals: ShiftTotals
    expected_cash: int
    generated_at: datetime
    z_number: int | None = None
    counts: Mapping[int, int] = field(default_factory=dict)
    counted: int | None = None
    variance: int | None = None

    def as_dict(self) -> dict:
        s = self.shift
        return {
            "kind": self.kind,
            "z_number": self.z_number,
            "station": self.station,
            "shift": s.id,
            "cashier": s.username,
            "cashier_name": self.cashier_name,
            "opened_at": s.opened_at.isoformat(),
            "closed_at": s.closed_at.isoformat() if s.closed_at else None,
            "opening_float": s.opening_float,
            "payments": self.totals.payments,
            "bills": self.totals.bills,
            "cash_total": self.totals.cash_total,
            "transfer_total": self.totals.transfer_total,
            "reconnection_fees": self.totals.reconnection_fees,
            "voids": self.totals.voids,
            "voided_total": self.totals.voided_total,
            "refunds_cash": self.totals.refunds_cash,
            "reprints": self.totals.reprints,
            "expected_cash": self.expected_cash,
            "counts": {str(k): v for k, v in sorted(self.counts.items(), reverse=True)},
            "counted": self.counted,
            "variance": self.variance,
            "generated_at": self.generated_at.isoformat(),
        }


def expected_cash(opening_float: int, totals: ShiftTotals) -> int:
    return opening_float + totals.cash_total - totals.refunds_cash
