"""Echo latency of a typed key in a text field (issue 14, defect 4), through the real scan detector.

Offscreen Qt, the detector installed on the application with its real clock and 100 ms gap. Each
key is posted to the field like a key from the window system, then the event loop runs until the
character is in the field; the time from posting to the text changing is the echo latency. Keys
are 300 ms apart (a person), ten of them.

* before: keys held until the gap shows typing (``echo_typing = False``: how every field worked)
* after:  keys echoed at once into a free-text field (the F3 search box), taken back for a scan

    QT_QPA_PLATFORM=offscreen python bench/bench_echo.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QEventLoop, Qt  # noqa: E402
from PySide6.QtGui import QKeyEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QLineEdit  # noqa: E402

from cashier.ui.scan_detector import ScanDetector  # noqa: E402

KEYS = "nguyenvana"


def measure(app: QApplication, echo: bool) -> list[float]:
    field = QLineEdit()
    field.show()
    field.activateWindow()
    field.setFocus()
    det = ScanDetector()
    det.echo_typing = echo
    det.install(app)
    out = []
    try:
        for ch in KEYS:
            before = field.text()
            t0 = time.perf_counter()
            key = getattr(Qt.Key, f"Key_{ch.upper()}")
            app.postEvent(field, QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, ch))
            while field.text() == before:
                app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 1)
                if time.perf_counter() - t0 > 2:
                    raise SystemExit("a key never reached the field")
            out.append((time.perf_counter() - t0) * 1000)
            end = time.perf_counter() + 0.3  # a person's pause before the next key
            while time.perf_counter() < end:
                app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
    finally:
        det.uninstall()
        field.close()
    return out


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    before = measure(app, echo=False)
    after = measure(app, echo=True)
    b, a = statistics.median(before), statistics.median(after)
    print(f"echo latency over {len(KEYS)} keys, median (max):")
    print(f"  before (held until the gap): {b:7.2f} ms ({max(before):.2f})")
    print(f"  after  (echoed at once):     {a:7.3f} ms ({max(after):.3f})")
    print(f"  ratio before/after: {b / a:.0f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
