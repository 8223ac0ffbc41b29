"""F7 select bills and F8 bank transfer: collecting other than the full amount in cash."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from cashier.core.debt import BillStatus, Lookup
from cashier.core.money import format_vnd
from cashier.ui.dialogs.base import BaseDialog, buttons
from cashier.ui.models import BillsModel
from cashier.ui.widgets import BigLabel, ThousandsEdit, make_table


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
        lay.addWidget(buttons(self, self.tr("Thu các hóa đơn đã chọn (Enter)")))
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
        lay.addWidget(buttons(self, self.tr("Ghi nhận chuyển khoản (Enter)")))

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
