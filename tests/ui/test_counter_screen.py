"""What the counter screen says (issue 14, defects 7-10): the tendered-amount rule shown as it is
typed, the void before and after, no shift open, labels and settings."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from test_counter_flow import close_next_modal, customers, scan
from uihelpers import type_keys

from cashier.core.money import format_vnd
from cashier.ui import dialogs


def test_tendered_is_thousands_whatever_the_length_grouped_as_typed(session, qtbot):
    w = session.window
    code = customers(session, n=1)[0]
    scan(session, code)
    due = w.controller.state.due
    edit = w.view.tendered_edit
    edit.setFocus()
    shown = []
    for ch in "1500":  # a person typing: each key lands (after the scanner's gap)
        type_keys(session.detector, ch, 0.2, session.clock)
        shown.append(edit.text())
    assert shown == ["1", "15", "150", "1.500"]  # thousands separators while typing
    assert w.view.tendered() == 1_500_000
    assert w.view.tendered_note.text() == "Khách đưa 1.500.000 đ"
    edit.clear()
    type_keys(session.detector, "500", 0.2, session.clock)
    assert w.view.tendered() == 500_000 and w.view.tendered_note.text() == "Khách đưa 500.000 đ"
    edit.clear()
    type_keys(session.detector, "2000", 0.2, session.clock)  # the same rule with four digits
    assert edit.text() == "2.000" and w.view.tendered() == 2_000_000
    assert w.view.tendered_note.text() == "Khách đưa 2.000.000 đ"
    change = 2_000_000 - due
    expected = format_vnd(change) if change >= 0 else "THIẾU " + format_vnd(-change)
    assert w.view.change_label.text() == expected
    edit.clear()
    assert w.view.tendered() is None and w.view.tendered_note.text() == "Khách đưa đủ tiền: " + format_vnd(due)
    w.view.quick_tender(200_000)
    w.view.quick_tender(500_000)
    assert edit.text() == "700" and w.view.tendered() == 700_000


def test_void_shows_whose_receipt_and_how_much_then_says_it_was_voided(session, qtbot):
    w = session.window
    a, b = customers(session, n=2)
    scan(session, a)
    scan(session, a)  # collected
    paid = w.controller.last_payment
    scan(session, b)  # another customer on screen now
    state = {}

    def void_flow(modal):
        if isinstance(modal, dialogs.VoidDialog):
            if "details" in state:  # still open, the approval dialog not up yet
                QTimer.singleShot(10, lambda: close_next_modal(qtbot, void_flow))
                return
            details = getattr(modal, "details", None)
            state["details"] = details.text() if details is not None else modal.receipt.text()
            modal.reason.setText("thu nhầm khách hàng")
            QTimer.singleShot(0, modal.accept)
            QTimer.singleShot(20, lambda: close_next_modal(qtbot, void_flow))
        elif isinstance(modal, dialogs.ManagerAuthDialog):
            modal.username.setText("quanly")
            modal.password.setText("quanly123")
            QTimer.singleShot(0, modal.accept)

    close_next_modal(qtbot, void_flow)
    w.void()
    details = state["details"]
    assert paid.receipt_no in details and paid.customer.name in details and format_vnd(paid.total) in details
    assert paid.customer.code in details
    text = w.message_label.text() + " " + w.view.banner.text()
    assert "Đã hủy biên nhận " + paid.receipt_no in text
    assert paid.customer.name in text and format_vnd(paid.total) in text


def test_no_shift_open_says_so_and_offers_f9(counter, qtbot):
    w = counter.window
    user = counter.backend.login("thungan", "123456")
    w.set_session(user, None)
    w.controller.clear()
    banner = w.view.banner.text()
    assert "Chưa mở ca" in banner and "F9" in banner
    assert "Sẵn sàng" not in banner
    code = customers(counter, n=1)[0]
    scan(counter, code)
    assert "Enter để thu" not in w.view.banner.text() and "Quét lại thẻ" not in w.view.banner.text()
    assert "Chưa mở ca" in w.view.banner.text() and "F9" in w.view.banner.text()
    assert QApplication.activeModalWidget() is None
