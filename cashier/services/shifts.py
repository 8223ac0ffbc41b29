"""Cashier shifts: open with a float, X report mid-shift, close with a count by denomination
(Z report, numbered per station and never reused). A variance above the configured limit needs
a manager (the closing user's own permission or a manager's override).

Public API (UI, CLI): ``open_shift``, ``current_shift``, ``require_open_shift``, ``x_report``,
``preview_close``, ``close_shift``, ``report``, ``last_z_report``.
"""

from __future__ import annotations

from collections.abc import Mapping

from cashier.core.clock import Clock, SystemClock
from cashier.core.errors import Conflict, NotFound, PermissionDenied
from cashier.core.ledger import (
    Approval,
    Permission,
    Shift,
    ShiftReport,
    ShiftStatus,
    ShiftTotals,
    User,
    count_total,
    expected_cash,
    validate_counts,
)
from cashier.core.money import format_number, parse_amount
from cashier.services.ports.settings import SettingsStore
from cashier.services.ports.shifts import ShiftStore
from cashier.services.users import UsersService


class ShiftService:
    def __init__(
        self, store: ShiftStore, users: UsersService, settings: SettingsStore, clock: Clock | None = None
    ) -> None:
        self.store = store
        self.users = users
        self.settings = settings
        self.clock = clock or SystemClock()

    @property
    def station(self) -> str:
        return self.settings.ledger().station

    def current_shift(self) -> Shift | None:
        return self.store.current_shift(self.station)

    def open_shift(self, user: User, opening_float: int | str) -> Shift:
        user, _ = self.users.check(user, Permission.OPEN_SHIFT)
        amount = parse_amount(opening_float)
        return self.store.open_shift(station=self.station, user=user, opening_float=amount, ts=self.clock.now())

    def require_open_shift(self, user: User) -> Shift:
        """The station's open shift, which must be ``user``'s own."""
        shift = self.current_shift()
        if shift is None:
            raise Conflict("shift.none", station=self.station)
        if shift.user_id != user.id:
            raise Conflict("shift.not_yours", station=self.station, owner=shift.username)
        return shift

    def _report(self, kind: str, shift: Shift, totals: ShiftTotals) -> ShiftReport:
        owner = self.users.by_id(shift.user_id)
        return ShiftReport(
            kind=kind,
            station=shift.station,
            shift=shift,
            cashier_name=(owner.full_name or owner.username) if owner else shift.username,
            totals=totals,
            expected_cash=shift.expected if shift.expected is not None else expected_cash(shift.opening_float, totals),
            generated_at=self.clock.now(),
            z_number=shift.z_number,
            counts=dict(shift.counts),
            counted=shift.counted,
            variance=shift.variance,
        )

    def _may_see(self, user: User, shift: Shift) -> User:
        user = self.users.refresh(user)
        if shift.user_id != user.id:
            user.require(Permission.VIEW_REPORTS)
        return user

    def x_report(self, user: User) -> ShiftReport:
        """Mid-shift report of the open shift (no number, changes nothing)."""
        shift = self.current_shift()
        if shift is None:
            raise Conflict("shift.none", station=self.station)
        self._may_see(user, shift)
        return self._report("X", shift, self.store.shift_totals(shift.id))

    def report(self, user: User, shift_id: int) -> ShiftReport:
        """X report of an open shift, or the Z report of a closed one (reprintable)."""
        shift = self.store.shift(shift_id)
        if shift is None:
            raise NotFound("shift.unknown", shift=shift_id)
        self._may_see(user, shift)
        kind = "Z" if shift.status is ShiftStatus.CLOSED else "X"
        return self._report(kind, shift, self.store.shift_totals(shift.id))

    def last_z_report(self, user: User) -> ShiftReport:
        shift = self.store.last_closed_shift(self.station)
        if shift is None:
            raise NotFound("shift.no_report", station=self.station)
        return self.report(user, shift.id)

    def preview_close(self, counts: Mapping[int, int]) -> tuple[int, int, int, bool]:
        """(expected, counted, variance, needs manager) for the open shift - for the UI."""
        shift = self.current_shift()
        if shift is None:
            raise Conflict("shift.none", station=self.station)
        counted = count_total(validate_counts(counts))
        expected = expected_cash(shift.opening_float, self.store.shift_totals(shift.id))
        variance = counted - expected
        return expected, counted, variance, abs(variance) > self.settings.ledger().variance_limit

    def close_shift(self, user: User, counts: Mapping[int, int], approval: Approval | None = None) -> ShiftReport:
        """Close the open shift with the cash count; returns the Z report."""
        counts = validate_counts(counts)
        user = self.users.refresh(user)
        shift = self.current_shift()
        if shift is None:
            raise Conflict("shift.none", station=self.station)
        if shift.user_id != user.id:
            user.require(Permission.CLOSE_OTHERS_SHIFT)
        limit = self.settings.ledger().variance_limit
        counted = count_total(counts)

        def decide(current: Shift, totals: ShiftTotals) -> tuple[int, int, User | None]:
            expected = expected_cash(current.opening_float, totals)
            variance = counted - expected
            if abs(variance) <= limit:
                return expected, counted, None
            if user.can(Permission.CLOSE_SHIFT_VARIANCE):
                return expected, counted, user
            if approval is not None:
                try:
                    _, approver = self.users.check(user, Permission.CLOSE_SHIFT_VARIANCE, approval)
                except PermissionDenied:
                    approver = None
                if approver is not None:
                    return expected, counted, approver
            raise PermissionDenied(
                "shift.variance", variance=format_number(variance), limit=format_number(limit)
            )

        closed = self.store.close_shift(
            shift_id=shift.id, closed_by=user, counts=counts, ts=self.clock.now(), decide=decide
        )
        return self._report("Z", closed, self.store.shift_totals(closed.id))
