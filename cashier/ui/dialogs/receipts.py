"""F5 reprint and F6 void: a receipt already collected."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from cashier.core.errors import PermissionDenied
from cashier.core.money import format_vnd
from cashier.ui.dialogs.base import BaseDialog, buttons
from cashier.ui.dialogs.login import ask_approval
from cashier.ui.i18n import error_text
from cashier.ui.widgets import big_font

log = logging.getLogger(__name__)


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
        lay.addWidget(buttons(self, self.tr("In lại (Enter)")))

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
        lay.addWidget(buttons(self, self.tr("Hủy biên nhận (Enter)"), self.tr("Không hủy (Esc)")))
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
