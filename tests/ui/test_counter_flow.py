"""The cashier's whole day through the real widgets and services (offscreen, preview printer):
login, open shift, scan (3 ms key gaps through the wedge detector), collect, change, receipt bytes,
search and pick, void with a manager, close the shift; and the bad inputs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog
from uihelpers import type_keys

from cashier.core.debt import BillStatus
from cashier.core.money import format_number, format_vnd
from cashier.ui.dialogs.export import ExportDialog
from cashier.ui.dialogs.imports import ImportDialog
from cashier.ui.dialogs.login import LoginDialog, ManagerAuthDialog
from cashier.ui.dialogs.orders import OrdersDialog
from cashier.ui.dialogs.payment import SelectBillsDialog, TransferDialog
from cashier.ui.dialogs.receipts import ReprintDialog, VoidDialog
from cashier.ui.dialogs.search import SearchDialog
from cashier.ui.dialogs.settings import SettingsDialog
from cashier.ui.dialogs.shift import CloseShiftDialog, OpenShiftDialog, ReportDialog
from cashier.ui.dialogs.users import UsersDialog
from cashier.ui.tasks import SyncTaskRunner


def scan(app, code: str, gap: float = 0.003) -> None:
    type_keys(app.detector, code + "\r", gap, app.clock)


def customers(app, *, n: int = 3, disconnected: bool | None = False) -> list[str]:
    """Demo customers with unpaid bills (found through the search service)."""
    found: list[str] = []
    for query in ("nguyen", "tran", "le", "pham", "hoang", "thi", "van"):
        for hit in app.backend.search(query, 100):
            if hit.unpaid_bills and hit.code not in found:
                lookup = app.backend.lookup(hit.code)
                if disconnected is None or lookup.customer.disconnected == disconnected:
                    found.append(hit.code)
            if len(found) >= n:
                return found
    raise AssertionError("demo data has too few customers with unpaid bills")


def receipts_printed(app) -> list:
    return sorted(p for p in app.preview.rglob("*.bin"))


def close_next_modal(qtbot, action) -> None:
    """Run ``action(dialog)`` on the next modal dialog that opens (for nested exec())."""

    def poll():
        modal = QApplication.activeModalWidget()
        focus = QApplication.focusWidget()
        session = getattr(modal, "session", None)  # a password check on the auth lane: wait
        busy = session is not None and session.busy
        if modal is None or focus is None or not modal.isAncestorOf(focus) or busy:
            if modal is not None:
                modal.activateWindow()  # offscreen: no window manager activates it
            QTimer.singleShot(10, poll)
            return
        action(modal)

    QTimer.singleShot(0, poll)


# -- login and shift ---------------------------------------------------------------------------
def test_login_refuses_wrong_password_then_locks_out(counter, qtbot):
    dlg = LoginDialog(counter.backend, counter.window, runner=SyncTaskRunner())
    qtbot.addWidget(dlg)
    dlg.username.setText("thungan")
    for _ in range(5):  # the 5th wrong password locks the account (LedgerSettings default)
        dlg.password.setText("wrong!")
        dlg.accept()
        assert dlg.error.text() == "Sai tên đăng nhập hoặc mật khẩu"
    dlg.password.setText("wrong!")
    dlg.accept()
    assert dlg.user is None
    assert "khóa" in dlg.error.text()  # "Tài khoản thungan bị khóa do nhập sai mật khẩu 5 lần, đến ..."
    dlg.password.setText("123456")
    dlg.accept()
    assert dlg.user is None and "khóa" in dlg.error.text()  # the right password is refused while locked


def test_login_and_open_shift(counter, qtbot):
    login = LoginDialog(counter.backend, counter.window, runner=SyncTaskRunner())
    qtbot.addWidget(login)
    assert "thungan" in login.findChildren(type(login.error))[0].text() or login.username.text() == "thungan"
    login.username.setText("thungan")
    login.password.setText("nope-nope")
    login.accept()
    assert login.result() != QDialog.DialogCode.Accepted
    assert login.error.text() == "Sai tên đăng nhập hoặc mật khẩu"
    login.password.setText("123456")
    login.accept()
    assert login.user is not None and login.user.username == "thungan"
    dlg = OpenShiftDialog(counter.backend, login.user, counter.window)
    qtbot.addWidget(dlg)
    dlg.float_edit.setText("300")  # thousands of đồng, like the tendered amount
    dlg.accept()
    assert dlg.shift is not None and dlg.shift.opening_float == 300_000
    counter.window.set_session(login.user, dlg.shift)
    assert "ca " in counter.window.user_label.text()


# -- scan, collect, change, receipt -----------------------------------------------------------
def test_scan_shows_customer_and_second_scan_collects_and_prints(session, qtbot):
    w = session.window
    code = customers(session, n=1)[0]
    before = session.backend.lookup(code)
    scan(session, code)
    assert w.view.code_label.text() == code
    assert w.view.name_label.text() == before.customer.name
    assert w.view.bills_model.rowCount() == len(before.bills)
    assert w.view.banner.kind == "unpaid"
    assert w.view.total_label.text() == format_vnd(before.total_due)
    assert w.view.tendered_edit.text() == ""  # nothing of the scan leaked into the field
    # the change is shown as the tendered amount is typed, before collecting
    due = before.total_due
    w.view.tendered_edit.setText(str(due // 1000 + 123))  # typed in thousands of đồng
    assert w.view.change_label.text() == format_vnd((due // 1000 + 123) * 1000 - due)
    w.view.tendered_edit.setText(str(due // 1000 - 1))
    assert w.view.change_label.text() == "THIẾU " + format_vnd(due - (due // 1000 - 1) * 1000)
    w.view.tendered_edit.setText("")
    scan(session, code)  # the second scan of the same card = confirm
    payment = w.controller.last_payment
    assert payment is not None and payment.total == due and payment.change == 0
    after = session.backend.lookup(code)
    assert all(b.status != BillStatus.UNPAID for b in after.bills)
    assert w.view.banner.kind == "collected"
    assert payment.receipt_no in w.view.banner.text()
    qtbot.waitUntil(lambda: payment.receipt_no not in w.controller.printing, timeout=15000)
    assert receipts_printed(session), "the preview printer wrote no receipt bytes"
    assert session.backend.station.collect.payment(payment.receipt_no).printed is True
    assert w.view.payments_model.rowCount() == 1


def test_enter_collects_with_tendered_amount_and_shows_change(session, qtbot):
    w = session.window
    code = customers(session, n=1)[0]
    scan(session, code)
    due = w.controller.state.due
    tendered = (due // 100_000 + 1) * 100_000
    qtbot.keyClicks(w.view.tendered_edit, str(tendered // 1000), delay=0)  # thousands of đồng
    session.clock.t += 1
    session.detector.check_timeout()
    assert w.view.tendered_edit.text() == format_number(tendered // 1000)
    w.confirm(via_enter=True)
    payment = w.controller.last_payment
    assert payment is not None
    assert payment.tendered == tendered and payment.change == tendered - due
    assert w.view.change_label.text() == format_vnd(tendered - due)


def test_typing_at_human_speed_is_not_a_scan(session, qtbot):
    w = session.window
    code = customers(session, n=1)[0]
    dlg = SearchDialog(session.backend, w)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.activateWindow()
    dlg.query.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dlg.query)
    type_keys(session.detector, code, 0.120, session.clock)  # a person typing the code
    assert dlg.query.text() == code  # every key landed, in order
    assert w.view.code_label.text() == "—"  # and it was not taken for a scan
    dlg.query.clear()
    type_keys(session.detector, code + "\r", 0.003, session.clock)  # the scanner
    assert dlg.query.text() == ""


def test_search_and_pick(session, qtbot):
    w = session.window
    code = customers(session, n=1)[0]
    target = session.backend.lookup(code).customer
    dlg = SearchDialog(session.backend, w, delay_ms=0)
    qtbot.addWidget(dlg)
    from cashier.core.vntext import fold

    dlg.query.setText(fold(target.name))  # without diacritics
    dlg.run_search()
    codes = [dlg.model.row(i).code for i in range(dlg.model.rowCount())]
    assert code in codes or len(codes) == 100
    dlg.query.setText(code)
    dlg.run_search()
    assert [dlg.model.row(i).code for i in range(dlg.model.rowCount())][:1] == [code]
    dlg.accept()
    assert dlg.picked == code
    w.controller.show_customer(dlg.picked)
    assert w.view.code_label.text() == code


def test_void_needs_a_manager(session, qtbot):
    w = session.window
    code = customers(session, n=1)[0]
    scan(session, code)
    scan(session, code)
    payment = w.controller.last_payment
    assert payment is not None
    dlg = VoidDialog(session.backend, session.user, w.shift, payment.receipt_no, w)
    qtbot.addWidget(dlg)
    dlg.reason.setText("thu nhầm khách hàng")

    def authorise(modal):
        assert isinstance(modal, ManagerAuthDialog)
        modal.username.setText("quanly")
        modal.password.setText("quanly123")
        modal.accept()

    close_next_modal(qtbot, authorise)
    dlg.accept()
    assert dlg.result_void is not None, dlg.error.text()
    assert session.backend.station.collect.payment(payment.receipt_no).status == "voided"
    assert any(b.status == BillStatus.UNPAID for b in session.backend.lookup(code).bills)


def test_void_refused_with_wrong_manager_password(session, qtbot):
    w = session.window
    code = customers(session, n=1)[0]
    scan(session, code)
    scan(session, code)
    receipt = w.controller.last_payment.receipt_no
    dlg = VoidDialog(session.backend, session.user, w.shift, receipt, w)
    qtbot.addWidget(dlg)
    dlg.reason.setText("thử")
    seen = {}

    def wrong(modal):
        modal.username.setText("quanly")
        modal.password.setText("sai-mat-khau")
        modal.accept()  # checked on the auth lane
        qtbot.waitUntil(lambda: not modal.session.busy, timeout=10_000)
        seen["error"] = modal.error.text()
        modal.reject()

    close_next_modal(qtbot, wrong)
    dlg.accept()
    assert dlg.result_void is None
    assert seen["error"] == "Sai tên đăng nhập hoặc mật khẩu"
    assert session.backend.station.collect.payment(receipt).status == "active"


def test_close_shift_with_count_and_z_report(session, qtbot):
    w = session.window
    code = customers(session, n=1)[0]
    scan(session, code)
    scan(session, code)
    paid = w.controller.last_payment.total
    dlg = CloseShiftDialog(session.backend, session.runner, session.user, w.shift, w)
    qtbot.addWidget(dlg)
    expected = 500_000 + paid
    assert dlg.expected_label.text() == format_vnd(expected)
    # count exactly the expected cash: 500.000 notes + the rest in 500 đ coins is silly, so count
    # the float in 500k notes and the takings note by note
    rest = expected
    for denom, spin in dlg.spins.items():
        n, rest = divmod(rest, denom)
        spin.setValue(n)
    assert rest == 0 or rest < 500
    assert dlg.variance_label.text() in (format_vnd(-rest), "+" + format_vnd(-rest), format_vnd(0))

    def close_report(modal):
        assert isinstance(modal, ReportDialog)
        assert "Z" in modal.windowTitle()
        qtbot.waitUntil(lambda: modal.print_handle is not None and modal.print_handle.done, timeout=15000)
        modal.reject()

    close_next_modal(qtbot, close_report)
    dlg.accept()
    assert dlg.report is not None and dlg.report.kind == "Z" and dlg.report.z_number
    assert session.backend.current_shift() is None


# -- bad input ---------------------------------------------------------------------------------
def test_unknown_code_says_so_in_vietnamese(session):
    w = session.window
    scan(session, "PC12AA9999999")
    assert w.view.banner.kind == "error"
    assert "PC12AA9999999" in w.view.banner.text()
    assert w.view.code_label.text() == "—"
    scan(session, "XYZ-NOT-A-CODE")
    assert "không phải mã khách hàng hợp lệ" in w.view.banner.text()


def test_mangled_telex_scan_is_repaired(session):
    w = session.window
    code = next(c for c in customers(session, n=20) if c.startswith("PC12AA"))
    mangled = code.replace("AA", "Â", 1)  # Unikey/Telex turned "AA" into "Â"
    scan(session, mangled)
    assert w.view.code_label.text() == code
    assert "bộ gõ" in w.last_message[1]


def test_scan_while_a_dialog_is_open_goes_nowhere(session, qtbot):
    w = session.window
    code = customers(session, n=1)[0]
    dlg = ReprintDialog(session.backend, session.user, "", w)
    qtbot.addWidget(dlg)
    result = {}

    def scan_into(modal):
        modal.receipt.setFocus()
        scan(session, code)
        result["field"] = modal.receipt.text()
        modal.reject()

    close_next_modal(qtbot, scan_into)
    dlg.exec()
    assert result["field"] == ""  # the scan did not land in the dialog's field
    assert code in w.last_message[1] and "hộp thoại" in w.last_message[1]
    # nothing lost: once the dialog is closed the customer comes up (shown, not collected)
    qtbot.waitUntil(lambda: w.view.code_label.text() == code, timeout=3000)
    assert w.view.banner.kind in ("unpaid", "disconnected") and w.controller.last_payment is None


def test_enter_does_not_collect_when_the_rule_is_scan_only(session, qtbot):
    w = session.window
    w.controller.confirm_rule = "scan"
    code = customers(session, n=1)[0]
    scan(session, code)
    w.confirm(via_enter=True)
    assert w.controller.last_payment is None and "Quét lại thẻ" in w.last_message[1]
    scan(session, code)
    assert w.controller.last_payment is not None


def test_scan_in_search_dialog_picks_the_customer(session, qtbot):
    w = session.window
    code = customers(session, n=1)[0]
    dlg = SearchDialog(session.backend, w)
    qtbot.addWidget(dlg)
    QTimer.singleShot(0, lambda: scan(session, code))
    assert dlg.exec() == QDialog.DialogCode.Accepted
    assert dlg.picked == code and dlg.query.text() == ""


def test_double_scan_during_printing_collects_once(session, qtbot):
    w = session.window
    code = customers(session, n=1)[0]
    scan(session, code)
    scan(session, code)  # collect -> printing starts on the printer lane
    scan(session, code)  # a third scan while printing: shows "already collected", no 2nd payment
    scan(session, code)
    assert w.view.banner.kind == "collected"
    qtbot.waitUntil(lambda: not w.controller.printing, timeout=15000)
    station = session.backend.station
    mine = [p for p in station.collect.receipts(session.user) if p.customer.code == code]
    assert len(mine) == 1


def test_import_file_refused(session, qtbot, tmp_path):
    admin = session.backend.login("admin", "admin123")
    bad = tmp_path / "extract.xlsx"
    bad.write_bytes(b"PK\x03\x04 this is not a spreadsheet" * 10)
    dlg = ImportDialog(session.backend, session.runner, admin, session.window)
    qtbot.addWidget(dlg)
    dlg.path.setText(str(bad))
    dlg.start()
    qtbot.waitUntil(lambda: dlg.handle is not None and dlg.handle.done, timeout=20000)
    assert "Tệp bị từ chối" in dlg.error.text()
    assert dlg.start_button.isEnabled()
    # the old data is still there
    code = customers(session, n=1)[0]
    assert session.backend.lookup(code).unpaid


def test_printer_failing_mid_receipt_keeps_the_payment(counter, qtbot, monkeypatch):
    # nothing listens on this port: the print job fails after the payment committed
    counter.backend.station.printing.url_override = "tcp://127.0.0.1:9"
    w = counter.window
    user = counter.backend.login("thungan", "123456")
    w.set_session(user, counter.backend.open_shift(user, 0))
    counter.user = user
    code = customers(counter, n=1)[0]
    scan(counter, code)
    scan(counter, code)
    payment = w.controller.last_payment
    assert payment is not None
    qtbot.waitUntil(lambda: not w.controller.printing, timeout=20000)
    stored = counter.backend.station.collect.payment(payment.receipt_no)
    assert stored.status == "active" and stored.printed is False  # kept, marked unprinted
    kind, text = w.last_message
    assert kind == "error" and "Máy in lỗi" in text and payment.receipt_no in text and "F5" in text
    assert w.printer_state in ("error", "offline")  # the print failure, or the status query that followed
    assert w.view.payments_model.row(0).printed is False
    # once the printer works again, the cashier reprints it with F5, no manager needed
    counter.backend.station.printing.url_override = f"preview:{counter.preview}"
    dlg = ReprintDialog(counter.backend, user, payment.receipt_no, w)
    qtbot.addWidget(dlg)
    dlg.accept()
    assert dlg.payment is not None, dlg.error.text()
    w.controller.print_receipt(dlg.payment, reprint=True)
    qtbot.waitUntil(lambda: not w.controller.printing, timeout=15000)
    assert counter.backend.station.collect.payment(payment.receipt_no).printed is True
    assert receipts_printed(counter)
    # the counter stays usable: the next customer can be served
    other = customers(counter, n=2)[1]
    scan(counter, other)
    assert w.view.code_label.text() == other and w.view.banner.kind in ("unpaid", "disconnected")


def test_select_bills_oldest_first_and_transfer(session, qtbot):
    w = session.window
    code = None
    for c in customers(session, n=40):
        if len(session.backend.lookup(c).unpaid) >= 2:
            code = c
            break
    assert code is not None, "demo data has no customer with two unpaid bills"
    scan(session, code)
    lookup = w.controller.lookup
    dlg = SelectBillsDialog(w.controller, lookup, w)
    qtbot.addWidget(dlg)
    dlg.model.set_checked(0, False)  # leave the oldest bill, pay a newer one: refused
    dlg.accept()
    assert dlg.payment is None
    assert "hóa đơn cũ hơn" in dlg.error.text()
    for i in range(dlg.model.rowCount()):
        dlg.model.set_checked(i, i == 0)  # only the oldest: allowed
    dlg.accept()
    assert dlg.payment is not None and dlg.payment.bill_ids == [lookup.unpaid[0].bill_id]
    # the rest by bank transfer, with the bank's reference
    rest = w.controller.state.due
    t = TransferDialog(w.controller, w.controller.lookup, rest, w)
    qtbot.addWidget(t)
    t.accept()
    assert t.payment is None and "tham chiếu" in t.error.text()
    t.ref.setText("FT2611230001")
    t.accept()
    assert t.payment is not None and t.payment.method == "transfer" and t.payment.bank_ref == "FT2611230001"
    assert not session.backend.lookup(code).unpaid


def test_reprint_is_a_numbered_copy_with_manager(session, qtbot):
    w = session.window
    code = customers(session, n=1)[0]
    scan(session, code)
    scan(session, code)
    receipt = w.controller.last_payment.receipt_no
    qtbot.waitUntil(lambda: not w.controller.printing, timeout=15000)
    printed_before = len(receipts_printed(session))
    dlg = ReprintDialog(session.backend, session.user, receipt, w)
    qtbot.addWidget(dlg)

    def authorise(modal):
        modal.username.setText("quanly")
        modal.password.setText("quanly123")
        modal.accept()

    close_next_modal(qtbot, authorise)
    dlg.accept()
    assert dlg.payment is not None and dlg.payment.print_count == 2
    w.controller.print_receipt(dlg.payment, reprint=True)
    qtbot.waitUntil(lambda: len(receipts_printed(session)) > printed_before, timeout=15000)
    assert "In lần 2" in session.backend.receipt_text(dlg.payment)


def test_x_report_notice_and_orders(session, qtbot):
    w = session.window
    code = customers(session, n=1)[0]
    scan(session, code)
    before = len(receipts_printed(session))
    w.print_notice()
    qtbot.waitUntil(lambda: "giấy báo" in w.last_message[1], timeout=15000)
    assert len(receipts_printed(session)) > before
    report = session.backend.x_report(session.user)
    dlg = ReportDialog(session.backend, session.runner, report, w)
    qtbot.addWidget(dlg)
    assert "500.000" in dlg.text.toPlainText()  # the opening float
    orders = OrdersDialog(session.backend, session.runner, w)
    qtbot.addWidget(orders)
    assert orders.model.rowCount() == len(session.backend.reconnection_orders())


def test_disconnected_customer_pays_the_reconnection_fee_and_gets_an_order(session, qtbot):
    w = session.window
    backend = session.backend
    backend.station.storage.settings.set("ledger.reconnection_fee", 120_000)
    w.controller.set_session(w.user, w.shift)
    code = customers(session, n=1, disconnected=True)[0]
    scan(session, code)
    assert w.view.banner.kind == "disconnected"
    assert "120.000" in w.view.banner.text()
    due = backend.lookup(code).total_due + 120_000
    assert w.controller.state.due == due
    scan(session, code)
    payment = w.controller.last_payment
    assert payment is not None and payment.total == due and payment.reconnection_fee == 120_000
    assert any(o.customer.code == code for o in backend.reconnection_orders())
    orders = OrdersDialog(backend, session.runner, w)
    qtbot.addWidget(orders)
    assert orders.model.row(0).customer.code == code  # newest first, selected
    printed = len(receipts_printed(session))
    orders.print_selected()
    qtbot.waitUntil(lambda: orders.print_handle.done, timeout=15000)
    assert "Đã in lệnh" in orders.error.text() and len(receipts_printed(session)) > printed
    # the field crew reconnected the customer; a cashier may not record it, a manager may
    orders.user = session.user
    orders.mark_done()
    assert "Không có quyền" in orders.error.text() and str(orders.model.row(0).status) == "open"
    mgr = backend.login("quanly", "quanly123")
    orders.user = mgr
    orders.mark_done()
    assert str(orders.model.row(0).status) == "done", orders.error.text()


def test_dashboard_figures(session, qtbot):
    from cashier.ui.dashboard import DashboardDialog

    w = session.window
    for code in customers(session, n=2):
        scan(session, code)
        scan(session, code)
    dlg = DashboardDialog(session.backend, w)
    qtbot.addWidget(dlg)
    payments = [p for p in session.backend.payments_on(session.user) if p.status == "active"]
    assert dlg.figures.receipts == len(payments) >= 2
    assert dlg.figures.total == sum(p.total for p in payments)
    assert sum(dlg.figures.per_hour.values()) == dlg.figures.total
    assert dlg.figures.per_method == {"cash": dlg.figures.total}


def test_serial_scanner_codes_take_the_scan_path(session, qtbot):
    import queue
    import time as _time

    from cashier.app_gui import serial_scanner

    feed: queue.Queue[bytes] = queue.Queue()

    class FakePort:
        def read(self, n):
            try:
                return feed.get(timeout=0.02)
            except queue.Empty:
                return b""

        def close(self):
            pass

    bridge = session.serial
    bridge.factory = lambda port, **kw: serial_scanner(port, serial_factory=lambda *_a: FakePort(), **kw)
    assert bridge.start("/dev/ttyFAKE", 9600)
    try:
        w = session.window
        code = customers(session, n=1)[0]
        feed.put(code.encode() + b"\r")
        qtbot.waitUntil(lambda: w.view.code_label.text() == code, timeout=5000)
        feed.put(b"NOT A CODE\r")
        qtbot.waitUntil(lambda: "không phải mã khách hàng" in w.last_message[1], timeout=5000)
        feed.put(code.encode() + b"\r")  # the second scan of the same card collects
        qtbot.waitUntil(lambda: w.controller.last_payment is not None, timeout=5000)
        assert w.controller.last_payment.customer.code == code
    finally:
        bridge.stop()
        _time.sleep(0.05)


def _demo_extract(tmp_path, customers: int = 300):
    import subprocess
    import sys

    out = tmp_path / "extract.csv"
    subprocess.run(
        [sys.executable, "-m", "cashier", "demo-data", "--customers", str(customers), "--seed", "5", "--out", str(out)],
        check=True,
        capture_output=True,
    )
    return out


def test_import_shows_summary_and_rejected_rows(session, qtbot, tmp_path):
    admin = session.backend.login("admin", "admin123")
    extract = _demo_extract(tmp_path)
    lines = extract.read_text(encoding="utf-8-sig").splitlines()
    header_at = next(i for i, line in enumerate(lines) if line.startswith("MA_DVIQLY"))
    bad = lines[header_at + 1].split(",")
    bad[1] = "NOT-A-CODE"
    lines.insert(header_at + 2, ",".join(bad))
    extract.write_text("\n".join(lines) + "\n", encoding="utf-8")
    dlg = ImportDialog(session.backend, session.runner, admin, session.window)
    qtbot.addWidget(dlg)
    dlg.path.setText(str(extract))
    stages = []
    dlg.start()
    dlg.handle.progress.connect(lambda d, t, s: stages.append(s))
    qtbot.waitUntil(lambda: dlg.handle.done, timeout=30000)
    assert dlg.pending_accept  # none of the demo database's bills is in this file: it asks first
    dlg.start()  # confirmed
    qtbot.waitUntil(lambda: dlg.handle.done, timeout=30000)
    assert dlg.summary is not None, dlg.error.text()
    assert "Đã nhập extract.csv" in dlg.summary_label.text()
    assert dlg.rejected_model.rowCount() >= 1
    assert any("NOT-A-CODE" in str(dlg.rejected_model.row(i).value) for i in range(dlg.rejected_model.rowCount()))
    assert dlg.progress is None  # the progress dialog closed


def test_import_through_the_reading_child_process(session, qtbot, tmp_path):
    """A big file is read in a child process (forced here for a small one): a file with too many
    bad rows is refused in Vietnamese and changes nothing; a good one then imports."""
    admin = session.backend.login("admin", "admin123")
    session.backend.station.cache.parse_in_child = True
    extract = _demo_extract(tmp_path)
    lines = extract.read_text(encoding="utf-8-sig").splitlines()
    header_at = next(i for i, line in enumerate(lines) if line.startswith("MA_DVIQLY"))
    bad = lines[: header_at + 1] + [line.replace(",PC", ",XX", 1) for line in lines[header_at + 1 :]]
    broken = tmp_path / "broken.csv"
    broken.write_text("\n".join(bad) + "\n", encoding="utf-8")
    code = customers(session, n=1)[0]
    before = session.backend.lookup(code).total_due
    dlg = ImportDialog(session.backend, session.runner, admin, session.window)
    qtbot.addWidget(dlg)
    dlg.path.setText(str(broken))
    dlg.start()
    qtbot.waitUntil(lambda: dlg.handle.done, timeout=30000)
    assert dlg.summary is None
    assert "Tệp không có dòng hóa đơn hợp lệ nào" in dlg.error.text(), dlg.error.text()
    assert dlg.rejected_model.rowCount() > 400  # every bad row listed, with its reason
    assert session.backend.lookup(code).total_due == before
    dlg.path.setText(str(extract))
    dlg.start()
    qtbot.waitUntil(lambda: dlg.handle.done, timeout=30000)
    assert dlg.pending_accept  # none of the demo database's bills is in this file: it asks first
    dlg.start()  # confirmed
    qtbot.waitUntil(lambda: dlg.handle.done, timeout=30000)
    assert dlg.summary is not None, dlg.error.text()
    assert "Đã nhập extract.csv" in dlg.summary_label.text()


def test_import_can_be_cancelled(session, qtbot, tmp_path):
    admin = session.backend.login("admin", "admin123")
    extract = _demo_extract(tmp_path, customers=3000)
    dlg = ImportDialog(session.backend, session.runner, admin, session.window)
    qtbot.addWidget(dlg)
    dlg.path.setText(str(extract))
    dlg.start()
    dlg.handle.cancel()  # as the progress dialog's Stop button does
    qtbot.waitUntil(lambda: dlg.handle.done, timeout=30000)
    assert dlg.summary is None
    assert "dữ liệu cũ giữ nguyên" in dlg.error.text()


def test_users_and_settings_screens(session, qtbot):
    w = session.window
    admin = session.backend.login("admin", "admin123")
    users = UsersDialog(session.backend, admin, w)
    qtbot.addWidget(users)
    n = users.model.rowCount()
    users.username.setText("thu2")
    users.full_name.setText("Lê Thị Hai")
    users.password.setText("12")  # too short: the service's Vietnamese refusal is shown
    users.add_user()
    assert "ít nhất" in users.error.text() and users.model.rowCount() == n
    users.password.setText("654321")
    users.add_user()
    assert users.model.rowCount() == n + 1, users.error.text()
    assert session.backend.login("thu2", "654321").full_name == "Lê Thị Hai"
    # a cashier may not open the manager screens
    w._require("quản lý người dùng", "manage_users")
    assert "không có quyền" in w.last_message[1]

    dlg = SettingsDialog(session.backend, session.runner, session.settings, session.detector, admin, w)
    qtbot.addWidget(dlg)
    dlg.reconnection_fee.setText("135.000")
    dlg.company_fields["collection_point"].setText("Điểm thu số 7 - Chợ Buôn Ma Thuột")
    dlg.max_gap.setValue(60)
    dlg.min_length.setValue(13)
    dlg.confirm_rule.setCurrentIndex(dlg.confirm_rule.findData("scan"))
    assert dlg.accept_scan("PC12AA0000001") and "PC12AA0000001" in dlg.scan_test.text()
    dlg.accept()
    assert dlg.result() == dlg.DialogCode.Accepted, dlg.error.text()
    assert session.backend.station_settings()["reconnection_fee"] == 135_000
    assert session.backend.company().collection_point == "Điểm thu số 7 - Chợ Buôn Ma Thuột"
    assert session.detector.config.max_gap == 0.060 and session.detector.config.min_length == 13
    assert session.settings.value("counter/confirm") == "scan"


def test_window_geometry_is_restored(counter, qtbot):
    """A saved geometry that fits the screen comes back as it was. The size is chosen between the
    window's own minimum (which follows this machine's fonts) and the screen, never hard-coded."""
    from cashier.ui.main_window import MainWindow

    w = counter.window
    least = w.minimumSizeHint().expandedTo(w.minimumSize())
    avail = w.screen().availableGeometry()
    # the counter must fit the screen it is on, with room to spare
    assert least.width() < avail.width() and least.height() < avail.height()
    size = (
        (least.width() + avail.width()) // 2,
        (least.height() + avail.height()) // 2,
    )
    w.resize(*size)
    assert (w.width(), w.height()) == size
    w.close()  # saves the geometry (QSettings)
    assert counter.settings.value("window/geometry") is not None
    again = MainWindow(counter.backend, counter.runner, counter.detector, counter.feedback, counter.settings)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == size


def test_end_of_day_export(session, qtbot, tmp_path):
    w = session.window
    code = customers(session, n=1)[0]
    scan(session, code)
    scan(session, code)
    receipt = w.controller.last_payment.receipt_no
    mgr = session.backend.login("quanly", "quanly123")
    dlg = ExportDialog(session.backend, session.runner, mgr, w)
    qtbot.addWidget(dlg)
    dlg.folder.setText(str(tmp_path / "usb"))
    dlg.start()
    qtbot.waitUntil(lambda: dlg.handle.done, timeout=30000)
    r = dlg.result_export
    assert r is not None and r.batch_id, dlg.error.text()
    assert r.first_receipt == r.last_receipt == receipt and r.rows >= 1
    assert any(f.endswith(".xlsx") for f in r.files) and all(Path(f).exists() for f in r.files)
    assert r.batch_id in dlg.summary.text()
    # a cashier may not export
    cashier_dlg = ExportDialog(session.backend, session.runner, session.user, w)
    qtbot.addWidget(cashier_dlg)
    cashier_dlg.start()
    qtbot.waitUntil(lambda: cashier_dlg.handle.done, timeout=10000)
    assert "Không có quyền" in cashier_dlg.error.text()


def test_keyboard_only_day(counter, qtbot):
    """Login, open the shift, scan, Enter to collect, F9 → close the shift: keys only, through
    the real modal dialogs (each key press goes through the application and its scan detector)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    w = counter.window
    steps = []

    def keys(text: str) -> None:
        target = QApplication.focusWidget()
        QTest.keyClicks(target, text)
        counter.clock.t += 1
        counter.detector.check_timeout()  # the typed keys were held up to max_gap: release them

    def enter() -> None:
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)

    def on_modal(modal):
        steps.append(type(modal).__name__)
        if isinstance(modal, LoginDialog):
            assert QApplication.focusWidget() is modal.password  # user name filled in
            keys("123456")
            enter()  # the password is checked on the auth lane
            qtbot.waitUntil(lambda: modal.user is not None, timeout=10_000)
            close_next_modal(qtbot, on_modal)
        elif isinstance(modal, OpenShiftDialog):
            keys("200")  # thousands of đồng: 200.000 đ
            enter()

    close_next_modal(qtbot, on_modal)
    assert w.start_session() is True
    assert steps == ["LoginDialog", "OpenShiftDialog"]
    assert w.shift is not None and w.shift.opening_float == 200_000

    code = customers(counter, n=1)[0]
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)  # the counter has the keyboard again
    scan(counter, code)
    assert QApplication.focusWidget() is w.view.tendered_edit
    enter()  # Enter = collect the full amount
    payment = w.controller.last_payment
    assert payment is not None and payment.customer.code == code

    # F9 → "Đóng ca" (second entry) → count nothing → Enter → manager approves → Z report → Esc
    def close_flow(modal):
        steps.append(type(modal).__name__)
        if isinstance(modal, CloseShiftDialog):
            keys("3")  # three 500.000 notes; Enter moves on, it does not close the shift
            enter()
            assert QApplication.activeModalWidget() is modal
            assert QApplication.focusWidget() is modal.spins[200_000]
            assert modal.counts() == {500_000: 3}
            for _ in range(len(modal.spins) - 1):
                enter()
            assert QApplication.focusWidget() is modal.close_button
            close_next_modal(qtbot, close_flow)
            enter()
        elif isinstance(modal, ManagerAuthDialog):
            keys("quanly")
            QTest.keyClick(modal.username, Qt.Key.Key_Tab)
            keys("quanly123")
            close_next_modal(qtbot, close_flow)
            enter()
        elif isinstance(modal, ReportDialog):
            QTest.keyClick(modal, Qt.Key.Key_Escape)

    def menu_keys():
        popup = QApplication.activePopupWidget()
        if popup is None:
            QTimer.singleShot(10, menu_keys)
            return
        close_next_modal(qtbot, close_flow)
        QTest.keyClick(popup, Qt.Key.Key_Down)
        QTest.keyClick(popup, Qt.Key.Key_Down)
        QTest.keyClick(popup, Qt.Key.Key_Return)

    QTimer.singleShot(0, menu_keys)
    QTest.keyClick(w, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: "ReportDialog" in steps, timeout=10000)
    qtbot.waitUntil(lambda: w.shift is None, timeout=10000)
    assert steps[-3:] == ["CloseShiftDialog", "ManagerAuthDialog", "ReportDialog"]
    assert counter.backend.current_shift() is None


def test_second_scan_collects_with_the_amount_typed(session, qtbot):
    w = session.window
    code = customers(session, n=1)[0]
    scan(session, code)
    due = w.controller.state.due
    tendered = (due // 10_000 + 1) * 10_000
    w.view.tendered_edit.setText(str(tendered // 1000))
    scan(session, code)  # confirm by scanning the card again
    p = w.controller.last_payment
    assert p is not None and p.tendered == tendered and p.change == tendered - due
    assert w.view.change_label.text() == format_vnd(tendered - due)


def test_paid_elsewhere_cannot_be_collected_and_double_collection_is_flagged(session, qtbot):
    """The next morning's extract no longer lists X (paid at a bank) nor Y (collected here, but
    CMIS says Y also paid elsewhere)."""
    from cashier.core.demo_data import DEMO_FIELDS, generate_rows

    w = session.window
    x, y = customers(session, n=2)
    scan(session, y)
    scan(session, y)
    assert w.controller.last_payment is not None
    col = list(DEMO_FIELDS).index("MA_KHANG")
    rows = [[*DEMO_FIELDS, "DA_THANH_TOAN"]]
    for r in generate_rows(2000, 1, with_settled_column=True):
        if r[col] == y:
            r[-1] = 1  # "settled elsewhere" in CMIS although collected here
        if r[col] != x:
            rows.append(r)
    summary = session.backend.station.cache.import_rows(
        rows, name="next-morning", actor=session.backend.login("quanly", "quanly123")
    )
    assert summary.paid_elsewhere >= 1 and summary.conflicts >= 1

    scan(session, x)
    assert w.view.banner.kind == "paid_elsewhere"
    assert "KHÔNG THU" in w.view.banner.text()
    assert w.view.total_label.text() == format_vnd(0)
    w.confirm(via_enter=True)
    scan(session, x)  # neither Enter nor a second scan collects
    assert w.controller.last_payment.customer.code == y

    scan(session, y)
    assert w.view.banner.kind == "collected"
    assert "thu trùng" in w.view.banner.text()


def test_good_and_bad_scans_give_different_feedback(session, qtbot):
    w = session.window
    fb = session.feedback
    code = customers(session, n=1)[0]
    good, bad = fb.count["good"], fb.count["error"]
    scan(session, code)
    assert fb.last == "good" and fb.count["good"] == good + 1
    assert w.view.property("flash") == "good"  # the colour flash on the counter screen
    qtbot.waitUntil(lambda: w.view.property("flash") == "", timeout=2000)  # and it fades
    scan(session, "PC12ZZ9999999")
    assert fb.last == "error" and fb.count["error"] == bad + 1
    assert w.view.property("flash") == "error"


def test_search_runs_off_the_gui_thread_and_enter_waits_for_the_results(session, qtbot):
    w = session.window
    code = customers(session, n=1)[0]
    dlg = SearchDialog(session.backend, w, delay_ms=0, runner=session.runner)
    qtbot.addWidget(dlg)
    for prefix in ("ng", "ngu", "nguy"):  # typed fast: only the newest query's rows are shown
        dlg.query.setText(prefix)
        dlg.run_search()
    dlg.query.setText(code)
    dlg.accept()  # Enter before the results are in
    assert dlg.result() != QDialog.DialogCode.Accepted and dlg.busy
    qtbot.waitUntil(lambda: dlg.result() == QDialog.DialogCode.Accepted, timeout=10000)
    assert dlg.picked == code and dlg.shown_for == code


def test_card_code_scan_shows_the_customer_and_second_scan_collects(session, qtbot):
    import sqlite3

    w = session.window
    con = sqlite3.connect(session.backend.db_path)
    row = con.execute(
        "SELECT k.card_code, c.code FROM card k JOIN customer c ON c.id = k.customer_id "
        "JOIN bill b ON b.customer_id = c.id AND b.status = 'unpaid' LIMIT 1"
    ).fetchone()
    con.close()
    assert row is not None, "the demo data has no customer with a card code and unpaid bills"
    card, code = row
    scan(session, card)
    assert w.view.code_label.text() == code
    assert f"thẻ {card}" in w.last_message[1]
    scan(session, card)  # the same card again = confirm
    assert w.controller.last_payment is not None and w.controller.last_payment.customer.code == code
