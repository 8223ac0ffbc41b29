"""Table models over domain objects (QAbstractTableModel + QTableView everywhere).

QTableWidget / QStandardItemModel.setItem is not used anywhere: it is ~50x slower for big tables
and PySide6 6.12.0 crashes CPython through it (DESIGN.md section 4).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from cashier.core.debt import Bill, BillStatus, SearchHit
from cashier.core.money import format_number

T = TypeVar("T")

_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter

ROW_OBJECT_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class Column(Generic[T]):
    title: str
    value: Callable[[T], Any]
    money: bool = False  # integer đồng, shown grouped and right-aligned
    align: Qt.AlignmentFlag | None = None
    tooltip: Callable[[T], str] | None = None
    color: Callable[[T], QColor | None] | None = None
    bold: bool = False


class RowsModel(QAbstractTableModel, Generic[T]):
    """Rows of domain objects, columns described by :class:`Column`; read-only unless
    ``checkable`` (a first column of check boxes)."""

    def __init__(self, columns: Sequence[Column[T]], rows: Sequence[T] = (), parent=None, *, checkable: bool = False) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list[T] = list(rows)
        self.checkable = checkable
        self._checked: list[bool] = [True] * len(self._rows)
        self._bold = QFont()
        self._bold.setBold(True)

    # -- data access -----------------------------------------------------------------------
    @property
    def rows(self) -> list[T]:
        return self._rows

    def row(self, i: int) -> T:
        return self._rows[i]

    def set_rows(self, rows: Sequence[T], checked: Sequence[bool] | None = None) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._checked = list(checked) if checked is not None else [True] * len(self._rows)
        self.endResetModel()

    def checked_rows(self) -> list[T]:
        return [r for r, c in zip(self._rows, self._checked, strict=True) if c]

    def set_checked(self, i: int, value: bool) -> None:
        self._checked[i] = value
        first = self.index(i, 0)
        self.dataChanged.emit(first, self.index(i, self.columnCount() - 1))

    def is_checked(self, i: int) -> bool:
        return self._checked[i]

    # -- Qt model API ----------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return self.columns[section].title
            if role == Qt.ItemDataRole.TextAlignmentRole:
                col = self.columns[section]
                return int(_RIGHT if col.money else (col.align or _LEFT))
        elif role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.checkable and index.column() == 0:
            base |= Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        obj = self._rows[index.row()]
        col = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = col.value(obj)
            if col.money and isinstance(value, int):
                return format_number(value)
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_RIGHT if col.money else (col.align or _LEFT))
        if role == Qt.ItemDataRole.CheckStateRole and self.checkable and index.column() == 0:
            return Qt.CheckState.Checked if self._checked[index.row()] else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ForegroundRole and col.color is not None:
            color = col.color(obj)
            return QBrush(color) if color is not None else None
        if role == Qt.ItemDataRole.FontRole and col.bold:
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole and col.tooltip is not None:
            return col.tooltip(obj)
        if role == ROW_OBJECT_ROLE:
            return obj
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if self.checkable and index.column() == 0 and role == Qt.ItemDataRole.CheckStateRole:
            state = value.value if hasattr(value, "value") else value
            self.set_checked(index.row(), int(state) == Qt.CheckState.Checked.value)
            return True
        return False



# -- bills ---------------------------------------------------------------------------------
STATUS_COLORS = {
    BillStatus.UNPAID: QColor("#b00020"),
    BillStatus.COLLECTED: QColor("#1b5e20"),
    BillStatus.CLEARED: QColor("#1b5e20"),
    BillStatus.PAID_ELSEWHERE: QColor("#6d4c00"),
}


def bill_status_text(status: BillStatus) -> str:
    return {
        BillStatus.UNPAID: QCoreApplication.translate("Columns", "Còn nợ"),
        BillStatus.COLLECTED: QCoreApplication.translate("Columns", "Đã thu tại quầy"),
        BillStatus.CLEARED: QCoreApplication.translate("Columns", "Đã thu, đã gạch nợ"),
        BillStatus.PAID_ELSEWHERE: QCoreApplication.translate("Columns", "Đã trả nơi khác"),
    }.get(status, str(status))


@dataclass(frozen=True)
class FeeRow:
    """The reconnection fee as a row of the bills table (it is part of the total due)."""

    total: int


def period_text(b: Bill | FeeRow) -> str:
    if isinstance(b, FeeRow):
        return "—"
    return QCoreApplication.translate("Columns", "Kỳ {ky} T{month:02d}/{year}").format(ky=b.ky, month=b.thang, year=b.nam)


def _fee_or(value: Callable[[Bill], Any], fee: Any = "") -> Callable[[Any], Any]:
    """A bill's value, or ``fee`` on the fee row."""
    return lambda b: fee if isinstance(b, FeeRow) else value(b)


def bill_columns() -> list[Column[Bill]]:
    fee_name = QCoreApplication.translate("Columns", "Phí đóng điện")
    fee_status = QCoreApplication.translate("Columns", "Thu cùng hóa đơn")
    return [
        Column(QCoreApplication.translate("Columns", "Kỳ"), period_text),
        Column(QCoreApplication.translate("Columns", "Mã hóa đơn"), _fee_or(lambda b: b.bill_id, fee_name)),
        Column(QCoreApplication.translate("Columns", "Điện năng (kWh)"), _fee_or(lambda b: format_number(b.kwh)), align=_RIGHT),
        Column(QCoreApplication.translate("Columns", "Tiền điện"), _fee_or(lambda b: b.amount, None), money=True),
        Column(QCoreApplication.translate("Columns", "Thuế GTGT"), _fee_or(lambda b: b.vat, None), money=True),
        Column(QCoreApplication.translate("Columns", "Tổng cộng"), lambda b: b.total, money=True, bold=True),
        Column(
            QCoreApplication.translate("Columns", "Trạng thái"),
            _fee_or(lambda b: bill_status_text(b.status) + (f" ({b.receipt})" if b.receipt else ""), fee_status),
            color=lambda b: QColor("#4a148c") if isinstance(b, FeeRow) else STATUS_COLORS.get(b.status),
        ),
    ]


class BillsModel(RowsModel[Bill]):
    def __init__(self, parent=None, *, checkable: bool = False) -> None:
        super().__init__(bill_columns(), parent=parent, checkable=checkable)


# -- search hits ---------------------------------------------------------------------------
def search_columns() -> list[Column[SearchHit]]:
    return [
        Column(QCoreApplication.translate("Columns", "Mã khách hàng"), lambda h: h.code),
        Column(QCoreApplication.translate("Columns", "Tên khách hàng"), lambda h: h.name, bold=True),
        Column(QCoreApplication.translate("Columns", "Địa chỉ"), lambda h: h.address),
        Column(QCoreApplication.translate("Columns", "Sổ GCS"), lambda h: h.book),
        Column(QCoreApplication.translate("Columns", "Số HĐ nợ"), lambda h: h.unpaid_bills, align=_CENTER),
        Column(QCoreApplication.translate("Columns", "Tổng nợ"), lambda h: h.total_due, money=True),
    ]


class SearchModel(RowsModel[SearchHit]):
    def __init__(self, parent=None) -> None:
        super().__init__(search_columns(), parent=parent)


# -- payments ------------------------------------------------------------------------------
def method_text(method: str) -> str:
    return {
        "cash": QCoreApplication.translate("Columns", "Tiền mặt"),
        "transfer": QCoreApplication.translate("Columns", "Chuyển khoản"),
    }.get(str(method), str(method))


def _payment_status(p: Any) -> str:
    if str(p.status) == "voided":
        return QCoreApplication.translate("Columns", "Đã hủy")
    if p.printed is False:
        return QCoreApplication.translate("Columns", "Chưa in được")
    return QCoreApplication.translate("Columns", "Đã thu")


def payment_columns() -> list[Column[Any]]:
    return [
        Column(QCoreApplication.translate("Columns", "Biên nhận"), lambda p: p.receipt_no, bold=True),
        Column(QCoreApplication.translate("Columns", "Giờ"), lambda p: p.created_at.strftime("%H:%M:%S")),
        Column(QCoreApplication.translate("Columns", "Mã khách hàng"), lambda p: p.customer.code),
        Column(QCoreApplication.translate("Columns", "Tên khách hàng"), lambda p: p.customer.name),
        Column(QCoreApplication.translate("Columns", "Số tiền"), lambda p: p.total, money=True),
        Column(QCoreApplication.translate("Columns", "Hình thức"), lambda p: method_text(p.method)),
        Column(
            QCoreApplication.translate("Columns", "Trạng thái"),
            _payment_status,
            color=lambda p: QColor("#b00020") if str(p.status) == "voided" or p.printed is False else None,
        ),
    ]


class PaymentsModel(RowsModel[Any]):
    def __init__(self, parent=None) -> None:
        super().__init__(payment_columns(), parent=parent)
