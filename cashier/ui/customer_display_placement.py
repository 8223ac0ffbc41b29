"""Where the customer display goes, and the settings' choice of it (this computer's QSettings).

:func:`choose_placement`: ``auto`` (default) full screen on a screen that is not the counter's,
nothing when there is only one; ``window`` a movable window (position remembered) on the second
screen when there is one, else on the counter's; ``off`` never. ``customer_display.CustomerDisplay``
places itself by it (again when a screen is attached or removed); :class:`ModeChooser` is the
settings dialog's choice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QComboBox, QWidget

MODE_KEY = "customer_display/mode"
GEOMETRY_KEY = "customer_display/geometry"
MODE_AUTO, MODE_WINDOW, MODE_OFF = "auto", "window", "off"
MODES = (MODE_AUTO, MODE_WINDOW, MODE_OFF)


@dataclass(frozen=True)
class Placement:
    screen: Any  # a QScreen (anything in tests)
    fullscreen: bool


def choose_placement(screens: Sequence[Any], counter_screen: Any, mode: str) -> Placement | None:
    """Where the customer display goes: a screen that is not the counter's (the first in Qt's
    order), full screen in ``auto`` mode; with one screen, nothing in ``auto`` mode and a window
    on the counter's screen in ``window`` mode; ``off`` (or an unknown mode read from an edited
    settings file: the default) as documented above."""
    mode = mode if mode in MODES else MODE_AUTO
    if mode == MODE_OFF:
        return None
    others = [s for s in screens if s is not counter_screen]
    if others:
        return Placement(others[0], fullscreen=mode == MODE_AUTO)
    if mode == MODE_WINDOW and counter_screen is not None:
        return Placement(counter_screen, fullscreen=False)
    return None


class ModeChooser(QComboBox):
    """The settings dialog's choice (this computer's QSettings)."""

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customer_display_mode")
        self.settings = settings
        for key, text in (
            (MODE_AUTO, self.tr("Tự động: toàn màn hình trên màn hình thứ hai (nếu có)")),
            (MODE_WINDOW, self.tr("Cửa sổ (một màn hình, hoặc để thử)")),
            (MODE_OFF, self.tr("Tắt")),
        ):
            self.addItem(text, key)
        self.setCurrentIndex(max(0, self.findData(str(settings.value(MODE_KEY, MODE_AUTO)))))

    @staticmethod
    def label() -> str:
        return QCoreApplication.translate("ModeChooser", "Màn hình khách hàng")

    def save(self) -> None:
        self.settings.setValue(MODE_KEY, self.currentData())
