"""The counter window's manager flows (F10): the menu built from the actions table, import of
the morning extract, the clearing export, the dashboard, users and settings (applied at once:
confirm rule, customer display, auto-lock, serial scanner). The base class of
``main_window.MainWindow``; its strings are in the MainWindow translation context.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QMainWindow, QMenu

from cashier.ui import actions, tasks
from cashier.ui.dialogs.export import ExportDialog
from cashier.ui.dialogs.imports import ImportDialog
from cashier.ui.dialogs.settings import SettingsDialog
from cashier.ui.dialogs.users import UsersDialog


class ManagerFlows(QMainWindow):
    """F10 of the counter window; ``main_window.MainWindow`` provides what is declared here."""

    backend: Any
    runner: tasks.TaskRunner
    settings: QSettings
    detector: Any
    controller: Any
    customer_display: Any
    lock: Any
    fkeys: dict[str, Any]
    set_scanner_state: Callable[[str], None]

    @actions.checked
    def manager_menu(self) -> None:
        menu = QMenu(self)
        for row in actions.menu("F10"):
            menu.addAction(row.text(), getattr(self, row.slot))
        menu.exec(self.fkeys["F10"].mapToGlobal(self.fkeys["F10"].rect().topLeft()))

    @actions.checked
    def import_extract(self) -> None:
        ImportDialog(self.backend, self.runner, self.controller.user, self).exec()

    @actions.checked
    def export_clearing(self) -> None:
        ExportDialog(self.backend, self.runner, self.controller.user, self).exec()

    @actions.checked
    def dashboard(self) -> None:
        from cashier.ui.dashboard import DashboardDialog  # QtCharts: loaded when first shown

        DashboardDialog(self.backend, self).exec()

    @actions.checked
    def users(self) -> None:
        UsersDialog(self.backend, self.controller.user, self).exec()

    @actions.checked
    def open_settings(self) -> None:
        dlg = SettingsDialog(self.backend, self.runner, self.settings, self.detector, self.controller.user, self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.controller.confirm_rule = str(self.settings.value("counter/confirm", "both"))
            self.customer_display.apply_settings()
            self.lock.set_idle_minutes(self.settings.value("counter/lock_idle_minutes"))
            self.controller.set_session(self.controller.user, self.controller.shift)
            serial = getattr(self, "serial", None)
            if serial is not None:
                port = str(self.settings.value("scanner/serial_port", "") or "")
                if port:
                    serial.start(port, int(str(self.settings.value("scanner/serial_baud", 9600))), self.detector.config.prefix)
                else:
                    serial.stop()
                self.set_scanner_state("ready")
