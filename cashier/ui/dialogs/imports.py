"""F10 -> import the morning extract (background lane, progress, summary, rejected rows)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cashier.core.money import format_number, format_vnd
from cashier.ui import i18n, tasks
from cashier.ui.dialogs.base import BaseDialog, file_dialog, start_close_buttons
from cashier.ui.i18n import error_text
from cashier.ui.models import Column, RowsModel
from cashier.ui.widgets import big_font, make_table

log = logging.getLogger(__name__)


def rejected_columns() -> list[Column]:
    return [
        Column(QCoreApplication.translate("Columns", "Dòng"), lambda r: r.row, align=Qt.AlignmentFlag.AlignRight),
        Column(QCoreApplication.translate("Columns", "Cột"), lambda r: r.column),
        Column(QCoreApplication.translate("Columns", "Giá trị"), lambda r: r.value),
        Column(QCoreApplication.translate("Columns", "Lý do"), lambda r: r.text(i18n.current_language())),
    ]




class ImportDialog(BaseDialog):
    """Choose the extract, import it on the background lane with a progress dialog that can be
    cancelled, then show the summary and the rejected rows."""

    def __init__(self, backend: Any, runner: tasks.TaskRunner, user: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend, self.runner, self.user = backend, runner, user
        self.summary = None
        self.handle: tasks.TaskHandle | None = None
        self.progress: QProgressDialog | None = None
        self.setWindowTitle(self.tr("Nhập dữ liệu nợ (tệp trích xuất CMIS)"))
        self.resize(1000, 620)
        lay = QVBoxLayout(self)
        row = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setObjectName("path")
        self.path.setPlaceholderText(self.tr("tệp .xlsx hoặc .csv"))
        self.pending_accept: int | None = None  # paid-elsewhere count the manager confirmed
        self._stage = ""
        browse = QPushButton(self.tr("Chọn tệp…"))
        browse.setObjectName("browse")
        browse.setAutoDefault(False)  # Enter starts the import (the button says so), never the chooser
        browse.clicked.connect(self.browse)
        self.browse_button = browse
        self.path.returnPressed.connect(self.start)
        self.path.textEdited.connect(lambda _t: self._clear_confirmation())
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        lay.addLayout(row)
        form = QFormLayout()
        self.profile = QComboBox()
        self.profile.addItems(backend.profiles())
        form.addRow(self.tr("Mẫu cột (profile)"), self.profile)
        lay.addLayout(form)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("summary")
        self.summary_label.setWordWrap(True)
        self.summary_label.setFont(big_font(12, bold=False))
        lay.addWidget(self.summary_label)
        self.rejected_model = RowsModel(rejected_columns(), parent=self)
        self.rejected_view = make_table(self.rejected_model, stretch=3)
        lay.addWidget(QLabel(self.tr("Dòng bị loại (kiểm tra lại tệp):")))
        lay.addWidget(self.rejected_view, 1)
        lay.addWidget(self.error)
        box, self.start_button = start_close_buttons(self, self.tr("Nhập (Enter)"), self.tr("Đóng (Esc)"))
        lay.addWidget(box)

    def browse(self) -> None:
        dlg = file_dialog(self, self.tr("Chọn tệp dữ liệu nợ"), str(Path.home()))
        dlg.setFileMode(QFileDialog.FileMode.ExistingFile)
        dlg.setNameFilter(self.tr("Bảng tính (*.xlsx *.csv);;Tất cả (*)"))
        if dlg.exec() and dlg.selectedFiles():
            self.path.setText(dlg.selectedFiles()[0])
            self._clear_confirmation()
            self.start_button.setFocus()  # Enter now imports the chosen file

    def _clear_confirmation(self) -> None:
        if self.pending_accept is not None:
            self.pending_accept = None
            self.start_button.setText(self.tr("Nhập (Enter)"))

    def start(self) -> None:
        path = self.path.text().strip()
        if not path:
            self.show_error(self.tr("Chọn tệp trước."))
            return
        accept = self.pending_accept
        self._clear_confirmation()
        self._stage = ""
        self.error.clear()
        self.summary_label.clear()
        self.rejected_model.set_rows([])
        self.start_button.setEnabled(False)
        profile = self.profile.currentText() or "default"
        progress = QProgressDialog(self.tr("Đang nhập {name}…").format(name=Path(path).name), self.tr("Dừng"), 0, 0, self)
        progress.setWindowTitle(self.tr("Nhập dữ liệu nợ"))
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        self.progress = progress

        def work(handle: tasks.TaskHandle) -> Any:
            return self.backend.import_extract(
                path, profile, handle.report, handle.cancelled, actor=self.user, accept_missing=accept
            )

        self.handle = self.runner.run(work, self._done, self._failed, lane=tasks.BACKGROUND, name="import", with_handle=True)
        self.handle.progress.connect(self._progress)
        progress.canceled.connect(self._cancel)
        progress.show()

    def _cancel(self) -> None:
        if self.handle is not None and not self.handle.done:
            if self._stage == "apply":  # the data is being written: it is finished, not undone
                if self.progress is not None:
                    self.progress.setLabelText(self.tr("Đang ghi dữ liệu, không dừng được nữa: sắp xong…"))
                return
            self.handle.cancel()
            if self.progress is not None:
                self.progress.setLabelText(self.tr("Đang dừng… (dữ liệu cũ được giữ nguyên)"))

    def _progress(self, done: int, total: int, stage: str = "") -> None:
        progress = self.progress
        if progress is None:
            return
        self._stage = stage
        if total:
            progress.setMaximum(1000)
            # a modal QProgressDialog runs the event loop in setValue: the import may finish (and
            # close this dialog) right there
            progress.setValue(min(1000, done * 1000 // total))
            if self.progress is not progress:
                return
        if stage == "prepare":
            progress.setLabelText(self.tr("Đang so sánh với dữ liệu nợ hiện có…"))
        elif stage == "apply":
            progress.setLabelText(self.tr("Đang ghi vào cơ sở dữ liệu… (quầy vẫn thu tiền được)"))
        elif total:
            progress.setLabelText(self.tr("Đang đọc tệp… {pct}%").format(pct=done * 100 // total))

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.canceled.disconnect(self._cancel)
            self.progress.close()
            self.progress = None
        self.start_button.setEnabled(True)

    def _done(self, summary: Any) -> None:
        self._close_progress()
        self.summary = summary
        self.rejected_model.set_rows(list(getattr(summary, "rejected", [])))
        self.summary_label.setStyleSheet("color: #1b5e20;")
        self.summary_label.setText(self.summary_text(summary))

    def summary_text(self, s: Any) -> str:
        text = self.tr(
            "Đã nhập {file}: {rows} dòng, {customers} khách hàng, {bills} hóa đơn nợ, tổng nợ {due}.\n"
            "Mới: {new}; cập nhật: {updated}; đã trả nơi khác (không thu nữa): {elsewhere}; "
            "xung đột (đã thu tại quầy nhưng CMIS báo đã trả nơi khác — kiểm tra thu trùng): {conflicts}; "
            "dòng trùng: {dups}; dòng bị loại: {rejected}."
        ).format(
            file=Path(s.file).name, rows=format_number(s.rows_read), customers=format_number(s.customers),
            bills=format_number(s.bills), due=format_vnd(s.total_due), new=format_number(s.new_bills),
            updated=format_number(s.updated_bills), elsewhere=format_number(s.paid_elsewhere),
            conflicts=format_number(s.conflicts), dups=format_number(s.duplicates), rejected=len(s.rejected),
        )
        if s.paid_elsewhere:
            text += "\n" + self.tr(
                "{n} hóa đơn chưa thu không còn trong tệp đã chuyển sang \"đã thu nơi khác\" "
                "(không thu tại quầy nữa)."
            ).format(n=format_number(s.paid_elsewhere))
        if s.conflicts:
            text += "\n" + self.tr(
                "{n} hóa đơn đã thu tại quầy nhưng CMIS báo đã thu nơi khác: kiểm tra thu trùng."
            ).format(n=format_number(s.conflicts))
        if s.warnings:
            log.info("import warnings: %s", "; ".join(map(str, s.warnings)))
            if i18n.current_language() == "en":  # the importer's notes exist in English only
                text += "\n" + "\n".join(str(w) for w in s.warnings)
            else:
                self.summary_label.setToolTip("\n".join(str(w) for w in s.warnings))
        if s.report_path:
            text += "\n" + self.tr("Báo cáo: {path}").format(path=s.report_path)
        return text

    def ask_confirmation(self, exc: Any) -> None:
        """Too many bills would become paid elsewhere: show the counts per unit; Enter (the
        start button, now "Xác nhận và nhập") runs the import again accepting that many."""
        units = "; ".join(
            self.tr("{unit}: {m} trên {n}").format(unit=u or "?", m=format_number(m), n=format_number(n))
            for u, (m, n) in exc.preview.by_unit.items()
            if m
        )
        self.summary_label.setStyleSheet("color: #e65100;")
        self.summary_label.setText(
            self.tr(
                "Chưa nhập gì. Tệp này sẽ chuyển {m} hóa đơn chưa thu sang \"đã thu nơi khác\" "
                "(trong số {n} hóa đơn chưa thu của các đơn vị có trong tệp, {pct}%; mức cho phép "
                "khi chưa xác nhận: {limit}%).\nTheo đơn vị (sẽ chuyển trên số chưa thu): {units}.\n"
                "Nếu đúng là các hóa đơn này đã được thu nơi khác, bấm \"Xác nhận và nhập\"; nếu "
                "không, kiểm tra lại tệp (có thể tệp bị thiếu dòng)."
            ).format(
                m=format_number(exc.missing), n=format_number(exc.unpaid),
                pct=f"{100 * exc.missing / max(exc.unpaid, 1):.1f}".replace(".", ","),
                limit=f"{100 * exc.ratio:g}".replace(".", ","), units=units,
            )  # fmt: skip
        )
        self.pending_accept = int(exc.missing)
        self.start_button.setText(self.tr("Xác nhận và nhập (Enter)"))
        self.start_button.setFocus()

    def _failed(self, exc: BaseException) -> None:
        self._close_progress()
        self.summary_label.clear()
        rejected = getattr(exc, "summary", None)
        if rejected is not None:
            self.rejected_model.set_rows(list(getattr(rejected, "rejected", [])))
        if self.handle is not None and self.handle.cancelled():
            self.show_error(self.tr("Đã dừng nhập: không nhập gì, dữ liệu cũ giữ nguyên."))
            return
        preview = getattr(exc, "preview", None)
        if preview is not None and getattr(exc, "code", "") in ("import.confirm_paid_elsewhere", "import.missing_over_accepted"):
            self.ask_confirmation(exc)
            return
        self.show_error(self.tr("Tệp bị từ chối, dữ liệu cũ giữ nguyên: {e}").format(e=error_text(exc)))
