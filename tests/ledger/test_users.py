"""Users: argon2id hashes, first admin, lockout, permissions in the service layer, overrides."""

from __future__ import annotations

import pytest
from station_helpers import PASSWORD, count

from cashier.core.errors import AuthenticationFailed, InvalidInput, PermissionDenied
from cashier.core.ledger import Permission, Role


def test_first_user_must_be_admin_and_needs_no_authority(station):
    with pytest.raises(InvalidInput):
        station.users.add_user("thu1", PASSWORD, "cashier")
    u = station.users.add_user("admin", PASSWORD, "admin")
    assert u.role is Role.ADMIN
    # after that, nobody adds a user without an admin
    with pytest.raises(PermissionDenied):
        station.users.add_user("admin2", PASSWORD, "admin")


def test_password_stored_as_argon2id(station, admin, db):
    stored = db.execute_sql("SELECT password_hash FROM app_user WHERE username='admin'").fetchone()[0]
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_wrong_password_and_unknown_user(station, admin):
    with pytest.raises(AuthenticationFailed):
        station.users.login("admin", "wrong-password")
    with pytest.raises(AuthenticationFailed):
        station.users.login("nobody", PASSWORD)
    assert station.users.login("ADMIN ", PASSWORD).username == "admin"


def test_lockout_after_repeated_failures_then_expiry(station, cashier, clock, db):
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            station.users.login("thu1", "bad-password")
    with pytest.raises(AuthenticationFailed) as exc:
        station.users.login("thu1", PASSWORD)  # right password, but locked
    assert exc.value.code == "users.locked_until"
    assert "khóa" in exc.value.text("vi")
    # a locked user cannot act with an old session either
    with pytest.raises(AuthenticationFailed):
        station.shifts.open_shift(cashier, 0)
    clock.advance(minutes=16)
    assert station.users.login("thu1", PASSWORD).failed_attempts == 0
    assert count(db, "journal_entry", "kind='user' AND payload LIKE '%locked_failures%'") == 1


def test_admin_lock_and_unlock(station, admin, cashier):
    station.users.lock("thu1", actor=admin)
    with pytest.raises(AuthenticationFailed) as exc:
        station.users.login("thu1", PASSWORD)
    assert exc.value.code == "users.locked"
    station.users.unlock("thu1", actor=admin)
    assert station.users.login("thu1", PASSWORD).username == "thu1"


def test_only_admin_manages_users(station, admin, manager, cashier):
    for actor in (manager, cashier):
        with pytest.raises(PermissionDenied):
            station.users.add_user("x1", PASSWORD, "cashier", actor=actor)
        with pytest.raises(PermissionDenied):
            station.users.lock("admin", actor=actor)
    with pytest.raises(PermissionDenied):
        station.users.change_password("manager", "new-password", actor=cashier)
    station.users.change_password("thu1", "new-password", actor=cashier)  # own password
    assert station.users.login("thu1", "new-password")
    with pytest.raises(InvalidInput):
        station.users.change_password("thu1", "123", actor=cashier)  # too short


def test_demoted_user_loses_rights_at_once(station, admin, manager):
    assert manager.can(Permission.VOID)
    station.users.set_role("manager", "cashier", actor=admin)
    with pytest.raises(PermissionDenied):
        station.users.check(manager, Permission.VOID)  # the stale session object is not trusted


def test_override_recorded_and_single_use(station, manager, cashier, db):
    with pytest.raises(PermissionDenied):
        station.users.check(cashier, Permission.VOID)
    with pytest.raises(AuthenticationFailed):
        station.users.authorise("manager", "wrong", Permission.VOID, cashier)
    with pytest.raises(PermissionDenied):  # a cashier cannot authorise
        station.users.authorise("thu1", PASSWORD, Permission.VOID, station.users.get("manager"))
    approval = station.users.authorise("manager", PASSWORD, Permission.VOID, cashier, "customer paid twice")
    assert count(db, "override", "permission='void'") == 1
    assert count(db, "journal_entry", "kind='override'") == 1
    _, approver = station.users.check(cashier, Permission.VOID, approval)
    assert approver.username == "manager"
    with pytest.raises(PermissionDenied):
        station.users.check(cashier, Permission.VOID, approval)  # used
    other = station.users.authorise("manager", PASSWORD, Permission.REPRINT, cashier)
    with pytest.raises(PermissionDenied):
        station.users.check(cashier, Permission.VOID, other)  # wrong permission


def test_expired_lock_gives_a_fresh_count(station, cashier, clock):
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            station.users.login("thu1", "bad-password")
    clock.advance(minutes=16)
    with pytest.raises(AuthenticationFailed) as exc:
        station.users.login("thu1", "bad-password")  # one more mistake after the lock ran out
    assert exc.value.code == "authentication_failed"
    assert station.users.login("thu1", PASSWORD).username == "thu1"  # not locked again at once


def test_rehash_on_login_when_parameters_change(station, cashier, db):
    from cashier.db.ledger_crypto import Argon2Hasher

    station.users.hasher = Argon2Hasher(time_cost=2, memory_cost=2048, parallelism=1)
    station.users.login("thu1", PASSWORD)
    stored = db.execute_sql("SELECT password_hash FROM app_user WHERE username='thu1'").fetchone()[0]
    assert "m=2048,t=2,p=1" in stored
    assert station.journal.verify().ok


def test_disable_and_details_are_journalled(station, admin, cashier):
    station.users.update_details("thu1", actor=admin, full_name="Lê Thị Thu Hà", cashier_code="tn09")
    u = station.users.get("thu1")
    assert (u.full_name, u.cashier_code) == ("Lê Thị Thu Hà", "TN09")
    station.users.set_active("thu1", False, actor=admin)
    with pytest.raises(AuthenticationFailed) as exc:
        station.users.login("thu1", PASSWORD)
    assert exc.value.code == "users.inactive"
    with pytest.raises(PermissionDenied):
        station.users.set_active("admin", False, actor=admin)  # not yourself
    assert station.journal.verify().ok
