#!/usr/bin/env python3
"""The counter and the dashboard on a small screen, grabbed to PNG (issue 14, layout).

    python docs/screenshots/layout_shots.py 1366x768
    python docs/screenshots/layout_shots.py 1024x768

Runs offscreen with one virtual screen of that size (Qt's offscreen ``configfile``), fills the
window to the screen as ``showMaximized`` does, shows a disconnected customer with a long name
(the fee row, the tendered amount typed) and a stale-proof status line, then the F10 dashboard as
it opens on that screen. Saves counter_<size>.png and dashboard_<size>.png next to this file.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))


def main() -> int:
    size = sys.argv[1] if len(sys.argv) > 1 else "1366x768"
    width, height = (int(x) for x in size.split("x"))
    tmp = Path(tempfile.mkdtemp(prefix="cashier-layout-"))
    screen = tmp / "screen.json"
    screen.write_text(json.dumps({"screens": [{"name": "counter", "x": 0, "y": 0, "width": width, "height": height, "logicalDpi": 96, "dpr": 1}]}))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen}"
    os.environ["CASHIER_HOME"] = str(tmp)

    from PySide6.QtWidgets import QApplication

    from cashier.app import gui_start
    from cashier.ui.dashboard import DashboardDialog
    from cashier.ui.main import build

    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    app = build(["--db", str(tmp / "cashier.sqlite3"), "--printer", f"preview:{tmp / 'preview'}"], gui_start, qapp)
    app.feedback.sound_enabled = False
    backend, w = app.backend, app.window
    w.setGeometry(w.screen().availableGeometry())
    w.show()
    backend.station.ledger_store.set_setting("ledger.reconnection_fee", 150_000)
    cashier = backend.login("thungan", "123456")
    w.set_session(cashier, backend.open_shift(cashier, 1_000_000))
    codes = [h.code for q in ("nguyen", "tran", "le", "pham") for h in backend.search(q, 100) if h.unpaid_bills]
    for code in codes[:3]:  # a few receipts in the shift's list
        w.controller.show_customer(code)
        w.controller.collect(tendered=None)
    app.runner.shutdown(30000)
    disconnected = [c for c in codes[3:] if backend.lookup(c).customer.disconnected]
    show = max(disconnected or codes[3:40], key=lambda c: len(backend.lookup(c).customer.name))
    w.controller.show_customer(show)
    w.view.tendered_edit.set_amount((w.controller.state.due // 100_000 + 1) * 100_000)
    qapp.processEvents()

    def grab(widget, name: str) -> None:
        app.feedback._flash_timer.stop()
        app.feedback._unflash()
        qapp.processEvents()
        path = HERE / f"{name}_{size}.png"
        widget.grab().save(str(path))
        print(path, widget.width(), "x", widget.height())

    grab(w, "counter")
    dash = DashboardDialog(backend, w)
    dash.show()
    qapp.processEvents()
    grab(dash, "dashboard")
    dash.close()
    app.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
