"""The session through the real window: after a switch at the lock screen, a manager closes the
cashier's shift from the counter (F9), and the password checks run off the GUI thread."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QApplication
from test_counter_flow import close_next_modal, customers, scan
from test_lock_screen import press_ctrl_l, unlock_with

from cashier.ui.dialogs.login import LoginDialog, ManagerAuthDialog
from cashier.ui.dialogs.shift import CloseShiftDialog, ReportDialog


class RecordingHasher:
    """The station's password hasher, noting the thread of every check."""

    def __init__(self, real) -> None:
        self.real = real
        self.threads: list[threading.Thread] = []

    def verify(self, hashed: str, password: str) -> bool:
        self.threads.append(threading.current_thread())
        return self.real.verify(hashed, password)

    def __getattr__(self, name):
        return getattr(self.real, name)


def record_checks(app) -> RecordingHasher:
    users = app.backend.station.users
    hasher = RecordingHasher(users.hasher)
    users.hasher = hasher
    return hasher


def test_manager_closes_the_cashiers_shift_after_a_switch(session, qtbot):
    w = session.window
    code = customers(session, n=1)[0]
    scan(session, code)
    scan(session, code)  # collected into thungan's shift
    owner_shift = w.shift
    press_ctrl_l(w, qtbot)
    unlock_with(session, qtbot, "quanly123", username="quanly")
    assert w.user.username == "quanly" and w.shift is None

    steps: list[str] = []

    def close_flow(modal):
        steps.append(type(modal).__name__)
        if isinstance(modal, CloseShiftDialog):
            assert modal.shift.id == owner_shift.id
            assert "thungan" in modal.head.text()  # whose shift is being counted
            modal.spins[500_000].setValue(1)  # a variance: the manager may close it anyway
            close_next_modal(qtbot, close_flow)
            modal.accept()
        elif isinstance(modal, ReportDialog):
            modal.reject()

    close_next_modal(qtbot, close_flow)
    w.close_shift()
    assert steps == ["CloseShiftDialog", "ReportDialog"]
    assert session.backend.current_shift() is None
    assert w.shift is None and w.user.username == "quanly"
    assert "Đã đóng ca" in w.last_message[1]


def test_the_f9_menu_offers_closing_the_open_shift_of_another_cashier(session, qtbot):
    w = session.window
    owner_shift = w.shift
    press_ctrl_l(w, qtbot)
    unlock_with(session, qtbot, "quanly123", username="quanly")
    entries = w.shift_menu_entries()
    assert [key for key, _text, _slot in entries] == ["x_report", "close_shift", "logout"]
    assert f"ca {owner_shift.id} của thungan" in entries[1][1]


def test_a_cashier_after_a_switch_is_not_offered_anothers_shift(session, qtbot):
    w = session.window
    session.backend.add_user(
        session.backend.station.users.login("admin", "admin123"), "thungan2", "123456", "cashier", "Thu ngân 2", "TN2"
    )
    press_ctrl_l(w, qtbot)
    unlock_with(session, qtbot, "123456", username="thungan2")
    assert [key for key, _text, _slot in w.shift_menu_entries()] == ["logout"]
    w.close_shift()
    assert session.backend.current_shift() is not None
    assert "thungan" in w.last_message[1]


def test_login_checks_the_password_off_the_gui_thread(counter, qtbot):
    hasher = record_checks(counter)
    dlg = LoginDialog(counter.backend, counter.window, runner=counter.runner)
    qtbot.addWidget(dlg)
    dlg.username.setText("thungan")
    dlg.password.setText("123456")
    dlg.accept()
    qtbot.waitUntil(lambda: dlg.user is not None, timeout=10_000)
    assert hasher.threads and threading.main_thread() not in hasher.threads


def test_manager_approval_checks_the_password_off_the_gui_thread(session, qtbot):
    hasher = record_checks(session)
    dlg = ManagerAuthDialog(session.backend, session.user, "void", "hủy", session.window, runner=session.runner)
    qtbot.addWidget(dlg)
    dlg.username.setText("quanly")
    dlg.password.setText("quanly123")
    dlg.accept()
    qtbot.waitUntil(lambda: dlg.approval is not None, timeout=10_000)
    assert hasher.threads and threading.main_thread() not in hasher.threads


def test_a_card_code_in_the_password_field_is_no_failed_login(counter, qtbot):
    code = customers(counter, n=1)[0]
    hasher = record_checks(counter)
    dlg = LoginDialog(counter.backend, counter.window)
    qtbot.addWidget(dlg)
    dlg.username.setText("thungan")
    for _ in range(6):  # more than the lockout's 5 failures
        dlg.password.setText(code)
        dlg.accept()
        assert dlg.user is None and "mã quét" in dlg.error.text()
    assert hasher.threads == []  # never tried as a password
    dlg.password.setText("123456")
    dlg.accept()
    qtbot.waitUntil(lambda: not dlg.session.busy, timeout=10_000)
    assert dlg.user is not None  # not locked out
    assert QApplication.activeModalWidget() is None


def test_the_opening_float_is_typed_like_the_tendered_amount(counter, qtbot):
    """Thousands of đồng whatever the number of digits, separators as typed (issue 14)."""
    from cashier.ui.dialogs.shift import OpenShiftDialog

    user = counter.backend.login("thungan", "123456")
    dlg = OpenShiftDialog(counter.backend, user, counter.window)
    qtbot.addWidget(dlg)
    assert dlg.opening_float() == 0 and dlg.float_note.text() == "Tiền lẻ đầu ca 0 đ"
    qtbot.keyClicks(dlg.float_edit, "1500")
    assert dlg.float_edit.text() == "1.500" and dlg.opening_float() == 1_500_000
    assert dlg.float_note.text() == "Tiền lẻ đầu ca 1.500.000 đ"
    dlg.float_edit.clear()
    qtbot.keyClicks(dlg.float_edit, "500")
    dlg.accept()
    assert dlg.shift is not None and dlg.shift.opening_float == 500_000
