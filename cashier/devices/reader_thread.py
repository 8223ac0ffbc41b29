"""One owner thread per input device (serial scanner, HID-POS scanner): open the device, read
until it goes away, close it, wait, open it again; a status for the UI at each step.

A subclass gives ``_open()`` (the device, or an exception), ``_read_loop(device)`` (returns or
raises when the device is gone) and, for open failures it knows, ``_open_failed(exc)`` (True when
it has set the status itself).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


class ReconnectingReader:
    """The thread, its stop flag and its status (``stopped`` / ``waiting`` / ``connected`` /
    ``disconnected``, or a subclass's own, e.g. ``denied``)."""

    #: the thread's name prefix and the word used in log lines
    kind = "scanner"

    def __init__(self, port: str, on_status: Callable[[str], None] | None, reconnect_delay: float) -> None:
        self.port = port
        self.on_status = on_status
        self.reconnect_delay = reconnect_delay
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.connected = threading.Event()
        self.status = "stopped"

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> Any:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=f"{self.kind}:{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _set_status(self, status: str) -> None:
        self.status = status
        (self.connected.set if status == "connected" else self.connected.clear)()
        if self.on_status is not None:
            try:
                self.on_status(status)
            except Exception:  # noqa: BLE001 - a UI callback must not stop the reader
                log.exception("%s status callback failed", self.kind)

    # -- for subclasses ----------------------------------------------------------------------
    def _open(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def _read_loop(self, device: Any) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _open_failed(self, exc: Exception) -> bool:
        """A known open failure handled by the subclass (status set, said once): True."""
        return False

    # -- the thread ----------------------------------------------------------------------------
    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                device = self._open()
            except Exception as exc:  # noqa: BLE001 - unplugged, busy, no permission: keep trying
                if not self._open_failed(exc) and self.status != "waiting":
                    log.info("%s %s not available (%s); retrying", self.kind, self.port, exc)
                    self._set_status("waiting")
                self._stop.wait(self.reconnect_delay)
                continue
            self._set_status("connected")
            try:
                self._read_loop(device)
            except Exception as exc:  # noqa: BLE001 - unplugged mid-read
                log.info("%s %s lost: %s", self.kind, self.port, exc)
            finally:
                try:
                    device.close()
                except Exception:  # noqa: BLE001 - already gone
                    pass
            if not self._stop.is_set():
                self._set_status("disconnected")
                self._stop.wait(self.reconnect_delay)
        self._set_status("stopped")
