"""The counter window's status plumbing: the status bar (user, printer, scanner, database and
the message that expires), the printer's and the scanner's state, and the notices and alerts the
cashier must see (the banner + the feedback sound). The base class of ``main_window.MainWindow``
(with ``shift_flows.ShiftFlows`` and the others); its strings are in the MainWindow translation
context.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QLabel, QMainWindow

from cashier.ui import tasks
from cashier.ui.i18n import error_text
from cashier.ui.widgets import ElidedLabel


class WindowStatus(QMainWindow):
    """The status bar and the notices of the counter window; ``main_window.MainWindow``
    provides what is declared here."""

    backend: Any
    runner: tasks.TaskRunner
    feedback: Any
    view: Any
    ready: Any

    def _build_status(self, note: str) -> None:
        sb = self.statusBar()
        self.user_label = QLabel()
        self.printer_label = QLabel()
        self.scanner_label = QLabel()
        self.db_label = QLabel()
        # one line, "…" when too long (whole in the tooltip), never widens the window; it
        # expires (MESSAGE_MS) so that it is never stale
        self.message_label = ElidedLabel()
        sb.addWidget(self.message_label, 1)
        for lbl in (self.user_label, self.printer_label, self.scanner_label, self.db_label):
            lbl.setContentsMargins(6, 0, 6, 0)
            sb.addPermanentWidget(lbl)
        db = Path(str(self.backend.db_path))
        self.db_label.setText(QCoreApplication.translate("MainWindow", "CSDL: {path}").format(path=db.name))  # the full path in the tooltip
        self.db_label.setToolTip(str(db))
        self.set_printer_state("preview" if self.backend.printer_url.startswith("preview:") else "unknown")
        self.set_scanner_state("ready")
        QTimer.singleShot(300, self.check_printer)
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.timeout.connect(self._expire_message)
        if note:
            self.show_message("info", note)

    def set_printer_state(self, state: str, detail: str = "") -> None:
        names = {
            "unknown": QCoreApplication.translate("MainWindow", "chưa rõ"),
            "ok": QCoreApplication.translate("MainWindow", "sẵn sàng"),
            "printing": QCoreApplication.translate("MainWindow", "đang in"),
            "error": QCoreApplication.translate("MainWindow", "LỖI"),
            "preview": QCoreApplication.translate("MainWindow", "xem trước (tệp)"),
            "paper_near_end": QCoreApplication.translate("MainWindow", "sắp hết giấy"),
            "paper_out": QCoreApplication.translate("MainWindow", "HẾT GIẤY"),
            "cover_open": QCoreApplication.translate("MainWindow", "MỞ NẮP"),
            "offline": QCoreApplication.translate("MainWindow", "MẤT KẾT NỐI"),
        }
        colours = {"unknown": "#546e7a", "ok": "#1b5e20", "printing": "#0d47a1", "preview": "#0d47a1", "paper_near_end": "#e65100"}
        url = self.backend.printer_url
        if state in ("ok", "unknown") and url.startswith("preview:"):
            state = "preview"
        self.printer_label.setText(QCoreApplication.translate("MainWindow", "Máy in: {state}").format(state=names.get(state, state)))
        self.printer_label.setToolTip(f"{url}\n{detail}".strip())
        self.printer_label.setStyleSheet(f"color: {colours.get(state, '#b00020')}; font-weight: bold;")
        self.printer_state = state

    def check_printer(self) -> None:
        """Ask the printer for its state on its own thread (never blocks the counter)."""

        def done(status: Any) -> None:
            if self.printer_state == "printing":
                return
            state = getattr(status, "state", None) if status is not None else None
            self.set_printer_state(state or "unknown", getattr(status, "detail", ""))

        def failed(exc: BaseException) -> None:
            self.set_printer_state("error", error_text(exc))

        self.runner.submit(self.backend.printer_status, done, failed, name="printer status")

    def set_scanner_state(self, state: str) -> None:
        names = {
            "ready": QCoreApplication.translate("MainWindow", "sẵn sàng"),
            "receiving": QCoreApplication.translate("MainWindow", "đang nhận"),
            "off": QCoreApplication.translate("MainWindow", "tắt"),
            "disconnected": QCoreApplication.translate("MainWindow", "mất kết nối (cổng COM)"),
        }
        serial = getattr(self, "serial", None)
        port = f" [{serial.port}]" if serial is not None and serial.reader is not None else ""
        self.scanner_label.setText(QCoreApplication.translate("MainWindow", "Máy quét: {state}").format(state=names.get(state, state)) + port)
        bad = state in ("off", "disconnected")
        self.scanner_label.setStyleSheet("color: #b00020; font-weight: bold;" if bad else "color: #1b5e20;")
        self.scanner_state = state

    def _on_serial_status(self, status: str) -> None:
        if status == "connected" or status in ("stopped", ""):
            self.set_scanner_state("ready")
        else:
            self.set_scanner_state("disconnected")

    def _on_receiving(self, on: bool) -> None:
        self.set_scanner_state("receiving" if on else "ready")

    #: how long a status-bar message stays (ms): a stale message is worse than none
    MESSAGE_MS = {"error": 30_000, "good": 10_000, "info": 10_000}

    def _on_notice(self, kind: str, text: str) -> None:
        if kind == "good":
            self.feedback.good()
        elif kind == "error":
            self.feedback.error()
        self.show_message(kind, text)

    def alert(self, text: str) -> None:
        """An error the cashier must see: in the banner (where they look), the status bar and
        the error sound. (The customer's own state is the controller's banner already.)"""
        self.view.banner.show_state("error", text)
        self._on_notice("error", text)

    def show_message(self, kind: str, text: str) -> None:
        colour = {"error": "#b00020", "good": "#1b5e20"}.get(kind, "#263238")
        self.message_label.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.message_label.setText(text)  # ends in "…" when too long; whole in the tooltip
        self.last_message = (kind, text)
        self._message_timer.start(self.MESSAGE_MS.get(kind, 10_000))

    def _expire_message(self) -> None:
        self.message_label.setText("")

    def _on_print_state(self, receipt: str, state: str) -> None:
        if state == "printing":
            self.set_printer_state("printing", receipt)
        elif state == "printed":
            self.set_printer_state("ok", receipt)
            self.ready.emit()
        else:
            self.set_printer_state("error", receipt)
            self.ready.emit()
