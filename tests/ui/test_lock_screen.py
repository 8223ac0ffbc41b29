"""Quick lock / switch cashier (Ctrl+L, idle auto-lock) through the real window and services;
the controller alone with a synchronous task runner and a fake clock (no sleeps)."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit
from test_counter_flow import customers, scan
from uihelpers import FakeClock, type_keys

from cashier.core.errors import AuthenticationFailed, Conflict
from cashier.ui import lock_screen
from cashier.ui.lock_screen import LockController


class SyncRunner:
    """The task runner's interface, run at once on the calling thread (controller tests)."""

    def __init__(self) -> None:
        self.lanes: list[str] = []

    def run(self, fn, on_success=None, on_failure=None, *, lane="background", name="", with_handle=False):
        self.lanes.append(lane)
        try:
            result = fn()
        except Exception as exc:  # noqa: BLE001
            if on_failure is not None:
                on_failure(exc)
            return None
        if on_success is not None:
            on_success(result)
        return None


def visible_texts(window) -> str:
    """Every text a person could read on the window now."""
    out = []
    for w in window.findChildren(QLabel) + window.findChildren(QLineEdit):
        if w.isVisible() and w.visibleRegion().isEmpty() is False:
            out.append(w.text())
    return "\n".join(out)


def press_ctrl_l(window, qtbot) -> None:
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)


def count_lookups(app, monkeypatch) -> list:
    calls: list = []
    cache = app.backend.station.cache
    real = cache.lookup

    def counting(code, *a, **k):
        calls.append(code)
        return real(code, *a, **k)

    monkeypatch.setattr(cache, "lookup", counting)
    return calls


def unlock_with(app, qtbot, password: str, username: str | None = None) -> None:
    screen = app.window.lock.screen
    if username is not None:
        screen.username.setText(username)
    screen.password.setText(password)
    screen.submit()
    qtbot.waitUntil(lambda: not app.window.lock.busy, timeout=10_000)


# -- through the window ------------------------------------------------------------------------
def test_ctrl_l_locks_and_nothing_of_the_customer_is_visible(session, qtbot, tmp_path):
    w = session.window
    code = customers(session, n=1)[0]
    scan(session, code)
    name = w.controller.lookup.customer.name
    assert code in visible_texts(w) and name in visible_texts(w)  # the check can see them
    display = w.customer_display
    assert display.pages.currentWidget() is display.customer_page
    press_ctrl_l(w, qtbot)
    assert w.lock.locked
    # the customer's screen shows nobody's bills either
    assert display.pages.currentWidget() is display.idle_page and name not in " ".join(display.texts())
    screen = w.lock.screen
    assert screen.isVisible() and screen.geometry() == w.rect()
    texts = visible_texts(w)
    assert code not in texts and name not in texts
    assert "QUẦY ĐANG KHÓA" in texts and screen.username.text() == "thungan"
    assert f"Ca {w.shift.id}" in screen.owner.text()
    # no F-key works behind the lock: F2 would collect
    assert not any(a.isEnabled() for a in w.actions())
    w.confirm()
    assert w.controller.last_payment is None
    # the keyboard is on the password field, also after a dialog-style reclaim
    w.focus_keeper.reclaim()
    assert QApplication.focusWidget() is screen.password
    path = tmp_path / "lock.png"
    assert w.grab().save(str(path))


def test_scan_while_locked_does_nothing(session, qtbot, monkeypatch):
    w = session.window
    code = customers(session, n=1)[0]
    press_ctrl_l(w, qtbot)
    logins: list = []
    monkeypatch.setattr(session.backend, "login", lambda *a: logins.append(a))
    calls = count_lookups(session, monkeypatch)
    screen = w.lock.screen
    # the scanner types into the password field (never watched): taken for no password
    screen.password.setFocus()
    type_keys(session.detector, code + "\r", 0.003, session.clock)
    # into the user-name field (watched): the burst is a scan, ignored
    screen.username.setFocus()
    type_keys(session.detector, code + "\r", 0.003, session.clock)
    assert screen.username.text() == "thungan"  # the scan was taken back out of the field
    w.on_scan(code)  # the serial scanner's path
    assert calls == [] and logins == []
    assert w.controller.lookup is None and w.controller.last_payment is None
    assert w.lock.locked
    assert code not in visible_texts(w) and code not in w.message_label.text()
    assert "mã quét không được xử lý" in screen.error.text()


def test_wrong_password_refused_off_the_gui_thread_then_unlock(session, qtbot):
    w = session.window
    code = customers(session, n=1)[0]
    scan(session, code)
    threads: list = []
    real = session.backend.login

    def login(name, password):
        threads.append(threading.current_thread() is threading.main_thread())
        return real(name, password)

    session.backend.login = login
    press_ctrl_l(w, qtbot)
    unlock_with(session, qtbot, "sai-mat-khau")
    assert w.lock.locked and "Sai tên đăng nhập hoặc mật khẩu" in w.lock.screen.error.text()
    assert w.lock.screen.password.text() == ""
    unlock_with(session, qtbot, "123456")
    assert threads == [False, False]  # argon2 ran on the auth lane, never the GUI thread
    assert not w.lock.locked and not w.lock.screen.isVisible() and w.centralWidget().isVisible()
    # as it was left: same cashier, same shift, same customer, F-keys back
    assert w.controller.user.id == session.user.id and w.shift is not None
    assert w.controller.lookup is not None and w.controller.lookup.customer.code == code
    assert all(a.isEnabled() for a in w.actions())
    scan(session, code)  # the confirming scan collects again after the unlock
    assert w.controller.last_payment is not None


def test_switch_to_another_user_follows_the_shift_rule(session, qtbot):
    w = session.window
    code = customers(session, n=1)[0]
    scan(session, code)
    owner_shift = w.shift
    press_ctrl_l(w, qtbot)
    unlock_with(session, qtbot, "quanly123", username="quanly")
    assert not w.lock.locked
    assert w.controller.user.username == "quanly"
    assert w.shift is None and w.controller.lookup is None  # customer cleared, no shift of theirs
    said = w.view.banner.text()
    assert f"Ca {owner_shift.id} của thungan đang mở" in said and "không được thu tiền vào ca của người khác" in said
    # the services keep the rule whatever the window does
    manager = w.controller.user
    with pytest.raises(Conflict) as exc:
        session.backend.collect_payment(user=manager, customer_code=code, tendered=10**7)
    assert exc.value.code == "shift.not_yours"
    with pytest.raises(Conflict):
        session.backend.open_shift(manager, 100_000)
    # the owner takes the counter back: their shift again
    press_ctrl_l(w, qtbot)
    unlock_with(session, qtbot, "123456", username="thungan")
    assert w.controller.user.username == "thungan" and w.shift is not None and w.shift.id == owner_shift.id


def test_idle_auto_lock_with_a_fake_clock(session, qtbot):
    w = session.window
    lock = w.lock
    clock = FakeClock()
    lock.clock = clock
    lock.idle_minutes = 10
    lock.note_activity()
    clock.t += 9 * 60
    assert not lock.check_idle()
    # a key press is activity: the idle time starts again
    QApplication.sendEvent(w, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Shift, Qt.KeyboardModifier.NoModifier))
    clock.t += 9 * 60
    assert not lock.check_idle() and not lock.locked
    clock.t += 61
    lock.timer.timeout.emit()  # what the 15 s timer does
    assert lock.locked and lock.screen.isVisible()


def test_idle_setting_read_and_zero_is_off(counter, tmp_path, qtbot):
    settings = QSettings(str(tmp_path / "idle.ini"), QSettings.Format.IniFormat)
    settings.setValue(lock_screen.IDLE_SETTING, 0)
    lock = lock_screen.install_lock(counter.window, settings)
    assert lock.idle_minutes == 0 and not lock.timer.isActive()
    assert counter.window.lock.idle_minutes == lock_screen.IDLE_DEFAULT  # the default: 10 min
    # the manager's settings dialog (F10 → Cấu hình, tab of this computer) sets it
    from cashier.ui.dialogs.settings import SettingsDialog

    user = counter.backend.login("admin", "admin123")
    w = counter.window
    dlg = SettingsDialog(counter.backend, counter.runner, w.settings, counter.detector, user, w)
    qtbot.addWidget(dlg)
    assert dlg.lock_idle.value() == lock_screen.IDLE_DEFAULT
    dlg.lock_idle.setValue(3)
    dlg.accept()
    assert int(w.settings.value(lock_screen.IDLE_SETTING)) == 3


# -- the controller alone (synchronous runner) -------------------------------------------------
def _user(uid: int, name: str):
    return SimpleNamespace(id=uid, username=name, full_name=name.title())


class FakeServices:
    def __init__(self, users: dict, shift) -> None:
        self.users, self.shift, self.logins = users, shift, []

    def login(self, name, password):
        self.logins.append(name)
        user, pw = self.users.get(name, (None, None))
        if user is None or pw != password:
            raise AuthenticationFailed()
        return user

    def current_shift(self):
        return self.shift


def test_controller_lock_unlock_switch_idle(qapp):
    ann, bob = _user(1, "ann"), _user(2, "bob")
    shift = SimpleNamespace(id=7, user_id=1, username="ann")
    services = FakeServices({"ann": (ann, "secret1"), "bob": (bob, "secret2")}, shift)
    runner, clock = SyncRunner(), FakeClock()
    session = {"user": ann, "shift": shift}
    modal = {"open": False}
    lock = LockController(
        services, runner, lambda: (session["user"], session["shift"]),
        blocked=lambda: modal["open"], clock=clock, idle_minutes=10,
    )
    events: list = []
    lock.unlocked.connect(lambda u, s, same: events.append((u.username, s, same)))
    messages: list = []
    lock.message.connect(lambda k, t: messages.append(t))
    assert lock.lock() and lock.locked and not lock.lock()  # once
    assert not lock.unlock("")  # nothing typed: no check
    assert not lock.unlock("PC12AA0004456")  # a scan: not a password attempt
    assert services.logins == [] and "mã quét" in messages[-1]
    assert lock.unlock("wrong!") and lock.locked and runner.lanes == [lock_screen.AUTH]
    assert lock.unlock("secret1") and not lock.locked
    assert events == [("ann", shift, True)]
    lock.lock()
    lock.unlock("secret2", "bob")
    assert events[-1] == ("bob", None, False)  # ann's shift is not bob's
    assert "Ca 7 của ann đang mở" in lock.switch_text(bob, shift)
    # idle: only with a user, not while a dialog is open, never when off
    session["user"] = bob
    clock.t += 601
    modal["open"] = True
    assert not lock.check_idle()
    modal["open"] = False
    assert lock.check_idle() and lock.locked
    lock.unlock("secret2", "bob")
    lock.set_idle_minutes("0")  # off (the settings dialog's "tắt")
    assert not lock.timer.isActive()
    clock.t += 10_000
    assert not lock.check_idle()
    lock.set_idle_minutes("mười")  # a hand-edited settings.ini: the default, not "never"
    assert lock.idle_minutes == lock_screen.IDLE_DEFAULT and lock.timer.isActive()


class HeldRunner(SyncRunner):
    """Keeps the task until the test releases it (a check still running)."""

    def run(self, fn, on_success=None, on_failure=None, *, lane="background", name="", with_handle=False):
        self.lanes.append(lane)
        self.held = (fn, on_success, on_failure)


def test_controller_one_check_at_a_time_and_lock_with_nobody_logged_in(qapp):
    ann = _user(1, "ann")
    services = FakeServices({"ann": (ann, "secret1")}, None)
    runner = HeldRunner()
    lock = LockController(services, runner, lambda: (None, None), idle_minutes=0)
    events: list = []
    lock.unlocked.connect(lambda u, s, same: events.append((u.username, s, same)))
    assert not lock.check_idle()  # nobody logged in: no auto-lock (and off anyway)
    assert lock.lock() and lock.locked_user is None
    assert not lock.unlock("secret1")  # no user name to check against: asked for one
    assert lock.unlock("secret1", "ann") and lock.busy
    assert not lock.unlock("secret1", "ann")  # Enter pressed again while checking: ignored
    fn, ok, _fail = runner.held
    ok(fn())
    assert not lock.busy and not lock.locked and events == [("ann", None, False)]
    assert len(runner.lanes) == 1
