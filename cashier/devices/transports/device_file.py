"""A device file, FIFO or regular file taking the raw bytes: ``file:/dev/usb/lp0`` or a plain
path. A FIFO or device is opened non-blocking, so a missing reader never hangs the caller."""

from __future__ import annotations

import errno
import os
import select
import stat
import time
from pathlib import Path

from cashier.core.errors import DeviceError
from cashier.devices.transports.base import CHUNK, PrinterURL, Transport, short_error


class FileTransport(Transport):
    def __init__(self, url: PrinterURL) -> None:
        self.url = url
        self.path = Path(url.target)
        self.timeout = url.timeout
        self.fd: int | None = None

    def open(self) -> None:
        flags = os.O_WRONLY | getattr(os, "O_BINARY", 0)
        try:
            st = os.stat(self.path)
            special = not stat.S_ISREG(st.st_mode)
        except FileNotFoundError:
            if str(self.path).startswith("/dev/") or not self.path.parent.is_dir():
                raise DeviceError("printer.unreachable", url=self.url.raw, detail="no such device or directory") from None
            special = False
        if special:
            flags |= getattr(os, "O_NONBLOCK", 0)  # FIFO without reader -> ENXIO, never a hang
        else:
            flags |= os.O_CREAT | os.O_APPEND
        try:
            self.fd = os.open(self.path, flags, 0o644)
        except OSError as exc:
            detail = "nothing is reading the FIFO/device" if exc.errno == errno.ENXIO else short_error(exc)
            raise DeviceError("printer.unreachable", url=self.url.raw, detail=detail) from None

    def write(self, data: bytes) -> None:
        assert self.fd is not None
        deadline = time.monotonic() + self.timeout
        view = memoryview(data)
        while view:
            try:
                n = os.write(self.fd, view[:CHUNK])
                view = view[n:]
                deadline = time.monotonic() + self.timeout  # progress: the printer is alive
                continue
            except BlockingIOError:
                pass
            except OSError as exc:
                raise DeviceError("printer.write_failed", url=self.url.raw, detail=short_error(exc)) from None
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise DeviceError("printer.timeout", url=self.url.raw, seconds=round(self.timeout, 1))
            select.select([], [self.fd], [], min(remaining, 0.2))

    def close(self) -> None:
        if self.fd is not None:
            try:
                os.close(self.fd)
            finally:
                self.fd = None
