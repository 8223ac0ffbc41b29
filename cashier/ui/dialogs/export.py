"""F10 -> the end-of-day clearing file for CMIS."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cashier.core.money import format_vnd
from cashier.ui import tasks
from cashier.ui.dialogs.base import BaseDialog, file_dialog, start_close_buttons

log = logging.getLogger(__name__)


class ExportDialog(BaseDialog):
    """The clearing file for CMIS (issue 6's export service) on the background lane."""

    def __init__(self, backend: Any, runner: tasks.TaskRunner, user: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend, self.runner, self.user = backend, runner, user
        self.result_export = None
        self.handle: tasks.TaskHandle | None = None
        self.setWindowTitle(self.tr("Xuất tệp gạch nợ cho CMIS"))
        self.resize(760, 360)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("Mọi khoản thu chưa xuất (và các biên nhận đã hủy sau khi xuất) vào một lô mới, có ký số.")))
        row = QHBoxLayout()
        self.folder = QLineEdit(str(backend.export_dir()))
        self.folder.setObjectName("folder")
        browse = QPushButton(self.tr("Chọn thư mục…"))
        browse.setAutoDefault(False)
        browse.clicked.connect(self.browse)
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        lay.addLayout(row)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.summary, 1)
        lay.addWidget(self.error)
        box, self.start_button = start_close_buttons(self, self.tr("Xuất (Enter)"), self.tr("Đóng (Esc)"))
        lay.addWidget(box)

    def browse(self) -> None:
        dlg = file_dialog(self, self.tr("Thư mục lưu tệp gạch nợ"), self.folder.text())
        dlg.setFileMode(QFileDialog.FileMode.Directory)
        dlg.setOption(QFileDialog.Option.ShowDirsOnly, True)
        if dlg.exec() and dlg.selectedFiles():
            self.folder.setText(dlg.selectedFiles()[0])

    def start(self) -> None:
        folder = self.folder.text().strip()
        self.error.clear()
        self.summary.setText(self.tr("Đang xuất…"))
        self.start_button.setEnabled(False)
        self.handle = self.runner.run(
            lambda: self.backend.export_clearing(self.user, folder), self._done, self._failed, name="export"
        )

    def _done(self, r: Any) -> None:
        self.start_button.setEnabled(True)
        self.result_export = r
        if not r.batch_id:
            self.summary.setText(r.message or self.tr("Không có khoản thu nào chưa xuất."))
            return
        self.summary.setStyleSheet("color: #1b5e20;")
        self.summary.setText(
            self.tr(
                "Lô {batch}: {rows} dòng hóa đơn, biên nhận {first} … {last}, {reversals} dòng hủy đảo, "
                "tổng {total}.\nTệp: {files}\nSao lưu: {backup}"
            ).format(
                batch=r.batch_id, first=r.first_receipt or "-", last=r.last_receipt or "-",
                reversals=r.reversals, rows=r.rows, total=format_vnd(r.grand_total),
                files="\n".join(r.files), backup=r.backup or "-",
            )
        )

    def _failed(self, exc: BaseException) -> None:
        self.start_button.setEnabled(True)
        self.summary.clear()
        self.show_error(exc)
