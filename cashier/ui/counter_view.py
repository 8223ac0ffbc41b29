"""The counter screen's body (the widgets): banner, customer, bills, amounts, recent receipts.

:class:`CounterView` paints what ``counter.CounterController`` holds and reads the tendered amount
the cashier types (thousands of đồng); it calls no service.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from cashier.core.debt import Lookup
from cashier.core.money import format_vnd
from cashier.ui.counter import CounterController, CustomerState
from cashier.ui.models import BillsModel, FeeRow, PaymentsModel
from cashier.ui.widgets import Banner, BigLabel, ThousandsEdit, big_font, field_label, make_table


class CounterView(QWidget):
    """The main screen's body: banner, customer, bills, amounts, recent receipts."""

    def __init__(self, controller: CounterController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("counter")
        self.controller = controller
        self.tendered_value: int | None = None
        root = QVBoxLayout(self)
        root.setContentsMargins(8, 6, 8, 4)
        root.setSpacing(6)

        self.banner = Banner()
        root.addWidget(self.banner)

        top = QHBoxLayout()
        root.addLayout(top, 0)

        # customer panel
        cust_box = QGroupBox(self.tr("Khách hàng"))
        form = QFormLayout(cust_box)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.code_label = QLabel("—")
        self.code_label.setFont(big_font(20))
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # a customer code is never cut (13 characters in large type, even at 1024 pixels)
        self.code_label.setMinimumWidth(self.code_label.fontMetrics().horizontalAdvance("PC12AA0004762W") + 4)
        self.name_label = QLabel("—")
        self.name_label.setFont(big_font(16))
        self.name_label.setWordWrap(True)
        self.address_label = QLabel("—")
        self.address_label.setWordWrap(True)
        self.phone_label = QLabel("—")
        self.book_label = QLabel("—")
        for lbl in (self.address_label, self.phone_label, self.book_label):
            lbl.setFont(big_font(12, bold=False))
        form.addRow(field_label(self.tr("Mã KH")), self.code_label)
        form.addRow(field_label(self.tr("Tên")), self.name_label)
        form.addRow(field_label(self.tr("Địa chỉ")), self.address_label)
        form.addRow(field_label(self.tr("Điện thoại")), self.phone_label)
        form.addRow(field_label(self.tr("Sổ GCS / STT")), self.book_label)
        cust_box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        top.addWidget(cust_box, 3)

        # money panel
        money = QGroupBox(self.tr("Thanh toán"))
        grid = QGridLayout(money)
        grid.addWidget(field_label(self.tr("TỔNG PHẢI THU")), 0, 0)
        self.total_label = BigLabel("0 đ", 30)
        self.total_label.setStyleSheet("color: #b00020;")
        grid.addWidget(self.total_label, 0, 1)
        grid.addWidget(field_label(self.tr("KHÁCH ĐƯA")), 1, 0)
        # typed in thousands of đồng, whatever the length: the field ends in ".000 đ"
        self.tendered_edit = ThousandsEdit()
        self.tendered_edit.setObjectName("tendered")
        self.tendered_edit.setFont(big_font(20))
        self.tendered_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.tendered_edit.setPlaceholderText(self.tr("trống = đủ tiền"))
        self.tendered_edit.setToolTip(
            self.tr("Gõ số nghìn đồng khách đưa: 500 = 500.000 đ, 2000 = 2.000.000 đ; để trống = đủ tiền")
        )
        self.tendered_edit.textChanged.connect(self._update_change)
        tendered_row = QHBoxLayout()
        tendered_row.setSpacing(2)
        tendered_row.addWidget(self.tendered_edit, 1)
        thousands = QLabel(".000 đ")
        thousands.setFont(big_font(20))
        tendered_row.addWidget(thousands)
        grid.addLayout(tendered_row, 1, 1)
        #: the amount as understood, in full ("Khách đưa 2.000.000 đ"), updated at each key
        self.tendered_note = QLabel()
        self.tendered_note.setObjectName("tendered_note")
        self.tendered_note.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.tendered_note.setStyleSheet("color: #37474f;")
        grid.addWidget(self.tendered_note, 2, 0, 1, 2)
        quick = QHBoxLayout()
        self.quick_buttons: list[QPushButton] = []
        for key, label, value in (
            ("Alt+1", self.tr("Đủ tiền"), 0),
            ("Alt+2", "+100.000", 100_000),
            ("Alt+3", "+200.000", 200_000),
            ("Alt+4", "+500.000", 500_000),
        ):
            btn = QPushButton(f"{label}\n{key}")
            btn.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            btn.setShortcut(key)
            btn.setMinimumHeight(40)
            btn.clicked.connect(lambda _=False, v=value: self.quick_tender(v))
            quick.addWidget(btn)
            self.quick_buttons.append(btn)
        grid.addLayout(quick, 3, 0, 1, 2)
        grid.addWidget(field_label(self.tr("TIỀN THỪA")), 4, 0)
        self.change_label = BigLabel("0 đ", 26)
        self.change_label.setStyleSheet("color: #1b5e20;")
        grid.addWidget(self.change_label, 4, 1)
        grid.setColumnStretch(1, 1)
        top.addWidget(money, 2)

        # bills
        self.bills_model = BillsModel(self)
        self.bills_view = make_table(self.bills_model, stretch=6)
        self.bills_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.bills_view.setMinimumHeight(116)
        root.addWidget(self.bills_view, 2)

        # receipts of the shift
        sep = QFrame()
        sep.setFrameShape(QFrame.Shape.HLine)
        root.addWidget(sep)
        root.addWidget(field_label(self.tr("Biên nhận trong ca (mới nhất ở trên)")))
        self.payments_model = PaymentsModel(self)
        self.payments_view = make_table(self.payments_model, stretch=3)
        self.payments_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.payments_view.setMinimumHeight(88)
        root.addWidget(self.payments_view, 1)

        controller.customer_changed.connect(self.paint_customer)
        controller.banner.connect(self.banner.show_state)
        controller.collected.connect(self._on_collected)

    # -- painting --------------------------------------------------------------------------
    def paint_customer(self, lookup: Lookup | None, state: CustomerState | None) -> None:
        if lookup is None:
            for lbl in (self.code_label, self.name_label, self.address_label, self.phone_label, self.book_label):
                lbl.setText("—")
            self.bills_model.set_rows([])
            self.total_label.setText(format_vnd(0))
            self.tendered_edit.clear()
            self._update_change()
            return
        c = lookup.customer
        self.code_label.setText(c.code)
        self.name_label.setText(c.name)
        self.address_label.setText(c.address or "—")
        self.phone_label.setText(c.phone or "—")
        self.book_label.setText(" / ".join(x for x in (c.book, c.book_pos) if x) or "—")
        fee: list[Any] = [FeeRow(state.fee)] if state is not None and state.collectable and state.fee else []
        self.bills_model.set_rows([*lookup.bills, *fee])  # the fee is a row of what is due
        due = state.due if state is not None else 0
        self.total_label.setText(format_vnd(due))
        if state is not None and state.collectable:
            self.tendered_edit.clear()
            self.tendered_edit.setFocus()
        self._update_change()

    def _on_collected(self, payment: Any) -> None:
        self.tendered_edit.clear()
        self.change_label.setText(format_vnd(payment.change))
        self.total_label.setText(format_vnd(payment.total))

    # -- tendered --------------------------------------------------------------------------
    def due(self) -> int:
        st = self.controller.state
        return st.due if st is not None and st.collectable else 0

    def tendered(self) -> int | None:
        """The amount the customer handed over in đồng; None = exact. Typed in thousands."""
        return self.tendered_edit.amount()

    def quick_tender(self, value: int) -> None:
        if value == 0:
            self.tendered_edit.clear()  # exact money
        else:
            self.tendered_edit.set_amount((self.tendered() or 0) + value)

    def _update_change(self) -> None:
        due = self.due()
        tendered = self.tendered()
        if tendered is None:
            self.tendered_note.setText(
                self.tr("Khách đưa đủ tiền: {amount}").format(amount=format_vnd(due)) if due else ""
            )
        else:
            self.tendered_note.setText(self.tr("Khách đưa {amount}").format(amount=format_vnd(tendered)))
        if tendered is None or not due:
            self.change_label.setText(format_vnd(0))
            self.change_label.setStyleSheet("color: #1b5e20;")
            return
        change = tendered - due
        if change < 0:
            self.change_label.setText(self.tr("THIẾU {amount}").format(amount=format_vnd(-change)))
            self.change_label.setStyleSheet("color: #b00020;")
        else:
            self.change_label.setText(format_vnd(change))
            self.change_label.setStyleSheet("color: #1b5e20;")

    def set_payments(self, payments: list) -> None:
        self.payments_model.set_rows(list(reversed(payments)))
