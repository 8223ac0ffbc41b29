"""The counter's actions as one table: key, MainWindow slot, permission, open shift, button.

``MainWindow`` builds its shortcuts, its F-key bar and the F10 menu from :data:`ACTIONS`, and every
slot named here checks the row before it runs (:func:`checked`): the user's permission (the role
matrix of ``core.ledger.permissions``) and whether an open shift of theirs is needed. The
services check the same rules again; the table is what the counter shows and refuses up front.

``approval``: the permission a manager's approval stands in for (the dialog asks for it when the
user lacks it: reprint, void, partial payment); the window does not refuse those.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from cashier.core.ledger import Permission


@dataclass(frozen=True)
class Action:
    """One row of the table (plain ``#`` comments: lupdate would take ``#:`` ones as notes for the
    translator of the first label)."""

    # the shortcut ("F1", "Shift+F2", "Ctrl+L"); "" for an entry of a menu only
    key: str
    # the MainWindow method it calls
    slot: str
    # the button's or the menu entry's text: the Vietnamese source string, marked for lupdate
    # by QT_TRANSLATE_NOOP (typed ``object`` by PySide6); :meth:`text` translates it
    label: object
    # the user must have it (None: anyone logged in or not)
    permission: Permission | None = None
    # what is refused, for the refusal ("… không có quyền {what}")
    what: object = ""
    # needs an open shift of the logged-in user
    needs_shift: bool = False
    # has a button in the F-key bar (the others are listed by F1)
    button: bool = False
    # the menu it is an entry of ("F10"), "" for none
    menu: str = ""
    # asked of a manager when the user lacks it (the dialog does: see the module docstring)
    approval: Permission | None = None
    # False: the shortcut is added by its own module (Ctrl+L: lock_screen.install_lock, which
    # must own it: it stays on behind the lock screen)
    wired: bool = True

    def text(self) -> str:
        return QCoreApplication.translate("MainWindow", str(self.label))

    def what_text(self) -> str:
        return QCoreApplication.translate("MainWindow", str(self.what))


ACTIONS: tuple[Action, ...] = (
    Action("F1", "show_help", QT_TRANSLATE_NOOP("MainWindow", "Trợ giúp"), button=True),
    # F2/Enter: the counter controller says what is missing (a customer first, then a shift)
    Action("F2", "confirm", QT_TRANSLATE_NOOP("MainWindow", "Thu tiền"), button=True),
    Action("F3", "open_search", QT_TRANSLATE_NOOP("MainWindow", "Tìm khách"), button=True),
    Action("F4", "print_notice", QT_TRANSLATE_NOOP("MainWindow", "Thông báo"), button=True),
    Action("F5", "reprint", QT_TRANSLATE_NOOP("MainWindow", "In lại"), needs_shift=True, button=True, approval=Permission.REPRINT),
    Action("F6", "void", QT_TRANSLATE_NOOP("MainWindow", "Hủy BN"), needs_shift=True, button=True, approval=Permission.VOID),
    Action("F7", "select_bills", QT_TRANSLATE_NOOP("MainWindow", "Chọn HĐ"), needs_shift=True, button=True),
    Action("F8", "transfer", QT_TRANSLATE_NOOP("MainWindow", "Chuyển khoản"), needs_shift=True, button=True),
    Action("F9", "shift_menu", QT_TRANSLATE_NOOP("MainWindow", "Ca làm việc"), button=True),
    Action("F10", "manager_menu", QT_TRANSLATE_NOOP("MainWindow", "Quản lý"), button=True),
    Action("F11", "reconnection_orders", QT_TRANSLATE_NOOP("MainWindow", "Đóng điện"), button=True),
    Action("F12", "partial_payment", QT_TRANSLATE_NOOP("MainWindow", "Thu một phần"), needs_shift=True, approval=Permission.PARTIAL_PAYMENT),
    Action("Shift+F2", "basket", QT_TRANSLATE_NOOP("MainWindow", "Thu gộp nhiều khách hàng"), needs_shift=True),
    Action("Shift+F8", "split_payment", QT_TRANSLATE_NOOP("MainWindow", "Tiền mặt + chuyển khoản"), needs_shift=True),
    Action("Ctrl+L", "lock_counter", QT_TRANSLATE_NOOP("MainWindow", "Khóa quầy"), wired=False),
    Action("Esc", "clear_customer", QT_TRANSLATE_NOOP("MainWindow", "Xóa"), button=True),
    # F10's entries
    Action("", "import_extract", QT_TRANSLATE_NOOP("MainWindow", "Nhập dữ liệu nợ buổi sáng…"), Permission.IMPORT,
           QT_TRANSLATE_NOOP("MainWindow", "nhập dữ liệu nợ"), menu="F10"),
    Action("", "export_clearing", QT_TRANSLATE_NOOP("MainWindow", "Xuất tệp gạch nợ cuối ngày…"), Permission.EXPORT,
           QT_TRANSLATE_NOOP("MainWindow", "xuất tệp gạch nợ"), menu="F10"),
    Action("", "dashboard", QT_TRANSLATE_NOOP("MainWindow", "Bảng điều khiển trong ngày"), Permission.VIEW_REPORTS,
           QT_TRANSLATE_NOOP("MainWindow", "xem bảng điều khiển"), menu="F10"),
    Action("", "users", QT_TRANSLATE_NOOP("MainWindow", "Người dùng và quyền"), Permission.MANAGE_USERS,
           QT_TRANSLATE_NOOP("MainWindow", "quản lý người dùng"), menu="F10"),
    Action("", "open_settings", QT_TRANSLATE_NOOP("MainWindow", "Cấu hình"), Permission.SETTINGS, QT_TRANSLATE_NOOP("MainWindow", "thay đổi cấu hình"), menu="F10"),
)  # fmt: skip

BY_SLOT: dict[str, Action] = {a.slot: a for a in ACTIONS}


def shortcuts() -> list[Action]:
    """The rows the window turns into shortcuts."""
    return [a for a in ACTIONS if a.key and a.wired]


def buttons() -> list[Action]:
    return [a for a in ACTIONS if a.button]


def menu(name: str) -> list[Action]:
    return [a for a in ACTIONS if a.menu == name]


F = TypeVar("F", bound=Callable[..., Any])


def checked(method: F) -> F:
    """A MainWindow slot of the table: runs only when ``window.allowed(row)`` says so."""
    row = BY_SLOT[method.__name__]

    @functools.wraps(method)
    def run(window: Any, *args: Any, **kwargs: Any) -> Any:
        if not window.allowed(row):
            return None
        return method(window, *args, **kwargs)

    return run  # type: ignore[return-value]
