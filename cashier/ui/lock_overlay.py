"""The lock screen itself: the opaque overlay over the whole main window while the counter is
locked (``lock_screen.LockController`` holds the state and checks the password; ``install_lock``
puts this overlay on the window). No customer data, no key reaches the counter; the user-name and
password fields, the owner of the open shift, and the controller's messages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cashier.ui.lock_scan import PasswordBurst
from cashier.ui.widgets import big_font

if TYPE_CHECKING:
    from cashier.ui.lock_screen import LockController


class LockScreen(QFrame):
    """Opaque overlay over the whole main window while locked."""

    def __init__(self, lock: LockController, parent: QWidget) -> None:
        super().__init__(parent)
        self.lock = lock
        self.setObjectName("lock_screen")
        self.setAutoFillBackground(True)
        self.setStyleSheet(
            "#lock_screen { background: #263238; } QLabel { color: white; }"
            " QLabel#lock_error { color: #ffab91; font-weight: bold; }"
        )
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        box = QWidget()
        box.setFixedWidth(600)
        lay = QVBoxLayout(box)
        title = QLabel(self.tr("QUẦY ĐANG KHÓA"))
        title.setFont(big_font(28))
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setContentsMargins(0, 10, 0, 0)  # room for the marks above capitals (Ầ)
        lay.addWidget(title)
        self.owner = QLabel()
        self.owner.setObjectName("lock_owner")
        self.owner.setFont(big_font(14))
        self.owner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.owner)
        form = QFormLayout()
        self.username = QLineEdit()
        self.username.setObjectName("lock_username")
        self.password = QLineEdit()
        self.password.setObjectName("lock_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)  # never watched for scans
        #: set by install_lock: a scanner's burst into the password field is no password
        self.burst: PasswordBurst | None = None
        form.addRow(QLabel(self.tr("Tên đăng nhập")), self.username)
        form.addRow(QLabel(self.tr("Mật khẩu")), self.password)
        lay.addLayout(form)
        hint = QLabel(self.tr(
            "Mở khóa: nhập mật khẩu rồi Enter. Thu ngân khác: Shift+Tab, nhập tên đăng nhập của mình."
        ))
        hint.setWordWrap(True)
        lay.addWidget(hint)
        self.error = QLabel()
        self.error.setObjectName("lock_error")
        self.error.setWordWrap(True)
        lay.addWidget(self.error)
        self.button = QPushButton(self.tr("Mở khóa (Enter)"))
        self.button.clicked.connect(self.submit)
        lay.addWidget(self.button)
        outer.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        self.username.returnPressed.connect(self.submit)
        self.password.returnPressed.connect(self.submit)
        lock.changed.connect(self._on_changed)
        lock.message.connect(self._on_message)
        lock.busy_changed.connect(self._on_busy)
        parent.installEventFilter(self)
        self.hide()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if obj is self.parent() and event.type() == QEvent.Type.Resize and self.isVisible():
            self.setGeometry(cast(QWidget, self.parentWidget()).rect())
        return False

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt API): no key reaches the counter
        event.accept()

    def focus_target(self) -> QWidget | None:
        if not self.isVisible():
            return None
        return self.username if not self.username.text() else self.password

    def _on_changed(self, locked: bool) -> None:
        self.password.clear()
        self.error.clear()
        if not locked:
            self.hide()
            return
        user, shift = self.lock.locked_user, self.lock.locked_shift
        self.username.setText(getattr(user, "username", "") if user is not None else "")
        if shift is not None:
            text = self.tr("Ca {shift} của {owner} đang mở (từ {time}).").format(
                shift=shift.id, owner=shift.username, time=shift.opened_at.strftime("%H:%M")
            )
        else:
            text = self.tr("Chưa mở ca.")
        if user is not None:
            text += "\n" + self.tr("Khóa bởi {name}.").format(name=self.lock.owner_name())
        self.owner.setText(text)
        self.setGeometry(cast(QWidget, self.parentWidget()).rect())
        self.show()
        self.raise_()
        cast(QLayout, self.layout()).activate()  # laid out now, not at the next event loop turn
        target = self.focus_target()
        if target is not None:
            target.setFocus()

    def _on_message(self, kind: str, text: str) -> None:
        self.error.setText(text)
        self.password.clear()
        self.password.setFocus()

    def _on_busy(self, busy: bool) -> None:
        self.button.setEnabled(not busy)
        self.password.setReadOnly(busy)
        self.username.setReadOnly(busy)
        if busy:
            self.error.setText(self.tr("Đang kiểm tra mật khẩu…"))

    def submit(self) -> None:
        burst = self.burst is not None and self.burst.scanned
        if self.burst is not None:
            self.burst.reset()
        if burst:
            self.lock.scan_ignored()
            return
        self.lock.unlock(self.password.text(), self.username.text())
