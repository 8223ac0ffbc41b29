"""The shift: open it with the float, the X/Z reports, close it with the cash count."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cashier.core.ledger import DENOMINATIONS, count_total
from cashier.core.money import format_number, format_vnd
from cashier.ui import tasks
from cashier.ui.dialogs.base import BaseDialog, buttons
from cashier.ui.dialogs.login import ask_approval
from cashier.ui.i18n import error_text
from cashier.ui.widgets import BigLabel, ThousandsEdit, big_font, field_label


class OpenShiftDialog(BaseDialog):
    """The opening float, typed like the tendered amount (KHÁCH ĐƯA): in thousands of đồng
    whatever the number of digits ("500" = 500.000 đ), separators as it is typed, the amount as
    understood in full under it; empty = 0."""

    def __init__(self, backend: Any, user: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend, self.user, self.shift = backend, user, None
        self.setWindowTitle(self.tr("Mở ca"))
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("Thu ngân: {name}").format(name=user.full_name)))
        form = QFormLayout()
        self.float_edit = ThousandsEdit()  # the counter's rule: thousands of đồng
        self.float_edit.setObjectName("float")
        self.float_edit.setFont(big_font(16))
        self.float_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.float_edit.setPlaceholderText("0")
        row = QHBoxLayout()
        row.setSpacing(2)
        row.addWidget(self.float_edit, 1)
        thousands = QLabel(".000 đ")
        thousands.setFont(big_font(16))
        row.addWidget(thousands)
        form.addRow(self.tr("Tiền lẻ đầu ca (nghìn đồng)"), row)
        #: the float as understood, in full
        self.float_note = QLabel()
        self.float_note.setObjectName("float_note")
        form.addRow("", self.float_note)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(buttons(self, self.tr("Mở ca (Enter)")))
        self.float_edit.textChanged.connect(self._show_float)
        self._show_float()
        self.float_edit.setFocus()

    def opening_float(self) -> int:
        return self.float_edit.amount() or 0

    def _show_float(self) -> None:
        self.float_note.setText(self.tr("Tiền lẻ đầu ca {amount}").format(amount=format_vnd(self.opening_float())))

    def accept(self) -> None:
        try:
            self.shift = self.backend.open_shift(self.user, self.opening_float())
        except Exception as exc:  # noqa: BLE001
            self.show_error(exc)
            return
        super().accept()


def _mono() -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSize(11)
    return font


class ReportDialog(BaseDialog):
    """An X or Z report as it prints, with a print button (the printer's own thread)."""

    def __init__(self, backend: Any, runner: tasks.TaskRunner, report: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend, self.runner, self.report = backend, runner, report
        kind = self.tr("Báo cáo Z số {z}").format(z=report.z_number) if report.kind == "Z" else self.tr("Báo cáo X (giữa ca)")
        self.setWindowTitle(kind)
        self.resize(560, 720)
        lay = QVBoxLayout(self)
        text = QPlainTextEdit(backend.report_text(report))
        text.setObjectName("report_text")
        text.setReadOnly(True)
        text.setFont(_mono())
        lay.addWidget(text, 1)
        self.text = text
        lay.addWidget(self.error)
        row = QHBoxLayout()
        self.print_button = QPushButton(self.tr("In báo cáo (Ctrl+P)"))
        self.print_button.setShortcut("Ctrl+P")  # not a bare letter: customer codes start with P
        self.print_button.clicked.connect(self.print_report)
        row.addWidget(self.print_button)
        close = QPushButton(self.tr("Đóng (Esc)"))
        close.clicked.connect(self.reject)
        row.addWidget(close)
        lay.addLayout(row)
        self.print_handle: tasks.TaskHandle | None = None

    def print_report(self) -> None:
        report = self.report
        self.error.setStyleSheet("color: #0d47a1;")
        self.error.setText(self.tr("Đang in…"))

        def done(_r):
            self.error.setStyleSheet("color: #1b5e20; font-weight: bold;")
            self.error.setText(self.tr("Đã in báo cáo."))

        def failed(exc):
            self.error.setStyleSheet("color: #b00020; font-weight: bold;")
            self.error.setText(self.tr("Không in được: {e}").format(e=error_text(exc)))

        self.print_handle = self.runner.submit(
            lambda ended: self.backend.print_report(report, ended), done, failed, name="report"
        )


class CloseShiftDialog(BaseDialog):
    """Count the drawer by denomination; expected vs counted and the variance update live."""

    def __init__(self, backend: Any, runner: tasks.TaskRunner, user: Any, shift: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend, self.runner, self.user, self.shift = backend, runner, user, shift
        self.report = None
        self.setWindowTitle(self.tr("Đóng ca — kiểm tiền"))
        lay = QVBoxLayout(self)
        # whose shift is counted: a manager may close another cashier's (close_others_shift)
        owner = user.full_name if shift.user_id == user.id else shift.username
        self.head = QLabel(self.tr("Ca {id} — {name} — mở lúc {time}").format(
            id=shift.id, name=owner, time=shift.opened_at.strftime("%H:%M %d/%m/%Y")))
        self.head.setFont(big_font(13))
        lay.addWidget(self.head)
        grid = QGridLayout()
        grid.addWidget(field_label(self.tr("Mệnh giá")), 0, 0)
        grid.addWidget(field_label(self.tr("Số tờ")), 0, 1)
        grid.addWidget(field_label(self.tr("Thành tiền")), 0, 2)
        self.spins: dict[int, QSpinBox] = {}
        self.line_totals: dict[int, QLabel] = {}
        for i, denom in enumerate(DENOMINATIONS, start=1):
            label = QLabel(format_number(denom))
            label.setFont(big_font(12))
            spin = QSpinBox()
            spin.setObjectName(f"count_{denom}")
            spin.setRange(0, 100_000)
            spin.setMinimumWidth(110)
            spin.valueChanged.connect(self._update)
            total = QLabel("0")
            total.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            total.setMinimumWidth(140)
            grid.addWidget(label, i, 0)
            grid.addWidget(spin, i, 1)
            grid.addWidget(total, i, 2)
            self.spins[denom] = spin
            self.line_totals[denom] = total
        lay.addLayout(grid)
        form = QFormLayout()
        self.expected_label = BigLabel("", 16)
        self.counted_label = BigLabel("", 16)
        self.variance_label = BigLabel("", 18)
        form.addRow(self.tr("Phải có (đầu ca + thu tiền mặt)"), self.expected_label)
        form.addRow(self.tr("Đếm được"), self.counted_label)
        form.addRow(self.tr("Chênh lệch"), self.variance_label)
        lay.addLayout(form)
        self.manager_note = QLabel()
        self.manager_note.setWordWrap(True)
        lay.addWidget(self.manager_note)
        lay.addWidget(self.error)
        row = QHBoxLayout()
        xb = QPushButton(self.tr("Xem báo cáo X"))
        xb.setAutoDefault(False)
        xb.clicked.connect(self.show_x)
        row.addWidget(xb)
        row.addStretch(1)
        box = buttons(self, self.tr("Đóng ca và in báo cáo Z (Ctrl+Enter)"))
        self.close_button = box.buttons()[0]
        assert isinstance(self.close_button, QPushButton)
        # Enter in a count moves to the next note (a count must not close the shift half done);
        # after the last one it reaches this button; Ctrl+Enter closes from anywhere
        self.close_button.setDefault(False)
        self.close_button.setShortcut("Ctrl+Return")
        row.addWidget(box)
        lay.addLayout(row)
        for spin in self.spins.values():
            spin.installEventFilter(self)
        self.needs_manager = False
        self._update()
        first = self.spins[DENOMINATIONS[0]]
        first.setFocus()
        first.selectAll()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if (
            event.type() == event.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
            and obj in self.spins.values()
        ):
            spins = list(self.spins.values())
            i = spins.index(obj)
            if i + 1 < len(spins):
                spins[i + 1].setFocus()
                spins[i + 1].selectAll()
            else:
                self.close_button.setFocus()
            return True
        return super().eventFilter(obj, event)

    def counts(self) -> dict[int, int]:
        return {d: s.value() for d, s in self.spins.items() if s.value()}

    def _update(self) -> None:
        counts = self.counts()
        for d, lbl in self.line_totals.items():
            lbl.setText(format_number(d * self.spins[d].value()))
        try:
            expected, counted, variance, needs = self.backend.preview_close(counts)
        except Exception as exc:  # noqa: BLE001
            self.show_error(exc)
            return
        self.expected_label.setText(format_vnd(expected))
        self.counted_label.setText(format_vnd(counted if counted is not None else count_total(counts)))
        sign = "+" if variance > 0 else ""
        self.variance_label.setText(sign + format_vnd(variance))
        colour = "#1b5e20" if variance == 0 else ("#b00020" if needs else "#e65100")
        self.variance_label.setStyleSheet(f"color: {colour};")
        self.needs_manager = needs
        if needs and not self.user.can("close_shift_variance"):
            self.manager_note.setText(self.tr("Chênh lệch vượt giới hạn: khi đóng ca sẽ cần quản lý duyệt."))
            self.manager_note.setStyleSheet("color: #b00020;")
        else:
            self.manager_note.setText("")

    def show_x(self) -> None:
        try:
            report = self.backend.x_report(self.user, self.shift.id)
        except Exception as exc:  # noqa: BLE001
            self.show_error(exc)
            return
        ReportDialog(self.backend, self.runner, report, self).exec()

    def accept(self) -> None:
        approval = None
        if self.needs_manager and not self.user.can("close_shift_variance"):
            approval = ask_approval(
                self.backend, self.user, "close_shift_variance", self.tr("đóng ca khi tiền lệch quá giới hạn"), self
            )
            if approval is False:
                return
        try:
            self.report = self.backend.close_shift(self.user, self.counts(), approval)
        except Exception as exc:  # noqa: BLE001
            self.show_error(exc)
            return
        dlg = ReportDialog(self.backend, self.runner, self.report, self)
        dlg.print_report()
        dlg.exec()
        super().accept()
