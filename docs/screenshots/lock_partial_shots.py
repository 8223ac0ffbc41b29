#!/usr/bin/env python3
"""The lock screen (Ctrl+L) and the partial payment dialog (F12) grabbed to PNG (issue 14).

    python docs/screenshots/lock_partial_shots.py 1366x768
    python docs/screenshots/lock_partial_shots.py 1024x768

Offscreen, one virtual screen of that size; the demo cashier with a shift open and a customer
with two unpaid bills on screen. Saves lock_<size>.png (the whole window, locked) and
partial_<size>.png (the dialog with 100.000 đ typed, as a cashier sees it before the manager's
approval) next to this file.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from shot_session import open_counter  # noqa: E402


def main() -> int:
    size = sys.argv[1] if len(sys.argv) > 1 else "1366x768"
    app, w, tmp = open_counter(size, "cashier-lock-")
    backend, qapp = app.backend, app.qapp
    from cashier.ui.partial_payment import PartialPaymentController, PartialPaymentDialog
    cashier = backend.login("thungan", "123456")
    w.set_session(cashier, backend.open_shift(cashier, 1_000_000))
    codes = [h.code for q in ("nguyen", "tran", "le") for h in backend.search(q, 100) if h.unpaid_bills]
    code = next(c for c in codes if len(backend.lookup(c).unpaid) >= 2)
    w.controller.show_customer(code)
    qapp.processEvents()

    def grab(widget, name: str) -> None:
        app.feedback._flash_timer.stop()
        app.feedback._unflash()
        qapp.processEvents()
        path = HERE / f"{name}_{size}.png"
        widget.grab().save(str(path))
        print(path, widget.width(), "x", widget.height())

    dlg = PartialPaymentDialog(PartialPaymentController(backend, w.controller, w), w)
    dlg.show()
    dlg.amount.setText("100")
    grab(dlg, "partial")
    dlg.reject()
    w.lock.lock()
    grab(w, "lock")
    app.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
