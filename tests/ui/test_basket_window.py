"""Basket mode in the window (Shift+F2 "Thu gộp"): scan several cards, one tender, one change,
one receipt per customer; through the real window and services."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from test_counter_flow import close_next_modal, customers, receipts_printed, scan

from cashier.core.money import format_vnd
from cashier.ui.basket import BasketController, BasketDialog


def open_dialog(app, qtbot) -> BasketDialog:
    dlg = BasketDialog(BasketController(app.backend, app.window.controller, app.window), app.window)
    qtbot.addWidget(dlg)
    return dlg


def test_scan_two_cards_tender_once_and_print_a_receipt_for_each(session, qtbot):
    w = session.window
    first, second = customers(session, n=2)
    due = session.backend.preview(first).total + session.backend.preview(second).total
    given = (due // 1000 + 50) * 1000
    seen = {}

    def pay(modal):
        try:
            assert isinstance(modal, BasketDialog)
            for code in (first, second):
                scan(session, code)  # the window routes the scanner into the basket
                QApplication.processEvents()
            qtbot.waitUntil(lambda: modal.table.rowCount() == 2, timeout=5_000)
            seen["after_scans"] = (modal.code.text(), modal.error.text())
            seen["total"] = modal.total.text()
            modal.tendered.setText(str(given // 1000))
            QApplication.processEvents()
            seen["change"] = modal.change.text()
            modal.accept()
        except Exception as exc:  # never leave the modal open (the test would hang)
            seen["error"] = exc
        if modal.isVisible():
            seen.setdefault("error", modal.error.text())
            modal.reject()

    close_next_modal(qtbot, pay)
    w.activateWindow()
    qtbot.keyClick(w, Qt.Key.Key_F2, Qt.KeyboardModifier.ShiftModifier)
    assert "error" not in seen, seen
    assert format_vnd(due) in seen["total"] and seen["change"] == format_vnd(given - due)
    assert seen["after_scans"] == ("", "")  # a scan is a line in the basket, never typed into the code field
    assert not session.backend.lookup(first).unpaid and not session.backend.lookup(second).unpaid
    banner = w.view.banner.text()
    assert "THU GỘP 2 khách" in banner and format_vnd(given - due) in banner
    p = w.controller.last_payment
    basket = session.backend.station.collect.basket_of(p.receipt_no)
    assert basket is not None and basket.size == 2 and (basket.tendered, basket.change) == (given, given - due)
    qtbot.waitUntil(lambda: not w.controller.printing, timeout=15_000)
    assert len(receipts_printed(session)) == 2
    for i, receipt_no in enumerate(basket.receipts, 1):
        text = session.backend.receipt_text(session.backend.payment(receipt_no))
        assert f"Thu gộp {i}/2" in text and basket.code in text


def test_the_same_customer_twice_is_said_and_not_added(session, qtbot):
    first, second = customers(session, n=2)
    dlg = open_dialog(session, qtbot)
    assert dlg.add(first) and not dlg.add(first)
    assert "đã có trong giỏ" in dlg.error.text() and dlg.table.rowCount() == 1
    dlg.code.setText(second)
    qtbot.keyClick(dlg.code, Qt.Key.Key_Return)  # Enter in the code field adds, never confirms
    assert dlg.table.rowCount() == 2 and dlg.outcome is None and dlg.code.text() == ""
    dlg.table.selectRow(0)
    dlg.remove_selected()
    assert dlg.table.rowCount() == 1 and dlg.controller.basket.entries[0].customer_code == second
    dlg.accept()  # one customer left: not a basket
    assert dlg.outcome is None and "ít nhất 2" in dlg.error.text()
    assert session.backend.lookup(second).unpaid


def test_a_customer_already_collected_is_refused_as_on_the_counter(session, qtbot):
    first, second, third = customers(session, n=3)
    scan(session, first)
    assert session.window.controller.confirm() is not None  # collected at the counter
    dlg = open_dialog(session, qtbot)
    assert not dlg.add(first)
    assert "ĐÃ THU TẠI QUẦY" in dlg.error.text() and dlg.table.rowCount() == 0
    assert dlg.add(second) and dlg.add(third)
    dlg.tendered.setText("1")  # 1.000 đ: short
    assert dlg.change.text() == "—" and "ít hơn" in dlg.error.text()


def test_tab_goes_from_the_code_field_to_the_tendered_amount_and_codes_show_whole(session, qtbot):
    """Keyboard only: after the scans, Tab reaches KHÁCH ĐƯA (not the table or the buttons), and
    the customer code column is wide enough for the whole code."""
    first, second = customers(session, n=2)
    dlg = open_dialog(session, qtbot)
    dlg.show()
    for code in (first, second):
        dlg.add(code)
    qtbot.waitUntil(lambda: dlg.table.rowCount() == 2, timeout=5_000)
    dlg.code.setFocus()
    qtbot.waitUntil(dlg.code.hasFocus, timeout=5_000)
    qtbot.keyClick(dlg.code, Qt.Key.Key_Tab)
    qtbot.waitUntil(dlg.tendered.hasFocus, timeout=5_000)
    col = dlg.table.columnWidth(1)
    needed = dlg.table.fontMetrics().horizontalAdvance(first)
    assert col > needed, (col, needed)
    dlg.reject()
