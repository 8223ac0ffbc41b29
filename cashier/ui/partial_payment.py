"""Partial payment in the window (F12): the customer pays part of what is due.

The rules are the ledger's (``core.ledger.plan_payment`` through ``CollectService.preview`` and
``collect``), shown, never re-implemented:

* a partial amount goes on ONE bill, and bills are paid oldest first: so it goes on the oldest
  open bill; newer bills stay untouched;
* it must be more than 0 and at most what is left on that bill (all of it settles the bill);
  more than that is refused (pay the oldest bill in full with F7 first);
* the reconnection fee, when it is due, is added in full;
* the permission is ``partial_payment``: a manager, or a cashier with a manager's approval
  (the approval dialog of ``dialogs.login.ask_approval``); the service checks it again.

:class:`PartialPaymentController` has no widgets (tests drive it directly);
:class:`PartialPaymentDialog` paints it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QVBoxLayout, QWidget

from cashier.core.errors import DomainError
from cashier.core.ledger import Permission
from cashier.core.money import format_vnd
from cashier.ui.dialogs.base import BaseDialog, buttons
from cashier.ui.dialogs.login import ask_approval
from cashier.ui.i18n import error_text
from cashier.ui.models import Column, RowsModel
from cashier.ui.widgets import BigLabel, ThousandsEdit, big_font, make_table

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OpenBill:
    bill_id: str
    period: str
    total: int  # TONG_TIEN
    remaining: int  # what is left on it (earlier partial payments deducted)
    pays: int = 0  # what this payment puts on it
    left: int = 0  # left on it after this payment


@dataclass(frozen=True)
class PartialPlan:
    bills: tuple[OpenBill, ...]  # oldest first, with what this payment puts on each
    amount: int
    fee: int
    total: int  # what the customer pays now (amount + fee)
    tendered: int
    change: int
    remaining_due: int  # still due on the customer's bills afterwards
    settles: bool  # the amount clears the oldest bill


class PartialPaymentController(QObject):
    """``services``: the Backend; ``counter``: the CounterController (customer, user, collect)."""

    def __init__(self, services: Any, counter: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.counter = counter
        self.code = counter.lookup.customer.code
        plan = services.preview(self.code)  # everything due: bills oldest first (+ the fee)
        self.bills = tuple(
            OpenBill(ln.bill_id, ln.period, ln.bill_total, ln.amount, 0, ln.amount)
            for ln in plan.lines
            if str(ln.kind) == "bill"
        )
        self.fee = sum(ln.amount for ln in plan.lines if str(ln.kind) == "reconnection_fee")

    @property
    def needs_approval(self) -> bool:
        user = self.counter.user
        return user is None or not user.can(Permission.PARTIAL_PAYMENT)

    @property
    def oldest(self) -> OpenBill | None:
        return self.bills[0] if self.bills else None

    def plan(self, amount: int | None, tendered: int | None = None) -> tuple[PartialPlan | None, str]:
        """(plan, "") or (None, why not) - the ledger's refusal in the UI language."""
        oldest = self.oldest
        if oldest is None:
            return None, self.tr("Khách hàng không còn hóa đơn nợ.")
        if not amount:
            return None, self.tr("Nhập số tiền khách trả (nghìn đồng).")
        try:
            plan = self.services.preview_partial(self.code, oldest.bill_id, amount, tendered)
        except DomainError as exc:
            text = error_text(exc)
            if exc.code == "ledger.partial_range" and amount > oldest.remaining:
                text += "\n" + self.tr(
                    "Số tiền lớn hơn số còn nợ của hóa đơn cũ nhất: thu trọn hóa đơn đó (F7) rồi thu một "
                    "phần hóa đơn tiếp theo."
                )
            return None, text
        paid = {ln.bill_id: ln.amount for ln in plan.lines if str(ln.kind) == "bill"}
        bills = tuple(
            OpenBill(b.bill_id, b.period, b.total, b.remaining, paid.get(b.bill_id, 0), b.remaining - paid.get(b.bill_id, 0))
            for b in self.bills
        )
        fee = plan.total - sum(paid.values())
        return (
            PartialPlan(
                bills=bills,
                amount=amount,
                fee=fee,
                total=plan.total,
                tendered=plan.tendered,
                change=plan.change,
                remaining_due=sum(b.left for b in bills),
                settles=bills[0].left == 0,
            ),
            "",
        )

    def summary(self, plan: PartialPlan) -> str:
        first = plan.bills[0]
        text = self.tr("Thu {amount} cho hóa đơn {bill} ({period}, hóa đơn cũ nhất)").format(
            amount=format_vnd(plan.amount), bill=first.bill_id, period=first.period
        )
        if plan.settles:
            text += self.tr(": trả hết hóa đơn này.")
        else:
            text += self.tr(": hóa đơn này còn nợ {left}.").format(left=format_vnd(first.left))
        if plan.fee:
            text += "\n" + self.tr("Cộng phí đóng điện {fee}.").format(fee=format_vnd(plan.fee))
        text += "\n" + self.tr("Khách trả {total} — tiền thừa {change}. Còn nợ sau lần thu này: {remaining}.").format(
            total=format_vnd(plan.total), change=format_vnd(plan.change), remaining=format_vnd(plan.remaining_due)
        )
        return text

    def collect(self, amount: int | None, tendered: int | None = None, approval: Any = None) -> tuple[Any, str]:
        """(Payment, "") or (None, why not). The receipt prints on the printer lane (the
        counter controller's path: committed first, then printed)."""
        plan, why = self.plan(amount, tendered)
        if plan is None:
            return None, why
        payment = self.counter.collect(
            tendered=plan.tendered,
            bill_ids=(plan.bills[0].bill_id,),
            partial_amount=plan.amount,
            approval=approval,
            amount_due=plan.total,
        )
        if payment is None:
            return None, self.counter.last_error or self.tr("Không thu được.")
        log.info("partial payment %s: %s %d on %s", payment.receipt_no, self.code, plan.amount, plan.bills[0].bill_id)
        return payment, ""


def bill_columns() -> list[Column[OpenBill]]:
    return [
        Column(QCoreApplication.translate("Partial", "Kỳ"), lambda b: b.period),
        Column(QCoreApplication.translate("Partial", "Mã hóa đơn"), lambda b: b.bill_id),
        Column(QCoreApplication.translate("Partial", "Tổng tiền"), lambda b: b.total, money=True),
        Column(QCoreApplication.translate("Partial", "Còn nợ"), lambda b: b.remaining, money=True),
        Column(QCoreApplication.translate("Partial", "Thu lần này"), lambda b: b.pays, money=True, bold=True),
        Column(QCoreApplication.translate("Partial", "Còn lại"), lambda b: b.left, money=True),
    ]


class PartialPaymentDialog(BaseDialog):
    def __init__(self, controller: PartialPaymentController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.payment = None
        self.plan: PartialPlan | None = None
        self.setObjectName("partial_payment")
        self.setWindowTitle(self.tr("Thu một phần hóa đơn"))
        self.resize(860, 460)
        lay = QVBoxLayout(self)
        customer = controller.counter.lookup.customer
        head = QLabel(self.tr("Khách hàng: {code} — {name}").format(code=customer.code, name=customer.name))
        head.setFont(big_font(13))
        lay.addWidget(head)
        lay.addWidget(QLabel(self.tr(
            "Thu một phần: số tiền trả vào hóa đơn cũ nhất (thu hóa đơn cũ trước hóa đơn mới), "
            "không quá số còn nợ của hóa đơn đó."
        )))
        if controller.needs_approval:
            need = QLabel(self.tr("Thu ngân cần quản lý duyệt để thu một phần."))
            need.setStyleSheet("color: #e65100; font-weight: bold;")
            lay.addWidget(need)
        self.model = RowsModel(bill_columns(), controller.bills, self)
        self.table = make_table(self.model, stretch=1)
        lay.addWidget(self.table, 1)
        form = QFormLayout()
        self.amount = ThousandsEdit()
        self.amount.setObjectName("partial_amount")
        form.addRow(self.tr("Số tiền thu (nghìn đồng)"), self.amount)
        self.tendered = ThousandsEdit()
        self.tendered.setObjectName("partial_tendered")
        self.tendered.setPlaceholderText(self.tr("đủ tiền"))
        form.addRow(self.tr("Khách đưa (nghìn đồng)"), self.tendered)
        lay.addLayout(form)
        self.summary = QLabel()
        self.summary.setObjectName("partial_summary")
        self.summary.setWordWrap(True)
        self.summary.setFont(big_font(12))
        self.summary.setMinimumHeight(self.summary.fontMetrics().lineSpacing() * 4 + 8)  # up to 4 lines
        lay.addWidget(self.summary)
        self.total = BigLabel("", 20)
        lay.addWidget(self.total)
        lay.addWidget(self.error)
        lay.addWidget(buttons(self, self.tr("Thu một phần (Enter)")))
        self.amount.textChanged.connect(self.update_plan)
        self.tendered.textChanged.connect(self.update_plan)
        self.amount.setFocus()
        self.update_plan()

    def update_plan(self) -> None:
        self.plan, why = self.controller.plan(self.amount.amount(), self.tendered.amount())
        if self.plan is None:
            self.model.set_rows(self.controller.bills)
            self.summary.setText("")
            self.total.setText("")
            self.error.setText(why if self.amount.text() else "")
            return
        self.model.set_rows(self.plan.bills)
        self.summary.setText(self.controller.summary(self.plan))
        self.total.setText(self.tr("Thu: {amount}").format(amount=format_vnd(self.plan.total)))
        self.error.setText("")

    def accept(self) -> None:
        plan, why = self.controller.plan(self.amount.amount(), self.tendered.amount())
        if plan is None:
            self.show_error(why)
            return
        approval = None
        if self.controller.needs_approval:
            approval = ask_approval(
                self.controller.services,
                self.controller.counter.user,
                Permission.PARTIAL_PAYMENT.value,
                self.tr("thu một phần {amount} của khách {code}").format(
                    amount=format_vnd(plan.amount), code=self.controller.code
                ),
                self,
                reason=f"partial payment {self.controller.code} {plan.amount}",
            )
            if approval is False:
                self.show_error(self.tr("Chưa được quản lý duyệt: không thu."))
                return
        self.payment, why = self.controller.collect(self.amount.amount(), self.tendered.amount(), approval)
        if self.payment is None:
            self.show_error(why)
            return
        self.plan = plan
        super().accept()


def open_partial_payment(window: Any) -> PartialPaymentDialog | None:
    """F12 on the counter: the dialog for the customer on screen (None when there is none)."""
    counter = window.controller
    if counter.lookup is None or counter.state is None or not counter.state.collectable:
        window.show_message("error", QCoreApplication.translate("Partial", "Không có hóa đơn nợ để thu một phần."))
        return None
    try:
        controller = PartialPaymentController(window.backend, counter, window)
    except DomainError as exc:
        window.alert(error_text(exc))
        return None
    dlg = PartialPaymentDialog(controller, window)
    if dlg.exec() == QDialog.DialogCode.Accepted and dlg.payment is not None and dlg.plan is not None:
        text = QCoreApplication.translate(
            "Partial", "ĐÃ THU MỘT PHẦN {total} — biên nhận {receipt} — TIỀN THỪA {change}\nCÒN NỢ {remaining}"
        ).format(
            total=format_vnd(dlg.payment.total),
            receipt=dlg.payment.receipt_no,
            change=format_vnd(dlg.payment.change),
            remaining=format_vnd(dlg.plan.remaining_due),
        )
        window.view.banner.show_state("collected", text)
    return dlg
