"""The keyboard-wedge scanner, live whatever has focus: an event filter on the QApplication.

Key presses are fed to :class:`cashier.core.wedge.WedgeDetector`. While characters could be the
start of a scan they are watched; when the burst ends with the scanner's suffix it is a scan:
``scanned(str)`` is emitted and none of its keys stay in the focused widget.

* In a free-text field (a plain QLineEdit: the F3 search box, a reason, a bank reference) each
  key is *echoed at once* and remembered; when the burst turns out to be a scan of a code (the
  window's ``classifier`` says so: a customer or card code) the field gets back the text it had
  before the burst. A burst that is no code ("nguyen van an" typed fast + Enter) stays as typed
  and its Enter reaches the field.
* Anywhere else (a money field, a spin box, the counter screen itself) the keys are *held*: a
  scan never lands in a money field; when the gap shows a person typing, the held keys are given
  back, in order, to the widget that had focus (up to ``max_gap`` late).
* Windows marked with :data:`NO_SCAN` (login, manager approval) and password fields are never
  watched: nothing typed there is taken, shown or logged as a scan.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from cashier.core.wedge import KeyKind, WedgeConfig, WedgeDetector

log = logging.getLogger(__name__)

#: a dynamic property set (True) on windows whose keys are never a scan (login, approval)
NO_SCAN = "cashierNoScan"
#: a dynamic property set (True) on money fields (never echoed into, even without a validator)
MONEY_FIELD = "cashierMoney"

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
        #: held (not yet delivered) keys: id(token) -> (token, the widget it was meant for)
        self._held: dict[int, tuple[QKeyEvent, QWidget]] = {}
        #: ids of the burst's keys already echoed into a text field
        self._echoed: set[int] = set()
        #: the text field the burst is echoed into, with its text and cursor before the burst
        self._echo: tuple[QLineEdit, str, int] | None = None
        #: echo keys at once into free-text fields (False: hold them like everywhere else)
        self.echo_typing = True
        #: is a finished burst in a text field a code to look up? None: every burst is a scan
        self.classifier: Callable[[str], bool] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.check_timeout)
        self._installed_on: QCoreApplication | None = None
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
        target = app or QApplication.instance()
        if target is None:
            raise RuntimeError("the scan detector needs the QApplication to exist")
        target.installEventFilter(self)
        self._installed_on = target

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
        if focus is None:
            # no window of ours is active (no window manager gave the focus back after a
            # dialog): X still sends the keys to the window under the pointer, to its focus widget
            focus = obj.window().focusWidget()
        if focus is not None:
            return obj is focus
        return obj.isWindow()

    @staticmethod
    def _echo_field(obj: QObject) -> bool:
        """A free-text field: keys are shown at once (a money field never gets a scan's keys)."""
        return (
            isinstance(obj, QLineEdit)
            and obj.echoMode() == QLineEdit.EchoMode.Normal
            and not obj.isReadOnly()
            and obj.validator() is None
            and not obj.property(MONEY_FIELD)
        )

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
        assert isinstance(obj, QWidget)
        if obj.window().property(NO_SCAN):
            if self.machine.pending:
                self._deliver(self.machine.reset())
            return False  # login, approval: typed text only, never a scan
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
        was_pending = self.machine.pending
        out = self.machine.feed(kind, event.text(), now, token)
        self._deliver(out.replay)
        swallow = out.swallow
        if out.scan is not None and not self._finish_scan(out.scan) and kind is KeyKind.TERMINATOR:
            swallow = False  # fast typing, no code: its Enter goes to the field as typed
        if swallow and kind is KeyKind.CHAR:
            if self.echo_typing and isinstance(obj, QLineEdit) and self._echo_field(obj) and self._echo_into(obj):
                self._echoed.add(id(token))
                swallow = False  # shown now; taken back if the burst is a scan
            else:
                self._held[id(token)] = (token, obj)
        self._arm_timer()
        if was_pending != self.machine.pending:
            self.receiving.emit(self.machine.pending)
        return swallow

    def _echo_into(self, field: QLineEdit) -> bool:
        """The burst's keys may be echoed into ``field``: only when every key of the burst so far
        went there (the text before the burst is remembered to take a scan back out)."""
        if self.machine.held_count == 1:  # this key starts the burst
            self._echo = (field, field.text(), field.cursorPosition())
            return True
        return self._echo is not None and self._echo[0] is field and not self._held

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
        deadline = self.machine.deadline()
        if self._last_from_event and deadline is not None:
            # the keys were timed by the window system; no key arrived for max_gap of wall time
            # (and none was waiting in the queue): the burst is over
            out = self.machine.timeout(deadline)
        else:
            out = self.machine.timeout(self.clock())
        self._deliver(out.replay)
        if out.scan is not None:
            self._finish_scan(out.scan)
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

    def _finish_scan(self, code: str) -> bool:
        """A burst long enough for a scan just ended. Echoed into a text field and not a code
        (the classifier says so): it was typing, it stays (held keys of it are given back) and
        False is returned. Else the echo is taken back and ``scanned`` is emitted."""
        echo, echoed, held = self._echo, self._echoed, self._held
        self._echo, self._echoed, self._held = None, set(), {}
        if echoed and self.classifier is not None and not self.classifier(code):
            self.machine.replayed_bursts += 1
            self._send([tok for tok, _w in held.values()], held)
            return False
        if echoed and echo is not None and _alive(echo[0]):
            field, text, cursor = echo
            field.setText(text)
            field.setCursorPosition(cursor)
        log.debug("scan of %d characters", len(code))
        self.scanned.emit(code)
        return True

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
        """Give held keys back to the widget that had focus when they were pressed (echoed keys
        are already there). The burst is over when nothing is pending."""
        if not tokens:
            return
        held = self._held
        self._send([tok for tok in tokens if id(tok) not in self._echoed], held)
        for tok in tokens:
            self._echoed.discard(id(tok))
            held.pop(id(tok), None)
        if not self.machine.pending:
            self._echo = None
            self._echoed.clear()

    def _send(self, tokens: list, held: dict[int, tuple[QKeyEvent, QWidget]]) -> None:
        if not tokens:
            return
        self._replaying = True
        try:
            for token in tokens:
                entry = held.get(id(token))
                target = entry[1] if entry is not None else None
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
