"""One worker thread per printer; jobs run in order, each bounded by the transport timeouts.

A job is submitted *after* the payment committed. Whatever happens to the printer (unplugged,
out of paper, unreachable) the job ends with a :class:`JobResult`, delivered to the job's
callback and to the queue's ``on_result`` (the print service marks the receipt printed or
unprinted through it). Nothing here touches the payment.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from cashier.core.errors import DeviceError, DomainError

log = logging.getLogger(__name__)


@dataclass
class JobResult:
    name: str
    ok: bool
    failure: DomainError | None = None  # why it failed (rendered in the reader's language)
    bytes_sent: int = 0
    seconds: float = 0.0
    receipt_no: str | None = None
    value: object = None  # what the job's function returned (a PrintResult, a status...)

    @property
    def error(self) -> str:
        """Why it failed, in English, one line ("" when it did not)."""
        return str(self.failure) if self.failure is not None else ""


@dataclass
class PrintJob:
    name: str
    run: Callable[[], object]  # does the printing; raises on failure; may return a PrintResult
    receipt_no: str | None = None
    callback: Callable[[JobResult], None] | None = None
    done: threading.Event = field(default_factory=threading.Event)
    result: JobResult | None = None

    def wait(self, timeout: float | None = None) -> JobResult | None:
        self.done.wait(timeout)
        return self.result


class PrintQueue:
    """Serialises the jobs of one device on its own daemon thread."""

    def __init__(self, name: str, *, on_result: Callable[[JobResult], None] | None = None) -> None:
        self.name = name
        self.on_result = on_result
        self._jobs: queue.Queue[PrintJob | None] = queue.Queue()
        self._thread = threading.Thread(target=self._work, name=f"printer:{name}", daemon=True)
        self._thread.start()

    def submit(self, job: PrintJob) -> PrintJob:
        self._jobs.put(job)
        return job

    def pending(self) -> int:
        return self._jobs.qsize()

    def close(self, timeout: float = 5.0) -> None:
        self._jobs.put(None)
        self._thread.join(timeout)

    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            job.result = self._run(job)
            for cb in (job.callback, self.on_result):
                if cb is None:
                    continue
                try:
                    cb(job.result)
                except Exception:  # noqa: BLE001 - a broken callback must not kill the worker
                    log.exception("print result callback failed for %s", job.name)
            job.done.set()

    @staticmethod
    def _run(job: PrintJob) -> JobResult:
        start = time.monotonic()
        try:
            outcome = job.run()
        except DomainError as exc:
            log.info("print job %s failed: %s", job.name, exc)
            return JobResult(job.name, False, exc, receipt_no=job.receipt_no,
                             seconds=time.monotonic() - start)  # fmt: skip
        except Exception as exc:  # noqa: BLE001 - any device failure ends the job, not the app
            log.exception("print job %s crashed", job.name)
            err = DeviceError(detail=f"{type(exc).__name__}: {exc}")
            return JobResult(job.name, False, err, receipt_no=job.receipt_no,
                             seconds=time.monotonic() - start)  # fmt: skip
        sent = getattr(outcome, "bytes_sent", 0)
        return JobResult(job.name, True, bytes_sent=sent, seconds=time.monotonic() - start,
                         receipt_no=job.receipt_no, value=outcome)  # fmt: skip


class QueueRegistry:
    """One :class:`PrintQueue` per device URL."""

    def __init__(self) -> None:
        self._queues: dict[str, PrintQueue] = {}
        self._lock = threading.Lock()

    def get(self, url: str, on_result: Callable[[JobResult], None] | None = None) -> PrintQueue:
        with self._lock:
            q = self._queues.get(url)
            if q is None:
                q = self._queues[url] = PrintQueue(url, on_result=on_result)
            return q

    def close(self) -> None:
        with self._lock:
            queues = list(self._queues.values())
            self._queues.clear()
        for q in queues:
            q.close()


class DeviceJobs:
    """The job runner of the print service: one queue (worker thread) per device URL."""

    def __init__(self) -> None:
        self.registry = QueueRegistry()

    def submit(
        self,
        device: str,
        name: str,
        run: Callable[[], object],
        *,
        receipt_no: str | None = None,
        callback: Callable[[JobResult], None] | None = None,
    ) -> PrintJob:
        return self.registry.get(device).submit(PrintJob(name, run, receipt_no, callback))

    def close(self) -> None:
        self.registry.close()
