"""Partial payment in the window (F12) through the real window and services: the permission
(cashier + manager's approval, or a manager), the ledger's oldest-first one-bill rule, the
receipt and what remains due."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from test_counter_flow import close_next_modal, customers, receipts_printed, scan

from cashier.core.money import format_vnd
from cashier.ui.dialogs.login import ManagerAuthDialog
from cashier.ui.partial_payment import (
    PartialPaymentController,
    PartialPaymentDialog,
)


def customer_with_two_bills(app) -> str:
    for c in customers(app, n=40):
        if len(app.backend.lookup(c).unpaid) >= 2 and not app.backend.lookup(c).customer.disconnected:
            return c
    raise AssertionError("demo data has no customer with two unpaid bills")


def open_dialog(app, qtbot) -> PartialPaymentDialog:
    ctrl = PartialPaymentController(app.backend, app.window.controller, app.window)
    dlg = PartialPaymentDialog(ctrl, app.window)
    qtbot.addWidget(dlg)
    return dlg


def approve(modal) -> None:
    assert isinstance(modal, ManagerAuthDialog)
    modal.username.setText("quanly")
    modal.password.setText("quanly123")
    modal.accept()


def test_oldest_first_bills_shown_and_cashier_refused_without_approval(session, qtbot):
    w = session.window
    code = customer_with_two_bills(session)
    scan(session, code)
    unpaid = w.controller.lookup.unpaid  # oldest first
    dlg = open_dialog(session, qtbot)
    assert dlg.controller.needs_approval  # thungan is a cashier
    assert [b.bill_id for b in dlg.model.rows] == [b.bill_id for b in sorted(unpaid, key=lambda b: b.sort_key)]
    dlg.amount.setText("100")  # thousands: 100.000 đ
    plan = dlg.plan
    assert plan is not None and plan.amount == 100_000
    assert plan.bills[0].pays == 100_000 and all(b.pays == 0 for b in plan.bills[1:])
    assert plan.remaining_due == sum(b.remaining for b in dlg.controller.bills) - 100_000
    assert "hóa đơn cũ nhất" in dlg.summary.text() and format_vnd(plan.remaining_due) in dlg.summary.text()
    # the service refuses a cashier without a manager's approval (in Vietnamese)
    payment, why = dlg.controller.collect(100_000)
    assert payment is None and "thu một phần hóa đơn" in why
    # the approval dialog cancelled: nothing collected
    close_next_modal(qtbot, lambda modal: modal.reject())
    dlg.accept()
    assert dlg.payment is None and "Chưa được quản lý duyệt" in dlg.error.text()
    assert session.backend.station.storage.payments.partial_paid(code) == {}
    assert len(session.backend.lookup(code).unpaid) == len(unpaid)


def test_amount_over_the_oldest_bill_is_refused_in_vietnamese(session, qtbot):
    code = customer_with_two_bills(session)
    scan(session, code)
    dlg = open_dialog(session, qtbot)
    oldest = dlg.controller.oldest
    too_much = (oldest.remaining // 1000 + 1)  # thousands, one more than the oldest bill's due
    dlg.amount.setText(str(too_much))
    assert dlg.plan is None
    text = dlg.error.text()
    assert "phải lớn hơn 0" in text and oldest.bill_id in text and "F7" in text
    dlg.amount.setText("0")
    assert dlg.plan is None


def test_manager_approval_collects_on_the_oldest_bill_prints_and_shows_what_remains(session, qtbot):
    w = session.window
    code = customer_with_two_bills(session)
    scan(session, code)
    before = {b.bill_id: b.remaining for b in PartialPaymentController(session.backend, w.controller).bills}
    dlg = open_dialog(session, qtbot)
    oldest = dlg.controller.oldest
    dlg.amount.setText("100")
    dlg.tendered.setText("200")
    assert dlg.plan.change == 100_000
    close_next_modal(qtbot, approve)
    dlg.accept()
    p = dlg.payment
    assert p is not None, dlg.error.text()
    assert p.bill_ids == [oldest.bill_id] and p.total == 100_000 and p.change == 100_000
    with sqlite3.connect(session.backend.db_path) as db:  # the manager's approval is on record
        rows = db.execute("SELECT permission, reason FROM override").fetchall()
    assert rows == [("partial_payment", f"partial payment {code} 100000")]
    assert p.lines[0].partial and p.lines[0].amount == 100_000
    # the bill is still open, with 100.000 đ less due; the newer bills untouched
    after = {b.bill_id: b.remaining for b in PartialPaymentController(session.backend, w.controller).bills}
    assert after[oldest.bill_id] == before[oldest.bill_id] - 100_000
    assert all(after[b] == before[b] for b in before if b != oldest.bill_id)
    qtbot.waitUntil(lambda: p.receipt_no not in w.controller.printing, timeout=15_000)
    assert session.backend.station.collect.payment(p.receipt_no).printed is True
    assert len(receipts_printed(session)) == 1
    assert "Thu lần này (một phần):" in session.backend.receipt_text(p)


def test_f12_on_the_counter_manager_needs_no_approval(counter, qtbot):
    w = counter.window
    backend = counter.backend
    manager = backend.login("quanly", "quanly123")
    shift = backend.current_shift() or backend.open_shift(manager, 500_000)
    w.set_session(manager, shift)
    code = customer_with_two_bills(counter)
    scan(counter, code)
    due = w.controller.state.due
    seen = {}

    def pay(modal):
        assert isinstance(modal, PartialPaymentDialog)  # no approval dialog for a manager
        assert not modal.controller.needs_approval
        modal.amount.setText("50")
        QApplication.processEvents()  # laid out as the cashier sees it
        seen["grab"] = modal.grab().save(str(counter.preview / "partial.png"))
        modal.accept()

    close_next_modal(qtbot, pay)
    w.activateWindow()
    qtbot.keyClick(w, Qt.Key.Key_F12)
    assert seen["grab"]
    assert QApplication.activeModalWidget() is None
    p = w.controller.last_payment
    assert p is not None and p.total == 50_000 and p.lines[0].partial
    banner = w.view.banner.text()
    assert "ĐÃ THU MỘT PHẦN" in banner and f"CÒN NỢ {format_vnd(due - 50_000)}" in banner
    assert w.controller.state.due == due - 50_000


def test_f12_without_customer_or_shift_says_so(counter, qtbot):
    assert counter.window.partial_payment() is None  # F12's slot: the actions table needs a shift
    assert "Chưa mở ca" in counter.window.view.banner.text()
