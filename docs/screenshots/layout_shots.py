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

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from shot_session import open_counter  # noqa: E402


def main() -> int:
    size = sys.argv[1] if len(sys.argv) > 1 else "1366x768"
    app, w, tmp = open_counter(size, "cashier-layout-")
    backend, qapp = app.backend, app.qapp
    from cashier.ui.dashboard import DashboardDialog
    backend.station.storage.settings.set("ledger.reconnection_fee", 150_000)
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
