"""Split payment in the window (Shift+F8): part bank transfer (with its reference), the rest cash,
one receipt, change only out of the cash part; through the real window and services."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from test_counter_flow import close_next_modal, customers, receipts_printed, scan

from cashier.core.money import format_vnd
from cashier.ui.split_payment import SplitPaymentController, SplitPaymentDialog


def customer_due_over(app, amount: int) -> str:
    for c in customers(app, n=40):
        if app.backend.preview(c).total > amount:
            return c
    raise AssertionError(f"demo data has no customer owing more than {amount}")


def open_dialog(app, qtbot) -> SplitPaymentDialog:
    ctrl = SplitPaymentController(app.backend, app.window.controller, app.window)
    dlg = SplitPaymentDialog(ctrl, app.window)
    qtbot.addWidget(dlg)
    return dlg


def test_plan_shows_both_parts_and_refusals_in_vietnamese(session, qtbot):
    code = customer_due_over(session, 50_000)
    scan(session, code)
    dlg = open_dialog(session, qtbot)
    due = dlg.controller.due
    dlg.transfer.setText("20")  # thousands: 20.000 đ by transfer, exact cash for the rest
    plan = dlg.plan
    assert plan is not None and (plan.transfer, plan.cash, plan.change) == (20_000, due - 20_000, 0)
    assert format_vnd(20_000) in dlg.summary.text() and format_vnd(due - 20_000) in dlg.summary.text()
    # the whole amount by transfer is not a split (that is F8)
    dlg.transfer.setText(str(due // 1000 + 1))
    assert dlg.plan is None and "Phần chuyển khoản" in dlg.error.text()
    # not enough cash for the cash part
    dlg.transfer.setText("20")
    dlg.cash.setText("1")  # 1.000 đ
    if due - 20_000 > 1_000:
        assert dlg.plan is None and "ít hơn phần tiền mặt" in dlg.error.text()
    # no reference: refused, nothing collected
    dlg.cash.setText("")
    dlg.accept()
    assert dlg.payment is None and "mã tham chiếu" in dlg.error.text()
    assert session.backend.lookup(code).unpaid


def test_shift_f8_collects_cash_and_transfer_on_one_receipt(session, qtbot):
    w = session.window
    code = customer_due_over(session, 50_000)
    scan(session, code)
    due = w.controller.state.due
    cash_part = due - 30_000
    given = (cash_part // 1000 + 10) * 1000  # round thousands, 10.000 đ or so over
    seen = {}

    def pay(modal):
        try:
            assert isinstance(modal, SplitPaymentDialog)
            modal.transfer.setText("30")  # 30.000 đ (thousands, as in KHÁCH ĐƯA)
            modal.ref.setText("FT26112399")
            modal.cash.setText(str(given // 1000))
            QApplication.processEvents()
            seen["change"] = modal.plan.change
            seen["grab"] = modal.grab().save(str(session.preview / "split.png"))
            modal.accept()
        except Exception as exc:  # never leave the modal open (the test would hang)
            seen["error"] = exc
        if modal.isVisible():
            seen.setdefault("error", modal.error.text())
            modal.reject()

    close_next_modal(qtbot, pay)
    w.activateWindow()
    qtbot.keyClick(w, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    assert "error" not in seen, seen
    assert seen["grab"] and QApplication.activeModalWidget() is None
    p = w.controller.last_payment
    assert p is not None and p.is_split
    assert (p.total, p.transfer_part, p.cash_part, p.cash_tendered, p.change, p.bank_ref) == (
        due, 30_000, cash_part, given, given - cash_part, "FT26112399")
    assert seen["change"] == given - cash_part
    banner = w.view.banner.text()
    assert "chuyển khoản" in banner and format_vnd(30_000) in banner and p.receipt_no in banner
    assert not session.backend.lookup(code).unpaid  # everything due was collected
    qtbot.waitUntil(lambda: p.receipt_no not in w.controller.printing, timeout=15_000)
    assert len(receipts_printed(session)) == 1
    text = session.backend.receipt_text(p)
    assert "Tiền mặt + chuyển khoản" in text and "FT26112399" in text
    # the shift's X report: only the cash part is in the drawer
    x = session.backend.station.shifts.x_report(w.controller.user)
    assert x.totals.transfer_total >= 30_000
    assert x.expected_cash == x.shift.opening_float + x.totals.cash_total - x.totals.refunds_cash


def test_dashboard_counts_each_part_under_its_method(session, qtbot):
    from cashier.ui.dashboard import figures

    w = session.window
    code = customer_due_over(session, 50_000)
    scan(session, code)
    ctrl = SplitPaymentController(session.backend, w.controller, w)
    p, why = ctrl.collect(20_000, "FT-DASH")
    assert p is not None, why
    f = figures([p])
    assert f.per_method == {"transfer": 20_000, "cash": p.total - 20_000}
