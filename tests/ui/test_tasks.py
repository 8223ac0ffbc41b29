"""The task runner: work on per-lane worker threads, results and progress back on the GUI thread."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QThread

from cashier.core.errors import DeviceError
from cashier.ui.tasks import BACKGROUND, TaskRunner


def test_results_and_failures_arrive_on_the_gui_thread(qtbot, qapp):
    runner = TaskRunner()
    gui = QThread.currentThread()
    seen = {}

    def work():
        seen["worker"] = threading.current_thread().name
        return 42

    def ok(value):
        seen["ok"] = (value, QThread.currentThread() is gui)

    def boom():
        raise DeviceError("device_error", detail="paper out")

    def failed(exc):
        seen["failed"] = (exc.text("vi"), QThread.currentThread() is gui)

    h1 = runner.run(work, ok, lane=BACKGROUND)
    h2 = runner.run(boom, None, failed, lane=BACKGROUND)
    qtbot.waitUntil(lambda: h1.done and h2.done, timeout=5000)
    assert seen["ok"] == (42, True)
    assert seen["failed"] == ("Lỗi thiết bị: paper out", True)
    assert seen["worker"] != threading.main_thread().name
    assert runner.busy == 0


def test_one_lane_runs_in_order_and_lanes_run_side_by_side(qtbot):
    runner = TaskRunner()
    order = []
    started = threading.Event()

    def slow():
        started.set()
        time.sleep(0.3)
        order.append("slow")

    hs = [runner.run(slow, lane="search")]
    hs += [runner.run(lambda i=i: order.append(f"print{i}"), lane="search") for i in range(3)]
    started.wait(2)
    other = runner.run(lambda: order.append("import"), lane="background")
    qtbot.waitUntil(lambda: all(h.done for h in hs + [other]), timeout=5000)
    assert order.index("import") < order.index("slow")  # not stuck behind the other lane
    assert [o for o in order if o != "import"] == ["slow", "print0", "print1", "print2"]


def test_progress_and_cancel(qtbot):
    runner = TaskRunner()
    reports = []

    def work(handle):
        for i in range(1000):
            if handle.cancelled():
                return f"stopped at {i}"
            handle.report(i, 1000, "read")
            time.sleep(0.002)
        return "done"

    h = runner.run(work, lane="background", with_handle=True)
    h.progress.connect(lambda d, t, s: reports.append((d, t, s)))
    qtbot.waitUntil(lambda: len(reports) > 3, timeout=5000)
    h.cancel()
    qtbot.waitUntil(lambda: h.done, timeout=5000)
    assert h.result.startswith("stopped at")
    assert reports[0] == (0, 1000, "read")


def test_a_domain_error_reaches_the_gui_thread_as_itself(qtbot):
    """Not its text: the GUI renders it in the UI language (code, params and class kept)."""
    from cashier.core.errors import FileRefused
    from cashier.core.messages import Message

    runner = TaskRunner()
    raised = FileRefused("xlsx.short_read", name="a.xlsx", detail=Message("xlsx.short.no_end"))
    seen = []

    def boom():
        raise raised

    handle = runner.run(boom, None, seen.append)
    qtbot.waitUntil(lambda: handle.done, timeout=5000)
    (err,) = seen
    assert err is raised and err.code == "xlsx.short_read" and err.params["name"] == "a.xlsx"
    assert "không đến được phần kết" in err.text("vi") and "does not reach its end" in err.text("en")


def test_a_device_job_ends_on_its_own_thread_and_comes_back_to_the_gui_thread(qtbot, qapp):
    """submit(): the device's thread (here a plain thread, like a printer queue's) calls done;
    the callbacks run on the GUI thread; a refusal before queueing comes back the same way."""
    runner = TaskRunner()
    gui = QThread.currentThread()
    seen: dict = {}

    def start(done):
        threading.Thread(target=lambda: done(True, "printed"), name="printer:test").start()

    def refuse(_done):
        raise DeviceError("device_error", detail="no printer")

    h1 = runner.submit(start, lambda v: seen.__setitem__("ok", (v, QThread.currentThread() is gui)))
    h2 = runner.submit(refuse, None, lambda e: seen.__setitem__("failed", QThread.currentThread() is gui))
    assert "failed" not in seen  # never delivered inside the call that started it
    qtbot.waitUntil(lambda: h1.done and h2.done, timeout=5000)
    assert seen == {"ok": ("printed", True), "failed": True}
    assert runner.shutdown(1000)


def test_the_sync_runner_runs_inline(qapp):
    from cashier.ui.tasks import AUTH, SyncTaskRunner

    runner = SyncTaskRunner()
    got: list = []
    runner.run(lambda: 1, got.append, lane=AUTH)
    runner.run(lambda: 1 / 0, None, got.append)
    runner.submit(lambda done: done(True, "x"), got.append)
    assert got[0] == 1 and isinstance(got[1], ZeroDivisionError) and got[2] == "x"
    assert runner.lanes == [AUTH, BACKGROUND, "device"]
