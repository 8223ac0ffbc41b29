"""The customer-facing display (cashier/ui/customer_display.py): where it goes for a list of
screens, and what it shows as the counter's controller moves (due, tendered, change, the
transfer's VietQR decoded back from the drawn image with zbarimg, the receipt number, idle),
never the cashier's own details. Offscreen has one screen; the two-screen run is
test_customer_display_xvfb.py."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from PySide6.QtWidgets import QApplication, QDialog
from test_counter_flow import close_next_modal, customers, scan

from cashier.core import vietqr
from cashier.core.documents import notice_qr_payload
from cashier.core.money import format_number, format_vnd
from cashier.ui import customer_display, customer_display_placement
from cashier.ui.customer_display_placement import (
    MODE_AUTO,
    MODE_OFF,
    MODE_WINDOW,
    Placement,
    choose_placement,
)
from cashier.ui.dialogs.settings import SettingsDialog


class FakeScreen:
    def __init__(self, name: str) -> None:
        self._name = name

    def name(self) -> str:
        return self._name


# -- where it goes -----------------------------------------------------------------------------
def test_one_screen_shows_nothing_unless_the_window_setting_is_on():
    counter = FakeScreen("counter")
    assert choose_placement([counter], counter, MODE_AUTO) is None
    assert choose_placement([counter], counter, MODE_OFF) is None
    assert choose_placement([counter], counter, MODE_WINDOW) == Placement(counter, fullscreen=False)


def test_a_second_screen_gets_the_display_full_screen():
    counter, customer = FakeScreen("HDMI-1"), FakeScreen("DP-1")
    assert choose_placement([counter, customer], counter, MODE_AUTO) == Placement(customer, fullscreen=True)
    # the counter window on the second screen of the list: the display takes the other one
    assert choose_placement([customer, counter], counter, MODE_AUTO) == Placement(customer, fullscreen=True)
    assert choose_placement([counter, customer], counter, MODE_WINDOW) == Placement(customer, fullscreen=False)
    assert choose_placement([counter, customer], counter, MODE_OFF) is None
    # three screens: the first that is not the counter's
    third = FakeScreen("DP-2")
    assert choose_placement([counter, customer, third], counter, MODE_AUTO).screen is customer
    # a mode typed wrong in the settings file is the default
    assert choose_placement([counter, customer], counter, "second") == Placement(customer, fullscreen=True)
    assert choose_placement([counter], counter, "second") is None


def test_offscreen_single_screen_display_is_hidden_by_default_and_a_window_by_setting(session, qtbot):
    w = session.window
    d = w.customer_display
    assert len(QApplication.screens()) == 1
    qtbot.waitUntil(lambda: d.placement is None and not d.isVisible())
    session.settings.setValue(customer_display_placement.MODE_KEY, MODE_WINDOW)
    d.apply_settings()
    qtbot.waitUntil(d.isVisible)
    assert d.placement == Placement(w.screen(), fullscreen=False) and not d.isFullScreen()
    assert d.windowFlags() & d.windowFlags().WindowDoesNotAcceptFocus  # never takes the scanner's keys
    # offscreen activates every new window: the display hands the keyboard back to the counter
    qtbot.waitExposed(d)
    qtbot.waitUntil(lambda: d.handed_back == 1 and QApplication.activeWindow() is w)
    # the counter keeps the keyboard: a scan still reaches the lookup
    code = customers(session, n=1)[0]
    scan(session, code)
    assert w.controller.lookup is not None and w.controller.lookup.customer.code == code
    assert QApplication.focusWidget() is w.view.tendered_edit
    session.settings.setValue(customer_display_placement.MODE_KEY, MODE_OFF)
    d.apply_settings()
    assert not d.isVisible()


def test_settings_dialog_saves_the_display_mode(session, qtbot):
    admin = session.backend.login("admin", "admin123")
    dlg = SettingsDialog(session.backend, session.runner, session.settings, session.detector, admin, session.window)
    qtbot.addWidget(dlg)
    chooser = dlg.customer_display
    assert chooser.currentData() == MODE_AUTO  # the default
    chooser.setCurrentIndex(chooser.findData(MODE_WINDOW))
    dlg.accept()
    assert dlg.result() == QDialog.DialogCode.Accepted, dlg.error.text()
    assert session.settings.value(customer_display_placement.MODE_KEY) == MODE_WINDOW


# -- what it shows -----------------------------------------------------------------------------
def _private(session) -> list[str]:
    user = session.user
    return [user.full_name, user.username]


def _assert_nothing_private(session, d) -> None:
    shown = "\n".join(d.texts())
    for secret in _private(session):
        assert secret not in shown
    assert "Enter" not in shown and "F9" not in shown  # the cashier's hints stay on the counter


def test_idle_screen_names_the_collection_point(session):
    d = session.window.customer_display
    company = session.backend.company()
    assert d.phase == "idle"
    texts = d.texts()
    assert company.company in texts
    assert any(company.collection_point in t for t in texts)
    assert "Xin mời quý khách" in texts
    _assert_nothing_private(session, d)


def test_due_tendered_change_follow_the_counter(session, qtbot, monkeypatch):
    monkeypatch.setattr(customer_display, "RECEIPT_MS", 200)
    w = session.window
    d = w.customer_display
    code = customers(session, n=1)[0]
    scan(session, code)
    st = w.controller.state
    assert d.phase == "customer" and st.collectable
    assert d.amount_labels["due"].text() == format_vnd(st.due)
    assert f"{code} — {w.controller.lookup.customer.name}" in d.texts()
    assert d.amount_labels["tendered"].text() == "—" and d.amount_labels["change"].text() == format_vnd(0)
    # the customer hands over more: typed in thousands, the display follows each key
    tendered = (st.due // 1000 + 50) * 1000
    qtbot.keyClicks(w.view.tendered_edit, str(tendered // 1000), delay=0)
    session.clock.t += 1  # the scan detector lets the fast burst go to the field
    session.detector.check_timeout()
    assert d.amount_labels["tendered"].text() == format_vnd(tendered)
    assert d.amount_labels["change_name"].text() == "TIỀN THỪA"
    assert d.amount_labels["change"].text() == format_vnd(tendered - st.due)
    # not enough: says how much is missing
    w.view.tendered_edit.setText(str(st.due // 1000 - 1))
    assert d.amount_labels["change_name"].text() == "CÒN THIẾU"
    assert d.amount_labels["change"].text() == format_vnd(st.due - (st.due // 1000 - 1) * 1000)
    w.view.tendered_edit.setText(format_number(tendered // 1000))
    _assert_nothing_private(session, d)
    w.confirm()
    payment = w.controller.last_payment
    assert payment is not None and payment.change == tendered - st.due
    assert d.phase == "receipt"
    assert d.done_receipt.text() == f"Số biên nhận: {payment.receipt_no}"
    assert f"Tiền thừa {format_vnd(payment.change)}" in d.done_lines.text()
    assert d.done_title.text() == "ĐÃ THANH TOÁN" and d.done_amount.text() == format_vnd(payment.total)
    _assert_nothing_private(session, d)
    assert payment.cashier_name not in "\n".join(d.texts())
    qtbot.waitUntil(lambda: d.phase == "idle", timeout=5000)  # after a few seconds: the next customer
    assert "Xin mời quý khách" in d.texts()


def test_next_scan_replaces_the_receipt_at_once_and_esc_goes_idle(session):
    w = session.window
    d = w.customer_display
    a, b = customers(session, n=2)
    scan(session, a)
    w.confirm()
    assert d.phase == "receipt"
    scan(session, b)
    assert d.phase == "customer" and d.customer_line.text().startswith(b)
    assert not d.receipt_timer.isActive()
    w.clear_customer()
    assert d.phase == "idle"


def _zbar(path: Path) -> str:
    exe = shutil.which("zbarimg")
    assert exe, "zbarimg missing: run scripts/system-deps.sh (Debian zbar-tools)"
    out = subprocess.run([exe, "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(path)], capture_output=True, check=True, timeout=30)
    return out.stdout.decode("utf-8").rstrip("\n")


def test_transfer_shows_the_exact_vietqr_and_then_the_receipt(session, qtbot, tmp_path):
    w = session.window
    d = w.customer_display
    d.resize(800, 480)
    code = customers(session, n=1)[0]
    scan(session, code)
    due = w.controller.state.due
    seen = {}

    def on_dialog(dlg):
        seen["phase"] = d.phase
        seen["payload"] = d.qr.payload
        seen["texts"] = d.texts()
        d.qr.resize(320, 320)
        png = tmp_path / "qr.png"
        assert d.qr.grab().save(str(png))
        seen["decoded"] = _zbar(png)
        dlg.ref.setText("FT2612020001")
        dlg.accept()

    close_next_modal(qtbot, on_dialog)
    w.transfer()
    expected = notice_qr_payload(session.backend.company(), code, due)
    assert seen["phase"] == "transfer"
    assert seen["payload"] == expected
    assert seen["decoded"] == expected  # the image drawn carries exactly that string
    parsed = vietqr.parse(seen["decoded"])
    assert parsed.amount == due and parsed.purpose == f"TIEN DIEN {code}" and parsed.dynamic
    assert parsed.account == session.backend.company().bank_account
    assert format_vnd(due) in seen["texts"]
    assert any(f"Nội dung: TIEN DIEN {code}" in t for t in seen["texts"])
    payment = w.controller.last_payment
    assert payment is not None and payment.method == "transfer"
    assert d.phase == "receipt" and payment.receipt_no in d.done_receipt.text()
    assert d.done_lines.text() == "Chuyển khoản"


def test_cancelled_transfer_goes_back_to_the_amounts(session, qtbot):
    w = session.window
    d = w.customer_display
    code = customers(session, n=1)[0]
    scan(session, code)
    close_next_modal(qtbot, lambda dlg: dlg.reject())
    w.transfer()
    assert d.phase == "customer" and d.amount_labels["due"].text() == format_vnd(w.controller.state.due)
    assert w.controller.last_payment is None


def test_no_bank_account_no_qr(session):
    from dataclasses import replace

    d = session.window.customer_display
    d.company = replace(d.company, bank_bin="12")  # a mistyped BIN: no code rather than a wrong one
    d.show_transfer("PC12AA0000001", 150_000)
    assert d.qr.payload == "" and not d.qr.matrix
    assert "Vui lòng chuyển khoản theo hướng dẫn của thu ngân" in d.texts()


def test_attaching_or_removing_a_screen_places_the_display_again(session, qtbot, monkeypatch):
    d = session.window.customer_display
    calls = []
    monkeypatch.setattr(d, "place", lambda: calls.append(len(calls)))
    app = QApplication.instance()
    app.screenAdded.emit(app.primaryScreen())
    qtbot.waitUntil(lambda: len(calls) == 1)
    app.screenRemoved.emit(app.primaryScreen())
    qtbot.waitUntil(lambda: len(calls) == 2)


def test_window_mode_keeps_where_the_cashier_put_it(session, qtbot):
    from PySide6.QtCore import QRect

    w = session.window
    d = w.customer_display
    session.settings.setValue(customer_display_placement.MODE_KEY, MODE_WINDOW)
    d.apply_settings()
    qtbot.waitUntil(d.isVisible)
    d.setGeometry(QRect(200, 150, 640, 400))
    from PySide6.QtGui import QCloseEvent

    d.eventFilter(w, QCloseEvent())  # the counter window is closing: the display goes too
    assert not d.isVisible() and session.settings.value(customer_display_placement.GEOMETRY_KEY) is not None
    d.setGeometry(QRect(0, 0, 300, 200))
    d.place()
    qtbot.waitUntil(d.isVisible)
    assert d.size().width() == 640 and d.size().height() == 400
