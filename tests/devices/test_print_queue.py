"""The print queue: one worker per device, jobs in order, failures reported, never raised."""

from __future__ import annotations

import threading
import time

from cashier.core.errors import DeviceError
from cashier.devices import transports  # noqa: F401 - registers the printer.* messages
from cashier.devices.print_queue import DeviceJobs, PrintJob, PrintQueue


def test_jobs_run_in_order_on_one_thread_per_device() -> None:
    jobs = DeviceJobs()
    seen: list[tuple[str, str]] = []
    try:
        def job(dev, n):
            def run():
                seen.append((dev, threading.current_thread().name))
                time.sleep(0.01)
                return n
            return run

        handles = [jobs.submit(dev, f"j{n}", job(dev, n)) for n in range(3) for dev in ("tcp:a:9100", "serial:/dev/x")]
        results = [h.wait(5) for h in handles]
        assert all(r.ok for r in results)
        assert [r.value for r in results] == [0, 0, 1, 1, 2, 2]
        threads = {dev: {name for d, name in seen if d == dev} for dev, _ in seen}
        assert threads == {"tcp:a:9100": {"printer:tcp:a:9100"}, "serial:/dev/x": {"printer:serial:/dev/x"}}
    finally:
        jobs.close()


def test_failures_and_crashes_become_results_and_the_worker_survives() -> None:
    results = []
    q = PrintQueue("dev", on_result=results.append)
    try:
        def fail():
            raise DeviceError("printer.timeout", url="serial:/dev/ttyUSB0", seconds=5)

        def crash():
            raise RuntimeError("boom")

        def bad_callback(result):
            raise ValueError("callback bug")

        a = q.submit(PrintJob("a", fail, receipt_no="R1", callback=bad_callback))
        b = q.submit(PrintJob("b", crash))
        c = q.submit(PrintJob("c", lambda: "fine"))
        assert c.wait(5).ok
        assert not a.result.ok and a.result.receipt_no == "R1"
        assert "did not take the data within 5 s" in a.result.error
        assert "không nhận dữ liệu" in a.result.failure.text("vi")
        assert not b.result.ok and "RuntimeError: boom" in b.result.error
        assert [r.name for r in results] == ["a", "b", "c"]
    finally:
        q.close()
