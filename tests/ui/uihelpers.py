"""Helpers of the UI tests: a fake monotonic clock and key presses sent through the app."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication


class FakeClock:
    """Monotonic time the scan detector reads, advanced by the tests' simulated key gaps."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


_KEYS = {"\r": Qt.Key.Key_Return, "\t": Qt.Key.Key_Tab, " ": Qt.Key.Key_Space}


def key_of(ch: str) -> Qt.Key:
    if ch in _KEYS:
        return _KEYS[ch]
    if ch.isascii() and ch.isalnum():
        return getattr(Qt.Key, f"Key_{ch.upper()}")
    return Qt.Key.Key_unknown


def type_keys(detector, text: str, gap: float, clock: FakeClock | None = None) -> None:
    """Press ``text`` into the focused widget, ``gap`` seconds between keys, through the
    application (so the scan detector sees them as a keyboard-wedge scanner's keys)."""
    app = QApplication.instance()
    for ch in text:
        target = app.focusWidget() or app.activeWindow()
        assert target is not None, "no window has the keyboard"  # sendEvent(None) would crash
        key = key_of(ch)
        txt = "" if ch in "\r\t" else ch
        mods = Qt.KeyboardModifier.ShiftModifier if ch.isupper() else Qt.KeyboardModifier.NoModifier
        app.sendEvent(target, QKeyEvent(QEvent.Type.KeyPress, key, mods, txt))
        app.sendEvent(target, QKeyEvent(QEvent.Type.KeyRelease, key, mods, txt))
        if clock is not None:
            clock.t += gap
            deadline = detector.machine.deadline()
            if deadline is not None and clock.t >= deadline:
                detector.check_timeout()
    if clock is not None:
        clock.t += 1.0
        detector.check_timeout()
