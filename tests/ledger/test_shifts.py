"""Shifts: float, X report, close with a count, variance over the limit, Z numbers."""

from __future__ import annotations

import pytest
from station_helpers import PASSWORD, count

from cashier.core.errors import Conflict, PermissionDenied
from cashier.core.ledger import Permission

CODE = "PC12AA0000002"  # one bill of 456,789


def test_no_collection_without_open_shift(station, cashier, customers, db):
    with pytest.raises(Conflict) as exc:
        station.collect.collect(cashier, CODE, 500_000)
    assert exc.value.code == "shift.none"
    assert count(db, "payment") == 0


def test_one_open_shift_per_station_and_owner_only(station, shift, manager, customers):
    with pytest.raises(Conflict):
        station.shifts.open_shift(manager, 0)
    with pytest.raises(Conflict) as exc:
        station.collect.collect(manager, CODE, 500_000)
    assert exc.value.code == "shift.not_yours"


def test_x_report_and_close_exact(station, shift, cashier, customers):
    station.collect.collect(cashier, CODE, 500_000)
    x = station.shifts.x_report(cashier)
    assert x.kind == "X" and x.z_number is None
    assert x.totals.cash_total == 456_789 and x.expected_cash == 1_456_789
    counts = {500_000: 2, 200_000: 2, 50_000: 1, 5_000: 1, 1_000: 1, 500: 1}  # 1,456,500
    expected, counted, variance, needs = station.shifts.preview_close(counts)
    assert (expected, counted, variance, needs) == (1_456_789, 1_456_500, -289, False)
    z = station.shifts.close_shift(cashier, counts)
    assert z.kind == "Z" and z.z_number == 1 and z.variance == -289
    assert station.shifts.current_shift() is None


def test_variance_over_limit_needs_manager(station, shift, cashier, manager, db):
    counts = {500_000: 1}  # 500,000 short of the 1,000,000 float
    with pytest.raises(PermissionDenied) as exc:
        station.shifts.close_shift(cashier, counts)
    assert exc.value.code == "shift.variance"
    assert station.shifts.current_shift() is not None  # nothing changed
    approval = station.users.authorise("manager", PASSWORD, Permission.CLOSE_SHIFT_VARIANCE, cashier, "short")
    z = station.shifts.close_shift(cashier, counts, approval)
    assert z.variance == -500_000 and z.shift.approved_by == manager.id


def test_z_numbers_increase_and_are_never_reused(station, cashier, manager, db):
    numbers = []
    for _ in range(3):
        station.shifts.open_shift(cashier, 100_000)
        numbers.append(station.shifts.close_shift(cashier, {100_000: 1}).z_number)
    assert numbers == [1, 2, 3]
    # even if the last shift row is deleted by hand, the counter does not go back
    db.execute_sql("PRAGMA foreign_keys=OFF")
    db.execute_sql("DELETE FROM shift WHERE z_number = 3")
    station.shifts.open_shift(cashier, 0)
    assert station.shifts.close_shift(cashier, {}).z_number == 4


def test_manager_closes_others_shift_and_sees_report(station, shift, cashier, manager):
    rep = station.shifts.report(manager, shift.id)
    assert rep.kind == "X"
    z = station.shifts.close_shift(manager, {500_000: 2})
    assert z.z_number == 1 and z.shift.closed_by == manager.id
    assert station.shifts.last_z_report(cashier).z_number == 1


def test_void_of_earlier_shift_counts_as_refund(station, cashier, manager, customers):
    station.shifts.open_shift(cashier, 0)
    p = station.collect.collect(cashier, CODE, 456_789)
    station.shifts.close_shift(cashier, {}, station.users.authorise(
        "manager", PASSWORD, Permission.CLOSE_SHIFT_VARIANCE, cashier))
    station.shifts.open_shift(cashier, 1_000_000)
    station.collect.void(p.receipt_no, "wrong customer", manager)
    x = station.shifts.x_report(cashier)
    assert x.totals.refunds_cash == 456_789 and x.expected_cash == 1_000_000 - 456_789
