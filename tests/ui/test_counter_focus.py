"""The scanner never goes astray (issue 14, defects 1-3): after every dialog the counter window
has the keyboard again and a scan reaches the lookup, never the tendered amount; fast typing in
a text field stays typed; nothing typed in the login dialog is ever taken for a scan.

Offscreen there is no window manager either: a hidden dialog leaves no active window, as X does
(the keys then go to the window under the pointer: to its focus widget, which ``press`` models).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from test_counter_flow import close_next_modal, customers, scan
from uihelpers import key_of

from cashier.ui.dialogs.help import HelpDialog


def press(app, text: str, gap: float) -> None:
    """Keys as X delivers them: to the focus widget of the active window, or, when no window of
    ours is active, to the counter window's focus widget (the window under the pointer)."""
    qapp = QApplication.instance()
    for ch in text:
        target = qapp.focusWidget() or app.window.focusWidget() or app.window
        txt = "" if ch in "\r\t" else ch
        mods = Qt.KeyboardModifier.ShiftModifier if ch.isupper() else Qt.KeyboardModifier.NoModifier
        qapp.sendEvent(target, QKeyEvent(QEvent.Type.KeyPress, key_of(ch), mods, txt))
        qapp.sendEvent(target, QKeyEvent(QEvent.Type.KeyRelease, key_of(ch), mods, txt))
        app.clock.t += gap
        deadline = app.detector.machine.deadline()
        if deadline is not None and app.clock.t >= deadline:
            app.detector.check_timeout()
    app.clock.t += 1.0
    app.detector.check_timeout()


def escape_next_dialog(qtbot) -> list:
    seen = []

    def esc(modal):
        seen.append(type(modal).__name__)
        QApplication.sendEvent(modal, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier))

    close_next_modal(qtbot, esc)
    return seen


def test_after_every_dialog_a_scan_reaches_the_lookup(session, qtbot):
    w = session.window
    a, b, c, d = customers(session, n=4)
    scan(session, a)
    assert w.controller.lookup.customer.code == a
    opened = []
    for action, other in ((w.show_help, b), (w.open_search, c), (w.void, d)):
        opened.append(escape_next_dialog(qtbot))
        action()
        # the counter window has the keyboard back, on the tendered field
        qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=3000)
        assert QApplication.focusWidget() is w.view.tendered_edit
        press(session, other + "\r", 0.003)
        assert w.controller.lookup.customer.code == other, w.message_label.text()
        assert w.view.tendered_edit.text() == ""  # no digit of the scan in KHÁCH ĐƯA
        assert w.controller.last_payment is None  # a scan of another customer collects nothing
    assert [name for seen in opened for name in seen] == ["HelpDialog", "SearchDialog", "VoidDialog"]


def test_scan_with_no_active_window_is_still_a_scan(session, qtbot):
    """Without the focus given back (what X does with no window manager), the scan's keys reach
    the tendered field's window: still a scan, never an amount."""
    w = session.window
    a, b = customers(session, n=2)
    scan(session, a)
    w.view.tendered_edit.setFocus()
    other = HelpDialog(w)
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is other)
    keeper = getattr(w, "focus_keeper", None)
    if keeper is not None:
        QApplication.instance().removeEventFilter(keeper)  # nobody takes the focus back
    other.hide()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is None)
    press(session, b + "\r", 0.003)
    assert w.controller.lookup.customer.code == b
    assert w.view.tendered_edit.text() == ""


def test_fast_typing_in_search_stays_typed(session, qtbot):
    """"nguyen van an" at 75 ms a key + Enter in F3: the box keeps it, no "not a valid code"."""
    w = session.window
    state = {}

    def typist(modal):
        press(session, "nguyen van an\r", 0.075)
        state["query"] = modal.query.text()
        state["error"] = modal.error.text()
        QTimer.singleShot(0, modal.reject)

    close_next_modal(qtbot, typist)
    w.open_search()
    assert state["query"] == "nguyen van an"
    assert "hợp lệ" not in state["error"] and "hợp lệ" not in w.message_label.text()


def test_password_typed_fast_in_login_is_never_a_scan(counter, qtbot, caplog, monkeypatch):
    """No remembered user: the focus starts in the user field; a password typed there at scanner
    speed + Enter stays in the dialog: no scan, nothing in the status bar or the log."""
    w = counter.window
    monkeypatch.setattr(counter.backend, "last_username", lambda: "")
    scans = []
    counter.detector.scanned.connect(scans.append)
    secret = "MatKhau2026x"
    state = {}

    def typist(modal):
        state["focus"] = QApplication.focusWidget() is modal.username
        press(counter, secret + "\r", 0.003)
        state["username"] = modal.username.text()
        QTimer.singleShot(0, modal.reject)

    caplog.set_level(logging.DEBUG)
    close_next_modal(qtbot, typist)
    assert w.start_session() is False
    assert state["focus"] and state["username"] == secret
    assert scans == []
    assert secret not in w.message_label.text() and secret.upper() not in w.message_label.text()
    assert secret not in caplog.text and secret.upper() not in caplog.text
