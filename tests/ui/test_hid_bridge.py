"""A HID-POS scanner in the counter app: chosen in Settings (F10) as a "hid:" port, read by the
HID reader through app.py's scanner factory and the bridge, its scans reach the customer lookup
exactly like a serial scan, whatever widget has the focus (even the tendered amount)."""

from __future__ import annotations

import os
import queue
import socket
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "devices"))
from hid_reports import scan_reports  # noqa: E402

from cashier.devices import hid_scanner  # noqa: E402
from cashier.ui.dialogs.settings import SettingsDialog  # noqa: E402


class FakeHidNode:
    """open_device() stand-in: each open is a SOCK_SEQPACKET pair (report boundaries kept)."""

    def __init__(self) -> None:
        self.specs: list[str] = []
        self.scanner_ends: queue.Queue = queue.Queue()

    def __call__(self, spec: str, backend: str = "auto") -> hid_scanner.HidrawDevice:
        self.specs.append(spec)
        reader, scanner = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.scanner_ends.put(scanner.detach())
        return hid_scanner.HidrawDevice(spec, fd=reader.detach())


def demo_code(app) -> str:
    for hit in app.backend.search("nguyen", 50):
        if hit.unpaid_bills:
            return hit.code
    raise AssertionError("no demo customer with unpaid bills")


def choose_in_settings(app, qtbot, port: str) -> None:
    """F10 as the admin would: pick the port in the scanner tab, OK."""
    seen: dict = {}

    def fill() -> None:
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, SettingsDialog):
            QTimer.singleShot(10, fill)
            return
        seen["items"] = [dlg.serial_port.itemText(i) for i in range(dlg.serial_port.count())]
        dlg.serial_port.setCurrentText(port)
        dlg.accept()

    QTimer.singleShot(0, fill)
    app.window.open_settings()
    return seen["items"]


def test_hid_scan_reaches_the_lookup_like_a_serial_scan(session, qtbot, monkeypatch) -> None:
    node = FakeHidNode()
    monkeypatch.setattr(hid_scanner, "open_device", node)
    session.backend.info.hid_scanners = lambda: ["hid:auto", "hid:/dev/hidraw3"]
    w = session.window
    admin = session.backend.login("admin", "admin123")
    cashier = w.controller.user
    w.set_session(admin, w.controller.shift)
    items = choose_in_settings(session, qtbot, "hid:/dev/hidraw3")
    w.set_session(cashier, w.controller.shift)
    assert "hid:auto" in items and "hid:/dev/hidraw3" in items
    assert session.settings.value("scanner/serial_port") == "hid:/dev/hidraw3"
    scanner_end = node.scanner_ends.get(timeout=5)
    assert isinstance(session.serial.reader, hid_scanner.HidScanner)
    assert node.specs == ["hid:/dev/hidraw3"]

    code = demo_code(session)
    w.view.tendered_edit.setFocus()  # the focus in a money field: a wedge scan would land here
    for report in scan_reports(code.lower().encode()):
        os.write(scanner_end, report)
    qtbot.waitUntil(lambda: w.view.code_label.text() == code, timeout=5000)
    assert w.view.banner.kind == "unpaid" and w.view.tendered_edit.text() == ""

    for report in scan_reports(b"hello 123"):  # not a customer code: said in the banner
        os.write(scanner_end, report)
    qtbot.waitUntil(lambda: w.view.banner.kind == "error", timeout=5000)
    assert "HELLO 123" in w.view.banner.text() or "HELLO123" in w.view.banner.text()
    os.close(scanner_end)
