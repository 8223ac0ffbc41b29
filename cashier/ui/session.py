"""Who is at the counter and which shift they collect into (no widgets: unit-tested with
``tasks.SyncTaskRunner``).

:class:`SessionController` holds the logged-in user and their own open shift, checks passwords on
the task runner's ``auth`` lane (argon2 takes ~120 ms: never on the GUI thread) and applies the
shift rules of ``services/shifts.py`` as the counter needs them:

* one open shift per station; a user resumes their own open shift, opens one when none is open,
  and collects nothing while another user's shift is open;
* a user with the ``close_others_shift`` permission (a manager) may close that other shift from
  the counter (after a switch at the lock screen, say); the services check it again.

A scanned customer or card code typed into a password field is never tried as a password: it
counts no failed login (the lockout after 5 failures is for passwords).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QObject, Signal

from cashier.core.customer_code import CodePolicy, parse_scanned
from cashier.core.errors import DomainError, InvalidInput
from cashier.core.ledger import Permission
from cashier.ui import tasks

log = logging.getLogger(__name__)

#: what :meth:`SessionController.begin` found for the user who just logged in
OWN_SHIFT = "own"  # their open shift: resumed
NO_SHIFT = "none"  # no shift open on this station: they may open one
OTHER_SHIFT = "other"  # another user's shift is open: they collect nothing into it


def is_scanned_code(services: Any, text: str) -> bool:
    """A customer code (well formed, known or not) or a known card code: what the scanner
    types, never a password."""
    text = (text or "").strip()
    if not text:
        return False
    try:
        parse_scanned(text, CodePolicy())
        return True
    except DomainError:
        pass
    try:
        services.lookup(text)  # a card code (MA_THE) of a known customer
    except Exception:  # noqa: BLE001 (unknown: a password)
        return False
    return True


class SessionController(QObject):
    """The session of the counter: user, their own shift, and the station's open shift."""

    #: (user or None, own open shift or None) after every change
    changed = Signal(object, object)
    #: a password check is running (True) or done (False)
    busy_changed = Signal(bool)

    def __init__(self, services: Any, runner: tasks.TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.runner = runner
        self.user: Any = None
        self.shift: Any = None
        self.busy = False

    # -- password checks (auth lane) ---------------------------------------------------------
    def _check(
        self,
        password: str,
        work: Callable[[], Any],
        on_ok: Callable[[Any], None],
        on_failure: Callable[[BaseException], None],
        name: str,
    ) -> bool:
        """Run ``work`` on the auth lane; False when nothing was started (busy, or ``password``
        is a scanned code: ``on_failure`` gets InvalidInput ``users.scanned_password``, no attempt counted)."""
        if self.busy:
            return False
        if is_scanned_code(self.services, password):
            log.info("%s: a scanned code in the password field, not tried", name)
            on_failure(InvalidInput("users.scanned_password"))
            return False
        self.busy = True
        self.busy_changed.emit(True)

        def done(result: Any) -> None:
            self._idle()
            on_ok(result)

        def failed(exc: BaseException) -> None:
            self._idle()
            on_failure(exc)

        self.runner.run(work, done, failed, lane=tasks.AUTH, name=name)
        return True

    def _idle(self) -> None:
        self.busy = False
        self.busy_changed.emit(False)

    def check_login(
        self, username: str, password: str, on_ok: Callable[[Any], None], on_failure: Callable[[BaseException], None]
    ) -> bool:
        """The user for ``username``/``password`` (``on_ok(user)``), or why not; the session does
        not change until :meth:`begin`."""
        login = self.services.login
        return self._check(password, lambda: login(username, password), on_ok, on_failure, "login")

    def check_approval(
        self,
        username: str,
        password: str,
        permission: str,
        for_user: Any,
        reason: str,
        on_ok: Callable[[Any], None],
        on_failure: Callable[[BaseException], None],
    ) -> bool:
        """A manager's approval of one action (``on_ok(approval)``)."""
        authorise = self.services.authorise
        return self._check(
            password, lambda: authorise(username, password, permission, for_user, reason), on_ok, on_failure, "approval"
        )

    # -- the session -------------------------------------------------------------------------
    def station_shift(self) -> Any:
        """The shift open on this station, whoever's it is (None: none)."""
        return self.services.current_shift()

    def begin(self, user: Any) -> tuple[str, Any]:
        """``user`` logged in: resume their own open shift; (rule, the station's open shift)."""
        shift = self.station_shift()
        if shift is None:
            self.set(user, None)
            return NO_SHIFT, None
        if shift.user_id == user.id:
            self.set(user, shift)
            return OWN_SHIFT, shift
        self.set(user, None)
        return OTHER_SHIFT, shift

    def open_shift(self, opening_float: int) -> Any:
        """Open the user's shift (the services refuse when one is open); it becomes theirs."""
        shift = self.services.open_shift(self.user, opening_float)
        self.set(self.user, shift)
        return shift

    def closable_shift(self) -> Any:
        """The open shift this user may count and close from the counter: their own, or
        another user's with the close_others_shift permission; None otherwise."""
        if self.user is None:
            return None
        if self.shift is not None:
            return self.shift
        shift = self.station_shift()
        if shift is not None and self.user.can(Permission.CLOSE_OTHERS_SHIFT):
            return shift
        return None

    def shift_closed(self) -> None:
        self.set(self.user, None)

    def logout(self) -> None:
        if self.user is not None:
            log.info("logged out: %s", self.user.username)
        self.set(None, None)

    def set(self, user: Any, shift: Any) -> None:
        """The session as it is now (login, lock-screen unlock or switch, logout)."""
        self.user, self.shift = user, shift
        self.changed.emit(user, shift)

    @staticmethod
    def is_stale(shift: Any, today: date) -> bool:
        """A shift opened on an earlier day (it should be closed and a new one opened)."""
        return shift is not None and shift.opened_at.date() < today
