"""Who is at the counter: the login dialog and a manager's approval of one action.

Both check the password through ``session.SessionController`` on the task runner's ``auth`` lane
(argon2, ~120 ms: never on the GUI thread); the dialog waits with its button off. Given no runner,
a dialog uses the one of the window it belongs to (``MainWindow.runner``), else runs inline
(``tasks.SyncTaskRunner``: dialogs built alone in tests).
"""

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

from cashier.ui import tasks
from cashier.ui.dialogs.base import BaseDialog, buttons
from cashier.ui.scan_detector import NO_SCAN
from cashier.ui.session import SessionController
from cashier.ui.widgets import big_font

log = logging.getLogger(__name__)


def runner_of(widget: Any) -> tasks.TaskRunner:
    """The task runner of ``widget``'s window (or of a parent dialog that has one)."""
    while widget is not None:
        runner = getattr(widget, "runner", None)
        if isinstance(runner, tasks.TaskRunner):
            return runner
        widget = widget.parent()
    return tasks.SyncTaskRunner()


class PasswordDialog(BaseDialog):
    """A dialog whose Enter checks a password on the auth lane (OK button off meanwhile)."""

    def __init__(self, backend: Any, parent: QWidget | None, runner: tasks.TaskRunner | None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.setProperty(NO_SCAN, True)  # a password typed fast is never taken for a scan
        self.session = SessionController(backend, runner or runner_of(parent), self)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.button_box: Any = None
        self._tried = ""
        self.session.busy_changed.connect(self._busy)

    def _busy(self, busy: bool) -> None:
        if self.button_box is not None:
            self.button_box.setEnabled(not busy)

    def check(self, start: Any) -> None:
        """Start a check of the password as typed now (``start(password)``)."""
        self.error.clear()
        self._tried = self.password.text()
        # the keyboard is where a refusal leaves it (the password) at once, not ~0.2 s later:
        # what is typed or tabbed meanwhile goes where the cashier expects
        self.password.setFocus()
        start(self._tried)

    def refused(self, exc: BaseException) -> None:
        # the answer comes ~0.2 s later: what was typed meanwhile stays where it was typed
        if self.password.text() == self._tried:
            self.password.clear()
        username = getattr(self, "username", None)
        if username is None or not username.hasFocus():
            self.password.setFocus()
        self.show_error(exc)


class LoginDialog(PasswordDialog):
    def __init__(
        self, backend: Any, parent: QWidget | None = None, *, last_user: str = "", runner: tasks.TaskRunner | None = None
    ) -> None:
        super().__init__(backend, parent, runner)
        self.user = None
        self.setWindowTitle(self.tr("Đăng nhập"))
        lay = QVBoxLayout(self)
        title = QLabel(self.tr("Đăng nhập quầy thu"))
        title.setFont(big_font(16))
        lay.addWidget(title)
        form = QFormLayout()
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.password.setObjectName("password")
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
        self.button_box = buttons(self, self.tr("Đăng nhập (Enter)"))
        lay.addWidget(self.button_box)
        last = last_user or backend.last_username()
        if last:
            self.username.setText(last)
            self.password.setFocus()

    def accept(self) -> None:
        name = self.username.text()
        self.check(lambda password: self.session.check_login(name, password, self._logged_in, self.refused))

    def _logged_in(self, user: Any) -> None:
        self.user = user
        super().accept()



class ManagerAuthDialog(PasswordDialog):
    """A manager types their own user name and password to authorise one action."""

    def __init__(
        self,
        backend: Any,
        user: Any,
        permission: str,
        what: str,
        parent: QWidget | None = None,
        *,
        reason: str = "",
        runner: tasks.TaskRunner | None = None,
    ) -> None:
        super().__init__(backend, parent, runner)
        self.user, self.permission, self.reason = user, permission, reason
        self.approval = None
        self.setWindowTitle(self.tr("Quản lý duyệt"))
        lay = QVBoxLayout(self)
        msg = QLabel(self.tr("Cần quản lý duyệt: {what}").format(what=what))
        msg.setFont(big_font(13))
        msg.setWordWrap(True)
        lay.addWidget(msg)
        form = QFormLayout()
        self.username = QLineEdit()
        self.username.setObjectName("manager")
        self.password.setObjectName("manager_password")
        form.addRow(self.tr("Quản lý"), self.username)
        form.addRow(self.tr("Mật khẩu"), self.password)
        lay.addLayout(form)
        lay.addWidget(self.error)
        self.button_box = buttons(self, self.tr("Duyệt (Enter)"))
        lay.addWidget(self.button_box)

    def accept(self) -> None:
        name = self.username.text()
        self.check(lambda password: self.session.check_approval(
            name, password, self.permission, self.user, self.reason, self._approved, self.refused
        ))  # fmt: skip

    def _approved(self, approval: Any) -> None:
        self.approval = approval
        super().accept()


def ask_approval(
    backend: Any, user: Any, permission: str, what: str, parent: QWidget, reason: str = "",
    runner: tasks.TaskRunner | None = None,
) -> Any:  # fmt: skip
    """None when the user may do it alone; the Approval when a manager authorised; False when
    cancelled."""
    if user.can(permission):
        return None
    dlg = ManagerAuthDialog(backend, user, permission, what, parent, reason=reason, runner=runner)
    if dlg.exec() == QDialog.DialogCode.Accepted:
        return dlg.approval
    return False
