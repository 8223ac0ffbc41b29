"""A QR code drawn by Qt (the customer display's VietQR): the modules come from the ``qrcode``
library, the same one the printer's renderer uses (cashier/devices/render.py, which the ui may
not import); QPainter draws them, black on white with the standard 4-module quiet zone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QWidget


def qr_matrix(payload: str) -> list[list[bool]]:
    """The QR modules of ``payload`` (True = dark), error correction M, no quiet zone."""
    import qrcode  # pure Python, the library the printer's renderer uses too

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    qr.add_data(payload)
    qr.make(fit=True)
    return [list(row) for row in qr.get_matrix()]


class QrView(QWidget):
    """A QR code drawn module by module, black on white, with a 4-module quiet zone."""

    QUIET = 4

    def __init__(self, encode: Callable[[str], list[list[bool]]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customer_qr")
        self.encode = encode
        #: the string the code carries ("" = nothing drawn)
        self.payload = ""
        self.matrix: list[list[bool]] = []

    def set_payload(self, payload: str) -> None:
        self.payload = payload
        self.matrix = self.encode(payload) if payload else []
        self.update()

    def paintEvent(self, _event: Any) -> None:  # noqa: N802 (Qt API)
        if not self.matrix:
            return
        n = len(self.matrix) + 2 * self.QUIET
        side = min(self.width(), self.height())
        module = max(1, side // n)
        size = module * n
        x0, y0 = (self.width() - size) // 2, (self.height() - size) // 2
        p = QPainter(self)
        p.fillRect(QRect(x0, y0, size, size), QColor("white"))
        black = QColor("black")
        for r, row in enumerate(self.matrix):
            for c, dark in enumerate(row):
                if dark:
                    p.fillRect(x0 + (c + self.QUIET) * module, y0 + (r + self.QUIET) * module, module, module, black)
        p.end()
