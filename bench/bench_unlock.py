#!/usr/bin/env python3
"""Unlocking the counter: how long the password check takes and how long the GUI thread stalls
meanwhile (a 5 ms QTimer ticks through the unlock; its largest gap is the stall).

    QT_QPA_PLATFORM=offscreen python bench/bench_unlock.py [N]

Runs on a fresh demo station in a temporary CASHIER_HOME; N unlocks (default 10), each with one
wrong password first.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    tmp = Path(tempfile.mkdtemp(prefix="cashier-unlock-"))
    os.environ["CASHIER_HOME"] = str(tmp)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from cashier.app_gui import gui_start
    from cashier.cli.gui_options import parse_gui_args
    from cashier.ui.main import build

    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    app = build(parse_gui_args(["--db", str(tmp / "cashier.sqlite3"), "--printer", f"preview:{tmp / 'preview'}"]),
                gui_start, qapp)
    w, backend = app.window, app.backend
    w.show()
    user = backend.login("thungan", "123456")
    w.set_session(user, backend.open_shift(user, 500_000))
    checks, stalls = [], []
    for _ in range(n):
        for password in ("sai-mat-khau", "123456"):
            w.lock.lock()
            ticks = [time.perf_counter()]
            timer = QTimer()
            timer.setInterval(5)
            timer.timeout.connect(lambda ticks=ticks: ticks.append(time.perf_counter()))
            timer.start()
            t0 = time.perf_counter()
            w.lock.unlock(password)
            while w.lock.busy:
                qapp.processEvents()
                time.sleep(0.001)
            checks.append(time.perf_counter() - t0)
            timer.stop()
            stalls.append(max(b - a for a, b in zip(ticks, ticks[1:], strict=False)) if len(ticks) > 1 else 0.0)
            if w.lock.locked and password == "123456":
                raise SystemExit("the right password did not unlock")
    direct = []
    for _ in range(n):  # the baseline: the same check on the GUI thread would stall it this long
        t0 = time.perf_counter()
        backend.login("thungan", "123456")
        direct.append((time.perf_counter() - t0) * 1000)
    ms = [c * 1000 for c in checks]
    print(f"password check (auth lane), {len(ms)} checks: median {statistics.median(ms):.0f} ms, max {max(ms):.0f} ms")
    print(f"GUI thread: largest gap between 5 ms ticks during a check {max(stalls) * 1000:.1f} ms "
          f"(median of the per-check maxima {statistics.median(stalls) * 1000:.1f} ms)")
    print(f"baseline, the check on the GUI thread: median {statistics.median(direct):.0f} ms stalled")
    app.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
