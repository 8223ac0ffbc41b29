"""The counter screen: scan -> customer and bills -> confirm -> collect -> receipt prints.

:class:`CounterController` (no widgets) holds the state of the customer at the counter and calls
the services; ``counter_view.CounterView`` paints it and reads the tendered amount. Receipts print
on the printer's own thread (``TaskRunner.submit`` to the print service's queue); the payment is
committed before printing starts, so a printer failure never loses a payment (the receipt is
marked unprinted and can be reprinted with F5).
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal

from cashier.core.customer_code import CodePolicy, parse_scanned
from cashier.core.debt import BillStatus, Lookup
from cashier.core.errors import DomainError
from cashier.core.money import format_vnd
from cashier.ui import tasks
from cashier.ui.i18n import error_text

log = logging.getLogger(__name__)

CONFIRM_SCAN, CONFIRM_ENTER, CONFIRM_BOTH = "scan", "enter", "both"


@dataclass
class CustomerState:
    """What the banner says about the customer on screen."""

    kind: str  # unpaid | paid_elsewhere | collected | disconnected | nothing
    collectable: bool
    due: int
    fee: int = 0


def classify(lookup: Lookup, plan: Any | None) -> CustomerState:
    """The banner's state from the lookup and the ledger's preview of collecting everything
    (``plan``: a PaymentPlan, or None when the ledger would refuse: nothing left to collect)."""
    if plan is not None and plan.total > 0:
        fee = sum(ln.amount for ln in plan.lines if str(ln.kind) == "reconnection_fee")
        kind = "disconnected" if fee else "unpaid"
        return CustomerState(kind, True, plan.total, fee)
    statuses = {b.status for b in lookup.bills}
    if BillStatus.COLLECTED in statuses or BillStatus.CLEARED in statuses:
        return CustomerState("collected", False, 0)
    if BillStatus.PAID_ELSEWHERE in statuses:
        return CustomerState("paid_elsewhere", False, 0)
    return CustomerState("nothing", False, 0)


class CounterController(QObject):
    """State of the counter; every action goes through the services (no widgets here)."""

    #: the customer on screen changed (Lookup or None, CustomerState or None)
    customer_changed = Signal(object, object)
    #: (kind, text): kind is one of the Banner kinds
    banner = Signal(str, str)
    #: ("good"|"error"|"info", text) for the status bar / feedback
    notice = Signal(str, str)
    #: a payment was committed (Payment)
    collected = Signal(object)
    #: printing state of a receipt: (receipt_no, state) with state printing|printed|failed
    print_state = Signal(str, str)
    #: payments of the current shift changed
    payments_changed = Signal()
    #: the customer and bills are painted (for the benchmark: seconds since the scan)
    painted = Signal(float)

    def __init__(self, services: Any, runner: tasks.TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.runner = runner
        self.policy = CodePolicy()
        self.confirm_rule = CONFIRM_BOTH
        self.user: Any = None
        self.shift: Any = None
        self.lookup: Lookup | None = None
        self.state: CustomerState | None = None
        self.last_payment: Any = None
        self.printing: set[str] = set()
        self._key: str | None = None
        self._scan_time = 0.0
        #: reads the tendered field (set by the window): None = exact money
        self.tendered_provider: Any = None
        #: the last refusal shown (dialogs that call collect show it in their own error line)
        self.last_error = ""
        self.notice.connect(self._remember_error)

    def _remember_error(self, kind: str, text: str) -> None:
        if kind == "error":
            self.last_error = text

    # -- session ---------------------------------------------------------------------------
    def set_session(self, user: Any, shift: Any) -> None:
        self.user, self.shift = user, shift

    # -- scanning and lookup ---------------------------------------------------------------
    def handle_scan(self, raw: str, t0: float | None = None) -> None:
        """A code from the scanner (or typed and confirmed): a customer code (IME mangling
        repaired by the cache) or a card code."""
        self._scan_time = t0 if t0 is not None else time.perf_counter()
        try:
            lookup = self.services.lookup(raw)
        except DomainError as exc:
            self.clear(paint=False)
            self.customer_changed.emit(None, None)
            self.notice.emit("error", exc.text(_lang()))
            self.banner.emit("error", exc.text(_lang()))
            return
        except Exception as exc:  # noqa: BLE001
            log.exception("lookup %r", raw)
            self.notice.emit("error", error_text(exc))
            self.banner.emit("error", error_text(exc))
            return
        code = lookup.customer.code
        if (
            self.lookup is not None
            and self.lookup.customer.code == code
            and self.state is not None
            and self.state.collectable
            and self.confirm_rule in (CONFIRM_SCAN, CONFIRM_BOTH)
        ):
            self.confirm()
            return
        note = ""
        try:
            parsed = parse_scanned(raw, self.policy)
            if parsed.repaired:
                note = self.tr("(đã sửa lỗi bộ gõ từ \"{raw}\")").format(raw=parsed.original)
        except DomainError:
            note = self.tr("(thẻ {card})").format(card=raw.strip())
        self.show_customer(code, lookup=lookup, note=note)

    def show_customer(self, code: str, *, lookup: Lookup | None = None, note: str = "") -> bool:
        if lookup is None:
            try:
                lookup = self.services.lookup(code)
            except DomainError as exc:
                self.clear(paint=False)
                self.customer_changed.emit(None, None)
                self.banner.emit("error", exc.text(_lang()))
                self.notice.emit("error", exc.text(_lang()))
                return False
            except Exception as exc:  # noqa: BLE001
                log.exception("lookup %s", code)
                self.banner.emit("error", error_text(exc))
                self.notice.emit("error", error_text(exc))
                return False
        self.lookup = lookup
        self.state = classify(lookup, self._preview(code))
        self._key = uuid.uuid4().hex
        self.customer_changed.emit(lookup, self.state)
        self.banner.emit(self.state.kind, self.banner_text(lookup, self.state))
        text = self.tr("Đã quét: {code}").format(code=code)
        if note:
            text += " " + note
        self.notice.emit("good" if self.state.collectable else "error", text)
        self.painted.emit(time.perf_counter() - self._scan_time)
        log.info("shown %s: %s, %d unpaid bills, due %d", code, self.state.kind, len(lookup.unpaid), self.state.due)
        return True

    def _preview(self, code: str) -> Any:
        """What collecting everything would take (bills + reconnection fee when due), or None."""
        try:
            return self.services.preview(code)
        except DomainError:
            return None

    def refresh(self) -> None:
        if self.lookup is not None:
            code = self.lookup.customer.code
            key = self._key
            self.show_customer(code)
            if self.state is not None and self.state.collectable:
                self._key = key

    def clear(self, paint: bool = True) -> None:
        self.lookup = None
        self.state = None
        self._key = None
        if paint:
            self.customer_changed.emit(None, None)
            self.banner.emit("idle", self.idle_text())

    def repaint_banner(self) -> None:
        """The banner again for the session as it is now (logged in, shift open or not)."""
        if self.lookup is None or self.state is None:
            self.banner.emit("idle", self.idle_text())
        else:
            self.banner.emit(self.state.kind, self.banner_text(self.lookup, self.state))

    def idle_text(self) -> str:
        if self.user is None:
            return self.tr("Chưa đăng nhập — bấm F9 để đăng nhập và mở ca (quét thẻ chỉ để xem)")
        if self.shift is None:
            return self.tr("Chưa mở ca — bấm F9 → Mở ca để thu tiền (quét thẻ chỉ để xem)")
        return self.tr("Sẵn sàng — quét thẻ khách hàng (hoặc F3 để tìm)")

    def banner_text(self, lookup: Lookup, st: CustomerState) -> str:
        n = len(lookup.unpaid)
        if st.kind == "unpaid":
            return self.tr("CÒN NỢ {n} hóa đơn — Tổng phải thu {amount}").format(
                n=n, amount=format_vnd(st.due)
            ) + "\n" + self._confirm_hint()
        if st.kind == "disconnected":
            return self.tr(
                "ĐANG CẮT ĐIỆN — thu thêm phí đóng điện {fee}; tổng phải thu {amount}"
            ).format(fee=format_vnd(st.fee), amount=format_vnd(st.due)) + "\n" + self._confirm_hint()
        if st.kind == "collected":
            receipts = sorted({b.receipt for b in lookup.bills if b.receipt})
            text = self.tr("ĐÃ THU TẠI QUẦY — biên nhận {receipts}. Không thu lại (F5: in lại).").format(
                receipts=", ".join(receipts) or "?"
            )
            if any(b.double_collection for b in lookup.bills):
                text += "\n" + self.tr("CMIS báo khách cũng đã trả nơi khác: có thể thu trùng — báo quản lý.")
            return text
        if st.kind == "paid_elsewhere":
            return self.tr(
                "ĐÃ THANH TOÁN NƠI KHÁC (ngân hàng/ví điện tử) sau lần lấy dữ liệu — KHÔNG THU. "
                "Nếu khách có chứng từ, hướng dẫn khách giữ lại."
            )
        return self.tr("Khách hàng không còn nợ.")

    def _confirm_hint(self) -> str:
        if self.user is None or self.shift is None:
            return self.tr("Chưa mở ca: bấm F9 để mở ca rồi mới thu tiền")
        if self.confirm_rule == CONFIRM_SCAN:
            return self.tr("Quét lại thẻ để thu đủ tiền")
        if self.confirm_rule == CONFIRM_ENTER:
            return self.tr("Bấm Enter (hoặc F2) để thu đủ tiền")
        return self.tr("Quét lại thẻ hoặc bấm Enter để thu đủ tiền")

    # -- collecting ------------------------------------------------------------------------
    def confirm(self, tendered: int | None = None) -> Any:
        """Collect every unpaid bill (and the fee) of the customer on screen, with the amount
        typed in the tendered field when there is one (else exact money)."""
        if tendered is None and self.tendered_provider is not None:
            try:
                tendered = self.tendered_provider()
            except ValueError:
                tendered = None
        return self.collect(tendered=tendered)

    def collect(
        self,
        *,
        tendered: int | None = None,
        bill_ids: tuple[str, ...] | None = None,
        method: str = "cash",
        bank_ref: str = "",
        amount_due: int | None = None,
        partial_amount: int | None = None,
        approval: Any = None,
        transfer_amount: int = 0,
    ) -> Any:
        lookup, st = self.lookup, self.state
        self.last_error = ""
        if lookup is None or st is None:
            self.notice.emit("error", self.tr("Chưa có khách hàng: quét thẻ trước."))
            return None
        if not st.collectable:
            text = self.banner_text(lookup, st)
            self.notice.emit("error", text)
            return None
        if self.shift is None:
            self.notice.emit("error", self.tr("Chưa mở ca: bấm F9 để mở ca."))
            return None
        due = amount_due if amount_due is not None else st.due
        if tendered is None:
            tendered = due
        try:
            payment = self.services.collect_payment(
                user=self.user,
                customer_code=lookup.customer.code,
                tendered=tendered,
                bill_ids=bill_ids,
                method=method,
                bank_ref=bank_ref,
                idempotency_key=self._key,
                **({"partial_amount": partial_amount, "approval": approval} if partial_amount is not None else {}),
                **({"transfer_amount": transfer_amount} if transfer_amount else {}),
            )
        except DomainError as exc:
            self.notice.emit("error", exc.text(_lang()))
            self.banner.emit("error", exc.text(_lang()))
            return None
        except Exception as exc:  # noqa: BLE001
            log.exception("collect")
            self.notice.emit("error", error_text(exc))
            return None
        self.last_payment = payment
        log.info("collected %s: %s %d (%s)", payment.receipt_no, payment.customer.code, payment.total, payment.method)
        # repaint from the database: the bills now show as collected here
        self.lookup = self.services.lookup(lookup.customer.code)
        self.state = classify(self.lookup, self._preview(lookup.customer.code))
        # bills still open (some were selected): the next attempt is a new payment
        self._key = uuid.uuid4().hex if self.state.collectable else None
        self.customer_changed.emit(self.lookup, self.state)
        self.collected.emit(payment)  # after the repaint: the change stays on screen
        self.payments_changed.emit()
        text = self.tr("ĐÃ THU {total} — biên nhận {receipt} — TIỀN THỪA {change}").format(
            total=format_vnd(payment.total), receipt=payment.receipt_no, change=format_vnd(payment.change)
        )
        self.banner.emit("collected", text)
        self.notice.emit("good", text)
        self.print_receipt(payment)
        return payment

    # -- printing --------------------------------------------------------------------------
    def print_receipt(self, payment: Any, *, reprint: bool = False) -> tasks.TaskHandle:
        receipt = payment.receipt_no
        self.printing.add(receipt)
        self.print_state.emit(receipt, "printing")
        printing = self.services

        def ok(_result: Any) -> None:
            self.printing.discard(receipt)
            self.print_state.emit(receipt, "printed")
            self.notice.emit("info", self.tr("Đã in biên nhận {receipt}").format(receipt=receipt))
            self.payments_changed.emit()

        def failed(exc: BaseException) -> None:
            self.printing.discard(receipt)
            try:  # the print service marks a failed job; this covers a printer that never started
                self.services.record_print(receipt, False)
            except Exception:  # noqa: BLE001
                log.exception("record_print %s", receipt)
            self.print_state.emit(receipt, "failed")
            text = self.tr(
                "Máy in lỗi: {error}. Tiền đã thu và đã lưu (biên nhận {receipt}); "
                "kiểm tra máy in rồi bấm F5 để in lại."
            ).format(error=error_text(exc), receipt=receipt)
            self.banner.emit("error", text)  # the cashier must see it, not only the status bar
            self.notice.emit("error", text)
            self.payments_changed.emit()

        # queued once, on the printer's own thread (the print service's queue); nothing waits
        return self.runner.submit(
            lambda done: printing.print_payment(payment, done), ok, failed, name=f"print {receipt}"
        )


def _lang() -> str:
    from cashier.ui.i18n import current_language

    return current_language()
