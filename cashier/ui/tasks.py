"""One task runner for the slow work the GUI thread must not do: password checks, import, export,
searches, printer discovery.

Like Anki's taskman: ``runner.run(fn, on_success, on_failure)`` runs ``fn`` on a worker thread and
calls back on the GUI thread. Work is queued on *lanes*: each lane is one QThreadPool with a single
thread, so a long import does not hold up a password check. Devices are not lanes: each printer
has its own owner thread in the print service's queue (results come back through
``print_bridge.PrintBridge``), a serial or HID scanner its reader thread
(``serial_bridge.SerialScannerBridge``).

:class:`SyncTaskRunner` runs every task inline: controllers are unit-tested with it.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QRunnable,
    Qt,
    QThread,
    QThreadPool,
    Signal,
    Slot,
)

from cashier.core.errors import DomainError

log = logging.getLogger(__name__)

#: lanes known to the station; others are created on first use
BACKGROUND = "background"  # import, export, reports
AUTH = "auth"  # argon2 password checks (~120 ms): login, unlock, manager approvals
SEARCH = "search"  # F3: only the newest query's rows are shown


class TaskHandle(QObject):
    """What the caller keeps: progress, cancellation, completion (all on the GUI thread)."""

    #: (done, total, stage) reported by the task through :meth:`report` (GUI thread)
    progress = Signal(object, object, str)
    #: ok, result-or-exception (GUI thread)
    finished = Signal(bool, object)
    # emitted from the worker; the handle lives on the GUI thread, so its slots run there
    _progress_raw = Signal(object, object, str)
    _finished_raw = Signal(bool, object)

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.cancel_event = threading.Event()
        self.done = False
        self.ok: bool | None = None
        self.result: Any = None
        self.error: BaseException | None = None
        self._progress_raw.connect(self._on_progress)
        # queued even from the GUI thread: a result is never delivered inside the call that
        # started the task
        self._finished_raw.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)

    @Slot(object, object, str)
    def _on_progress(self, done: int, total: int, stage: str) -> None:
        self.progress.emit(done, total, stage)

    @Slot(bool, object)
    def _on_finished(self, ok: bool, value: object) -> None:
        self.finished.emit(ok, value)

    def cancel(self) -> None:
        self.cancel_event.set()

    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def report(self, done: int, total: int = 0, stage: str = "") -> None:
        """Thread-safe: called from the worker; delivered to the GUI thread by the signal."""
        self._progress_raw.emit(int(done), int(total or 0), str(stage or ""))


class _Runnable(QRunnable):
    def __init__(self, handle: TaskHandle, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.handle = handle
        self.fn = fn

    def run(self) -> None:  # worker thread
        try:
            result = self.fn()
        except BaseException as exc:  # noqa: BLE001 (delivered to the GUI thread)
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self.handle._finished_raw.emit(False, exc)
        else:
            self.handle._finished_raw.emit(True, result)


class TaskRunner(QObject):
    """Runs callables on per-lane worker threads; results come back by queued signals."""

    #: emitted on the GUI thread when any task fails (for logging / the status bar)
    failed = Signal(str, object)
    #: number of tasks running or queued changed
    busy_changed = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lanes: dict[str, QThreadPool] = {}
        self._live: set[TaskHandle] = set()
        self._device_jobs: set[TaskHandle] = set()  # submitted to a device's thread, not done

    def lane(self, name: str) -> QThreadPool:
        pool = self._lanes.get(name)
        if pool is None:
            pool = QThreadPool(self)
            pool.setMaxThreadCount(1)
            pool.setExpiryTimeout(-1)  # keep the lane's thread
            self._lanes[name] = pool
        return pool

    @property
    def busy(self) -> int:
        return len(self._live)

    def run(
        self,
        fn: Callable[..., Any],
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        *,
        lane: str = BACKGROUND,
        name: str = "",
        with_handle: bool = False,
    ) -> TaskHandle:
        """Run ``fn()`` (or ``fn(handle)`` when ``with_handle``) on ``lane``'s thread.

        ``on_success(result)`` / ``on_failure(exc)`` run on the GUI thread. A failure without
        ``on_failure`` is logged and reported through :attr:`failed`.
        """
        handle = self._watch(name or getattr(fn, "__name__", "task"), on_success, on_failure)
        call = (lambda: fn(handle)) if with_handle else fn
        self.lane(lane).start(_Runnable(handle, call))
        self.busy_changed.emit(len(self._live))
        return handle

    def submit(
        self,
        start: Callable[[Callable[[bool, object], None]], Any],
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        *,
        name: str = "",
    ) -> TaskHandle:
        """Hand a job to a device's own owner thread (a printer's queue): ``start(done)`` queues
        it and returns at once; the device thread calls ``done(ok, result_or_exception)`` when
        the job ended. The callbacks run on the GUI thread, like :meth:`run`'s; nothing waits."""
        handle = self._watch(name or "device job", on_success, on_failure)
        self._device_jobs.add(handle)
        handle.finished.connect(lambda _ok, _v: self._device_jobs.discard(handle))
        try:
            start(handle._finished_raw.emit)
        except Exception as exc:  # noqa: BLE001 (refused before it was queued: delivered the same way)
            handle._finished_raw.emit(False, exc)
        self.busy_changed.emit(len(self._live))
        return handle

    def _watch(
        self,
        name: str,
        on_success: Callable[[Any], None] | None,
        on_failure: Callable[[BaseException], None] | None,
    ) -> TaskHandle:
        handle = TaskHandle(name)
        self._live.add(handle)

        def finished(ok: bool, value: object) -> None:
            try:
                deliver(ok, value)
            except RuntimeError as exc:
                if "already deleted" not in str(exc):
                    raise
                # the window that asked is gone (the app is closing): nothing left to update
                log.debug("task %s finished after its receiver was deleted", handle.name)

        def deliver(ok: bool, value: object) -> None:
            handle.done, handle.ok = True, ok
            self._live.discard(handle)
            self.busy_changed.emit(len(self._live))
            if ok:
                handle.result = value
                if on_success is not None:
                    on_success(value)
            else:
                assert isinstance(value, BaseException)
                handle.error = value
                if isinstance(value, DomainError):  # a refusal (bad file, no right): one line
                    log.warning("task %s refused: %s", handle.name, value)
                else:
                    log.error(
                        "task %s failed: %s\n%s",
                        handle.name,
                        value,
                        getattr(value, "__traceback_text__", ""),
                    )
                if on_failure is not None:
                    on_failure(value)
                else:
                    self.failed.emit(handle.name, value)

        handle.finished.connect(finished)
        return handle

    @Slot()
    def shutdown(self, timeout_ms: int = 15000) -> bool:
        """Wait for queued work (a receipt being printed must finish); True when all done."""
        deadline = time.monotonic() + timeout_ms / 1000
        ok = True
        for pool in self._lanes.values():
            ok = pool.waitForDone(timeout_ms) and ok
        # a device job (a receipt on the printer's thread) ends on its own thread: its result
        # comes back as a posted event
        while self._device_jobs and time.monotonic() < deadline:
            QCoreApplication.sendPostedEvents()
            if self._device_jobs:
                QThread.msleep(10)
        ok = ok and not self._device_jobs
        # deliver the results already queued for the GUI thread while their receivers exist
        QCoreApplication.sendPostedEvents()
        return ok


class SyncTaskRunner(TaskRunner):
    """Runs each task at once on the calling thread, callbacks included (for unit tests of the
    controllers: no event loop, no waiting). ``lanes`` lists the lane of every task run."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lanes: list[str] = []

    def run(
        self,
        fn: Callable[..., Any],
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        *,
        lane: str = BACKGROUND,
        name: str = "",
        with_handle: bool = False,
    ) -> TaskHandle:
        handle = TaskHandle(name or getattr(fn, "__name__", "task"))
        self.lanes.append(lane)
        try:
            result = fn(handle) if with_handle else fn()
        except Exception as exc:  # noqa: BLE001 (delivered like the threaded runner does)
            handle.done, handle.ok, handle.error = True, False, exc
            if on_failure is not None:
                on_failure(exc)
            else:
                self.failed.emit(handle.name, exc)
            return handle
        handle.done, handle.ok, handle.result = True, True, result
        if on_success is not None:
            on_success(result)
        return handle

    def submit(
        self,
        start: Callable[[Callable[[bool, object], None]], Any],
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        *,
        name: str = "",
    ) -> TaskHandle:
        handle = TaskHandle(name or "device job")
        self.lanes.append("device")

        def done(ok: bool, value: object) -> None:
            handle.done, handle.ok = True, ok
            if ok:
                handle.result = value
                if on_success is not None:
                    on_success(value)
                return
            assert isinstance(value, BaseException)
            handle.error = value
            if on_failure is not None:
                on_failure(value)
            else:
                self.failed.emit(handle.name, value)

        try:
            start(done)
        except Exception as exc:  # noqa: BLE001
            done(False, exc)
        return handle

    def shutdown(self, timeout_ms: int = 15000) -> bool:  # noqa: ARG002 (nothing is queued)
        return True
