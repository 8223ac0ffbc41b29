"""Dialogs of the cashier's day: login, open shift, search, manager authorisation, reprint, void,
select bills, bank transfer, reconnection orders, X/Z reports and the shift close.

Every dialog works with the keyboard alone (Enter accepts, Esc cancels, F-keys stay on the main
window). Errors from the services are shown in Vietnamese inside the dialog, never a traceback.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QFont, QFontDatabase, QIntValidator
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cashier.core.debt import BillStatus, Lookup
from cashier.core.errors import DomainError, PermissionDenied
from cashier.core.ledger import DENOMINATIONS, count_total
from cashier.core.money import format_number, format_vnd, parse_amount
from cashier.ui import tasks
from cashier.ui.i18n import error_text
from cashier.ui.models import BillsModel, Column, RowsModel, SearchModel
from cashier.ui.scan_detector import NO_SCAN
from cashier.ui.widgets import BigLabel, ThousandsEdit, big_font, field_label, make_table

log = logging.getLogger(__name__)


def _buttons(dlg: QDialog, ok_text: str, cancel_text: str | None = None) -> QDialogButtonBox:
    box = QDialogButtonBox()
    ok = box.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
    ok.setDefault(True)
    ok.setAutoDefault(True)
    if cancel_text is None:
        cancel_text = QCoreApplication.translate("Dialogs", "Hủy (Esc)")
    box.addButton(cancel_text, QDialogButtonBox.ButtonRole.RejectRole)
    box.accepted.connect(dlg.accept)
    box.rejected.connect(dlg.reject)
    return box


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020; font-weight: bold;")
    label.setMinimumWidth(360)
    return label


class BaseDialog(QDialog):
    """Shows service refusals in its own error line; accepts scans only when it says so."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModal(True)
        self.error = _error_label()

    def show_error(self, exc: BaseException | str) -> None:
        text = exc if isinstance(exc, str) else error_text(exc)
        if not isinstance(exc, (str, DomainError)):
            log.error("dialog error", exc_info=exc)
        self.error.setText(text)

    def accept_scan(self, raw: str) -> bool:  # noqa: ARG002 (overridden)
        return False


# -- login and shift -----------------------------------------------------------------------
class LoginDialog(BaseDialog):
    def __init__(self, backend: Any, parent: QWidget | None = None, *, last_user: str = "") -> None:
        super().__init__(parent)
        self.backend = backend
        self.user = None
        self.setProperty(NO_SCAN, True)  # a password typed fast is never taken for a scan
        self.setWindowTitle(self.tr("Đăng nhập"))
        lay = QVBoxLayout(self)
        title = QLabel(self.tr("Đăng nhập quầy thu"))
        title.setFont(big_font(16))
        lay.addWidget(title)
        form = QFormLayout()
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("Tên đăng nhập"), self.username)
        form.addRow(self.tr("Mật khẩu"), self.password)
        lay.addLayout(form)
        demo_users = backend.info.demo_users
        if demo_users:
            accounts = ", ".join(f"{u} / {p}" for u, p, _r in demo_users)
            demo = QLabel(self.tr("Dữ liệu thử (demo) — tài khoản: {accounts}").format(accounts=accounts))
            demo.setWordWrap(True)
            demo.setStyleSheet("color: #0d47a1;")
            lay.addWidget(demo)
        lay.addWidget(self.error)
        lay.addWidget(_buttons(self, self.tr("Đăng nhập (Enter)")))
        last = last_user or backend.last_username()
        if last:
            self.username.setText(last)
            self.password.setFocus()

    def accept(self) -> None:
        try:
            self.user = self.backend.login(self.username.text(), self.password.text())
        except Exception as exc:  # noqa: BLE001
            self.password.clear()
            self.password.setFocus()
            self.show_error(exc)
            return
        super().accept()


class OpenShiftDialog(BaseDialog):
    def __init__(self, backend: Any, user: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend, self.user, self.shift = backend, user, None
        self.setWindowTitle(self.tr("Mở ca"))
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("Thu ngân: {name}").format(name=user.full_name)))
        form = QFormLayout()
        self.float_edit = QLineEdit("0")
        self.float_edit.setObjectName("float")
        self.float_edit.setValidator(QIntValidator(0, 1_000_000_000, self))
        self.float_edit.setFont(big_font(16))
        self.float_edit.selectAll()
        form.addRow(self.tr("Tiền lẻ đầu ca (đồng)"), self.float_edit)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(_buttons(self, self.tr("Mở ca (Enter)")))

    def accept(self) -> None:
        try:
            self.shift = self.backend.open_shift(self.user, parse_amount(self.float_edit.text() or "0"))
        except Exception as exc:  # noqa: BLE001
            self.show_error(exc)
            return
        super().accept()


# -- search --------------------------------------------------------------------------------
class SearchDialog(BaseDialog):
    """F3: code, name or address, with or without diacritics; results as you type.

    With a task runner the queries run on their own lane (a common prefix over 600k customers can
    take a few hundred ms: typing never waits for it); only the newest query's results are shown,
    and Enter pressed before they arrive picks from them when they do.
    """

    SEARCH_LANE = "search"
    #: rows shown; one more is fetched to know whether there are more (never a full count)
    PAGE = 100

    def __init__(
        self,
        backend: Any,
        parent: QWidget | None = None,
        *,
        delay_ms: int = 120,
        runner: tasks.TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.backend = backend
        self.runner = runner
        self.picked: str | None = None
        self.shown_for: str | None = None  # the query the table's rows answer
        self._running = False
        self._pending: str | None = None
        self._accept_when_done = False
        self.setWindowTitle(self.tr("Tìm khách hàng"))
        self.resize(1100, 560)
        lay = QVBoxLayout(self)
        self.query = QLineEdit()
        self.query.setObjectName("query")
        self.query.setFont(big_font(16, bold=False))
        self.query.setPlaceholderText(
            self.tr("Mã KH, tên hoặc địa chỉ (gõ có dấu hoặc không dấu), ↓ để chọn, Enter để lấy")
        )
        lay.addWidget(self.query)
        self.model = SearchModel(self)
        self.table = make_table(self.model, stretch=2)
        lay.addWidget(self.table, 1)
        self.count_label = QLabel()
        lay.addWidget(self.count_label)
        lay.addWidget(self.error)
        lay.addWidget(_buttons(self, self.tr("Chọn (Enter)")))
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.run_search)
        self.query.textChanged.connect(lambda _t: self._timer.start())
        self.table.doubleClicked.connect(lambda _i: self.accept())
        self.query.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        # arrow keys in the search box move the selection in the table
        if obj is self.query and event.type() == event.Type.KeyPress and event.key() in (
            Qt.Key.Key_Down,
            Qt.Key.Key_Up,
            Qt.Key.Key_PageDown,
            Qt.Key.Key_PageUp,
        ):
            self.table.setFocus()
            self.table.keyPressEvent(event)
            self.query.setFocus()
            return True
        return super().eventFilter(obj, event)

    @property
    def busy(self) -> bool:
        return self._running or self._pending is not None or self._timer.isActive()

    def run_search(self) -> None:
        self._timer.stop()
        text = self.query.text().strip()
        self.error.clear()
        if len(text) < 2:
            self._pending = None
            self._show(text, [])
            return
        if self.runner is None:
            try:
                hits = self.backend.search(text, self.PAGE + 1)
            except Exception as exc:  # noqa: BLE001
                self.show_error(exc)
                return
            self._show(text, hits)
            return
        self._pending = text
        self._kick()

    def _kick(self) -> None:
        if self._running or self._pending is None:
            return
        text, self._pending = self._pending, None
        self._running = True
        self.runner.run(
            lambda: self.backend.search(text, self.PAGE + 1),
            lambda hits: self._arrived(text, hits),
            self._failed,
            lane=self.SEARCH_LANE,
            name="search",
        )

    def _arrived(self, text: str, hits: list) -> None:
        self._running = False
        if self._pending is None and text == self.query.text().strip():
            self._show(text, hits)
            if self._accept_when_done:
                self._accept_when_done = False
                self.accept()
                return
        self._kick()

    def _failed(self, exc: BaseException) -> None:
        self._running = False
        self._accept_when_done = False
        self.show_error(exc)
        self._kick()

    def _show(self, text: str, hits: list) -> None:
        self.shown_for = text
        more = len(hits) > self.PAGE
        hits = hits[: self.PAGE]
        self.model.set_rows(hits)
        if hits:
            self.table.selectRow(0)
        if len(text) < 2:
            self.count_label.setText("")
            return
        if more:
            self.count_label.setText(
                self.tr("{n} kết quả đầu tiên — còn nhiều hơn {n}: gõ thêm để thu hẹp").format(n=self.PAGE)
            )
        else:
            self.count_label.setText(self.tr("{n} kết quả").format(n=len(hits)))

    def accept_scan(self, raw: str) -> bool:
        # a card scanned while searching is the customer the cashier was looking for
        try:
            lookup = self.backend.lookup(raw)  # customer code (IME-repaired) or card code
        except DomainError as exc:
            self.show_error(exc)
            return True  # said here; nothing typed into the search box
        self.picked = lookup.customer.code
        super().accept()
        return True

    def accept(self) -> None:
        if self._timer.isActive() or self._pending is not None or self._running:
            if self._timer.isActive():
                self.run_search()
            if self.busy:  # Enter before the results of what was typed: pick when they arrive
                self._accept_when_done = True
                return
        idx = self.table.currentIndex()
        row = idx.row() if idx.isValid() else (0 if self.model.rowCount() == 1 else -1)
        if row < 0:
            self.show_error(self.tr("Chưa chọn khách hàng: dùng ↓ ↑ để chọn rồi Enter."))
            return
        self.picked = self.model.row(row).code
        super().accept()


# -- manager authorisation ------------------------------------------------------------------
class ManagerAuthDialog(BaseDialog):
    """A manager types their own user name and password to authorise one action."""

    def __init__(self, backend: Any, user: Any, permission: str, what: str, parent: QWidget | None = None, *, reason: str = "") -> None:
        super().__init__(parent)
        self.backend, self.user, self.permission, self.reason = backend, user, permission, reason
        self.approval = None
        self.setProperty(NO_SCAN, True)  # a password typed fast is never taken for a scan
        self.setWindowTitle(self.tr("Quản lý duyệt"))
        lay = QVBoxLayout(self)
        msg = QLabel(self.tr("Cần quản lý duyệt: {what}").format(what=what))
        msg.setFont(big_font(13))
        msg.setWordWrap(True)
        lay.addWidget(msg)
        form = QFormLayout()
        self.username = QLineEdit()
        self.username.setObjectName("manager")
        self.password = QLineEdit()
        self.password.setObjectName("manager_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("Quản lý"), self.username)
        form.addRow(self.tr("Mật khẩu"), self.password)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(_buttons(self, self.tr("Duyệt (Enter)")))

    def accept(self) -> None:
        try:
            self.approval = self.backend.authorise(
                self.username.text(), self.password.text(), self.permission, self.user, self.reason
            )
        except Exception as exc:  # noqa: BLE001
            self.password.clear()
            self.show_error(exc)
            return
        super().accept()


def ask_approval(backend: Any, user: Any, permission: str, what: str, parent: QWidget, reason: str = "") -> Any:
    """None when the user may do it alone; the Approval when a manager authorised; False when
    cancelled."""
    if user.can(permission):
        return None
    dlg = ManagerAuthDialog(backend, user, permission, what, parent, reason=reason)
    if dlg.exec() == QDialog.DialogCode.Accepted:
        return dlg.approval
    return False


# -- reprint and void -------------------------------------------------------------------------
class ReprintDialog(BaseDialog):
    def __init__(self, backend: Any, user: Any, receipt: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend, self.user, self.payment = backend, user, None
        self.setWindowTitle(self.tr("In lại biên nhận"))
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("Bản in lại ghi rõ \"BẢN SAO — In lần N\". Cần quyền quản lý.")))
        form = QFormLayout()
        self.receipt = QLineEdit(receipt)
        self.receipt.setObjectName("receipt")
        form.addRow(self.tr("Số biên nhận"), self.receipt)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(_buttons(self, self.tr("In lại (Enter)")))

    def accept(self) -> None:
        receipt = self.receipt.text().strip()
        if not receipt:
            self.show_error(self.tr("Nhập số biên nhận."))
            return
        try:
            # the cashier's own receipt whose print failed needs nobody's approval (ledger rule)
            self.payment = self.backend.reprint(self.user, receipt, None)
        except PermissionDenied:
            approval = ask_approval(
                self.backend, self.user, "reprint", self.tr("in lại biên nhận {r}").format(r=receipt), self
            )
            if approval is False:
                return
            try:
                self.payment = self.backend.reprint(self.user, receipt, approval)
            except Exception as exc:  # noqa: BLE001
                self.show_error(exc)
                return
        except Exception as exc:  # noqa: BLE001
            self.show_error(exc)
            return
        super().accept()


class VoidDialog(BaseDialog):
    """F6: whose receipt and how much are shown before voiding (updated as the number is typed)."""

    def __init__(self, backend: Any, user: Any, shift: Any, receipt: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend, self.user, self.shift = backend, user, shift
        self.result_void = None
        #: the receipt the number in the field names (None: unknown number)
        self.payment: Any = None
        self.setWindowTitle(self.tr("Hủy biên nhận"))
        lay = QVBoxLayout(self)
        warn = QLabel(self.tr("Hủy biên nhận: hóa đơn trở lại trạng thái còn nợ; cần quản lý duyệt và lý do."))
        warn.setWordWrap(True)
        lay.addWidget(warn)
        form = QFormLayout()
        self.receipt = QLineEdit(receipt)
        self.receipt.setObjectName("receipt")
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText(self.tr("ví dụ: thu nhầm khách hàng"))
        form.addRow(self.tr("Số biên nhận"), self.receipt)
        #: whose receipt, how much, when (in large type: the cashier checks it before voiding)
        self.details = QLabel()
        self.details.setObjectName("void_details")
        self.details.setWordWrap(True)
        self.details.setFont(big_font(13))
        self.details.setMinimumWidth(420)
        form.addRow(self.tr("Biên nhận của"), self.details)
        form.addRow(self.tr("Lý do"), self.reason)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(_buttons(self, self.tr("Hủy biên nhận (Enter)"), self.tr("Không hủy (Esc)")))
        self.receipt.textChanged.connect(self._show_receipt)
        self._show_receipt()
        self.reason.setFocus()

    def _show_receipt(self) -> None:
        number = self.receipt.text().strip()
        self.payment = None
        if not number:
            self.details.setText(self.tr("(nhập số biên nhận)"))
            return
        try:
            p = self.backend.payment(number)
        except Exception as exc:  # noqa: BLE001
            self.details.setText(error_text(exc))
            self.details.setStyleSheet("color: #b00020;")
            return
        self.payment = p
        self.details.setStyleSheet("")
        self.details.setText(void_summary(p))

    def accept(self) -> None:
        receipt, reason = self.receipt.text().strip(), self.reason.text().strip()
        if not receipt:
            self.show_error(self.tr("Nhập số biên nhận."))
            return
        if self.payment is None:
            self.show_error(self.tr("Không có biên nhận số {r}.").format(r=receipt))
            self.receipt.setFocus()
            return
        if not reason:
            self.show_error(self.tr("Hủy biên nhận cần ghi lý do."))
            self.reason.setFocus()
            return
        approval = ask_approval(
            self.backend, self.user, "void", self.tr("hủy biên nhận {r}").format(r=receipt), self, reason
        )
        if approval is False:
            return
        try:
            self.result_void = self.backend.void(self.user, receipt, reason, approval)
        except Exception as exc:  # noqa: BLE001
            self.show_error(exc)
            return
        super().accept()


def void_summary(p: Any) -> str:
    """"BN… — CODE Name — 1.234.567 đ — 09:41 02/12/2026 (thu ngân …)" for the void dialog."""
    text = QCoreApplication.translate("Dialogs", "{receipt} — {code} {name} — {amount} — {time}, thu ngân {cashier}").format(
        receipt=p.receipt_no,
        code=p.customer.code,
        name=p.customer.name,
        amount=format_vnd(p.total),
        time=p.created_at.strftime("%H:%M %d/%m/%Y"),
        cashier=p.cashier_name,
    )
    if str(p.status) != "active":
        text += "\n" + QCoreApplication.translate("Dialogs", "ĐÃ HỦY trước đây")
    return text


# -- select bills and transfer -----------------------------------------------------------------
class SelectBillsDialog(BaseDialog):
    """F7: tick the bills to pay (Space toggles); the oldest-first rule is the service's."""

    def __init__(self, controller: Any, lookup: Lookup, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle(self.tr("Chọn hóa đơn thu"))
        self.resize(900, 420)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("Dấu chọn = thu. Space: chọn/bỏ. Phải thu hóa đơn cũ trước hóa đơn mới.")))
        unpaid = [b for b in lookup.bills if b.status == BillStatus.UNPAID]
        self.model = BillsModel(self, checkable=True)
        self.model.set_rows(unpaid)
        self.model.dataChanged.connect(lambda *_: self._update_total())
        self.table = make_table(self.model, stretch=6)
        lay.addWidget(self.table, 1)
        self.total = BigLabel("", 20)
        lay.addWidget(self.total)
        form = QFormLayout()
        self.tendered = ThousandsEdit()  # the counter's rule: thousands of đồng
        self.tendered.setObjectName("tendered")
        self.tendered.setPlaceholderText(self.tr("đủ tiền"))
        form.addRow(self.tr("Khách đưa (nghìn đồng)"), self.tendered)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(_buttons(self, self.tr("Thu các hóa đơn đã chọn (Enter)")))
        self.table.setFocus()
        if unpaid:
            self.table.selectRow(0)
        self.payment = None
        self._update_total()

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Space:
            idx = self.table.currentIndex()
            if idx.isValid():
                self.model.set_checked(idx.row(), not self.model.is_checked(idx.row()))
            return
        super().keyPressEvent(event)

    def selected_total(self) -> int:
        fee = self.controller.state.fee if self.controller.state else 0
        return sum(b.total for b in self.model.checked_rows()) + fee

    def _update_total(self) -> None:
        self.total.setText(self.tr("Thu: {amount}").format(amount=format_vnd(self.selected_total())))

    def accept(self) -> None:
        bills = tuple(b.bill_id for b in self.model.checked_rows())
        if not bills:
            self.show_error(self.tr("Chưa chọn hóa đơn nào."))
            return
        tendered = self.tendered.amount()
        if tendered is None:
            tendered = self.selected_total()
        self.payment = self.controller.collect(tendered=tendered, bill_ids=bills, amount_due=self.selected_total())
        if self.payment is None:
            self.show_error(self.controller.last_error or self.tr("Không thu được."))
            return
        super().accept()


class TransferDialog(BaseDialog):
    """F8: the customer paid by bank transfer / VietQR; the cashier types the bank reference."""

    def __init__(self, controller: Any, lookup: Lookup, due: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller, self.due = controller, due
        self.payment = None
        self.setWindowTitle(self.tr("Thanh toán chuyển khoản"))
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("Khách hàng: {code} — {name}").format(code=lookup.customer.code, name=lookup.customer.name)))
        amount = BigLabel(format_vnd(due), 22)
        lay.addWidget(amount)
        form = QFormLayout()
        self.ref = QLineEdit()
        self.ref.setObjectName("bank_ref")
        self.ref.setPlaceholderText(self.tr("mã giao dịch trên tin nhắn/biên lai ngân hàng"))
        form.addRow(self.tr("Mã tham chiếu"), self.ref)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(_buttons(self, self.tr("Ghi nhận chuyển khoản (Enter)")))

    def accept(self) -> None:
        ref = self.ref.text().strip()
        if not ref:
            self.show_error(self.tr("Cần mã tham chiếu của ngân hàng."))
            return
        self.payment = self.controller.collect(tendered=self.due, method="transfer", bank_ref=ref)
        if self.payment is None:
            self.show_error(self.controller.last_error or self.tr("Không ghi nhận được."))
            return
        super().accept()


# -- reports, shift close, orders --------------------------------------------------------------
def _mono() -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSize(11)
    return font


class ReportDialog(BaseDialog):
    """An X or Z report as it prints, with a print button (printer lane)."""

    def __init__(self, backend: Any, runner: tasks.TaskRunner, report: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend, self.runner, self.report = backend, runner, report
        kind = self.tr("Báo cáo Z số {z}").format(z=report.z_number) if report.kind == "Z" else self.tr("Báo cáo X (giữa ca)")
        self.setWindowTitle(kind)
        self.resize(560, 720)
        lay = QVBoxLayout(self)
        text = QPlainTextEdit(backend.report_text(report))
        text.setObjectName("report_text")
        text.setReadOnly(True)
        text.setFont(_mono())
        lay.addWidget(text, 1)
        self.text = text
        lay.addWidget(self.error)
        row = QHBoxLayout()
        self.print_button = QPushButton(self.tr("In báo cáo (Ctrl+P)"))
        self.print_button.setShortcut("Ctrl+P")  # not a bare letter: customer codes start with P
        self.print_button.clicked.connect(self.print_report)
        row.addWidget(self.print_button)
        close = QPushButton(self.tr("Đóng (Esc)"))
        close.clicked.connect(self.reject)
        row.addWidget(close)
        lay.addLayout(row)
        self.print_handle: tasks.TaskHandle | None = None

    def print_report(self) -> None:
        report = self.report
        self.error.setStyleSheet("color: #0d47a1;")
        self.error.setText(self.tr("Đang in…"))

        def done(_r):
            self.error.setStyleSheet("color: #1b5e20; font-weight: bold;")
            self.error.setText(self.tr("Đã in báo cáo."))

        def failed(exc):
            self.error.setStyleSheet("color: #b00020; font-weight: bold;")
            self.error.setText(self.tr("Không in được: {e}").format(e=error_text(exc)))

        self.print_handle = self.runner.run(lambda: self.backend.print_report(report), done, failed, lane=tasks.PRINTER, name="report")


class CloseShiftDialog(BaseDialog):
    """Count the drawer by denomination; expected vs counted and the variance update live."""

    def __init__(self, backend: Any, runner: tasks.TaskRunner, user: Any, shift: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend, self.runner, self.user, self.shift = backend, runner, user, shift
        self.report = None
        self.setWindowTitle(self.tr("Đóng ca — kiểm tiền"))
        lay = QVBoxLayout(self)
        head = QLabel(self.tr("Ca {id} — {name} — mở lúc {time}").format(
            id=shift.id, name=user.full_name, time=shift.opened_at.strftime("%H:%M %d/%m/%Y")))
        head.setFont(big_font(13))
        lay.addWidget(head)
        grid = QGridLayout()
        grid.addWidget(field_label(self.tr("Mệnh giá")), 0, 0)
        grid.addWidget(field_label(self.tr("Số tờ")), 0, 1)
        grid.addWidget(field_label(self.tr("Thành tiền")), 0, 2)
        self.spins: dict[int, QSpinBox] = {}
        self.line_totals: dict[int, QLabel] = {}
        for i, denom in enumerate(DENOMINATIONS, start=1):
            label = QLabel(format_number(denom))
            label.setFont(big_font(12))
            spin = QSpinBox()
            spin.setObjectName(f"count_{denom}")
            spin.setRange(0, 100_000)
            spin.setMinimumWidth(110)
            spin.valueChanged.connect(self._update)
            total = QLabel("0")
            total.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            total.setMinimumWidth(140)
            grid.addWidget(label, i, 0)
            grid.addWidget(spin, i, 1)
            grid.addWidget(total, i, 2)
            self.spins[denom] = spin
            self.line_totals[denom] = total
        lay.addLayout(grid)
        form = QFormLayout()
        self.expected_label = BigLabel("", 16)
        self.counted_label = BigLabel("", 16)
        self.variance_label = BigLabel("", 18)
        form.addRow(self.tr("Phải có (đầu ca + thu tiền mặt)"), self.expected_label)
        form.addRow(self.tr("Đếm được"), self.counted_label)
        form.addRow(self.tr("Chênh lệch"), self.variance_label)
        lay.addLayout(form)
        self.manager_note = QLabel()
        self.manager_note.setWordWrap(True)
        lay.addWidget(self.manager_note)
        lay.addWidget(self.error)
        row = QHBoxLayout()
        xb = QPushButton(self.tr("Xem báo cáo X"))
        xb.setAutoDefault(False)
        xb.clicked.connect(self.show_x)
        row.addWidget(xb)
        row.addStretch(1)
        box = _buttons(self, self.tr("Đóng ca và in báo cáo Z (Ctrl+Enter)"))
        self.close_button = box.buttons()[0]
        # Enter in a count moves to the next note (a count must not close the shift half done);
        # after the last one it reaches this button; Ctrl+Enter closes from anywhere
        self.close_button.setDefault(False)
        self.close_button.setShortcut("Ctrl+Return")
        row.addWidget(box)
        lay.addLayout(row)
        for spin in self.spins.values():
            spin.installEventFilter(self)
        self.needs_manager = False
        self._update()
        first = self.spins[DENOMINATIONS[0]]
        first.setFocus()
        first.selectAll()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if (
            event.type() == event.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
            and obj in self.spins.values()
        ):
            spins = list(self.spins.values())
            i = spins.index(obj)
            if i + 1 < len(spins):
                spins[i + 1].setFocus()
                spins[i + 1].selectAll()
            else:
                self.close_button.setFocus()
            return True
        return super().eventFilter(obj, event)

    def counts(self) -> dict[int, int]:
        return {d: s.value() for d, s in self.spins.items() if s.value()}

    def _update(self) -> None:
        counts = self.counts()
        for d, lbl in self.line_totals.items():
            lbl.setText(format_number(d * self.spins[d].value()))
        try:
            expected, counted, variance, needs = self.backend.preview_close(counts)
        except Exception as exc:  # noqa: BLE001
            self.show_error(exc)
            return
        self.expected_label.setText(format_vnd(expected))
        self.counted_label.setText(format_vnd(counted if counted is not None else count_total(counts)))
        sign = "+" if variance > 0 else ""
        self.variance_label.setText(sign + format_vnd(variance))
        colour = "#1b5e20" if variance == 0 else ("#b00020" if needs else "#e65100")
        self.variance_label.setStyleSheet(f"color: {colour};")
        self.needs_manager = needs
        if needs and not self.user.can("close_shift_variance"):
            self.manager_note.setText(self.tr("Chênh lệch vượt giới hạn: khi đóng ca sẽ cần quản lý duyệt."))
            self.manager_note.setStyleSheet("color: #b00020;")
        else:
            self.manager_note.setText("")

    def show_x(self) -> None:
        try:
            report = self.backend.x_report(self.user, self.shift.id)
        except Exception as exc:  # noqa: BLE001
            self.show_error(exc)
            return
        ReportDialog(self.backend, self.runner, report, self).exec()

    def accept(self) -> None:
        approval = None
        if self.needs_manager and not self.user.can("close_shift_variance"):
            approval = ask_approval(
                self.backend, self.user, "close_shift_variance", self.tr("đóng ca khi tiền lệch quá giới hạn"), self
            )
            if approval is False:
                return
        try:
            self.report = self.backend.close_shift(self.user, self.counts(), approval)
        except Exception as exc:  # noqa: BLE001
            self.show_error(exc)
            return
        dlg = ReportDialog(self.backend, self.runner, self.report, self)
        dlg.print_report()
        dlg.exec()
        super().accept()


def order_columns() -> list[Column]:
    status = {
        "open": QCoreApplication.translate("Columns", "Chờ đóng điện"),
        "done": QCoreApplication.translate("Columns", "Đã đóng điện"),
        "cancelled": QCoreApplication.translate("Columns", "Đã hủy"),
    }
    return [
        Column(QCoreApplication.translate("Columns", "Số lệnh"), lambda o: o.id),
        Column(QCoreApplication.translate("Columns", "Thời gian"), lambda o: o.created_at.strftime("%H:%M %d/%m")),
        Column(QCoreApplication.translate("Columns", "Mã khách hàng"), lambda o: o.customer.code),
        Column(QCoreApplication.translate("Columns", "Tên khách hàng"), lambda o: o.customer.name, bold=True),
        Column(QCoreApplication.translate("Columns", "Địa chỉ"), lambda o: o.customer.address),
        Column(QCoreApplication.translate("Columns", "Biên nhận"), lambda o: o.receipt_no),
        Column(QCoreApplication.translate("Columns", "Phí đóng điện"), lambda o: o.fee, money=True),
        Column(QCoreApplication.translate("Columns", "Trạng thái"), lambda o: status.get(str(o.status), str(o.status))),
    ]


class OrdersDialog(BaseDialog):
    """F11: reconnection orders raised by paid reconnection fees."""

    def __init__(self, backend: Any, runner: tasks.TaskRunner, parent: QWidget | None = None, *, user: Any = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.user = user
        self.setWindowTitle(self.tr("Lệnh đóng điện"))
        self.resize(1100, 480)
        lay = QVBoxLayout(self)
        self.model = RowsModel(order_columns(), parent=self)
        self.table = make_table(self.model, stretch=4)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.error)
        row = QHBoxLayout()
        self.print_button = QPushButton(self.tr("In lệnh đã chọn (Ctrl+P)"))
        self.print_button.setShortcut("Ctrl+P")
        self.print_button.clicked.connect(self.print_selected)
        row.addWidget(self.print_button)
        self.done_button = QPushButton(self.tr("Đã đóng điện xong (Ctrl+D)"))
        self.done_button.setShortcut("Ctrl+D")
        self.done_button.clicked.connect(self.mark_done)
        self.done_button.setEnabled(user is not None)
        row.addWidget(self.done_button)
        close = QPushButton(self.tr("Đóng (Esc)"))
        close.clicked.connect(self.reject)
        row.addWidget(close)
        lay.addLayout(row)
        self.runner = runner
        self.print_handle: tasks.TaskHandle | None = None
        try:
            self.model.set_rows(list(reversed(backend.reconnection_orders())))
            if self.model.rowCount():
                self.table.selectRow(0)
        except Exception as exc:  # noqa: BLE001
            self.show_error(exc)
        if not self.model.rowCount():
            self.error.setStyleSheet("color: #37474f;")
            self.error.setText(self.tr("Chưa có lệnh đóng điện nào."))

    def mark_done(self) -> None:
        idx = self.table.currentIndex()
        if not idx.isValid():
            self.show_error(self.tr("Chọn một lệnh trong bảng."))
            return
        order = self.model.row(idx.row())
        try:
            self.backend.order_done(self.user, order.id)
            self.model.set_rows(list(reversed(self.backend.reconnection_orders())))
        except Exception as exc:  # noqa: BLE001
            self.show_error(exc)
            return
        self.table.selectRow(idx.row())
        self.error.setStyleSheet("color: #1b5e20; font-weight: bold;")
        self.error.setText(self.tr("Lệnh số {id}: đã đóng điện.").format(id=order.id))

    def print_selected(self) -> None:
        idx = self.table.currentIndex()
        if not idx.isValid():
            self.show_error(self.tr("Chọn một lệnh trong bảng."))
            return
        order = self.model.row(idx.row())
        self.error.setStyleSheet("color: #0d47a1;")
        self.error.setText(self.tr("Đang in…"))

        def done(_r):
            self.error.setStyleSheet("color: #1b5e20; font-weight: bold;")
            self.error.setText(self.tr("Đã in lệnh đóng điện số {id}.").format(id=order.id))

        def failed(exc):
            self.error.setStyleSheet("color: #b00020; font-weight: bold;")
            self.error.setText(self.tr("Không in được: {e}").format(e=error_text(exc)))

        self.print_handle = self.runner.run(
            lambda: self.backend.print_order(order), done, failed, lane=tasks.PRINTER, name="order"
        )


class HelpDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Phím tắt"))
        lay = QVBoxLayout(self)
        text = QLabel(self.tr(
            "<b>Quét thẻ</b>: hiện khách hàng và hóa đơn nợ.<br>"
            "<b>Quét lại thẻ / Enter / F2</b>: thu đủ tiền và in biên nhận.<br>"
            "<b>Ô khách đưa</b>: gõ số nghìn đồng (500 = 500.000 đ, 2000 = 2.000.000 đ), trống = đủ tiền; "
            "Alt+1 đủ tiền, Alt+2/3/4 thêm 100/200/500 nghìn.<br>"
            "<b>F3</b> tìm khách hàng · <b>F4</b> in giấy báo · <b>F5</b> in lại · <b>F6</b> hủy biên nhận<br>"
            "<b>F7</b> chọn hóa đơn · <b>F8</b> chuyển khoản · <b>F9</b> ca làm việc · <b>F10</b> quản lý<br>"
            "<b>F11</b> lệnh đóng điện · <b>Esc</b> xóa màn hình"
        ))
        text.setWordWrap(True)
        lay.addWidget(text)
        more = QLabel(self.tr("<b>Ctrl+L</b> khóa quầy / đổi thu ngân (không đóng ca) · <b>F12</b> thu một phần hóa đơn"
                               " · <b>Shift+F8</b> tiền mặt + chuyển khoản · <b>Shift+F2</b> thu gộp nhiều khách"))
        more.setWordWrap(True)
        lay.addWidget(more)
        ok = QPushButton(self.tr("Đóng"))
        ok.clicked.connect(self.accept)
        lay.addWidget(ok)
