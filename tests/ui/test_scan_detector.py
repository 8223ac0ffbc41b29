"""The application-wide scan detector on real Qt key events."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from cashier.core.wedge import WedgeConfig
from cashier.ui.scan_detector import MONEY_FIELD, NO_SCAN, ScanDetector


class FakeClock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def _key_for(ch: str) -> int:
    if ch == "\r":
        return Qt.Key.Key_Return
    return getattr(Qt.Key, f"Key_{ch.upper()}", Qt.Key.Key_unknown) if ch.isalnum() else 0


def send_keys(app, text: str, clock: FakeClock, gap: float, detector: ScanDetector) -> None:
    """Press each key at ``gap`` seconds after the previous, as a scanner or a person would."""
    for ch in text:
        target = app.focusWidget()
        key = _key_for(ch)
        t = "" if ch == "\r" else ch
        mods = Qt.KeyboardModifier.ShiftModifier if ch.isupper() else Qt.KeyboardModifier.NoModifier
        app.sendEvent(target, QKeyEvent(QEvent.Type.KeyPress, key, mods, t))
        app.sendEvent(target, QKeyEvent(QEvent.Type.KeyRelease, key, mods, t))
        clock.t += gap
        if detector.machine.deadline() is not None and clock.t >= detector.machine.deadline():
            detector.check_timeout()


@pytest.fixture
def setup(qtbot, qapp):
    w = QWidget()
    lay = QVBoxLayout(w)
    edit, other = QLineEdit(), QLineEdit()
    money = QLineEdit()
    money.setObjectName("money")
    money.setProperty(MONEY_FIELD, True)
    lay.addWidget(edit)
    lay.addWidget(other)
    lay.addWidget(money)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    edit.setFocus()
    qtbot.waitUntil(lambda: qapp.focusWidget() is edit)
    clock = FakeClock()
    det = ScanDetector(WedgeConfig(), clock=clock)
    det.install(qapp)
    scans: list[str] = []
    det.scanned.connect(scans.append)
    yield qapp, edit, det, clock, scans
    det.uninstall()


def test_scan_at_3ms_is_detected_and_swallowed(setup):
    app, edit, det, clock, scans = setup
    send_keys(app, "PC12AA0012345\r", clock, 0.003, det)
    assert scans == ["PC12AA0012345"]
    assert edit.text() == ""  # nothing landed in the focused field


def test_typing_at_120ms_lands_in_the_field(setup):
    app, edit, det, clock, scans = setup
    returns = []
    edit.returnPressed.connect(lambda: returns.append(edit.text()))
    send_keys(app, "PC12AA0012345\r", clock, 0.120, det)
    assert scans == []
    assert edit.text() == "PC12AA0012345"
    assert returns == ["PC12AA0012345"]


def _money(app, edit, qtbot):
    money = edit.parent().findChild(QLineEdit, "money")
    money.setFocus()
    qtbot.waitUntil(lambda: app.focusWidget() is money)
    return money


def test_two_fast_keys_then_pause_are_replayed_to_the_original_widget(setup, qtbot):
    app, edit, det, clock, scans = setup
    money = _money(app, edit, qtbot)
    send_keys(app, "12", clock, 0.01, det)
    assert money.text() == ""  # a money field: held, could still be a scan
    clock.t += 0.2
    det.check_timeout()
    assert money.text() == "12" and scans == []


def test_real_timer_releases_typing(setup, qtbot):
    app, edit, det, clock, scans = setup
    money = _money(app, edit, qtbot)
    det.clock = __import__("time").monotonic
    qtbot.keyClicks(money, "5")
    assert money.text() == ""
    qtbot.waitUntil(lambda: money.text() == "5", timeout=1000)


def test_a_scan_never_lands_in_a_money_field(setup, qtbot):
    app, edit, det, clock, scans = setup
    money = _money(app, edit, qtbot)
    det.classifier = lambda code: False  # not even a burst the window calls "no code"
    send_keys(app, "PC12AA0004456\r", clock, 0.003, det)
    assert scans == ["PC12AA0004456"] and money.text() == ""


def test_typed_keys_echo_at_once_in_a_text_field(setup):
    """No wait for the gap: each key is in the field the moment it is pressed."""
    app, edit, det, clock, scans = setup
    for i, ch in enumerate("nguyen"):
        send_keys(app, ch, clock, 0.0, det)  # the clock never moves: no timeout can release it
        assert edit.text() == "nguyen"[: i + 1]
    assert det.machine.pending  # still watched: it could become a scan


def test_a_scan_into_a_text_field_is_taken_back_out(setup):
    app, edit, det, clock, scans = setup
    edit.setText("abc")
    edit.setCursorPosition(1)
    send_keys(app, "PC12AA0012345\r", clock, 0.003, det)
    assert scans == ["PC12AA0012345"]
    assert edit.text() == "abc" and edit.cursorPosition() == 1


def test_fast_typing_that_is_no_code_stays_as_typed_with_its_enter(setup):
    """"nguyen van an" typed 75 ms a key + Enter: the window's classifier says it is no code."""
    app, edit, det, clock, scans = setup
    det.classifier = lambda code: code.upper().startswith("PC")
    returns = []
    edit.returnPressed.connect(lambda: returns.append(edit.text()))
    send_keys(app, "nguyen van an\r", clock, 0.075, det)
    assert scans == []
    assert edit.text() == "nguyen van an" and returns == ["nguyen van an"]
    send_keys(app, "PC12AA0012345\r", clock, 0.003, det)  # a real scan still is one
    assert scans == ["PC12AA0012345"] and edit.text() == "nguyen van an"


def test_no_scan_window_and_password_keys_are_never_a_scan(setup, qtbot):
    app, edit, det, clock, scans = setup
    edit.window().setProperty(NO_SCAN, True)
    returns = []
    edit.returnPressed.connect(lambda: returns.append(edit.text()))
    send_keys(app, "matkhau2026\r", clock, 0.003, det)  # a password typed fast into the user field
    assert scans == [] and not det.machine.pending
    assert edit.text() == "matkhau2026" and returns == ["matkhau2026"]


def test_keys_reach_the_focus_widget_of_a_window_that_is_not_active(setup, qtbot):
    """No window manager gave the focus back: Qt has no active window, X sends the keys to the
    window under the pointer, i.e. to that window's focus widget. A scan is still a scan."""
    app, edit, det, clock, scans = setup
    money = _money(app, edit, qtbot)
    other_window = QWidget()
    qtbot.addWidget(other_window)
    other_window.show()
    other_window.activateWindow()
    qtbot.waitUntil(lambda: app.activeWindow() is other_window)
    other_window.hide()  # offscreen, like X without a window manager: nothing is active now
    qtbot.waitUntil(lambda: app.activeWindow() is None)
    assert app.focusWidget() is None and money.window().focusWidget() is money
    for ch in "PC12AA0004456\r":
        key = _key_for(ch)
        t = "" if ch == "\r" else ch
        mods = Qt.KeyboardModifier.ShiftModifier if ch.isupper() else Qt.KeyboardModifier.NoModifier
        app.sendEvent(money, QKeyEvent(QEvent.Type.KeyPress, key, mods, t))
        clock.t += 0.003
    assert scans == ["PC12AA0004456"] and money.text() == ""


def _stamped(key, text, ms):
    ev = QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, text)
    ev.setTimestamp(ms)
    return ev


def test_window_system_timestamps_decide_not_processing_time(setup):
    """Keys stamped 3 ms apart by the window system are a scan even when the GUI thread gets
    to them late; keys stamped 120 ms apart are typing even when processed in one go."""
    app, edit, det, clock, scans = setup
    t = 50_000
    for ch in "PC12AA0012345":
        app.sendEvent(edit, _stamped(_key_for(ch), ch, t))
        t += 3
        clock.t += 0.5  # the GUI thread was busy: half a second between processing each key
    app.sendEvent(edit, _stamped(Qt.Key.Key_Return, "", t))
    assert scans == ["PC12AA0012345"] and edit.text() == ""

    t += 5000
    for ch in "PC12AA0012345":
        app.sendEvent(edit, _stamped(_key_for(ch), ch, t))
        t += 120  # a person typing, though all processed at the same instant
    app.sendEvent(edit, _stamped(Qt.Key.Key_Return, "", t))
    assert scans == ["PC12AA0012345"]  # no second scan
    assert edit.text() == "PC12AA0012345"
