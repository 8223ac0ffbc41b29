"""The counter window takes the keyboard back after every dialog and menu.

Without a window manager (kiosk set-ups, Xvfb) nobody gives the focus back when a dialog closes:
the X server leaves it on the root window, the window under the pointer still gets the keys, Qt
has no active window (and reports no focus-window change: its focus window stays the hidden
dialog), so the shortcuts are dead and the keys reach whatever widget last had focus.
One :class:`FocusKeeper` per main window watches the windows of the application (an event filter
that looks only at Show and Hide of top-level windows): when a dialog or menu of ours is hidden,
the next modal dialog still open, else the main window, is raised and activated, and the main
window puts the keyboard on the widget ``focus_target`` names. A dialog shown without getting the
focus is activated too. With a window manager this only sets the widget focus.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QWidget

log = logging.getLogger(__name__)


class FocusKeeper(QObject):
    def __init__(self, main: QWidget, focus_target: Callable[[], QWidget | None]) -> None:
        super().__init__(main)
        self.main = main
        self.focus_target = focus_target
        #: how many times the keyboard was given back to the main window (tests, the log)
        self.reclaimed = 0
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        etype = event.type()
        if etype not in (QEvent.Type.Hide, QEvent.Type.Show):
            return False
        if not isinstance(obj, (QDialog, QMenu)) or not obj.isWindow() or obj is self.main:
            return False
        if etype == QEvent.Type.Hide:
            QTimer.singleShot(0, self.reclaim)  # once the close has been processed
        elif isinstance(obj, QDialog):
            QTimer.singleShot(0, self._activate_shown)
        return False

    def _activate_shown(self) -> None:
        modal = QApplication.activeModalWidget()
        if modal is not None and modal.isVisible() and QApplication.activeWindow() is not modal:
            modal.raise_()
            modal.activateWindow()

    def reclaim(self) -> None:
        """Give the keyboard to the dialog still open on top, else to the counter window."""
        if not self.main.isVisible() or QApplication.activePopupWidget() is not None:
            return
        modal = QApplication.activeModalWidget()
        if modal is not None and modal is not self.main:
            self._activate_shown()
            return
        self.reclaimed += 1
        if QApplication.activeWindow() is not self.main:
            self.main.raise_()
            self.main.activateWindow()
            log.info("keyboard taken back by the counter window")
        target = self.focus_target()
        if target is not None:
            target.setFocus()
