"""Lock screen (Ctrl+L): a customer CARD code (any format: the extract's MA_THE, e.g.
"TH1234567890", not a customer code) scanned or typed as a burst into the password field is a
scan, not a password: no login is tried (no failed login counted, so no lockout), nothing of it
is shown or logged. A password typed at human speed still unlocks."""

from __future__ import annotations

import logging
import sqlite3

from test_lock_screen import press_ctrl_l, visible_texts
from uihelpers import type_keys


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


def test_a_long_password_typed_fast_by_a_person_is_tried(session, qtbot):
    """~75 ms between keys (xdotool --delay 150, a fast typist) is typing, not a scanner burst:
    the password is tried (here: wrong, so refused as a failed unlock), never silently dropped."""
    w = session.window
    press_ctrl_l(w, qtbot)
    screen = w.lock.screen
    tried: list = []
    real = session.backend.login
    session.backend.login = lambda *a: tried.append(a) or real(*a)
    screen.password.setFocus()
    type_keys(session.detector, "sai-mat-khau\r", 0.075, session.clock)
    qtbot.waitUntil(lambda: not w.lock.busy, timeout=10_000)
    assert [a[1] for a in tried] == ["sai-mat-khau"]
    assert w.lock.locked and "mã quét" not in screen.error.text()
