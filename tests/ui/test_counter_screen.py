"""What the counter screen says (issue 14, defects 7-10): the tendered-amount rule shown as it is
typed, the void before and after, no shift open, labels and settings."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from test_counter_flow import close_next_modal, customers, scan
from uihelpers import type_keys

from cashier.core.money import format_vnd
from cashier.ui.dialogs.login import LoginDialog, ManagerAuthDialog
from cashier.ui.dialogs.receipts import VoidDialog
from cashier.ui.dialogs.search import SearchDialog


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
        if isinstance(modal, VoidDialog):
            if "details" in state:  # still open, the approval dialog not up yet
                QTimer.singleShot(10, lambda: close_next_modal(qtbot, void_flow))
                return
            details = getattr(modal, "details", None)
            state["details"] = details.text() if details is not None else modal.receipt.text()
            modal.reason.setText("thu nhầm khách hàng")
            QTimer.singleShot(0, modal.accept)
            QTimer.singleShot(20, lambda: close_next_modal(qtbot, void_flow))
        elif isinstance(modal, ManagerAuthDialog):
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


def test_disconnected_customer_fee_is_a_row_of_the_bills_table(session, qtbot):
    from cashier.ui.models import FeeRow

    w = session.window
    code = customers(session, n=1, disconnected=True)[0]
    scan(session, code)
    st = w.controller.state
    assert st.kind == "disconnected" and st.fee > 0
    rows = w.view.bills_model.rows
    assert isinstance(rows[-1], FeeRow) and rows[-1].total == st.fee
    unpaid = sum(b.total for b in w.controller.lookup.unpaid)
    assert unpaid + rows[-1].total == st.due  # the table adds up to the total due
    model = w.view.bills_model
    assert model.data(model.index(model.rowCount() - 1, 1)) == "Phí đóng điện"


def test_period_is_translated_in_english(counter, qapp):
    from pathlib import Path

    from cashier.core.debt import Bill
    from cashier.ui import i18n
    from cashier.ui.models import BillsModel

    res = Path(__file__).resolve().parents[2] / "resources"
    bill = Bill(customer_code="PC12AA0000001", bill_id="1", ky=1, thang=9, nam=2026, kwh=10, amount=1, vat=0, total=1)
    model = BillsModel()
    model.set_rows([bill])
    assert model.data(model.index(0, 0)) == "Kỳ 1 T09/2026"
    i18n.install(qapp, "en", res)
    try:
        model = BillsModel()
        model.set_rows([bill])
        assert model.data(model.index(0, 0)) == "Period 1, 09/2026"
    finally:
        i18n.install(qapp, "vi", res)


def test_search_says_there_are_more_than_the_page_honestly(counter, qtbot):
    from types import SimpleNamespace

    hits = [SimpleNamespace(code=f"PC12AA{i:07d}", name="Nguyễn Văn An", address="", book="", unpaid_bills=1, total_due=1) for i in range(104)]

    class Backend:
        def search(self, text, limit):
            return hits[:limit]

    dlg = SearchDialog(Backend(), counter.window)
    qtbot.addWidget(dlg)
    dlg.query.setText("nguyen van an")
    dlg.run_search()
    assert dlg.model.rowCount() == 100
    assert dlg.count_label.text() == "100 kết quả đầu tiên — còn nhiều hơn 100: gõ thêm để thu hẹp"
    del hits[100:]  # exactly 100: said as it is
    dlg.run_search()
    assert dlg.count_label.text() == "100 kết quả"


def test_login_asks_for_a_password_not_a_pin(counter, qtbot):
    from PySide6.QtWidgets import QLabel

    dlg = LoginDialog(counter.backend, counter.window)
    qtbot.addWidget(dlg)
    texts = [lbl.text() for lbl in dlg.findChildren(QLabel)]
    assert "Mật khẩu" in texts and not any("PIN" in t for t in texts)


def test_qt_settings_go_under_cashier_home(tmp_path, monkeypatch):
    from cashier.ui.main import open_settings

    monkeypatch.setenv("CASHIER_HOME", str(tmp_path))
    s = open_settings(None)
    s.setValue("counter/sound", "false")
    s.sync()
    assert s.fileName() == str(tmp_path / "settings.ini")
    assert (tmp_path / "settings.ini").read_text(encoding="utf-8").count("sound=false") == 1


def test_scan_sounds_library_is_in_the_system_packages():
    """Qt Multimedia (QSoundEffect: the scan beeps) links libpulse.so.0; a fresh Debian has no
    libpulse0, so scripts/system-deps.sh must install it."""
    import subprocess
    from pathlib import Path

    import PySide6

    lib = next((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libQt6Multimedia.so*"))
    needed = subprocess.run(["ldd", str(lib)], capture_output=True, text=True, check=True).stdout
    assert "libpulse.so.0" in needed
    script = (Path(__file__).resolve().parents[2] / "scripts" / "system-deps.sh").read_text(encoding="utf-8")
    assert " libpulse0 " in script.replace("\n", " ")


def test_fkey_labels_never_overlap_at_1024_pixels(counter, qtbot):
    w = counter.window
    w.resize(1024, 700)
    qtbot.waitUntil(lambda: w.width() == 1024)
    QApplication.processEvents()
    buttons = list(w.fkeys.values())
    for left, right in zip(buttons, buttons[1:], strict=False):
        assert left.geometry().right() < right.geometry().left(), (left.label, right.label)
    for b in buttons:
        assert b.width() >= b.fontMetrics().horizontalAdvance(b.label) + 8, b.label


def test_customer_code_is_never_cut_at_1024_pixels(session, qtbot):
    w = session.window
    w.resize(1024, 700)
    code = customers(session, n=1, disconnected=True)[0]
    scan(session, code)
    QApplication.processEvents()
    label = w.view.code_label
    assert label.text() == code
    assert label.width() >= label.fontMetrics().horizontalAdvance(code)


def test_dashboard_fits_the_screen(counter, qtbot):
    from cashier.ui.dashboard import DashboardDialog

    dlg = DashboardDialog(counter.backend, counter.window)
    qtbot.addWidget(dlg)
    avail = counter.window.screen().availableGeometry()
    assert dlg.width() <= avail.width() and dlg.height() <= avail.height()


def test_status_messages_expire_and_errors_go_to_the_banner(session, qtbot, monkeypatch):
    w = session.window
    monkeypatch.setitem(w.MESSAGE_MS, "good", 50)
    w.show_message("good", "Đã in biên nhận ST01-0000001")
    assert w.message_label.text() == "Đã in biên nhận ST01-0000001"
    qtbot.waitUntil(lambda: w.message_label.text() == "", timeout=2000)  # never stale
    w.alert("Máy in lỗi: hết giấy. Tiền đã thu và đã lưu (biên nhận ST01-0000009)")
    assert w.view.banner.kind == "error" and "Máy in lỗi" in w.view.banner.text()
    w.set_session(w.user, None)
    w.reprint()  # F5 with no shift open: said in the banner
    assert w.view.banner.kind == "error" and "Chưa mở ca" in w.view.banner.text()
