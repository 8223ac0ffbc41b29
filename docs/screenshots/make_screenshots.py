#!/usr/bin/env python3
"""Screenshots of the main screens for the README, taken with QWidget.grab() under Xvfb.

    xvfb-run -a -s "-screen 0 1366x900x24" python docs/screenshots/make_screenshots.py

(or with any X display / QT_QPA_PLATFORM=offscreen). It builds a demo station in a temporary
directory, plays a morning of collections by two cashiers on a clock that moves through the day,
and saves counter.png, search.png, close_shift.png, dashboard.png (and English variants with
``--lang en``) next to this file.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from cashier.core.clock import VN_TZ, FixedClock  # noqa: E402
from cashier.core.debt import BillStatus  # noqa: E402


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--lang", default="vi")
    p.add_argument("--out", type=Path, default=HERE)
    args = p.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="cashier-shots-"))
    os.environ["CASHIER_HOME"] = str(tmp)
    from cashier.app_gui import gui_start
    from cashier.cli.gui_options import parse_gui_args
    from cashier.ui.dashboard import DashboardDialog
    from cashier.ui.dialogs.search import SearchDialog
    from cashier.ui.dialogs.shift import CloseShiftDialog, ReportDialog
    from cashier.ui.main import build

    day = datetime.now(VN_TZ).replace(hour=7, minute=5, second=0, microsecond=0)
    clock = FixedClock(day)

    def start(db, printer):
        return gui_start(db, printer, clock=clock)  # every service on the moving clock

    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    app = build(
        parse_gui_args(["--db", str(tmp / "cashier.sqlite3"), "--printer", f"preview:{tmp / 'preview'}",
         "--settings", str(tmp / "ui.ini"), "--lang", args.lang]),
        start,
        qapp,
    )
    app.feedback.sound_enabled = False
    backend, w = app.backend, app.window
    w.resize(1366, 860)
    w.show()

    codes = []
    for q in ("nguyen", "tran", "le", "pham", "hoang", "vo", "dang", "bui", "do", "ngo", "duong", "ly"):
        for hit in backend.search(q, 60):
            if hit.unpaid_bills and hit.code not in codes:
                codes.append(hit.code)
    disconnected = [c for c in codes if backend.lookup(c).customer.disconnected]
    plain = [c for c in codes if c not in disconnected]

    def collect(code: str, minutes: int, *, transfer: bool = False) -> None:
        clock.advance(minutes=minutes)
        w.controller.show_customer(code)
        st = w.controller.state
        if st is None or not st.collectable:
            return
        if transfer:
            w.controller.collect(tendered=st.due, method="transfer", bank_ref=f"FT{clock.now():%y%m%d%H%M}")
        else:
            w.controller.collect(tendered=(st.due // 50_000 + 1) * 50_000)
        qapp.processEvents()

    backend.station.storage.settings.set("ledger.reconnection_fee", 150_000)
    cashier = backend.login("thungan", "123456")
    w.set_session(cashier, backend.open_shift(cashier, 1_000_000))
    minutes = [7, 12, 5, 9, 14, 6, 21, 8, 11, 17, 25, 9, 13, 30, 10, 12, 16, 7, 9, 22, 18]
    for i, code in enumerate(plain[:21]):
        collect(code, minutes[i], transfer=(i % 6 == 5))
    if disconnected:
        collect(disconnected[0], 15)
    app.runner.shutdown(30000)
    qapp.processEvents()

    def grab(widget, name: str) -> None:
        app.feedback._flash_timer.stop()
        app.feedback._unflash()  # the scan's colour flash lasts 350 ms: not in the picture
        qapp.processEvents()
        suffix = "" if args.lang == "vi" else f"_{args.lang}"
        path = args.out / f"{name}{suffix}.png"
        widget.grab().save(str(path))
        print(path)

    # the counter with a customer on screen (more than one unpaid bill if there is one)
    show = next((c for c in plain[21:] if len(backend.lookup(c).unpaid) >= 2), plain[21])
    w.controller.show_customer(show)
    w.view.tendered_edit.set_amount((w.controller.state.due // 100_000 + 1) * 100_000)
    grab(w, "counter")
    w.resize(1024, 700)  # a small counter PC screen (1024x768 less the taskbar)
    grab(w, "counter_1024x700")
    w.resize(1366, 860)
    if disconnected[1:]:
        w.controller.show_customer(disconnected[1])
        grab(w, "counter_disconnected")
    # a customer who paid at a bank: the next extract no longer lists their bills
    from cashier.core.demo_data import DEMO_FIELDS, generate_rows

    gone = plain[40]
    col = list(DEMO_FIELDS).index("MA_KHANG")
    backend.station.cache.import_rows(
        [list(DEMO_FIELDS)] + [r for r in generate_rows(2000, 1) if r[col] != gone], name="next-extract"
    )
    paid_elsewhere = next(
        (c for c in [gone, *codes] if any(b.status == BillStatus.PAID_ELSEWHERE for b in backend.lookup(c).bills)),
        None,
    )
    if paid_elsewhere:
        w.controller.show_customer(paid_elsewhere)
        grab(w, "counter_paid_elsewhere")
    w.controller.show_customer(plain[0])
    grab(w, "counter_collected")

    # search without diacritics
    search = SearchDialog(backend, w, delay_ms=0)
    search.query.setText("nguyen van")
    search.run_search()
    search.show()
    grab(search, "search")
    search.close()

    # shift close with a count that is 20.000 short
    close = CloseShiftDialog(backend, app.runner, cashier, w.shift, w)
    expected, *_ = backend.preview_close({})
    rest = expected - 20_000
    for denom, spin in close.spins.items():
        n, rest = divmod(rest, denom)
        spin.setValue(n)
    close.show()
    grab(close, "close_shift")
    close.close()
    approval = backend.authorise("quanly", "quanly123", "close_shift_variance", cashier, "thiếu tiền lẻ")
    report = backend.close_shift(cashier, close.counts(), approval)
    rep = ReportDialog(backend, app.runner, report, w)
    rep.show()
    grab(rep, "z_report")
    rep.close()

    # the afternoon: the manager takes the counter for a while
    clock.advance(minutes=95)
    mgr = backend.login("quanly", "quanly123")
    w.set_session(mgr, backend.open_shift(mgr, 500_000))
    for i, code in enumerate(plain[22:34]):
        collect(code, [14, 9, 22, 6, 31, 12, 8, 19, 11, 27, 7, 15][i], transfer=(i % 4 == 1))
    app.runner.shutdown(30000)
    dash = DashboardDialog(backend, w)
    dash.resize(1280, 860)
    dash.show()
    QTimer.singleShot(0, lambda: None)
    grab(dash, "dashboard")
    dash.close()
    app.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
