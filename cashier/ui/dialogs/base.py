"""What every dialog shares: the error line, the OK/Cancel row, scans refused by default,
the file chooser in the UI language and the start/close row of the long-running dialogs.

Every dialog works with the keyboard alone (Enter accepts, Esc cancels, F-keys stay on the main
window). Errors from the services are shown inside the dialog, never a traceback.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QWidget,
)

from cashier.core.errors import DomainError
from cashier.ui.i18n import error_text

log = logging.getLogger(__name__)


def buttons(dlg: QDialog, ok_text: str, cancel_text: str | None = None) -> QDialogButtonBox:
    box = QDialogButtonBox()
    ok = box.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
    ok.setDefault(True)
    ok.setAutoDefault(True)
    if cancel_text is None:
        cancel_text = QCoreApplication.translate("Dialogs", "Hủy (Esc)")
    box.addButton(cancel_text, QDialogButtonBox.ButtonRole.RejectRole)
    box.accepted.connect(dlg.accept)
    box.rejected.connect(dlg.reject)
    return box


def error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020; font-weight: bold;")
    label.setMinimumWidth(360)
    return label


class BaseDialog(QDialog):
    """Shows service refusals in its own error line; accepts scans only when it says so."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModal(True)
        self.error = error_label()

    def show_error(self, exc: BaseException | str) -> None:
        text = exc if isinstance(exc, str) else error_text(exc)
        if not isinstance(exc, (str, DomainError)):
            log.error("dialog error", exc_info=exc)
        self.error.setText(text)

    def accept_scan(self, raw: str) -> bool:  # noqa: ARG002 (overridden)
        return False



def file_dialog(parent: QWidget, title: str, directory: str) -> QFileDialog:
    """A file dialog with its labels in the UI language (Qt ships no Vietnamese for its own
    dialogs; a native dialog of a Vietnamese Windows is Vietnamese already)."""
    dlg = QFileDialog(parent, title, directory)
    labels = {
        QFileDialog.DialogLabel.LookIn: QCoreApplication.translate("FileDialog", "Thư mục:"),
        QFileDialog.DialogLabel.FileName: QCoreApplication.translate("FileDialog", "Tên tệp:"),
        QFileDialog.DialogLabel.FileType: QCoreApplication.translate("FileDialog", "Loại tệp:"),
        QFileDialog.DialogLabel.Accept: QCoreApplication.translate("FileDialog", "Chọn"),
        QFileDialog.DialogLabel.Reject: QCoreApplication.translate("FileDialog", "Hủy"),
    }
    for which, text in labels.items():
        dlg.setLabelText(which, text)
    return dlg



def start_close_buttons(dialog: Any, start_text: str, close_text: str) -> tuple[QDialogButtonBox, Any]:
    """The long-running dialogs' button row: a default start button (Enter) wired to
    ``dialog.start`` and a close button (Esc) wired to ``dialog.reject``."""
    box = QDialogButtonBox()
    start = box.addButton(start_text, QDialogButtonBox.ButtonRole.ActionRole)
    start.setDefault(True)
    start.clicked.connect(dialog.start)
    box.addButton(close_text, QDialogButtonBox.ButtonRole.RejectRole)
    box.rejected.connect(dialog.reject)
    return box, start
