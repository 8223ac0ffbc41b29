"""The session's flows of the counter window (F9): login, open / resume / close the shift, the X
report, logout. The rules are ``session.SessionController``'s; this is what the window shows for
them (the base class of ``main_window.MainWindow``; its strings are in the MainWindow translation
context).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtWidgets import QDialog, QMainWindow, QMenu

from cashier.core.errors import DomainError
from cashier.ui import actions, tasks
from cashier.ui.dialogs.login import LoginDialog
from cashier.ui.dialogs.shift import CloseShiftDialog, OpenShiftDialog, ReportDialog
from cashier.ui.i18n import error_text
from cashier.ui.session import NO_SHIFT, OTHER_SHIFT, SessionController


class ShiftFlows(QMainWindow):
    """The counter window's F9 flows; ``main_window.MainWindow`` provides what is declared here."""

    session: SessionController
    backend: Any
    runner: tasks.TaskRunner
    settings: QSettings
    controller: Any
    fkeys: dict[str, Any]
    focus_keeper: Any
    show_message: Callable[[str, str], None]
    alert: Callable[[str], None]
    _on_notice: Callable[[str, str], None]
    _need_shift: Callable[[], bool]

    def shift_menu_entries(self) -> list[tuple[str, str, Any]]:
        """The F9 menu: (key, text, slot); closing another user's open shift is offered to
        whoever may close it (close_others_shift)."""
        entries: list[tuple[str, str, Any]] = []
        own, closable = self.session.shift, self.session.closable_shift()
        if own is not None:
            entries.append(("x_report", QCoreApplication.translate("MainWindow", "Báo cáo X (giữa ca)"), self.x_report))
            entries.append(("close_shift", QCoreApplication.translate("MainWindow", "Đóng ca (kiểm tiền, báo cáo Z)"), self.close_shift))
        elif closable is not None:
            entries.append(("x_report", QCoreApplication.translate("MainWindow", "Báo cáo X (giữa ca)"), self.x_report))
            entries.append((
                "close_shift",
                QCoreApplication.translate("MainWindow", "Đóng ca {shift} của {name} (kiểm tiền, báo cáo Z)").format(shift=closable.id, name=closable.username),
                self.close_shift,
            ))  # fmt: skip
        elif self.session.station_shift() is None:
            entries.append(("open_shift", QCoreApplication.translate("MainWindow", "Mở ca"), self.open_shift))
        entries.append(("logout", QCoreApplication.translate("MainWindow", "Đăng xuất"), self.logout))
        return entries

    @actions.checked
    def shift_menu(self) -> None:
        if self.session.user is None:
            self.start_session()
            return
        menu = QMenu(self)
        entries = self.shift_menu_entries()
        for key, text, slot in entries:
            if key == "logout":
                menu.addSeparator()
            menu.addAction(text, slot)
        menu.exec(self.fkeys["F9"].mapToGlobal(self.fkeys["F9"].rect().topLeft()))

    def start_session(self) -> bool:
        """Login, then open (or resume) the shift. Returns True when a shift is open."""
        last = str(self.settings.value("login/last_user", "") or "")
        login = LoginDialog(self.backend, self, last_user=last, runner=self.runner)
        if login.exec() != QDialog.DialogCode.Accepted or login.user is None:
            return False
        user = login.user
        self.settings.setValue("login/last_user", user.username)
        rule, shift = self.session.begin(user)
        if rule == OTHER_SHIFT:
            self.show_message("error", self._other_shift_text(shift))
            return False
        if rule == NO_SHIFT:
            dlg = OpenShiftDialog(self.backend, user, self)
            if dlg.exec() != QDialog.DialogCode.Accepted:
                return False
            self.session.set(user, dlg.shift)
            shift = dlg.shift
        if self.session.is_stale(shift, self.backend.clock.now().date()):
            self._on_notice(
                "error",
                QCoreApplication.translate("MainWindow", "Ca {shift} mở từ {day} chưa đóng: hãy đóng ca cũ (F9) rồi mở ca mới cho hôm nay.").format(
                    shift=shift.id, day=shift.opened_at.strftime("%d/%m/%Y")
                ),
            )
        else:
            self.show_message("good", QCoreApplication.translate("MainWindow", "Ca {shift} đã mở. Sẵn sàng thu tiền.").format(shift=shift.id))
        self._take_keyboard()
        return True

    def _other_shift_text(self, shift: Any) -> str:
        if self.session.closable_shift() is not None:
            return QCoreApplication.translate(
                "MainWindow",
                "Ca {shift} của {name} đang mở trên máy này: bấm F9 → Đóng ca để kiểm tiền và đóng ca đó."
            ).format(shift=shift.id, name=shift.username)
        return QCoreApplication.translate("MainWindow", "Ca {shift} của {name} đang mở trên máy này: người đó phải đóng ca trước.").format(
            shift=shift.id, name=shift.username
        )

    def _take_keyboard(self) -> None:
        """After a dialog: the counter window gets the keyboard back (the scanner's keys too)."""
        self.focus_keeper.reclaim()

    def open_shift(self) -> None:
        dlg = OpenShiftDialog(self.backend, self.session.user, self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.session.set(self.session.user, dlg.shift)

    def x_report(self) -> None:
        shift = self.session.closable_shift()
        if shift is None:
            self._need_shift()
            return
        try:
            report = self.backend.x_report(self.session.user, shift.id)
        except DomainError as exc:
            self._on_notice("error", error_text(exc))
            return
        ReportDialog(self.backend, self.runner, report, self).exec()

    def close_shift(self) -> None:
        """Count and close the open shift: the user's own, or (close_others_shift: a manager
        after a switch at the lock screen) the cashier's whose shift is still open."""
        user, shift = self.session.user, self.session.closable_shift()
        if shift is None:
            station_shift = self.session.station_shift() if user is not None else None
            if station_shift is not None:
                self.alert(self._other_shift_text(station_shift))
            else:
                self._need_shift()
            return
        dlg = CloseShiftDialog(self.backend, self.runner, user, shift, self)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.report is not None:
            self.session.shift_closed()
            self.controller.clear()
            self._on_notice("good", QCoreApplication.translate("MainWindow", "Đã đóng ca. Báo cáo Z số {z}.").format(z=dlg.report.z_number))

    def logout(self) -> None:
        self.controller.clear()
        self.session.logout()
        QTimer.singleShot(0, self.start_session)
