"""The customer display for a basket (Shift+F2, one payer, several customers) and a split
payment (Shift+F8, part cash, part bank transfer): what the customer reads while the cashier
works and after the payment. Through the real window, services and dialogs (offscreen)."""

from __future__ import annotations

from types import SimpleNamespace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from test_counter_flow import close_next_modal, customers, scan
from test_customer_display import _assert_nothing_private, _zbar
from test_split_payment_window import customer_due_over

from cashier.core import vietqr
from cashier.core.documents import notice_qr_payload
from cashier.core.money import format_vnd
from cashier.ui import customer_display
from cashier.ui.customer_display_pages import BasketLine


def _shown(d) -> str:
    return "\n".join(d.texts())


def test_basket_shows_each_customer_total_tendered_and_change(session, qtbot, monkeypatch):
    monkeypatch.setattr(customer_display, "RECEIPT_MS", 300)
    w = session.window
    d = w.customer_display
    codes = customers(session, n=3)
    lookups = {c: session.backend.lookup(c) for c in codes}
    amounts = {c: session.backend.preview(c).total for c in codes}
    total = sum(amounts.values())
    given = (total // 1000 + 100) * 1000
    seen: dict = {}

    def fill_and_pay(modal):
        try:
            for code in codes:
                scan(session, code)
                QApplication.processEvents()
            qtbot.waitUntil(lambda: modal.table.rowCount() == 3, timeout=5_000)
            seen["phase_exact"] = d.phase
            seen["exact"] = _shown(d)
            modal.tendered.setText(str(given // 1000))
            QApplication.processEvents()
            seen["phase"] = d.phase
            seen["tendered"] = _shown(d)
            modal.accept()
        except Exception as exc:  # never leave the modal open (the test would hang)
            seen["error"] = exc
        if modal.isVisible():
            seen.setdefault("error", modal.error.text())
            modal.reject()

    close_next_modal(qtbot, fill_and_pay)
    w.activateWindow()
    qtbot.keyClick(w, Qt.Key.Key_F2, Qt.KeyboardModifier.ShiftModifier)
    assert "error" not in seen, seen
    # while the basket fills: every customer with their amount, the total, exact money so far
    assert seen["phase_exact"] == "basket"
    for code in codes:
        line = f"{code} — {lookups[code].customer.name}"
        assert line in seen["exact"] and format_vnd(amounts[code]) in seen["exact"]
    assert "TỔNG CỘNG" in seen["exact"] and "Một người trả cho 3 khách hàng" in seen["exact"] and format_vnd(total) in seen["exact"]
    # the tender typed once for the basket: what was handed over and the change
    assert seen["phase"] == "basket"
    assert format_vnd(given) in seen["tendered"] and format_vnd(given - total) in seen["tendered"]
    assert "TIỀN THỪA" in seen["tendered"]
    # paid: one receipt per customer, the basket's total, tender and change
    result = w.controller.last_payment
    basket = session.backend.station.collect.basket_of(result.receipt_no)
    assert basket is not None and basket.size == 3
    assert d.phase == "receipt"
    shown = _shown(d)
    assert "ĐÃ THANH TOÁN" in shown and f"Thu gộp 3 khách hàng — mã giỏ {basket.code}" in shown
    for code, receipt in zip(codes, basket.receipts, strict=True):
        assert f"{lookups[code].customer.name}\nBN {receipt} · {format_vnd(amounts[code])}" in shown
    assert format_vnd(total) in shown
    assert f"Khách đưa {format_vnd(given)}" in shown and f"Tiền thừa {format_vnd(given - total)}" in shown
    _assert_nothing_private(session, d)
    qtbot.waitUntil(lambda: d.phase == "idle", timeout=5_000)  # then the next customer


def test_basket_short_tender_says_what_is_missing_and_cancel_goes_back(session, qtbot):
    w = session.window
    d = w.customer_display
    first, second = customers(session, n=2)
    scan(session, first)  # a customer on the counter before Shift+F2
    total = session.backend.preview(first).total + session.backend.preview(second).total
    seen: dict = {}

    def fill_and_cancel(modal):
        try:
            modal.add(first)
            modal.add(second)
            modal.tendered.setText("1")  # 1.000 đ
            QApplication.processEvents()
            seen["phase"], seen["texts"] = d.phase, _shown(d)
        except Exception as exc:  # noqa: BLE001
            seen["error"] = exc
        modal.reject()

    close_next_modal(qtbot, fill_and_cancel)
    w.activateWindow()
    qtbot.keyClick(w, Qt.Key.Key_F2, Qt.KeyboardModifier.ShiftModifier)
    assert "error" not in seen, seen
    assert seen["phase"] == "basket"
    assert "CÒN THIẾU" in seen["texts"] and format_vnd(total - 1_000) in seen["texts"]
    # cancelled: back to the customer on the counter, nothing collected
    assert d.phase == "customer" and d.customer_line.text().startswith(first)
    assert session.backend.lookup(second).unpaid


def test_split_payment_shows_cash_part_and_the_transfer_part_vietqr(session, qtbot, tmp_path):
    w = session.window
    d = w.customer_display
    d.resize(800, 480)
    code = customer_due_over(session, 50_000)
    scan(session, code)
    due = w.controller.state.due
    cash_part = due - 30_000
    given = (cash_part // 1000 + 10) * 1000
    seen: dict = {}

    def pay(modal):
        try:
            modal.transfer.setFocus()
            modal.transfer.setText("30")
            modal.transfer.editingFinished.emit()  # the cashier leaves the field (Tab)
            modal.ref.setText("FT26120201")
            modal.cash.setText(str(given // 1000))
            modal.cash.editingFinished.emit()
            QApplication.processEvents()
            seen["phase"], seen["texts"], seen["payload"] = d.phase, _shown(d), d.qr.payload
            d.qr.resize(320, 320)
            png = tmp_path / "split-qr.png"
            assert d.qr.grab().save(str(png))
            seen["decoded"] = _zbar(png)
            modal.accept()
        except Exception as exc:  # noqa: BLE001
            seen["error"] = exc
        if modal.isVisible():
            seen.setdefault("error", modal.error.text())
            modal.reject()

    close_next_modal(qtbot, pay)
    w.activateWindow()
    qtbot.keyClick(w, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    assert "error" not in seen, seen
    # a split, not a plain transfer of part of the amount
    assert seen["phase"] == "split"
    texts = seen["texts"]
    assert format_vnd(due) in texts  # everything due
    assert f"Chuyển khoản {format_vnd(30_000)}" in texts and f"Tiền mặt {format_vnd(cash_part)}" in texts
    assert f"Khách đưa tiền mặt {format_vnd(given)}" in texts
    assert f"Tiền thừa {format_vnd(given - cash_part)}" in texts
    expected = notice_qr_payload(session.backend.company(), code, 30_000)
    assert seen["payload"] == expected and seen["decoded"] == expected  # the exact transfer part
    parsed = vietqr.parse(seen["decoded"])
    assert parsed.amount == 30_000 and parsed.purpose == f"TIEN DIEN {code}"
    assert f"Nội dung: TIEN DIEN {code}" in texts
    # paid: both parts, the cash handed over and the change out of the cash part
    p = w.controller.last_payment
    assert p is not None and p.is_split
    assert d.phase == "receipt" and p.receipt_no in d.done_receipt.text()
    lines = d.done_lines.text()
    assert f"Chuyển khoản {format_vnd(30_000)}" in lines and f"Tiền mặt {format_vnd(cash_part)}" in lines
    assert f"Khách đưa tiền mặt {format_vnd(given)}" in lines
    assert f"Tiền thừa {format_vnd(given - cash_part)}" in lines
    assert format_vnd(p.tendered) not in lines  # never the cash + transfer sum as "handed over"
    _assert_nothing_private(session, d)


def _squeezed_or_outside(d) -> list[str]:
    """Labels the layout gave less height than their text needs (Vietnamese marks above the
    capitals are cut first) or that stick out of the window."""
    bad = []
    window = d.rect()
    for lbl in d.pages.currentWidget().findChildren(QLabel) + [d.header, d.subheader]:
        if not lbl.isVisible() or not lbl.text():
            continue
        need = lbl.heightForWidth(lbl.width()) if lbl.wordWrap() else lbl.sizeHint().height()
        geo = lbl.geometry().translated(lbl.parentWidget().mapTo(d, lbl.parentWidget().rect().topLeft()))
        if lbl.height() < need or not window.contains(geo):
            bad.append(f"{lbl.text()!r}: {lbl.height()} < {need} or {geo} outside {window}")
        # the marks stacked above a capital (Ề, Ẫ) rise above the font's ascent: room for them
        fm = lbl.fontMetrics()
        ink_top = -fm.tightBoundingRect(lbl.text().split("\n")[0]).top()
        at_top = lbl.alignment() & Qt.AlignmentFlag.AlignTop or lbl.height() - need < 2 * (ink_top - fm.ascent())
        if at_top and lbl.contentsRect().top() + fm.ascent() < ink_top:
            bad.append(f"{lbl.text()!r}: marks cut ({ink_top} px above the baseline, room {fm.ascent()})")
    return bad


def test_basket_pages_fit_the_customer_screen_without_cutting_marks(session, qtbot):
    """800x480 (the smallest customer screen), up to the lines shown at once with long names:
    nothing squeezed (the marks of "TỔNG", "NHIỀU", "ĐẮK" were cut), nothing wider than the screen."""
    w = session.window
    d = w.customer_display
    d.resize(800, 480)
    d.show()
    qtbot.waitExposed(d)
    long_name = "Nguyễn Thị Hoàng Phương Thảo Nguyên"
    lines = [BasketLine(f"PC12AA000{4100 + i}", long_name, 1_234_567 + i) for i in range(8)]
    d.show_basket(lines, 20_000_000)
    QApplication.processEvents()
    assert d.width() == 800 and not _squeezed_or_outside(d), _squeezed_or_outside(d)
    paid = SimpleNamespace(
        basket=SimpleNamespace(code="G-ST01-0000001", tendered=20_000_000, change=123_456),
        payments=[SimpleNamespace(customer=SimpleNamespace(code=ln.code, name=ln.name), total=ln.amount,
                                  receipt_no=f"ST01-000000{i}") for i, ln in enumerate(lines, 1)],
    )  # fmt: skip
    d.show_basket_paid(paid)
    QApplication.processEvents()
    assert d.width() == 800 and not _squeezed_or_outside(d), _squeezed_or_outside(d)
    assert "Khách đưa 20.000.000 đ — Tiền thừa 123.456 đ" in _shown(d)
    d.hide()


def test_split_page_fits_the_customer_screen(session, qtbot):
    w = session.window
    d = w.customer_display
    d.resize(800, 480)
    d.show()
    qtbot.waitExposed(d)
    plan = SimpleNamespace(total=1_353_754, transfer=1_030_000, cash=323_754, cash_tendered=330_000, change=6_246)
    d.show_split("PC12AA0004142", plan)
    QApplication.processEvents()
    assert d.phase == "split" and d.qr.payload
    assert d.width() == 800 and not _squeezed_or_outside(d), _squeezed_or_outside(d)
    d.hide()


def test_split_receipt_page_fits_the_customer_screen(session, qtbot):
    d = session.window.customer_display
    d.resize(800, 480)
    d.show()
    qtbot.waitExposed(d)
    paid = SimpleNamespace(
        total=1_353_754, method="cash", is_split=True, transfer_part=1_030_000, cash_part=323_754,
        cash_tendered=330_000, change=6_246, tendered=1_360_000, receipt_no="ST01-0000004",
    )  # fmt: skip
    d._on_collected(paid)
    QApplication.processEvents()
    assert d.phase == "receipt" and "Tiền thừa 6.246 đ" in d.done_lines.text()
    assert d.width() == 800 and not _squeezed_or_outside(d), _squeezed_or_outside(d)
    d.hide()
