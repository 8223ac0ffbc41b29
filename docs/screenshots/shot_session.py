"""The counter app offscreen on one virtual screen of a given size, for the screenshot scripts
beside this file: a fresh CASHIER_HOME with the demo data, the window filling the screen."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))


def open_counter(size: str, prefix: str) -> tuple[Any, Any, Path]:
    """(app, its window, the scratch folder) on an offscreen screen of ``size`` ("1366x768")."""
    width, height = (int(x) for x in size.split("x"))
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    screen = tmp / "screen.json"
    screen.write_text(json.dumps({"screens": [{"name": "counter", "x": 0, "y": 0, "width": width, "height": height, "logicalDpi": 96, "dpr": 1}]}))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen}"
    os.environ["CASHIER_HOME"] = str(tmp)

    from PySide6.QtWidgets import QApplication

    from cashier.app_gui import gui_start
    from cashier.cli.gui_options import parse_gui_args
    from cashier.ui.main import build

    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    app = build(parse_gui_args(["--db", str(tmp / "cashier.sqlite3"), "--printer", f"preview:{tmp / 'preview'}"]),
                gui_start, qapp)
    app.feedback.sound_enabled = False
    w = app.window
    w.setGeometry(w.screen().availableGeometry())
    w.show()
    return app, w, tmp
