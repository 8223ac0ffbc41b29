"""F11: reconnection orders raised by paid reconnection fees."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cashier.ui import tasks
from cashier.ui.dialogs.base import BaseDialog
from cashier.ui.i18n import error_text
from cashier.ui.models import Column, RowsModel
from cashier.ui.widgets import make_table


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

        self.print_handle = self.runner.submit(
            lambda ended: self.backend.print_order(order, ended), done, failed, name="order"
        )
