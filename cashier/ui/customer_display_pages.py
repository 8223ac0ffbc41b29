"""Pieces of the customer display (:mod:`cashier.ui.customer_display`): its label style and the
transfer page (the VietQR code; for a split payment also the total, the cash part, the cash
handed over and the change) and the basket page (one payer, several customers: each customer
with its amount, the total, what was handed over and the change; once paid each receipt number)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from cashier.core.money import format_vnd
from cashier.ui.qr_view import QrView

#: font pixel sizes at 800x480, scaled with the window
ROLE_PX = {
    "header": 22, "sub": 18, "hello": 56, "text": 24, "name": 30, "label": 26, "amount": 52, "small": 18,
    "line": 20, "sum": 32,
}  # fmt: skip
#: roles painted in the regular (not bold) weight
LIGHT_ROLES = ("sub", "small", "text", "line")
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
#: basket lines shown at once (the most recent scans; the rest are counted)
BASKET_LINES = 4
GREEN, RED, PALE = "#9ef01a", "#ff8fa3", "#e0e7ef"


#: the letters whose stacked marks rise highest above a font's ascent
TALLEST = "ỀẪỖỮẰẲ"


def marks_room(font: QFont) -> int:
    """Pixels to leave above a line of ``font`` so that the marks stacked on Vietnamese capitals
    (Ề, Ẫ) are not cut off by the label's top edge (they rise above the font's ascent)."""
    fm = QFontMetrics(font)
    return max(0, -fm.tightBoundingRect(TALLEST).top() - fm.ascent() + 1)


def show(lbl: QLabel, text: str) -> None:
    """``text`` on ``lbl``; an empty label takes no room on the page."""
    lbl.setText(text)
    lbl.setVisible(bool(text))


def label(role: str, colour: str = "#ffffff", align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter) -> QLabel:
    lbl = QLabel()
    lbl.setProperty("role", role)
    lbl.setAlignment(align)
    lbl.setWordWrap(True)
    lbl.setStyleSheet(f"color: {colour};")
    return lbl


class TransferPage(QWidget):
    """The VietQR code on the left; on the right the amount to transfer (F8) or the split."""

    def __init__(self, encode: Callable[[str], list[list[bool]]]) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        self.qr = QrView(encode)
        row.addWidget(self.qr, 5)
        info = QVBoxLayout()
        self.split_total = label("text", "#ffffff", LEFT)
        self.title = label("text", "#ffd166", LEFT)
        self.amount = label("amount", "#ffffff", LEFT)
        self.amount.setObjectName("transfer_amount")
        self.split_transfer = label("label", "#ffffff", LEFT)
        self.details = label("small", "#ffffff", LEFT)
        self.details.setObjectName("transfer_details")
        self.split_cash = label("label", GREEN, LEFT)
        self.split_cash_given = label("text", PALE, LEFT)
        for w in (self.split_total, self.title, self.amount, self.split_transfer, self.details, self.split_cash,
                  self.split_cash_given):  # fmt: skip
            info.addWidget(w)
        info.addStretch(1)
        row.addLayout(info, 6)
        for lbl in (self.split_total, self.split_transfer, self.split_cash, self.split_cash_given):
            show(lbl, "")  # a plain transfer until a split is painted

    def paint_payload(self, payload: str, purpose: str, company: Any) -> None:
        """The code (``payload`` "" when no valid bank account is set: no code, a hint)."""
        self.qr.set_payload(payload)
        if payload:
            self.title.setText(self.tr("Quét mã VietQR để chuyển khoản đúng số tiền"))
            self.details.setText(
                self.tr("Nội dung: {purpose}\nNgân hàng: {bank}\nSố tài khoản: {account}\nChủ tài khoản: {owner}").format(
                    purpose=purpose, bank=company.bank_name or company.bank_bin, account=company.bank_account,
                    owner=company.bank_account_name,
                )  # fmt: skip
            )
        else:
            self.title.setText(self.tr("Chuyển khoản"))
            self.details.setText(self.tr("Vui lòng chuyển khoản theo hướng dẫn của thu ngân"))

    def paint_whole(self, amount: int) -> None:
        """The whole amount by bank transfer (F8)."""
        show(self.amount, format_vnd(amount))
        for lbl in (self.split_total, self.split_transfer, self.split_cash, self.split_cash_given):
            show(lbl, "")

    def paint_split(self, plan: Any) -> None:
        """Part cash, part transfer (``plan``: total, transfer, cash, cash_tendered, change)."""
        show(self.amount, "")
        show(self.split_total, self.tr("Tổng phải trả {total}").format(total=format_vnd(plan.total)))
        show(self.split_transfer, self.tr("Chuyển khoản {amount}").format(amount=format_vnd(plan.transfer)))
        show(self.split_cash, self.tr("Tiền mặt {amount}").format(amount=format_vnd(plan.cash)))
        show(
            self.split_cash_given,
            self.tr("Khách đưa tiền mặt {given}\nTiền thừa {change}").format(
                given=format_vnd(plan.cash_tendered), change=format_vnd(plan.change)
            )
        )


class ReceiptPage(QWidget):
    """After one customer's payment: the amount paid, how (cash, transfer, both), the change
    and the receipt number."""

    def __init__(self) -> None:
        super().__init__()
        lay = QVBoxLayout(self)
        self.title = label("name", GREEN)
        self.amount = label("amount", GREEN)
        self.amount.setObjectName("customer_paid")
        self.lines = label("label")
        self.receipt = label("name", "#ffd166")
        self.receipt.setObjectName("customer_receipt")
        self.thanks = label("text", PALE)
        lay.addStretch(1)
        for w in (self.title, self.amount, self.lines, self.receipt, self.thanks):
            lay.addWidget(w)
        lay.addStretch(1)

    def paint(self, payment: Any) -> None:
        self.title.setText(self.tr("ĐÃ THANH TOÁN"))
        self.amount.setText(format_vnd(payment.total))
        if str(payment.method) == "transfer":
            self.lines.setText(self.tr("Chuyển khoản"))
        elif getattr(payment, "is_split", False):  # the change came out of the cash part only
            self.lines.setText(
                self.tr("Chuyển khoản {transfer} + Tiền mặt {cash}\nKhách đưa tiền mặt {given}\nTiền thừa {change}").format(
                    transfer=format_vnd(payment.transfer_part), cash=format_vnd(payment.cash_part),
                    given=format_vnd(payment.cash_tendered), change=format_vnd(payment.change),
                )  # fmt: skip
            )
        else:
            self.lines.setText(
                self.tr("Khách đưa {tendered}\nTiền thừa {change}").format(
                    tendered=format_vnd(payment.tendered), change=format_vnd(payment.change)
                )
            )
        self.receipt.setText(self.tr("Số biên nhận: {receipt}").format(receipt=payment.receipt_no))
        self.thanks.setText(self.tr("Cảm ơn quý khách!"))


class ElidedLabel(QLabel):
    """One line that ends in "…" when the screen is too narrow: never wider than its column
    (a long name must not push the customer display past its screen), never two lines."""

    def __init__(self) -> None:
        super().__init__()
        self.setProperty("role", "line")
        self.setAlignment(LEFT)
        self.setStyleSheet("color: #ffffff;")
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(0, super().minimumSizeHint().height())

    def paintEvent(self, event: Any) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        self.style().drawItemText(painter, rect, int(self.alignment()), self.palette(), True, text,
                                  QPalette.ColorRole.WindowText)  # fmt: skip


@dataclass(frozen=True)
class BasketLine:
    code: str
    name: str
    amount: int
    receipt: str = ""  # once paid


class BasketPage(QWidget):
    """The basket while it fills (:meth:`paint_filling`) and once paid (:meth:`paint_paid`)."""

    def __init__(self) -> None:
        super().__init__()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)  # 4 lines and 3 sums fit 800x480 with room for the marks
        self.title = label("name", "#ffd166")
        self.title.setObjectName("basket_title")
        self.subtitle = label("text", PALE)
        lay.addWidget(self.title)
        lay.addWidget(self.subtitle)
        lines = QGridLayout()
        lines.setVerticalSpacing(2)
        self.line_labels: list[tuple[QLabel, QLabel]] = []
        for row in range(BASKET_LINES):
            who, amount = ElidedLabel(), label("line", "#ffffff", RIGHT)
            amount.setWordWrap(False)
            lines.addWidget(who, row, 0)
            lines.addWidget(amount, row, 1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            self.line_labels.append((who, amount))
        lines.setColumnStretch(0, 1)
        lay.addLayout(lines)
        self.more = label("small", PALE, LEFT)
        lay.addWidget(self.more)
        lay.addStretch(1)
        sums = QGridLayout()
        sums.setVerticalSpacing(0)
        self.sums: dict[str, tuple[QLabel, QLabel]] = {}
        for row, key in enumerate(("total", "tendered", "change")):
            name, value = label("label", PALE, LEFT), label("sum", "#ffffff", RIGHT)
            name.setWordWrap(False)
            value.setWordWrap(False)
            value.setObjectName(f"basket_{key}")
            sums.addWidget(name, row, 0)
            sums.addWidget(value, row, 1)
            self.sums[key] = (name, value)
        sums.setColumnStretch(1, 1)
        lay.addLayout(sums)
        self.summary = label("label", "#ffffff")
        self.summary.setObjectName("basket_summary")
        lay.addWidget(self.summary)
        self.paint_filling((), None)  # no empty row takes room before the first scan

    def _paint_lines(self, lines: Sequence[BasketLine]) -> None:
        shown = list(lines)[-BASKET_LINES:]
        hidden = len(lines) - len(shown)
        first = hidden + 1
        for i, (who, amount) in enumerate(self.line_labels):
            if i < len(shown):
                ln = shown[i]
                if ln.receipt:  # paid: whose receipt is which (the name is enough for the payer)
                    who.setText(f"{first + i}. {ln.name}")
                    amount.setText(self.tr("BN {receipt} · {amount}").format(receipt=ln.receipt,
                                                                           amount=format_vnd(ln.amount)))
                else:
                    who.setText(f"{first + i}. {ln.code} — {ln.name}")
                    amount.setText(format_vnd(ln.amount))
            else:
                who.setText("")
                amount.setText("")
            who.setVisible(i < len(shown))  # an empty row takes no room
            amount.setVisible(i < len(shown))
        show(self.more, self.tr("(và {n} khách hàng ở trên)").format(n=hidden) if hidden else "")



    def _sum(self, key: str, name: str, value: str, colour: str = "#ffffff") -> None:
        n, v = self.sums[key]
        show(n, name)
        show(v, value)
        v.setStyleSheet(f"color: {colour};")

    def paint_filling(self, lines: Sequence[BasketLine], tendered: int | None) -> None:
        """``tendered`` None: nothing typed yet (exact money)."""
        total = sum(ln.amount for ln in lines)
        self.title.setStyleSheet("color: #ffd166;")
        self.title.setText(self.tr("THU GỘP NHIỀU KHÁCH HÀNG"))
        self.subtitle.setText(
            self.tr("Một người trả cho {n} khách hàng").format(n=len(lines)) if lines
            else self.tr("Xin mời đưa lần lượt các thẻ khách hàng cho thu ngân")
        )  # fmt: skip
        self._paint_lines(lines)
        self._sum("total", self.tr("TỔNG CỘNG"), format_vnd(total))
        self._sum("tendered", self.tr("KHÁCH ĐƯA"), format_vnd(tendered) if tendered is not None and total else "—",
                  PALE)  # fmt: skip
        change = (tendered - total) if tendered is not None and total else 0
        if change < 0:
            self._sum("change", self.tr("CÒN THIẾU"), format_vnd(-change), RED)
        else:
            self._sum("change", self.tr("TIỀN THỪA"), format_vnd(change), GREEN)
        show(self.summary, "")

    def paint_paid(self, lines: Sequence[BasketLine], basket_code: str, tendered: int, change: int) -> None:
        total = sum(ln.amount for ln in lines)
        self.title.setStyleSheet(f"color: {GREEN};")
        self.title.setText(self.tr("ĐÃ THANH TOÁN"))
        self.subtitle.setText(
            self.tr("Thu gộp {n} khách hàng — mã giỏ {code}").format(n=len(lines), code=basket_code)
        )
        self._paint_lines(lines)
        self._sum("total", self.tr("TỔNG CỘNG"), format_vnd(total), GREEN)
        self._sum("tendered", "", "")
        self._sum("change", "", "")
        show(self.summary,
            self.tr("Khách đưa {tendered} — Tiền thừa {change}\nCảm ơn quý khách!").format(
                tendered=format_vnd(tendered), change=format_vnd(change)
            )
        )
