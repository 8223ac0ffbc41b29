"""Who is at the counter: the login dialog and a manager's approval of one action."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from cashier.ui.dialogs.base import BaseDialog, buttons
from cashier.ui.scan_detector import NO_SCAN
from cashier.ui.widgets import big_font

log = logging.getLogger(__name__)


class LoginDialog(BaseDialog):
    def __init__(self, backend: Any, parent: QWidget | None = None, *, last_user: str = "") -> None:
        super().__init__(parent)
        self.backend = backend
        self.user = None
        self.setProperty(NO_SCAN, True)  # a password typed fast is never taken for a scan
        self.setWindowTitle(self.tr("Đăng nhập"))
        lay = QVBoxLayout(self)
        title = QLabel(self.tr("Đăng nhập quầy thu"))
        title.setFont(big_font(16))
        lay.addWidget(title)
        form = QFormLayout()
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("Tên đăng nhập"), self.username)
        form.addRow(self.tr("Mật khẩu"), self.password)
        lay.addLayout(form)
        demo_users = backend.info.demo_users
        if demo_users:
            accounts = ", ".join(f"{u} / {p}" for u, p, _r in demo_users)
            demo = QLabel(self.tr("Dữ liệu thử (demo) — tài khoản: {accounts}").format(accounts=accounts))
            demo.setWordWrap(True)
            demo.setStyleSheet("color: #0d47a1;")
            lay.addWidget(demo)
        lay.addWidget(self.error)
        lay.addWidget(buttons(self, self.tr("Đăng nhập (Enter)")))
        last = last_user or backend.last_username()
        if last:
            self.username.setText(last)
            self.password.setFocus()

    def accept(self) -> None:
        try:
            self.user = self.backend.login(self.username.text(), self.password.text())
        except Exception as exc:  # noqa: BLE001
            self.password.clear()
            self.password.setFocus()
            self.show_error(exc)
            return
        super().accept()



class ManagerAuthDialog(BaseDialog):
    """A manager types their own user name and password to authorise one action."""

    def __init__(self, backend: Any, user: Any, permission: str, what: str, parent: QWidget | None = None, *, reason: str = "") -> None:
        super().__init__(parent)
        self.backend, self.user, self.permission, self.reason = backend, user, permission, reason
        self.approval = None
        self.setProperty(NO_SCAN, True)  # a password typed fast is never taken for a scan
        self.setWindowTitle(self.tr("Quản lý duyệt"))
        lay = QVBoxLayout(self)
        msg = QLabel(self.tr("Cần quản lý duyệt: {what}").format(what=what))
        msg.setFont(big_font(13))
        msg.setWordWrap(True)
        lay.addWidget(msg)
        form = QFormLayout()
        self.username = QLineEdit()
        self.username.setObjectName("manager")
        self.password = QLineEdit()
        self.password.setObjectName("manager_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("Quản lý"), self.username)
        form.addRow(self.tr("Mật khẩu"), self.password)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(buttons(self, self.tr("Duyệt (Enter)")))

    def accept(self) -> None:
        try:
            self.approval = self.backend.authorise(
                self.username.text(), self.password.text(), self.permission, self.user, self.reason
            )
        except Exception as exc:  # noqa: BLE001
            self.password.clear()
            self.show_error(exc)
            return
        super().accept()


def ask_approval(backend: Any, user: Any, permission: str, what: str, parent: QWidget, reason: str = "") -> Any:
    """None when the user may do it alone; the Approval when a manager authorised; False when
    cancelled."""
    if user.can(permission):
        return None
    dlg = ManagerAuthDialog(backend, user, permission, what, parent, reason=reason)
    if dlg.exec() == QDialog.DialogCode.Accepted:
        return dlg.approval
    return False
