"""Small widgets of the counter screen: big amounts, state banner, F-key buttons, tables."""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, QSize, Qt
from PySide6.QtGui import QFont, QKeySequence, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStyle,
    QTableView,
    QWidget,
)

# banner kinds -> (background, foreground)
BANNER_STYLES = {
    "idle": ("#eceff1", "#37474f"),
    "unpaid": ("#fff3e0", "#e65100"),
    "paid_elsewhere": ("#fde0dc", "#b71c1c"),
    "collected": ("#e8f5e9", "#1b5e20"),
    "disconnected": ("#ede7f6", "#4a148c"),
    "error": ("#b71c1c", "#ffffff"),
    "busy": ("#e3f2fd", "#0d47a1"),
}


def big_font(point_size: int, bold: bool = True) -> QFont:
    font = QFont()
    font.setPointSize(point_size)
    font.setBold(bold)
    return font


class BigLabel(QLabel):
    """An amount in large type (total due, change)."""

    def __init__(self, text: str = "", point_size: int = 28, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setFont(big_font(point_size))
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)


class Banner(QLabel):
    """The state of the customer on screen, in colour and words that cannot be missed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = "idle"
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setFont(big_font(16))
        self.setMinimumHeight(56)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.show_state("idle", "")

    def show_state(self, kind: str, text: str) -> None:
        self.kind = kind
        bg, fg = BANNER_STYLES.get(kind, BANNER_STYLES["idle"])
        self.setStyleSheet(
            f"QLabel {{ background: {bg}; color: {fg}; border: 2px solid {fg};"
            " border-radius: 6px; padding: 8px; }"
        )
        self.setText(text)


class FKeyButton(QPushButton):
    """A button that shows its function key ("F2  Thu tiền") and is never a focus trap."""

    def __init__(self, key: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.label = text
        self.setText(f"{key}\n{text}")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMinimumHeight(48)
        # twelve of them must fit a 1024-pixel screen: they share the width, never widen the
        # window; each keeps room for its label and the style's margins (labels never overlap)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        style = self.style()
        margins = 2 * style.pixelMetric(QStyle.PixelMetric.PM_ButtonMargin, None, self)
        margins += 2 * style.pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth, None, self)
        self._least = self.fontMetrics().horizontalAdvance(text) + margins + 4
        self.setMinimumWidth(self._least)
        self.setToolTip(f"{text} ({QKeySequence(key).toString()})")

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API): the label's width, not the style's 80 px
        return QSize(self._least, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return self.sizeHint()


def make_table(model, parent: QWidget | None = None, *, stretch: int | None = None) -> QTableView:
    """A read-only, row-selecting table view over a model."""
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(28)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    else:
        header.setStretchLastSection(True)
    view.setWordWrap(False)
    return view


def field_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("color: #546e7a;")
    return label


class ThousandsEdit(QLineEdit):
    """An amount handed over, typed in thousands of đồng: "500" = 500.000 đ, "2000" =
    2.000.000 đ, whatever the number of digits (one rule). The thousands separators appear as
    the digits are typed; empty means "exact money". A scan never lands here (money field)."""

    #: the largest amount: 2.000.000.000 đ
    MAX_THOUSANDS = 2_000_000

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("cashierMoney", True)  # scan_detector.MONEY_FIELD (no import cycle)
        self.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9.]{0,12}"), self))
        self.textEdited.connect(self._regroup)

    def _regroup(self, text: str) -> None:
        digits_right = sum(ch.isdigit() for ch in text[self.cursorPosition():])
        digits = "".join(ch for ch in text if ch.isdigit()).lstrip("0")
        if digits and int(digits) > self.MAX_THOUSANDS:
            digits = digits[:-1]  # the key that made it too large is dropped
            digits_right = max(0, digits_right - 1)
        grouped = f"{int(digits):,}".replace(",", ".") if digits else ""
        if grouped == text:
            return
        self.setText(grouped)
        # the cursor stays before the same digits
        pos, seen = len(grouped), 0
        while pos > 0 and seen < digits_right:
            pos -= 1
            if grouped[pos].isdigit():
                seen += 1
        self.setCursorPosition(pos)

    def amount(self) -> int | None:
        """The amount in đồng, None when empty (exact money)."""
        digits = "".join(ch for ch in self.text() if ch.isdigit())
        return int(digits) * 1000 if digits else None

    def set_amount(self, amount: int | None) -> None:
        """Shows ``amount`` (đồng, rounded down to thousands); None clears (exact money)."""
        if amount is None or amount <= 0:
            self.clear()
            return
        self.setText(f"{min(amount // 1000, self.MAX_THOUSANDS):,}".replace(",", "."))


class ElidedLabel(QLabel):
    """One line that ends in "…" when it does not fit (the whole text stays in ``text()`` and the
    tooltip); it never widens its window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(False)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt API)
        super().setText(text)
        self.setToolTip(text)

    def paintEvent(self, event) -> None:  # noqa: N802, ANN001 (Qt API)
        from PySide6.QtGui import QPainter

        painter = QPainter(self)
        rect = self.contentsRect()
        elided = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), elided)
