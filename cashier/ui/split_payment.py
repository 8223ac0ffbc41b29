"""Split payment in the window (Shift+F8): part by bank transfer, the rest in cash, one receipt.

The rules are the ledger's (``core.ledger.plan_payment`` through ``CollectService.preview`` and
``collect`` with ``transfer_amount``), shown, never re-implemented:

* everything due is collected (bills oldest first + the reconnection fee when it applies);
* the transfer part is more than 0 and less than the total due, with the bank reference;
* the cash part is the rest; the cash handed over must cover it and the change (TIỀN THỪA)
  only ever comes out of the cash part;
* while the dialog is open the customer display shows the VietQR of the transfer part.

:class:`SplitPaymentController` has no widgets (tests drive it directly);
:class:`SplitPaymentDialog` paints it.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from cashier.core.errors import DomainError
from cashier.core.money import format_vnd
from cashier.ui.dialogs.base import BaseDialog, buttons
from cashier.ui.i18n import error_text
from cashier.ui.widgets import BigLabel, ThousandsEdit, big_font

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SplitPlan:
    total: int  # everything due
    transfer: int  # by bank transfer
    cash: int  # the cash part (total - transfer)
    cash_tendered: int  # cash handed over
    change: int  # given back, out of the cash part


class SplitPaymentController(QObject):
    """``services``: the Backend; ``counter``: the CounterController (customer, user, collect)."""

    def __init__(self, services: Any, counter: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.counter = counter
        self.code = counter.lookup.customer.code
        self.due = services.preview(self.code).total  # everything due (raises when nothing is)

    def plan(self, transfer: int | None, cash: int | None = None) -> tuple[SplitPlan | None, str]:
        """(plan, "") or (None, why not) - the ledger's refusal in the UI language.
        ``cash`` None: exact cash for the rest."""
        if not transfer:
            return None, self.tr("Nhập số tiền khách chuyển khoản (nghìn đồng).")
        try:
            plan = self.services.preview_split(self.code, transfer, cash)
        except DomainError as exc:
            return None, error_text(exc)
        cash_part = plan.total - plan.transfer_amount
        return (
            SplitPlan(
                total=plan.total,
                transfer=plan.transfer_amount,
                cash=cash_part,
                cash_tendered=plan.tendered - plan.transfer_amount,
                change=plan.change,
            ),
            "",
        )

    def summary(self, plan: SplitPlan) -> str:
        return self.tr(
            "Chuyển khoản {transfer} + tiền mặt {cash} = {total}\n"
            "Khách đưa tiền mặt {given} — TIỀN THỪA {change}"
        ).format(
            transfer=format_vnd(plan.transfer),
            cash=format_vnd(plan.cash),
            total=format_vnd(plan.total),
            given=format_vnd(plan.cash_tendered),
            change=format_vnd(plan.change),
        )

    def collect(self, transfer: int | None, ref: str, cash: int | None = None) -> tuple[Any, str]:
        """(Payment, "") or (None, why not). Committed first, then printed (the counter's path)."""
        ref = (ref or "").strip()
        plan, why = self.plan(transfer, cash)
        if plan is None:
            return None, why
        if not ref:
            return None, self.tr("Cần mã tham chiếu của ngân hàng cho phần chuyển khoản.")
        payment = self.counter.collect(
            tendered=plan.cash_tendered,
            bank_ref=ref,
            transfer_amount=plan.transfer,
            amount_due=plan.total,
        )
        if payment is None:
            return None, self.counter.last_error or self.tr("Không thu được.")
        log.info("split payment %s: %s cash %d + transfer %d", payment.receipt_no, self.code, plan.cash, plan.transfer)
        return payment, ""


class SplitPaymentDialog(BaseDialog):
    def __init__(self, controller: SplitPaymentController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.payment = None
        self.plan: SplitPlan | None = None
        self.setObjectName("split_payment")
        self.setWindowTitle(self.tr("Thanh toán kết hợp: tiền mặt + chuyển khoản"))
        self.resize(680, 380)
        lay = QVBoxLayout(self)
        customer = controller.counter.lookup.customer
        head = QLabel(self.tr("Khách hàng: {code} — {name}").format(code=customer.code, name=customer.name))
        head.setFont(big_font(13))
        lay.addWidget(head)
        lay.addWidget(BigLabel(self.tr("Phải thu: {amount}").format(amount=format_vnd(controller.due)), 20))
        form = QFormLayout()
        self.transfer = ThousandsEdit()
        self.transfer.setObjectName("split_transfer")
        form.addRow(self.tr("Chuyển khoản (nghìn đồng)"), self.transfer)
        self.ref = QLineEdit()
        self.ref.setObjectName("split_bank_ref")
        self.ref.setPlaceholderText(self.tr("mã giao dịch trên tin nhắn/biên lai ngân hàng"))
        form.addRow(self.tr("Mã tham chiếu"), self.ref)
        self.cash = ThousandsEdit()
        self.cash.setObjectName("split_cash")
        self.cash.setPlaceholderText(self.tr("đủ tiền"))
        form.addRow(self.tr("Tiền mặt khách đưa (nghìn đồng)"), self.cash)
        lay.addLayout(form)
        self.summary = QLabel()
        self.summary.setObjectName("split_summary")
        self.summary.setWordWrap(True)
        self.summary.setFont(big_font(12))
        self.summary.setMinimumHeight(self.summary.fontMetrics().lineSpacing() * 4 + 8)  # up to 4 lines
        lay.addWidget(self.summary)
        lay.addWidget(self.error)
        lay.addWidget(buttons(self, self.tr("Thu (Enter)")))
        self.transfer.textChanged.connect(self.update_plan)
        self.cash.textChanged.connect(self.update_plan)
        self.transfer.setFocus()
        self.update_plan()

    def update_plan(self) -> None:
        self.plan, why = self.controller.plan(self.transfer.amount(), self.cash.amount())
        if self.plan is None:
            self.summary.setText("")
            self.error.setText(why if self.transfer.text() else "")
            return
        self.summary.setText(self.controller.summary(self.plan))
        self.error.setText("")

    def accept(self) -> None:
        self.payment, why = self.controller.collect(self.transfer.amount(), self.ref.text(), self.cash.amount())
        if self.payment is None:
            self.show_error(why)
            return
        super().accept()


def open_split_payment(window: Any) -> SplitPaymentDialog | None:
    """Shift+F8 on the counter: the dialog for the customer on screen (None when there is none)."""
    counter = window.controller
    if counter.lookup is None or counter.state is None or not counter.state.collectable:
        window.show_message("error", QCoreApplication.translate("Split", "Không có hóa đơn nợ để thu."))
        return None
    try:
        controller = SplitPaymentController(window.backend, counter, window)
    except DomainError as exc:
        window.alert(error_text(exc))
        return None
    dlg = SplitPaymentDialog(controller, window)
    display = getattr(window, "customer_display", None)
    shown: list[bool] = []
    with contextlib.ExitStack() as stack:

        def paint_qr() -> None:  # the VietQR of the transfer part on the customer's screen
            if display is None or dlg.plan is None or dlg.payment is not None:  # paid: the receipt stays
                return
            if shown:
                display.show_split(controller.code, dlg.plan)
            else:  # the first time: back to the customer page when the dialog closes
                stack.enter_context(display.split(controller.code, dlg.plan))
                shown.append(True)

        for field in (dlg.transfer, dlg.cash):  # the customer's screen follows both parts
            field.editingFinished.connect(paint_qr)
        dlg.exec()
    if dlg.result() == QDialog.DialogCode.Accepted and dlg.payment is not None:
        p = dlg.payment
        text = QCoreApplication.translate(
            "Split", "ĐÃ THU {total} (chuyển khoản {transfer} + tiền mặt {cash}) — biên nhận {receipt} — TIỀN THỪA {change}"
        ).format(
            total=format_vnd(p.total),
            transfer=format_vnd(p.transfer_part),
            cash=format_vnd(p.cash_part),
            receipt=p.receipt_no,
            change=format_vnd(p.change),
        )
        window.view.banner.show_state("collected", text)
    return dlg
