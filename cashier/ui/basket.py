"""Basket mode in the window (Shift+F2 "Thu gộp"): one payer, several customers.

Scan the cards one after another into the basket (name, code, amount), remove a line with
Delete, type KHÁCH ĐƯA once, read TIỀN THỪA, confirm: every customer's payment is committed in
one transaction (``CollectService.collect_basket``), then one receipt per customer prints on the
counter's print path. The rules are the ledger's (``core/basket.py``), shown, never re-implemented:

* a customer already in the basket is refused (said in Vietnamese, not added);
* a customer with nothing to collect (already collected here, paid elsewhere) is refused with
  the counter's own banner text;
* the whole basket is refused when anything changed since a scan (nothing is collected).

:class:`BasketController` has no widgets (tests drive it directly); :class:`BasketDialog`
paints it.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cashier.core.basket import Basket, BasketResult
from cashier.core.errors import DomainError
from cashier.core.money import format_vnd
from cashier.ui.counter import classify
from cashier.ui.customer_display_pages import BasketLine
from cashier.ui.dialogs.base import BaseDialog, buttons
from cashier.ui.i18n import error_text
from cashier.ui.widgets import BigLabel, ThousandsEdit, big_font

log = logging.getLogger(__name__)


class BasketController(QObject):
    """``services``: the Backend; ``counter``: the CounterController (user, shift, printing)."""

    def __init__(self, services: Any, counter: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.counter = counter
        self.basket = Basket()
        self.result: BasketResult | None = None
        self._key = uuid.uuid4().hex  # a double Enter never pays the basket twice

    # -- filling the basket ------------------------------------------------------------------
    def scan(self, raw: str) -> tuple[bool, str]:
        """A card scanned or a code typed: (added, what to say)."""
        raw = (raw or "").strip()
        if not raw:
            return False, self.tr("Quét thẻ hoặc nhập mã khách hàng.")
        try:
            lookup = self.services.lookup(raw)  # a customer code or a card code
        except DomainError as exc:
            return False, error_text(exc)
        code = lookup.customer.code
        pos = self.basket.position(code)
        if pos is not None:
            return False, self.tr("Khách hàng {code} đã có trong giỏ (dòng {line}): không thêm lần nữa.").format(
                code=code, line=pos
            )
        try:
            entry = self.services.preview_basket_entry(code)
        except DomainError:  # nothing to collect: the counter's own words (collected, paid elsewhere)
            state = classify(lookup, None)
            return False, self.tr("{code}: {why}").format(code=code, why=self.counter.banner_text(lookup, state))
        try:
            self.basket = self.basket.add(entry)
        except DomainError as exc:
            return False, error_text(exc)
        self._key = uuid.uuid4().hex
        return True, self.tr("Đã thêm {name} ({code}): {amount}").format(
            name=entry.name, code=code, amount=format_vnd(entry.amount)
        )

    def remove(self, code: str) -> None:
        self.basket = self.basket.remove(code)
        self._key = uuid.uuid4().hex

    @property
    def total(self) -> int:
        return self.basket.total

    def change(self, tendered: int | None) -> tuple[int | None, str]:
        """(change, "") or (None, why not); ``tendered`` None = exact money."""
        if len(self.basket) < 2:
            return None, self.tr("Quét ít nhất 2 thẻ khách hàng để thu gộp.")
        try:
            return self.basket.change(self.total if tendered is None else tendered, self.max_change), ""
        except DomainError as exc:
            return None, error_text(exc)

    @property
    def max_change(self) -> int:
        return int(self.services.max_change())

    # -- collecting --------------------------------------------------------------------------
    def collect(self, tendered: int | None) -> tuple[BasketResult | None, str]:
        """(result, "") or (None, why not). Committed first (all or nothing), then each receipt
        goes to the printer (a printer failure never loses a payment: F5 reprints)."""
        counter = self.counter
        if counter.user is None or counter.shift is None:
            return None, self.tr("Chưa mở ca: bấm F9 để mở ca.")
        _, why = self.change(tendered)
        if why:
            return None, why
        try:
            result = self.services.collect_basket(
                user=counter.user, entries=self.basket.entries,
                tendered=self.total if tendered is None else tendered, idempotency_key=self._key,
            )  # fmt: skip
        except DomainError as exc:
            return None, error_text(exc)
        except Exception as exc:  # noqa: BLE001
            log.exception("collect basket")
            return None, error_text(exc)
        self.result = result
        b = result.basket
        log.info("basket %s: %d customers, total %d, tendered %d, change %d", b.code, b.size, b.total,
                 b.tendered, b.change)
        for p in result.payments:
            counter.print_receipt(p)
        counter.last_payment = result.payments[-1]
        counter.payments_changed.emit()
        counter.refresh()  # the customer on screen may be one of the basket's
        return result, ""

    def summary(self, result: BasketResult) -> str:
        b = result.basket
        return self.tr("ĐÃ THU GỘP {n} khách {total} — giỏ {code} — TIỀN THỪA {change}").format(
            n=b.size, total=format_vnd(b.total), code=b.code, change=format_vnd(b.change)
        )


class _CodeEdit(QLineEdit):
    """The code field: Enter adds the customer typed, it never confirms the basket."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()


class BasketDialog(BaseDialog):
    def __init__(self, controller: BasketController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.outcome: BasketResult | None = None
        self.setObjectName("basket")
        self.setWindowTitle(self.tr("Thu gộp: một người trả cho nhiều khách hàng"))
        self.resize(760, 560)
        lay = QVBoxLayout(self)
        self.code = _CodeEdit()
        self.code.setObjectName("basket_code")
        self.code.setPlaceholderText(self.tr("Quét thẻ hoặc nhập mã khách hàng rồi Enter"))
        self.code.returnPressed.connect(self._scan_typed)
        lay.addWidget(self.code)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("basket_lines")
        self.table.setHorizontalHeaderLabels([self.tr("STT"), self.tr("Mã KH"), self.tr("Tên khách hàng"),
                                              self.tr("Số tiền")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        lay.addWidget(self.table)
        row = QHBoxLayout()
        self.remove_button = QPushButton(self.tr("Bỏ dòng đã chọn (Delete)"))
        self.remove_button.setObjectName("basket_remove")
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self.remove_selected)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        self.total = BigLabel("", 20)
        self.total.setObjectName("basket_total")
        row.addWidget(self.total)
        lay.addLayout(row)
        form = QFormLayout()
        self.tendered = ThousandsEdit()
        self.tendered.setObjectName("basket_tendered")
        self.tendered.setPlaceholderText(self.tr("đủ tiền"))
        form.addRow(self.tr("KHÁCH ĐƯA (nghìn đồng)"), self.tendered)
        self.change = BigLabel("", 20)
        self.change.setObjectName("basket_change")
        form.addRow(self.tr("TIỀN THỪA"), self.change)
        lay.addLayout(form)
        self.notice = QLabel()
        self.notice.setObjectName("basket_notice")
        self.notice.setWordWrap(True)
        self.notice.setFont(big_font(12))
        lay.addWidget(self.notice)
        lay.addWidget(self.error)
        lay.addWidget(buttons(self, self.tr("Thu gộp (Ctrl+Enter)")))
        confirm = QAction(self)
        confirm.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        confirm.triggered.connect(self.accept)
        self.addAction(confirm)
        delete = QAction(self)
        delete.setShortcut(QKeySequence(Qt.Key.Key_Delete))
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(self.remove_selected)
        self.table.addAction(delete)
        self.tendered.textChanged.connect(self.update_change)
        #: the customer's screen follows the basket (the counter window's, when there is one)
        self.display = getattr(parent, "customer_display", None)
        # keyboard only: Tab from the code field to KHÁCH ĐƯA, then the lines (Delete removes)
        QWidget.setTabOrder(self.code, self.tendered)
        QWidget.setTabOrder(self.tendered, self.table)
        QWidget.setTabOrder(self.table, self.remove_button)
        self.code.setFocus()
        self.repaint_lines()

    # -- scans -------------------------------------------------------------------------------
    def accept_scan(self, raw: str) -> bool:
        """The window routes a scan here while the dialog is open: it fills the basket."""
        self.add(raw)
        return True

    def _scan_typed(self) -> None:
        self.add(self.code.text())
        self.code.clear()

    def add(self, raw: str) -> bool:
        added, text = self.controller.scan(raw)
        if added:
            self.notice.setText(text)
            self.error.setText("")
            self.repaint_lines()
        else:
            self.show_error(text)
        return added

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for r in rows:
            item = self.table.item(r, 1)
            if item is not None:
                self.controller.remove(item.text())
        if rows:
            self.repaint_lines()

    # -- painting ----------------------------------------------------------------------------
    def repaint_lines(self) -> None:
        entries = self.controller.basket.entries
        self.table.setRowCount(len(entries))
        for r, e in enumerate(entries):
            cells = (str(r + 1), e.customer_code, e.name, format_vnd(e.amount))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        for c in (0, 1, 3):  # number, code, amount: whole; the name takes the rest
            self.table.resizeColumnToContents(c)
        self.total.setText(self.tr("Tổng {n} khách: {amount}").format(
            n=len(entries), amount=format_vnd(self.controller.total)))
        self.update_change()

    def update_change(self) -> None:
        change, why = self.controller.change(self.tendered.amount())
        self.change.setText(format_vnd(change) if change is not None else "—")
        if why and len(self.controller.basket) >= 2:
            self.error.setText(why)
        elif not why:
            self.error.setText("")
        if self.display is not None:
            lines = [BasketLine(e.customer_code, e.name, e.amount) for e in self.controller.basket.entries]
            self.display.show_basket(lines, self.tendered.amount())

    def accept(self) -> None:
        self.outcome, why = self.controller.collect(self.tendered.amount())
        if self.outcome is None:
            self.show_error(why)
            return
        if self.display is not None:
            self.display.show_basket_paid(self.outcome)
        super().accept()

    def done(self, result: int) -> None:
        if self.display is not None:
            self.display.basket_closed()  # cancelled: the counter's customer again
        super().done(result)


def open_basket(window: Any) -> BasketDialog | None:
    """Shift+F2: the basket dialog (None without an open shift)."""
    controller = BasketController(window.backend, window.controller, window)
    dlg = BasketDialog(controller, window)
    dlg.exec()
    if dlg.outcome is not None:
        text = controller.summary(dlg.outcome)
        window.view.banner.show_state("collected", text)
        window.show_message("good", text)
    return dlg
