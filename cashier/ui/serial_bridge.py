"""A serial scanner (RS-232 / USB-CDC / Bluetooth SPP) or a USB HID-POS scanner (port
``hid:...``, cashier/devices/hid_scanner.py) feeding the same scan path as the wedge.

The factory (app.py) picks the reader from the port. The reader runs on its own thread (the
device's worker, built by the composition root); its callbacks only emit signals of this GUI-thread object, so the counter handles every code on the
GUI thread, in order, exactly like a keyboard-wedge scan.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from cashier.ui import i18n

log = logging.getLogger(__name__)


class SerialScannerBridge(QObject):
    """The GUI-thread side of a device scanner (serial or HID-POS: the name stays for callers)."""

    #: a valid code (already normalised / IME-repaired by the reader)
    code = Signal(str)
    #: a refused frame: its message in the UI language
    rejected = Signal(str)
    #: connected | waiting | stopped ... (the reader's status words)
    status = Signal(str)

    def __init__(self, factory: Callable[..., Any] | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.factory = factory
        self.reader: Any = None
        self.port = ""

    def start(self, port: str, baudrate: int = 9600, prefix: str = "") -> bool:
        self.stop()
        if not port or self.factory is None:
            return False
        self.port = port
        self.reader = self.factory(
            port,
            on_code=lambda scanned: self.code.emit(getattr(scanned, "code", str(scanned))),
            on_reject=lambda rej: self.rejected.emit(rej.text(i18n.current_language())),
            on_status=self.status.emit,
            baudrate=int(baudrate),
            prefix=prefix,
        )
        self.reader.start()
        if port.startswith("hid:"):
            log.info("HID-POS scanner on %s", port)
        else:
            log.info("serial scanner on %s (%s baud)", port, baudrate)
        return True

    def stop(self) -> None:
        if self.reader is not None:
            try:
                self.reader.stop()
            except Exception:  # noqa: BLE001
                log.exception("stopping the serial scanner")
            self.reader = None
