"""What the lock screen (:mod:`cashier.ui.lock_screen`) takes for a scan rather than a password:
a customer code typed into the password field (pure parse: no lookup, no log), and any text
typed into it as one scanner burst (a card code of any format, e.g. the extract's MA_THE).
Neither is tried as a password (no failed login, no lockout) nor shown or logged."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit

from cashier.core.customer_code import CodePolicy, parse_scanned
from cashier.core.errors import DomainError

#: the longest gap between two keys of a scanner (they send <= 50 ms a key; a fast typist ~75 ms,
#: which the scan detector's 100 ms max_gap still takes for a burst: too loose for a password)
SCANNER_GAP = 0.050
#: keys that only change the next key (an X server sends Shift around each capital of a scan)
MODIFIER_KEYS = frozenset(
    (Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_AltGr, Qt.Key.Key_Meta, Qt.Key.Key_CapsLock)
)


def looks_like_scan(text: str) -> bool:
    """A customer code typed into the password field by the scanner (pure: no lookup, no log)."""
    try:
        parse_scanned(text, CodePolicy())
    except DomainError:
        return False
    return True


class PasswordBurst(QObject):
    """Times the keys typed into the password field (which the scan detector never watches):
    the whole text typed as one burst - every gap within :data:`SCANNER_GAP` (and the scanner's
    ``max_gap``), at least
    ``min_length`` characters, Enter right after - is a scan (a card code in any format), not
    a password. ``detector``: the window's ScanDetector (its clock, config and key timing)."""

    def __init__(self, field: QLineEdit, detector: Any) -> None:
        super().__init__(field)
        self.field, self.detector = field, detector
        self.times: list[float] = []
        self.broken = False
        self.scanned = False  # the last Enter ended a burst
        field.installEventFilter(self)

    def _now(self, event: QKeyEvent) -> float:
        ts = event.timestamp() if getattr(self.detector, "use_event_time", True) else 0
        return ts / 1000.0 if ts else self.detector.clock()

    def reset(self) -> None:
        self.times, self.broken, self.scanned = [], False, False

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if obj is not self.field or event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        now, cfg = self._now(event), self.detector.config
        gap = now - self.times[-1] if self.times else None
        fast = gap is not None and gap <= min(cfg.max_gap, SCANNER_GAP)
        if event.key() in MODIFIER_KEYS:
            return False  # Shift around a capital ("TH…"): part of the scanner's typing
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):  # the suffix: the detector's gap
            soon = gap is not None and gap <= cfg.max_gap
            self.scanned = soon and not self.broken and len(self.times) >= cfg.min_length
        elif event.text() and event.text().isprintable():
            text = self.field.text()
            if not text or (self.field.hasSelectedText() and self.field.selectedText() == text):
                self.times, self.broken = [], False  # the first key of what will be submitted
            elif not fast:
                self.broken = True
            self.times.append(now)
        else:
            self.broken = True  # Backspace, arrows, paste: edited by hand
        return False
