"""The counter window's receipt flows: F4 bill notice (printed on the printer's thread), F5
reprint and F6 void (manager approval in the dialogs: ``dialogs/receipts.py``), and which receipt
they propose. The base class of ``main_window.MainWindow``; its strings are in the MainWindow
translation context.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QMainWindow

from cashier.core.money import format_vnd
from cashier.ui import actions, tasks
from cashier.ui.dialogs.receipts import ReprintDialog, VoidDialog
from cashier.ui.i18n import error_text


class ReceiptFlows(QMainWindow):
    """F4, F5, F6 of the counter window; ``main_window.MainWindow`` provides what is declared
    here."""

    backend: Any
    runner: tasks.TaskRunner
    controller: Any
    view: Any
    show_message: Callable[[str, str], None]
    alert: Callable[[str], None]
    set_printer_state: Callable[..., None]
    refresh_payments: Callable[[], None]
    _on_notice: Callable[[str, str], None]

    @actions.checked
    def print_notice(self) -> None:
        lookup = self.controller.lookup
        if lookup is None:
            self.show_message("error", QCoreApplication.translate("MainWindow", "Chưa có khách hàng để in thông báo."))
            return
        user = self.controller.user

        def printed(_result: Any) -> None:
            self.set_printer_state("ok")
            self.show_message("good", QCoreApplication.translate("MainWindow", "Đã in giấy báo tiền điện."))

        def failed(exc: BaseException) -> None:
            self.set_printer_state("error")
            self.alert(error_text(exc))

        self.set_printer_state("printing")
        self.runner.submit(
            lambda done: self.backend.print_notice(lookup.customer.code, user, done), printed, failed, name="notice"
        )

    def _selected_receipt(self) -> str:
        view = self.view.payments_view
        idx = view.currentIndex()
        model = self.view.payments_model
        if idx.isValid():
            return model.row(idx.row()).receipt_no
        if model.rowCount():
            return model.row(0).receipt_no
        last = self.controller.last_payment
        return last.receipt_no if last is not None else ""

    @actions.checked
    def reprint(self) -> None:
        dlg = ReprintDialog(self.backend, self.controller.user, self._selected_receipt(), self)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.payment is not None:
            self.controller.print_receipt(dlg.payment, reprint=True)
            self.refresh_payments()

    def _void_prefill(self) -> str:
        """The receipt F6 proposes: the customer on screen's own receipt when they have one,
        else the receipt selected in the shift's list (else the newest)."""
        lookup = self.controller.lookup
        if lookup is not None:
            own = sorted({b.receipt for b in lookup.bills if b.receipt})
            if own:
                return own[-1]
        return self._selected_receipt()

    @actions.checked
    def void(self) -> None:
        dlg = VoidDialog(self.backend, self.controller.user, self.controller.shift, self._void_prefill(), self)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.result_void is not None:
            p = dlg.payment
            text = QCoreApplication.translate("MainWindow", "Đã hủy biên nhận {receipt} — {code} {name} — {amount}: các hóa đơn trở lại còn nợ.").format(
                receipt=dlg.result_void.receipt_no,
                code=p.customer.code if p is not None else "",
                name=p.customer.name if p is not None else "",
                amount=format_vnd(p.total) if p is not None else "",
            )
            self.refresh_payments()
            self.controller.refresh()
            self._on_notice("good", text)
            self.view.banner.show_state("busy", text)  # said where the cashier looks
