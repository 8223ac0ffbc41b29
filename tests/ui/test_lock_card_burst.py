"""Lock screen (Ctrl+L): a customer CARD code (any format: the extract's MA_THE, e.g.
"TH1234567890", not a customer code) scanned or typed as a burst into the password field is a
scan, not a password: no login is tried (no failed login counted, so no lockout), nothing of it
is shown or logged. A password typed at human speed still unlocks."""

from __future__ import annotations

import logging
import sqlite3

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from test_lock_screen import press_ctrl_l, visible_texts
from uihelpers import key_of, type_keys


def type_as_x_does(app, text: str, gap: float) -> None:
    """Keys as an X server delivers a wedge scanner's (or xdotool's): a Shift press and release
    around each capital letter, ``gap`` seconds apart."""
    qapp, clock = QApplication.instance(), app.clock

    def send(etype, key, mods, txt=""):
        qapp.sendEvent(qapp.focusWidget(), QKeyEvent(etype, key, mods, txt))

    shift, none = Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.NoModifier
    for ch in text:
        if ch.isupper():
            send(QEvent.Type.KeyPress, Qt.Key.Key_Shift, shift)
        txt = "" if ch == "\r" else ch
        mods = shift if ch.isupper() else none
        send(QEvent.Type.KeyPress, key_of(ch), mods, txt)
        send(QEvent.Type.KeyRelease, key_of(ch), mods, txt)
        if ch.isupper():
            send(QEvent.Type.KeyRelease, Qt.Key.Key_Shift, none)
        clock.t += gap
    clock.t += 1.0
    app.detector.check_timeout()


def demo_card(app) -> str:
    con = sqlite3.connect(app.backend.db_path)
    try:
        row = con.execute("SELECT card_code FROM card ORDER BY card_code LIMIT 1").fetchone()
    finally:
        con.close()
    assert row is not None, "the demo data has no customer card code"
    return row[0]


def test_card_scanned_into_the_password_field_is_no_login_attempt(session, qtbot, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    w = session.window
    card = demo_card(session)
    press_ctrl_l(w, qtbot)
    screen = w.lock.screen
    tried: list = []
    real = session.backend.login
    monkeypatch.setattr(session.backend, "login", lambda *a: tried.append(a) or real(*a))
    screen.password.setFocus()
    type_keys(session.detector, card + "\r", 0.003, session.clock)  # the scanner's burst
    assert tried == [] and not w.lock.busy
    assert w.lock.locked and "mã quét không được xử lý" in screen.error.text()
    assert screen.password.text() == ""
    assert card not in visible_texts(w) and card not in w.message_label.text()
    assert card not in caplog.text  # never logged, by any logger
    # typed as a burst by hand (a card number read off the card): the same
    type_keys(session.detector, card + "\r", 0.04, session.clock)
    assert tried == [] and w.lock.locked
    # as the X server delivers it (Shift pressed for the capitals of "TH…"): still a scan
    type_as_x_does(session, card + "\r", 0.003)
    assert tried == [] and w.lock.locked and screen.password.text() == ""


def test_card_bursts_never_lock_the_account_out(session, qtbot):
    w = session.window
    card = demo_card(session)
    press_ctrl_l(w, qtbot)
    screen = w.lock.screen
    for _ in range(6):  # more than the failures that lock an account (5)
        screen.password.setFocus()
        type_keys(session.detector, card + "\r", 0.003, session.clock)
        qtbot.waitUntil(lambda: not w.lock.busy, timeout=10_000)
    assert w.lock.locked
    # the cashier then types the password at human speed: unlocked, not "account locked"
    screen.password.setFocus()
    type_keys(session.detector, "123456\r", 0.2, session.clock)
    qtbot.waitUntil(lambda: not w.lock.busy, timeout=10_000)
    assert not w.lock.locked, screen.error.text()
    assert w.controller.user.username == "thungan"


def test_a_password_typed_fast_but_shorter_than_a_scan_still_unlocks(session, qtbot):
    w = session.window
    press_ctrl_l(w, qtbot)
    screen = w.lock.screen
    screen.password.setFocus()
    type_keys(session.detector, "123456\r", 0.03, session.clock)  # 6 keys: no scan is that short
    qtbot.waitUntil(lambda: not w.lock.busy, timeout=10_000)
    assert not w.lock.locked, screen.error.text()


def test_a_long_password_typed_by_a_fast_typist_still_unlocks(session, qtbot):
    """~77 ms between keys (xdotool --delay 150; a fast typist): slower than any scanner
    (<= 50 ms a key), so a 12-character password is a password, not a scan."""
    w = session.window
    press_ctrl_l(w, qtbot)
    screen = w.lock.screen
    tried: list = []
    real = session.backend.login
    session.backend.login = lambda *a: tried.append(a) or real(*a)
    screen.password.setFocus()
    type_keys(session.detector, "sai-mat-khau\r", 0.077, session.clock)
    qtbot.waitUntil(lambda: not w.lock.busy, timeout=10_000)
    assert tried == [("thungan", "sai-mat-khau")]  # tried as a password (and refused)
    assert "Sai tên đăng nhập hoặc mật khẩu" in screen.error.text()
