"""The keyboard-wedge scanner, live whatever has focus: an event filter on the QApplication.

Key presses are fed to :class:`cashier.core.wedge.WedgeDetector`. While characters could be the
start of a scan they are held (swallowed); when the burst ends with the scanner's suffix it is a
scan: ``scanned(str)`` is emitted and none of its keys reach the focused widget. When the gap
between keys shows a person typing, the held keys are given back to the widget that had focus,
in order, so nothing typed is lost (a person sees their first key up to ``max_gap`` late).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from cashier.core.wedge import KeyKind, WedgeConfig, WedgeDetector

log = logging.getLogger(__name__)

_TERMINATORS = {Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab}
_MODIFIERS = {
    Qt.Key.Key_Shift,
    Qt.Key.Key_Control,
    Qt.Key.Key_Alt,
    Qt.Key.Key_Meta,
    Qt.Key.Key_AltGr,
    Qt.Key.Key_CapsLock,
    Qt.Key.Key_NumLock,
}


class ScanDetector(QObject):
    """Install with :meth:`install`; connect to :attr:`scanned`."""

    #: a complete scan (raw text as typed, before customer-code parsing)
    scanned = Signal(str)
    #: True while a scan is being received (for a status bar indicator)
    receiving = Signal(bool)

    def __init__(
        self,
        config: WedgeConfig | None = None,
        parent: QObject | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self.machine = WedgeDetector(config)
        self.clock = clock
        self.enabled = True
        self._replaying = False
        self._targets: dict[int, QWidget | None] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.check_timeout)
        self._installed_on: QApplication | None = None
        self._in_timeout = False
        self._fed = 0
        self._last_from_event = False
        #: time keys by the window system's event timestamps when there are any
        self.use_event_time = True
        #: process queued input before a timeout decides (off in tests that drive a fake clock)
        self._drain_input = clock is time.monotonic

    # -- set-up ----------------------------------------------------------------------------
    @property
    def config(self) -> WedgeConfig:
        return self.machine.config

    def set_config(self, config: WedgeConfig) -> None:
        self._deliver(self.machine.reset())
        self.machine.config = config

    def install(self, app: QApplication | None = None) -> None:
        app = app or QApplication.instance()
        app.installEventFilter(self)
        self._installed_on = app

    def uninstall(self) -> None:
        if self._installed_on is not None:
            self._installed_on.removeEventFilter(self)
            self._installed_on = None
        self._deliver(self.machine.reset())

    # -- the filter ------------------------------------------------------------------------
    @staticmethod
    def _is_key_target(obj: QObject) -> bool:
        """Each key press passes the filter several times (window, focus widget, its parents):
        handle it once, at the widget it is meant for."""
        if not isinstance(obj, QWidget):
            return False
        popup = QApplication.activePopupWidget()  # an open menu takes the keys
        if popup is not None:
            return obj is popup
        focus = QApplication.focusWidget()
        if focus is not None:
            return obj is focus
        return obj.isWindow()

    @staticmethod
    def _kind(event: QKeyEvent) -> KeyKind:
        key = event.key()
        if key in _TERMINATORS:
            return KeyKind.TERMINATOR
        if key in _MODIFIERS:
            return KeyKind.MODIFIER
        mods = event.modifiers() & ~(
            Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
        )
        text = event.text()
        if mods == Qt.KeyboardModifier.NoModifier and text and text.isprintable():
            return KeyKind.CHAR
        return KeyKind.OTHER

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        etype = event.type()
        if etype not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            return False
        if self._replaying or not self.enabled:
            return False
        if etype == QEvent.Type.ShortcutOverride:
            # while a scan is being held, its characters and suffix must not fire shortcuts
            if self.machine.pending and self._is_key_target(obj):
                event.accept()
                return True
            return False
        if not self._is_key_target(obj):
            return False
        if isinstance(obj, QLineEdit) and obj.echoMode() != QLineEdit.EchoMode.Normal and not self.machine.pending:
            return False  # a password / PIN field: never held, never taken for a scan
        assert isinstance(event, QKeyEvent)
        if event.isAutoRepeat():
            return False
        from_event = self._last_from_event
        now = self._event_time(event)
        if self.machine.pending and from_event != self._last_from_event:
            self._deliver(self.machine.reset())  # two clocks cannot be compared: typing
        self._fed += 1
        kind = self._kind(event)
        token = self._copy(event)
        self._targets[id(token)] = obj  # type: ignore[assignment]
        was_pending = self.machine.pending
        out = self.machine.feed(kind, event.text(), now, token)
        self._deliver(out.replay)
        if not out.swallow:
            self._targets.pop(id(token), None)
        if out.scan is not None:
            self._emit_scan(out.scan)
        self._arm_timer()
        if was_pending != self.machine.pending:
            self.receiving.emit(self.machine.pending)
        return out.swallow

    def check_timeout(self) -> None:
        """The gap after the last held key is over: the keys were typed (or, when no suffix is
        required, a scan ended)."""
        if self._in_timeout:
            return
        if self._drain_input:
            # keys of the same burst may still wait in the window system's queue when the GUI
            # thread was busy: let them arrive (through this filter) before judging the gap
            self._in_timeout = True
            try:
                QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
            finally:
                self._in_timeout = False
        was_pending = self.machine.pending
        if self._last_from_event and self.machine.deadline() is not None:
            # the keys were timed by the window system; no key arrived for max_gap of wall time
            # (and none was waiting in the queue): the burst is over
            out = self.machine.timeout(self.machine.deadline())
        else:
            out = self.machine.timeout(self.clock())
        self._deliver(out.replay)
        if out.scan is not None:
            self._emit_scan(out.scan)
        self._arm_timer()
        if was_pending != self.machine.pending:
            self.receiving.emit(self.machine.pending)

    # -- helpers ---------------------------------------------------------------------------
    def _arm_timer(self) -> None:
        deadline = self.machine.deadline()
        if deadline is None:
            self._timer.stop()
            return
        if self._last_from_event:
            msec = int(self.config.max_gap * 1000) + 2  # wall time from now (event clocks differ)
        else:
            msec = max(1, int((deadline - self.clock()) * 1000) + 2)
        self._timer.start(msec)

    def _event_time(self, event: QKeyEvent) -> float:
        """When the key was pressed: the window system's timestamp (X server / Windows message
        time, in ms) when it has one, so a busy GUI thread does not stretch or squeeze the gaps;
        else the detector's clock."""
        ts = event.timestamp() if self.use_event_time else 0
        if ts:
            self._last_from_event = True
            return ts / 1000.0
        self._last_from_event = False
        return self.clock()

    def _emit_scan(self, code: str) -> None:
        self._targets.clear()
        log.debug("scan: %r", code)
        self.scanned.emit(code)

    @staticmethod
    def _copy(event: QKeyEvent) -> QKeyEvent:
        return QKeyEvent(
            event.type(),
            event.key(),
            event.modifiers(),
            event.nativeScanCode(),
            event.nativeVirtualKey(),
            event.nativeModifiers(),
            event.text(),
            event.isAutoRepeat(),
            event.count(),
        )

    def _deliver(self, tokens: list) -> None:
        """Give held keys back to the widget that had focus when they were pressed."""
        if not tokens:
            return
        self._replaying = True
        try:
            for token in tokens:
                target = self._targets.pop(id(token), None)
                if target is None or not _alive(target):
                    target = QApplication.focusWidget()
                if target is not None:
                    QApplication.sendEvent(target, token)
        finally:
            self._replaying = False


def _alive(widget: QWidget) -> bool:
    try:
        widget.objectName()
    except RuntimeError:  # the C++ object is gone
        return False
    return True
