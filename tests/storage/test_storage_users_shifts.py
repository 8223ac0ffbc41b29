"""Users and shifts through the UserStore and ShiftStore ports (every backend)."""

from __future__ import annotations

import pytest
from storage_helpers import T0, at

from cashier.core.errors import Conflict, NotFound, PermissionDenied
from cashier.core.ledger import Role, ShiftStatus


def test_users_are_added_found_and_unique(storage, admin, cashier):
    assert storage.users.count_users() == 2
    found = storage.users.user_by_name("thu1")
    assert found is not None and found[0] == cashier and found[1] == "hash-thu1"
    assert storage.users.user_by_id(cashier.id) == cashier
    assert [u.username for u in storage.users.list_users()] == ["admin", "thu1"]
    assert storage.users.user_by_name("nobody") is None and storage.users.user_by_id(999) is None
    with pytest.raises(Conflict) as exc:
        storage.users.add_user(station="ST01", username="thu1", full_name="", role=Role.CASHIER, cashier_code="",
                               password_hash="h", actor=admin, ts=T0)
    assert exc.value.code == "users.exists"
    with pytest.raises(PermissionDenied) as exc2:
        storage.users.add_user(station="ST01", username="admin2", full_name="", role=Role.ADMIN, cashier_code="",
                               password_hash="h", actor=None, ts=T0, only_if_empty=True)
    assert exc2.value.code == "users.not_first"


def test_failed_logins_count_lock_and_reset(storage, cashier):
    u = storage.users.login_failed(cashier.id, at(1), None, station="ST01")
    assert u.failed_attempts == 1 and u.locked_until is None
    u = storage.users.login_failed(cashier.id, at(2), at(17), station="ST01")
    assert u.failed_attempts == 2 and u.locked_until == at(17)
    u = storage.users.login_failed(cashier.id, at(30), None, station="ST01", restart=True)
    assert u.failed_attempts == 1 and u.locked_until is None
    storage.users.login_succeeded(cashier.id, "rehashed", at(31), station="ST01")
    again = storage.users.user_by_name("thu1")
    assert again is not None and again[0].failed_attempts == 0 and again[1] == "rehashed"


def test_update_user_and_overrides(storage, admin, cashier):
    u = storage.users.update_user(cashier.id, station="ST01", actor=admin, ts=at(1), event="role",
                                  role=Role.MANAGER, full_name="Lê Thị Thu Hà")
    assert u.role is Role.MANAGER and u.full_name == "Lê Thị Thu Hà"
    assert storage.users.update_user(cashier.id, station="ST01", actor=admin, ts=at(2), event="lock",
                                     locked=True).locked
    with pytest.raises(NotFound):
        storage.users.update_user(999, station="ST01", actor=admin, ts=at(3), event="lock", locked=True)
    with pytest.raises(ValueError):
        storage.users.update_user(cashier.id, station="ST01", actor=admin, ts=at(3), event="x", username="evil")
    first = storage.users.add_override(station="ST01", permission="void", approver=admin, for_user=cashier,
                                       reason="khách đổi ý", ts=at(4))
    second = storage.users.add_override(station="ST01", permission="void", approver=admin, for_user=cashier,
                                        reason="lần nữa", ts=at(5))
    assert second != first


def test_one_open_shift_per_station(storage, cashier, admin):
    s1 = storage.shifts.open_shift(station="ST01", user=cashier, opening_float=500_000, ts=T0)
    assert s1.status is ShiftStatus.OPEN and storage.shifts.current_shift("ST01") == s1
    with pytest.raises(Conflict) as exc:
        storage.shifts.open_shift(station="ST01", user=admin, opening_float=0, ts=at(1))
    assert exc.value.code == "shift.already_open"
    other = storage.shifts.open_shift(station="ST02", user=admin, opening_float=0, ts=at(1))
    assert storage.shifts.current_shift("ST02") == other and storage.shifts.current_shift("ST01") == s1
    assert storage.shifts.current_shift("ST03") is None and storage.shifts.shift(s1.id) == s1


def _close(storage, shift, user, minutes):
    return storage.shifts.close_shift(
        shift_id=shift.id, closed_by=user, counts={500_000: 1}, ts=at(minutes),
        decide=lambda s, totals: (s.opening_float + totals.cash_total, 500_000, None),
    )


def test_z_numbers_are_gapless_per_station(storage, cashier, admin):
    zs = []
    for i in range(2):
        s = storage.shifts.open_shift(station="ST01", user=cashier, opening_float=500_000, ts=at(10 * i))
        zs.append(_close(storage, s, cashier, 10 * i + 5).z_number)
    other = storage.shifts.open_shift(station="ST02", user=admin, opening_float=0, ts=at(30))
    closed = _close(storage, other, admin, 31)
    assert zs == [1, 2] and closed.z_number == 1
    assert closed.status is ShiftStatus.CLOSED and closed.counts == {500_000: 1} and closed.variance == 500_000
    last = storage.shifts.last_closed_shift("ST01")
    assert last is not None and last.z_number == 2
    with pytest.raises(Conflict) as exc:
        _close(storage, closed, admin, 40)
    assert exc.value.code == "shift.closed"


def test_a_refused_close_changes_nothing(storage, shift, cashier):
    def refuse(s, totals):
        raise PermissionDenied()

    with pytest.raises(PermissionDenied):
        storage.shifts.close_shift(shift_id=shift.id, closed_by=cashier, counts={}, ts=at(1), decide=refuse)
    assert storage.shifts.current_shift("ST01") == shift
    assert _close(storage, shift, cashier, 2).z_number == 1  # the refused close took no Z number
