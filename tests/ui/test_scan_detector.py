"""The application-wide scan detector on real Qt key events."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from cashier.core.wedge import WedgeConfig
from cashier.ui.scan_detector import ScanDetector


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
    lay.addWidget(edit)
    lay.addWidget(other)
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


def test_two_fast_keys_then_pause_are_replayed_to_the_original_widget(setup, qtbot):
    app, edit, det, clock, scans = setup
    send_keys(app, "ab", clock, 0.01, det)
    assert edit.text() == ""  # held: could still be a scan
    clock.t += 0.2
    det.check_timeout()
    assert edit.text() == "ab" and scans == []


def test_real_timer_releases_typing(setup, qtbot):
    app, edit, det, clock, scans = setup
    det.clock = __import__("time").monotonic
    qtbot.keyClicks(edit, "x")
    assert edit.text() == ""
    qtbot.waitUntil(lambda: edit.text() == "x", timeout=1000)


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
