"""Quick lock / switch cashier without closing the shift (Ctrl+L, and after N idle minutes).

:class:`LockController` (no widgets: testable with a synchronous task runner) holds the lock
state and checks the password on the ``auth`` lane of the task runner (argon2 takes ~120 ms:
never on the GUI thread). ``lock_overlay.LockScreen`` is the opaque overlay that covers the whole
main window while locked: no customer data, no F-keys, scans ignored (never looked up, never shown).

Unlocking:

* the same cashier types their password: the counter is as they left it (customer, shift);
* another user types their own name and password: the customer is cleared and the counter says
  plainly whose shift is open. The shift rules (``services/shifts.py``) are the services': one
  open shift per station, and a payment goes only into the collecting user's own open shift
  (``require_open_shift``), so the newcomer collects nothing until the owner closes that shift
  (or they open their own once none is open).

The journal has no kind for session events (it records money, shifts and users): lock, unlock and
switch are log lines (``cashier.ui.lock_screen``), never with the password.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
)

from cashier.ui.i18n import error_text
from cashier.ui.lock_overlay import LockScreen
from cashier.ui.lock_scan import PasswordBurst, looks_like_scan

log = logging.getLogger(__name__)

#: the task-runner lane of password checks (not BACKGROUND: an import must not delay an unlock)
AUTH = "auth"
#: QSettings key: minutes without a key or click before the counter locks itself (0 = never)
IDLE_SETTING = "counter/lock_idle_minutes"
IDLE_DEFAULT = 10
#: how often the idle time is looked at (ms)
IDLE_CHECK_MS = 15_000


class LockController(QObject):
    """Lock state of the counter; ``current()`` gives the (user, shift) of the session."""

    #: True when locked, False when unlocked
    changed = Signal(bool)
    #: (kind, text) for the lock screen ("error" | "info")
    message = Signal(str, str)
    #: a password check is running (True) or done (False)
    busy_changed = Signal(bool)
    #: unlocked: (user, shift or None, same cashier as the one who locked)
    unlocked = Signal(object, object, bool)

    def __init__(
        self,
        services: Any,
        runner: Any,
        current: Callable[[], tuple[Any, Any]],
        *,
        blocked: Callable[[], bool] = lambda: False,
        clock: Callable[[], float] = time.monotonic,
        idle_minutes: Any = IDLE_DEFAULT,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.runner = runner
        self.current = current
        self.blocked = blocked
        self.clock = clock
        self.locked = False
        self.locked_user: Any = None
        self.locked_shift: Any = None
        self.busy = False
        self.last_activity = clock()
        #: set by :func:`install_lock`: the event filter, the overlay (a LockScreen), Ctrl+L
        self.activity: Any = None
        self.screen: Any = None
        self.action: QAction | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(IDLE_CHECK_MS)
        self.timer.timeout.connect(self.check_idle)
        self.set_idle_minutes(idle_minutes)

    def set_idle_minutes(self, minutes: Any) -> None:
        """Minutes without a key or click before the counter locks itself; 0 = never; a value
        that is no number (a hand-edited settings.ini) gives the default."""
        try:
            self.idle_minutes = max(0, int(minutes))
        except (TypeError, ValueError):
            self.idle_minutes = IDLE_DEFAULT
        self.last_activity = self.clock()
        if self.idle_minutes:
            self.timer.start()
        else:
            self.timer.stop()

    # -- locking ---------------------------------------------------------------------------
    def lock(self, reason: str = "Ctrl+L") -> bool:
        if self.locked:
            return False
        user, shift = self.current()
        self.locked, self.locked_user, self.locked_shift = True, user, shift
        log.info(
            "counter locked (%s) by %s, shift %s",
            reason,
            getattr(user, "username", "-"),
            getattr(shift, "id", "-"),
        )
        self.changed.emit(True)
        return True

    def note_activity(self) -> None:
        self.last_activity = self.clock()

    def idle_seconds(self) -> float:
        return self.clock() - self.last_activity

    def check_idle(self) -> bool:
        """Lock when nobody touched the keyboard or mouse for ``idle_minutes`` (a logged-in
        session only; not while a dialog is open: it locks once the dialog is closed)."""
        if self.locked or not self.idle_minutes or self.current()[0] is None or self.blocked():
            return False
        if self.idle_seconds() < self.idle_minutes * 60:
            return False
        return self.lock(reason=f"idle {self.idle_minutes} min")

    # -- unlocking -------------------------------------------------------------------------
    def owner_name(self) -> str:
        user = self.locked_user
        return (getattr(user, "full_name", "") or getattr(user, "username", "")) if user is not None else ""

    def unlock(self, password: str, username: str = "") -> bool:
        """Check the password on the auth lane; True when a check was started."""
        if not self.locked or self.busy:
            return False
        name = (username or "").strip() or getattr(self.locked_user, "username", "")
        if not name:
            self.message.emit("error", self.tr("Nhập tên đăng nhập và mật khẩu."))
            return False
        if not password:
            self.message.emit("error", self.tr("Nhập mật khẩu để mở khóa."))
            return False
        if looks_like_scan(password):
            self.scan_ignored()  # the scanner typed into the password field
            return False
        self.busy = True
        self.busy_changed.emit(True)
        login = self.services.login
        self.runner.run(lambda: login(name, password), self._checked, self._refused, lane=AUTH, name="unlock")
        return True

    def scan_ignored(self) -> None:
        """A scan reached the password field: not a password attempt (no failed login, no
        lockout), never looked up, never shown or logged (only that one was ignored)."""
        log.info("a scan typed into the lock screen's password field was ignored")
        self.message.emit("error", self.tr("Quầy đang khóa: mã quét không được xử lý. Nhập mật khẩu để mở khóa."))

    def _done(self) -> None:
        self.busy = False
        self.busy_changed.emit(False)

    def _refused(self, exc: BaseException) -> None:
        self._done()
        log.warning("unlock refused for %s: %s", getattr(self.locked_user, "username", "-"), type(exc).__name__)
        self.message.emit("error", error_text(exc))

    def _checked(self, user: Any) -> None:
        self._done()
        if not self.locked:
            return
        try:
            shift = self.services.current_shift()
        except Exception as exc:  # noqa: BLE001 (storage trouble: stay locked, say it)
            log.exception("current shift at unlock")
            self.message.emit("error", error_text(exc))
            return
        same = self.locked_user is not None and user.id == self.locked_user.id
        own = shift if shift is not None and shift.user_id == user.id else None
        self.locked = False
        self.last_activity = self.clock()
        if same:
            log.info("counter unlocked by %s", user.username)
        else:
            log.info(
                "cashier switched at the lock screen: %s -> %s (open shift %s of %s)",
                getattr(self.locked_user, "username", "-"),
                user.username,
                getattr(shift, "id", "-"),
                getattr(shift, "username", "-"),
            )
        self.locked_user = self.locked_shift = None
        self.changed.emit(False)
        self.unlocked.emit(user, own, same)

    def switch_text(self, user: Any, shift: Any) -> str:
        """What the counter says after another user unlocked it (``shift``: the open one)."""
        name = getattr(user, "full_name", "") or user.username
        if shift is None:
            return self.tr("{name} đã đăng nhập — chưa mở ca: bấm F9 → Mở ca để thu tiền.").format(name=name)
        if shift.user_id == user.id:
            return self.tr("{name} tiếp tục ca {shift} của mình.").format(name=name, shift=shift.id)
        return self.tr(
            "Ca {shift} của {owner} đang mở trên quầy này: {name} không được thu tiền vào ca của người khác. "
            "{owner} mở khóa để thu tiếp, hoặc đóng ca đó (F9) rồi {name} mở ca mới."
        ).format(shift=shift.id, owner=shift.username, name=name)


class ActivityFilter(QObject):
    """Application event filter: a key press, click or wheel is activity (idle auto-lock)."""

    KINDS = (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel)

    def __init__(self, lock: LockController) -> None:
        super().__init__(lock)
        self.lock = lock
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() in self.KINDS:
            self.lock.note_activity()
        return False


def install_lock(window: Any, settings: Any, *, clock: Callable[[], float] = time.monotonic) -> LockController:
    """Wire the lock into the main window: Ctrl+L, the overlay, idle auto-lock, and the
    session after an unlock (same cashier: as it was; another user: customer cleared)."""
    minutes = settings.value(IDLE_SETTING, IDLE_DEFAULT)
    def blocked() -> bool:
        return QApplication.activeModalWidget() is not None or QApplication.activePopupWidget() is not None

    lock = LockController(
        window.backend,
        window.runner,
        lambda: (window.controller.user, window.controller.shift),
        blocked=blocked,
        clock=clock,
        idle_minutes=minutes,
        parent=window,
    )
    lock.activity = ActivityFilter(lock)
    lock.screen = LockScreen(lock, window)
    lock.screen.burst = PasswordBurst(lock.screen.password, window.detector)
    action = QAction(QCoreApplication.translate("Lock", "Khóa quầy (Ctrl+L)"), window)
    action.setShortcut(QKeySequence("Ctrl+L"))
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(lambda: lock.lock())
    window.addAction(action)
    lock.action = action
    disabled: list[QAction] = []

    def on_changed(locked: bool) -> None:
        if locked:
            disabled.clear()
            for act in window.actions():  # no F-key works behind the lock screen
                if act.isEnabled():
                    act.setEnabled(False)
                    disabled.append(act)
            window.centralWidget().setVisible(False)
            window.message_label.setText("")  # it may name the customer
        else:
            for act in disabled:
                act.setEnabled(True)
            disabled.clear()
            window.centralWidget().setVisible(True)

    def on_unlocked(user: Any, shift: Any, same: bool) -> None:
        if not same:
            window.controller.clear()
            window.settings.setValue("login/last_user", user.username)
        window.set_session(user, shift)
        if same:
            window.show_message("good", QCoreApplication.translate("Lock", "Đã mở khóa."))
        else:
            text = lock.switch_text(user, shift or window.backend.current_shift())
            if shift is None:
                window.alert(text)
            else:
                window.show_message("good", text)
        window.focus_keeper.reclaim()

    classify = window.detector.classifier  # looks the burst up: not while locked (pure parse)
    if classify is not None:
        window.detector.classifier = lambda text: looks_like_scan(text) if lock.locked else classify(text)
    lock.changed.connect(on_changed)
    lock.unlocked.connect(on_unlocked)
    return lock
