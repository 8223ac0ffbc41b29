"""Counter-app benchmark with the 600k-customer cache (offscreen Qt).

    python bench/bench_ui.py                      # 600,000 customers (first run imports ~1M bills)
    python bench/bench_ui.py --customers 20000    # quick

Figures, each with its baseline measured in the same run (every measurement in its own process):

* scan -> customer and bills painted: from the scanner's last key (Enter, delivered through the
  application's wedge detector) to the window repainted with the customer and the bills
  (synchronous ``repaint()``), over random customers.       target p99 < 100 ms
  baseline: the bare ``CacheService.lookup`` of the same codes.
* app start to ready: process start to the main window shown and the event loop idle, with the
  600k database.                                            target < 3 s
  baseline: a bare ``QApplication`` + empty ``QMainWindow`` shown, same measure.
* memory: peak RSS of the app process after the scans.     target < 300 MB
  baseline: the bare QApplication process.

The cache is built once into bench/out/ui-<N>/ from the cache helper's demo extract
(bench/out/demo-<N>-s1.csv, written by ``cashier demo-data`` when missing).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[k]


# -- preparation -------------------------------------------------------------------------------
def prepare(customers: int) -> Path:
    home = OUT / f"ui-{customers}"
    db = home / "cashier.sqlite3"
    if db.exists() and (home / "ready").exists():
        return home
    csv_path = OUT / f"demo-{customers}-s1.csv"
    if not csv_path.exists():
        print(f"writing {csv_path} ...", file=sys.stderr)
        subprocess.run(
            [sys.executable, "-m", "cashier", "demo-data", "--customers", str(customers), "--out", str(csv_path)],
            cwd=ROOT, check=True,
        )  # fmt: skip
    home.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, CASHIER_HOME=str(home))
    code = f"""
import time
from cashier.app import Station
from cashier.app_gui import gui_start
s = Station({str(db)!r})
t = time.perf_counter()
summary = s.cache.import_extract({str(csv_path)!r}, "default", None, None)
print("imported", summary.customers, "customers", summary.bills, "bills in", round(time.perf_counter() - t, 1), "s")
s.close()
station, info = gui_start({str(db)!r}, "preview:{home / 'preview'}")
station.close()
"""
    print(f"building the {customers:,}-customer cache in {home} ...", file=sys.stderr)
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)
    (home / "ready").write_text("ok")
    return home


# -- children ----------------------------------------------------------------------------------
def child_bare(_args) -> dict:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    w = QMainWindow()
    w.resize(1280, 860)
    w.show()
    out: dict = {}

    def ready():
        out["ready_at"] = time.time()
        app.quit()

    QTimer.singleShot(0, ready)
    app.exec()
    out["peak_mb"] = peak_mb()
    return out


def child_app(args) -> dict:
    from PySide6.QtCore import QEvent, Qt, QTimer
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    from cashier.app_gui import gui_start
    from cashier.cli.gui_options import parse_gui_args
    from cashier.ui.main import build

    home = Path(args.home)
    qapp = QApplication(sys.argv[:1])
    app = build(parse_gui_args(["--db", str(home / "cashier.sqlite3"), "--printer", f"preview:{home / 'preview'}",
                 "--settings", str(home / "bench-ui.ini")]), gui_start, qapp)  # fmt: skip
    app.feedback.sound_enabled = False
    w = app.window
    w.resize(1280, 860)
    w.show()
    out: dict = {}

    def ready():
        out["ready_at"] = time.time()
        qapp.quit()

    QTimer.singleShot(0, ready)
    qapp.exec()

    # the codes to scan: random customers spread over the whole cache
    con = app.station.db.connection()
    n_customers = con.execute("SELECT max(id) FROM customer").fetchone()[0]
    rng = random.Random(7)
    ids = [rng.randint(1, n_customers) for _ in range(args.scans)]
    codes = [r[0] for i in ids for r in con.execute("SELECT code FROM customer WHERE id = ?", (i,))]
    cache = app.station.cache
    bare, services = [], []
    for code in codes:
        t = time.perf_counter()
        cache.lookup(code)
        bare.append((time.perf_counter() - t) * 1000)
    for code in codes:  # what the counter asks the services per scan: lookup + the ledger's preview
        t = time.perf_counter()
        app.backend.lookup(code)
        try:
            app.backend.preview(code)
        except Exception:  # noqa: BLE001 (nothing to collect)
            pass
        services.append((time.perf_counter() - t) * 1000)

    user = app.backend.login("thungan", "123456")
    shift = app.backend.current_shift() or app.backend.open_shift(user, 0)
    w.set_session(user, shift)
    clock = [5000.0]
    app.detector.clock = lambda: clock[0]
    keys = []
    for code in codes:
        keys.append([(getattr(Qt.Key, f"Key_{ch}"), ch) for ch in code])
    scan_ms = []
    bills_painted = 0
    for code, seq in zip(codes, keys, strict=True):
        for key, ch in seq:
            target = qapp.focusWidget() or w
            qapp.sendEvent(target, QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.ShiftModifier if ch.isalpha() else Qt.KeyboardModifier.NoModifier, ch))
            clock[0] += 0.003
        target = qapp.focusWidget() or w
        t0 = time.perf_counter()  # the scanner's last key
        qapp.sendEvent(target, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r"))
        w.repaint()  # paint now, synchronously (customer panel, banner, bills table)
        scan_ms.append((time.perf_counter() - t0) * 1000)
        assert w.view.code_label.text() == code, (w.view.code_label.text(), code)
        bills_painted += w.view.bills_model.rowCount()
        clock[0] += 1.0
        qapp.processEvents()
    out.update(
        scan_ms=scan_ms,
        bare_ms=bare,
        services_ms=services,
        bills=bills_painted,
        customers=n_customers,
        peak_mb=peak_mb(),
    )
    app.close()
    return out


def run_child(kind: str, args) -> tuple[dict, float]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CASHIER_HOME=str(args.home))
    cmd = [sys.executable, __file__, "--child", kind, "--home", str(args.home), "--scans", str(args.scans)]
    started = time.time()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.exit(f"child {kind} failed:\n{proc.stderr[-4000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    return result, result["ready_at"] - started


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--customers", type=int, default=600_000)
    p.add_argument("--scans", type=int, default=300)
    p.add_argument("--starts", type=int, default=3, help="start measurements (best and median kept)")
    p.add_argument("--child", choices=["bare", "app"])
    p.add_argument("--home", type=Path)
    args = p.parse_args()
    if args.child:
        fn = child_bare if args.child == "bare" else child_app
        print(json.dumps(fn(args)))
        return 0
    args.home = prepare(args.customers)
    bare_starts, app_starts = [], []
    result = bare = None
    for _ in range(args.starts):
        bare, t = run_child("bare", args)
        bare_starts.append(t)
        result, t = run_child("app", args)
        app_starts.append(t)
    assert result is not None and bare is not None
    scan, base = result["scan_ms"], result["bare_ms"]
    print(f"counter app benchmark: {result['customers']:,} customers in the cache, {len(scan)} scans "
          f"({result['bills']:,} bills painted), offscreen Qt")  # fmt: skip
    print(f"{'figure':44} {'value':>12} {'baseline':>12} {'ratio':>7}  target")
    for label, q in (("p50", 50), ("p95", 95), ("p99", 99), ("max", 100)):
        v, b = pct(scan, q), pct(base, q)
        target = "< 100 ms" if label == "p99" else ""
        print(f"{'scan -> customer+bills painted ' + label + ' (ms)':44} {v:12.2f} {b:12.3f} {v / b:7.1f}  {target}")
    med_app, med_bare = statistics.median(app_starts), statistics.median(bare_starts)
    print(f"{'app start to ready, median of ' + str(args.starts) + ' (s)':44} {med_app:12.2f} {med_bare:12.2f} {med_app / med_bare:7.1f}  < 3 s")
    print(f"{'app start to ready, best (s)':44} {min(app_starts):12.2f} {min(bare_starts):12.2f} {min(app_starts) / min(bare_starts):7.1f}")
    print(f"{'peak memory after the scans (MB)':44} {result['peak_mb']:12.1f} {bare['peak_mb']:12.1f} {result['peak_mb'] / bare['peak_mb']:7.1f}  < 300 MB")
    sv = result["services_ms"]
    print(f"{'(services per scan: lookup + preview) p50/p99':44} {pct(sv, 50):6.2f} / {pct(sv, 99):5.2f}")
    print("baselines: bare CacheService.lookup of the same codes; bare QApplication + QMainWindow process")
    ok = pct(scan, 99) < 100 and med_app < 3 and result["peak_mb"] < 300
    print("RESULT:", "all targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
