"""SessionController without widgets: a synchronous task runner and fake services."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pytest

from cashier.core.errors import Conflict, InvalidInput, NotFound
from cashier.core.ledger import Permission
from cashier.ui import tasks
from cashier.ui.session import NO_SHIFT, OTHER_SHIFT, OWN_SHIFT, SessionController, is_scanned_code


@dataclass
class User:
    id: int
    username: str
    rights: frozenset = frozenset()

    def can(self, permission) -> bool:
        return permission in self.rights


@dataclass
class Shift:
    id: int
    user_id: int
    username: str
    opened_at: datetime = datetime(2026, 12, 2, 7, 0)


CASHIER = User(1, "thungan")
MANAGER = User(2, "quanly", frozenset({Permission.CLOSE_OTHERS_SHIFT}))


@dataclass
class Services:
    shift: Shift | None = None
    attempts: list = field(default_factory=list)

    def login(self, username, password):
        self.attempts.append(username)
        for user in (CASHIER, MANAGER):
            if user.username == username and password == "secret1":
                return user
        raise InvalidInput("users.bad_login")

    def authorise(self, username, password, permission, for_user, reason):
        self.attempts.append(username)
        return ("approval", username, permission, for_user.username, reason)

    def lookup(self, code):
        if code == "CARD000777":
            return object()
        raise NotFound("code.unknown", code=code)

    def current_shift(self):
        return self.shift

    def open_shift(self, user, opening_float):
        if self.shift is not None:
            raise Conflict("shift.already_open", shift=self.shift.id)
        self.shift = Shift(9, user.id, user.username)
        return self.shift


def controller(services: Services) -> tuple[SessionController, tasks.SyncTaskRunner]:
    runner = tasks.SyncTaskRunner()
    return SessionController(services, runner), runner


def test_login_runs_on_the_auth_lane(qapp):
    services = Services()
    session, runner = controller(services)
    got, refused = [], []
    assert session.check_login("thungan", "secret1", got.append, refused.append)
    assert got == [CASHIER] and runner.lanes == [tasks.AUTH] and not session.busy
    assert session.check_login("thungan", "wrong!", got.append, refused.append)
    assert len(refused) == 1 and refused[0].code == "users.bad_login"
    assert session.user is None  # a check changes no session; begin() does


@pytest.mark.parametrize("code", ["PC12AA0004456", "CARD000777"])
def test_a_scanned_code_is_never_tried_as_a_password(qapp, code):
    services = Services()
    session, runner = controller(services)
    refused: list = []
    assert not session.check_login("thungan", code, lambda _u: None, refused.append)
    assert not session.check_approval("quanly", code, "void", CASHIER, "", lambda _a: None, refused.append)
    assert services.attempts == [] and runner.lanes == []
    assert [e.code for e in refused] == ["users.scanned_password"] * 2
    assert is_scanned_code(services, code) and not is_scanned_code(services, "123456")


def test_approval_on_the_auth_lane(qapp):
    session, runner = controller(Services())
    got: list = []
    session.check_approval("quanly", "secret1", "void", CASHIER, "thu nhầm", got.append, lambda e: None)
    assert got == [("approval", "quanly", "void", "thungan", "thu nhầm")] and runner.lanes == [tasks.AUTH]


def test_the_shift_rules(qapp):
    services = Services()
    session, _ = controller(services)
    seen: list = []
    session.changed.connect(lambda user, shift: seen.append((user, shift)))
    assert session.begin(CASHIER) == (NO_SHIFT, None)
    shift = session.open_shift(500_000)
    assert session.shift is shift and seen[-1] == (CASHIER, shift)
    session.logout()
    assert seen[-1] == (None, None) and session.closable_shift() is None
    assert session.begin(CASHIER) == (OWN_SHIFT, shift)  # resumed
    assert session.closable_shift() is shift
    # another cashier: nothing of theirs, nothing to close
    other = User(3, "thungan2")
    assert session.begin(other) == (OTHER_SHIFT, shift)
    assert session.shift is None and session.closable_shift() is None
    # a manager may close the cashier's shift (close_others_shift)
    assert session.begin(MANAGER) == (OTHER_SHIFT, shift)
    assert session.shift is None and session.closable_shift() is shift
    services.shift = None
    session.shift_closed()
    assert session.closable_shift() is None and session.user is MANAGER


def test_a_shift_of_an_earlier_day_is_stale():
    shift = Shift(1, 1, "thungan", datetime(2026, 12, 1, 7, 0))
    assert SessionController.is_stale(shift, datetime(2026, 12, 2).date())
    assert not SessionController.is_stale(shift, datetime(2026, 12, 1).date())
