"""F10 -> users and roles."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cashier.ui.dialogs.base import BaseDialog
from cashier.ui.models import Column, RowsModel
from cashier.ui.scan_detector import NO_SCAN
from cashier.ui.widgets import make_table


def role_text(role: str) -> str:
    return {
        "cashier": QCoreApplication.translate("Columns", "Thu ngân"),
        "manager": QCoreApplication.translate("Columns", "Quản lý"),
        "admin": QCoreApplication.translate("Columns", "Quản trị"),
    }.get(str(role), str(role))


def user_columns() -> list[Column]:
    def state(u: Any) -> str:
        if not u.active:
            return QCoreApplication.translate("Columns", "Vô hiệu")
        if u.locked:
            return QCoreApplication.translate("Columns", "Bị khóa")
        if u.locked_until is not None:
            return QCoreApplication.translate("Columns", "Khóa tạm đến {t}").format(t=u.locked_until.strftime("%H:%M"))
        return QCoreApplication.translate("Columns", "Hoạt động")

    return [
        Column(QCoreApplication.translate("Columns", "Tên đăng nhập"), lambda u: u.username, bold=True),
        Column(QCoreApplication.translate("Columns", "Họ tên"), lambda u: u.full_name),
        Column(QCoreApplication.translate("Columns", "Vai trò"), lambda u: role_text(u.role)),
        Column(QCoreApplication.translate("Columns", "Mã thu ngân"), lambda u: u.cashier_code),
        Column(QCoreApplication.translate("Columns", "Trạng thái"), state),
    ]


class UsersDialog(BaseDialog):
    def __init__(self, backend: Any, actor: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend, self.actor = backend, actor
        self.setProperty(NO_SCAN, True)  # passwords are typed here: never taken for a scan
        self.setWindowTitle(self.tr("Người dùng và quyền"))
        self.resize(900, 560)
        lay = QVBoxLayout(self)
        self.model = RowsModel(user_columns(), parent=self)
        self.table = make_table(self.model, stretch=1)
        lay.addWidget(self.table, 1)
        add = QGroupBox(self.tr("Thêm người dùng"))
        form = QFormLayout(add)
        self.username = QLineEdit()
        self.full_name = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.code = QLineEdit()
        self.role = QComboBox()
        for key in ("cashier", "manager", "admin"):
            self.role.addItem(role_text(key), key)
        form.addRow(self.tr("Tên đăng nhập"), self.username)
        form.addRow(self.tr("Họ tên"), self.full_name)
        form.addRow(self.tr("Mật khẩu (từ 6 ký tự)"), self.password)
        form.addRow(self.tr("Mã thu ngân (MA_TNGAN)"), self.code)
        form.addRow(self.tr("Vai trò"), self.role)
        add_btn = QPushButton(self.tr("Thêm"))
        add_btn.clicked.connect(self.add_user)
        form.addRow(add_btn)
        lay.addWidget(add)
        row = QHBoxLayout()
        for text, slot in (
            (self.tr("Khóa"), lambda: self.set_locked(True)),
            (self.tr("Mở khóa"), lambda: self.set_locked(False)),
            (self.tr("Đổi vai trò thành đã chọn ở trên"), self.change_role),
            (self.tr("Đặt lại mật khẩu (ô mật khẩu ở trên)"), self.reset_password),
        ):
            b = QPushButton(text)
            b.setAutoDefault(False)
            b.clicked.connect(slot)
            row.addWidget(b)
        lay.addLayout(row)
        lay.addWidget(self.error)
        close = QPushButton(self.tr("Đóng (Esc)"))
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        lay.addWidget(close)
        self.reload()

    def reload(self) -> None:
        try:
            self.model.set_rows(self.backend.list_users(self.actor))
        except Exception as exc:  # noqa: BLE001
            self.show_error(exc)

    def selected(self) -> Any:
        idx = self.table.currentIndex()
        return self.model.row(idx.row()) if idx.isValid() else None

    def _do(self, fn, ok_text: str) -> None:
        try:
            fn()
        except Exception as exc:  # noqa: BLE001
            self.error.setStyleSheet("color: #b00020; font-weight: bold;")
            self.show_error(exc)
            return
        self.error.setStyleSheet("color: #1b5e20; font-weight: bold;")
        self.error.setText(ok_text)
        self.reload()

    def add_user(self) -> None:
        name = self.username.text().strip()
        self._do(
            lambda: self.backend.add_user(
                self.actor, name, self.password.text(), self.role.currentData(), self.full_name.text(), self.code.text()
            ),
            self.tr("Đã thêm {u}.").format(u=name),
        )
        self.password.clear()

    def set_locked(self, locked: bool) -> None:
        u = self.selected()
        if u is None:
            self.show_error(self.tr("Chọn một người dùng trong bảng."))
            return
        self._do(lambda: self.backend.set_user_locked(self.actor, u.username, locked), self.tr("Đã cập nhật {u}.").format(u=u.username))

    def change_role(self) -> None:
        u = self.selected()
        if u is None:
            self.show_error(self.tr("Chọn một người dùng trong bảng."))
            return
        self._do(lambda: self.backend.set_role(self.actor, u.username, self.role.currentData()), self.tr("Đã cập nhật {u}.").format(u=u.username))

    def reset_password(self) -> None:
        u = self.selected()
        if u is None:
            self.show_error(self.tr("Chọn một người dùng trong bảng."))
            return
        pw = self.password.text()
        self._do(lambda: self.backend.change_password(self.actor, u.username, pw), self.tr("Đã đổi mật khẩu của {u}.").format(u=u.username))
        self.password.clear()
