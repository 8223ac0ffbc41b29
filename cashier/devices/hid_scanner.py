"""USB HID-POS barcode scanner reader (usage page 0x8C "Bar Code Scanner", usage 0x02).

A scanner in HID-POS mode is not a keyboard: its scans are input reports read straight from the
device (Linux ``/dev/hidrawN``; elsewhere the optional ``hidapi`` package), so they arrive
whatever window has the focus and no input method can mangle them.

The reader only needs a narrow byte-stream device, ``read(size, timeout) -> bytes`` (``b""`` on
timeout, ``OSError`` when unplugged) and ``close()``, so tests feed it real reports from a pipe
or a fake. Like the serial reader it runs on its own thread, reconnects when the scanner is
unplugged, and hands each decoded code through
:func:`cashier.core.customer_code.parse_scanned`; junk is reported to ``on_reject``.

Scanned-data report (HID POS Usage Tables 1.02, "Scanned Data Report", as Honeywell, Zebra,
Datalogic and Access-IS scanners send it; report id 2, 64 bytes)::

    [0] report id 2   [1] data length   [2:5] AIM symbology id (e.g. "]C0")
    [5:61] decoded data (56 bytes, zero padded)   [61] vendor symbology id   [62] reserved
    [63] bit 0: decode data continued (more reports follow for this code)

The "plain" variant (documented by QUIO/Newland engines) has no AIM field:
``[0] id [1] length [2:58] data [58:62] reserved [62] symbology [63] bit 0 continued``.
``layout="auto"`` takes the AIM layout when byte 2 is "]" or bytes 2-4 are zero.
"""

from __future__ import annotations

import logging
import os
import select
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

from cashier.core.customer_code import CodePolicy, ScannedCode, parse_scanned
from cashier.core.errors import DomainError
from cashier.core.messages import render
from cashier.devices.reader_thread import ReconnectingReader
from cashier.devices.serial_scanner import Rejected

log = logging.getLogger(__name__)

HID_POS_PAGE = 0x8C
USAGE_BARCODE_SCANNER = 0x02
SCANNED_DATA_REPORT_ID = 2
REPORT_SIZE = 64
LAYOUTS = ("auto", "aim", "plain")

class HidPermissionError(PermissionError):
    def __init__(self, path: str, vid: str = "xxxx") -> None:
        super().__init__(path)
        self.path = path
        self.vid = vid


class HidUnavailable(OSError):
    """The device cannot be opened for a reason the cashier can fix (message code + params)."""

    def __init__(self, code: str, **params) -> None:
        super().__init__(render(code, "en", params))
        self.code = code
        self.params = params


# -- reports -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ScanReport:
    data: bytes
    aim: str  # AIM symbology identifier ("]C0" Code 128, "]Q1" QR ...) or ""
    symbology: int  # vendor symbology byte (0: none)
    more: bool  # decode data continued: the code goes on in the next report


class BadReport(ValueError):
    def __init__(self, code: str, raw: bytes, **params) -> None:
        super().__init__(code)
        self.code = code
        self.raw = raw
        self.params = params


def parse_report(report: bytes, layout: str = "auto", report_id: int = SCANNED_DATA_REPORT_ID) -> ScanReport | None:
    """One input report -> its part of a scan; ``None`` for other reports (status, replies);
    :class:`BadReport` for a scanned-data report that cannot be right."""
    if not report or report[0] != report_id:
        return None
    if len(report) < 6:
        raise BadReport("hid.short_report", report, length=len(report))
    if layout == "auto":
        layout = "aim" if report[2] == 0x5D or report[2:5] == b"\0\0\0" else "plain"
    if layout == "aim":
        start, room = 5, min(56, len(report) - 5)
        aim = report[2:5].rstrip(b"\0").decode("latin-1")
        sym = report[61] if len(report) > 61 else 0
    else:
        start, room = 2, min(56, len(report) - 2)
        aim = ""
        sym = report[62] if len(report) > 62 else 0
    length = report[1]
    if length > room:
        raise BadReport("hid.bad_length", report, length=length, room=room)
    more = bool(report[63] & 0x01) if len(report) > 63 else False
    return ScanReport(bytes(report[start : start + length]), aim, sym, more)


# -- devices -----------------------------------------------------------------------------------
class HidrawDevice:
    """A Linux hidraw node (or any file descriptor that yields whole reports: a pipe in tests)."""

    def __init__(self, path: str, fd: int | None = None, opener: Callable[[str, int], int] = os.open) -> None:
        self.path = path
        if fd is None:
            try:
                fd = opener(path, os.O_RDONLY | os.O_NONBLOCK)
            except PermissionError as exc:
                raise HidPermissionError(path, _vendor_of(path)) from exc
        self.fd = fd

    def read(self, size: int, timeout: float) -> bytes:
        ready, _w, _x = select.select([self.fd], [], [], timeout)
        if not ready:
            return b""
        try:
            data = os.read(self.fd, size)
        except BlockingIOError:
            return b""
        if not data:
            raise OSError(f"{self.path}: device gone")
        return data

    def close(self) -> None:
        os.close(self.fd)


class HidapiDevice:
    """A device opened through cython-hidapi (Windows, macOS; Linux without hidraw)."""

    def __init__(self, path: bytes | str | None = None, vid: int = 0, pid: int = 0, module=None) -> None:
        hid = module or _import_hidapi()
        self.path = path
        self._dev = hid.device()
        try:
            if path:
                self._dev.open_path(path if isinstance(path, bytes) else path.encode())
            else:
                self._dev.open(vid, pid)
        except OSError as exc:
            if "ermission" in str(exc) or isinstance(exc, PermissionError):
                raise HidPermissionError(str(path or f"{vid:04x}:{pid:04x}"), f"{vid:04x}") from exc
            raise

    def read(self, size: int, timeout: float) -> bytes:
        return bytes(self._dev.read(size, max(1, int(timeout * 1000))))

    def close(self) -> None:
        self._dev.close()


def _import_hidapi():
    try:
        import hid  # noqa: PLC0415 - optional: pip install 'cashier[hid]'
    except ImportError as exc:
        raise HidUnavailable("hid.no_hidapi") from exc
    return hid


def _vendor_of(path: str) -> str:
    from cashier.devices.discovery import hidraw_info  # noqa: PLC0415

    info = hidraw_info(os.path.basename(path))
    return f"{info['vid']:04x}" if info else "xxxx"


def open_device(spec: str, backend: str = "auto") -> HidrawDevice | HidapiDevice:
    """``auto`` (the first HID-POS scanner), ``/dev/hidrawN``, ``VVVV:PPPP`` (USB ids, survive
    renumbering) or a hidapi path; ``hid:`` in front is accepted."""
    from cashier.devices import discovery  # noqa: PLC0415

    spec = spec.removeprefix("hid:") or "auto"
    if backend == "auto":
        backend = "hidraw" if sys.platform.startswith("linux") and os.path.isdir(discovery.HIDRAW_CLASS) else "hidapi"
    if backend == "hidraw":
        if spec.startswith("/"):
            return HidrawDevice(spec)
        for dev in discovery.hidraw_pos_devices(discovery.HIDRAW_CLASS):
            if spec == "auto" or spec.lower() == discovery.usb_ids(dev):
                return HidrawDevice(dev.url.removeprefix("hid:"))
        raise HidUnavailable("hid.not_found", spec=spec)
    hid = _import_hidapi()
    for item in hid.enumerate():
        if item.get("usage_page") != HID_POS_PAGE:
            continue
        ids = f"{item['vendor_id']:04x}:{item['product_id']:04x}"
        path = item.get("path") or b""
        if spec in ("auto", ids) or spec == path.decode(errors="replace"):
            return HidapiDevice(path, module=hid)
    if ":" in spec and len(spec) == 9:
        vid, pid = (int(x, 16) for x in spec.split(":"))
        return HidapiDevice(None, vid, pid, module=hid)
    raise HidUnavailable("hid.not_found", spec=spec)


# -- the reader --------------------------------------------------------------------------------
class HidScanner(ReconnectingReader):
    """Read codes from a HID-POS scanner on a background thread."""

    kind = "hid-scanner"

    def __init__(
        self,
        device: str = "auto",
        *,
        on_code: Callable[[ScannedCode], None],
        on_reject: Callable[[Rejected], None],
        on_status: Callable[[str], None] | None = None,
        prefix: str = "",
        policy: CodePolicy = CodePolicy(),
        layout: str = "auto",
        backend: str = "auto",
        incomplete_after: float = 0.3,
        reconnect_delay: float = 1.0,
        max_length: int = 64,
        device_factory: Callable[[str], object] | None = None,
        **_ignored,  # baudrate= from the serial settings path
    ) -> None:
        if layout not in LAYOUTS:
            raise ValueError(f"layout must be one of {LAYOUTS}")
        super().__init__(device, on_status, reconnect_delay)
        self.on_code, self.on_reject = on_code, on_reject
        self.prefix, self.policy, self.layout, self.backend = prefix, policy, layout, backend
        self.incomplete_after = incomplete_after
        self.max_length = max_length
        self._device_factory = device_factory or (lambda spec: open_device(spec, self.backend))

    def _open(self):
        return self._device_factory(self.port)

    def _open_failed(self, exc: Exception) -> bool:
        if isinstance(exc, HidPermissionError):
            if self.status != "denied":  # say it once, keep trying (the rule may get fixed)
                self._set_status("denied")
                self._message("hid.permission", path=exc.path, vid=exc.vid)
            return True
        if isinstance(exc, HidUnavailable):
            if self.status != exc.code:
                self._set_status(exc.code)
                if exc.code == "hid.no_hidapi":
                    self._message(exc.code, **exc.params)
                else:
                    log.info("%s", exc)
            return True
        return False

    def _read_loop(self, dev) -> None:
        buf = bytearray()
        # after a refused part of a multi-report code, the rest of that code is dropped too (its
        # tail must never pass for a code of its own)
        discarding = False
        last = time.monotonic()
        while not self._stop.is_set():
            report = dev.read(REPORT_SIZE, 0.05)
            now = time.monotonic()
            if not report:
                if buf and now - last >= self.incomplete_after:
                    self._reject(bytes(buf), "scanner.incomplete")
                    buf.clear()
                if now - last >= self.incomplete_after:
                    discarding = False
                continue
            last = now
            try:
                part = parse_report(report, self.layout)
            except BadReport as exc:
                self._reject(exc.raw[:8], exc.code, **exc.params)
                # byte 63 (decode data continued) says whether that code goes on, whatever else
                # is wrong; a report too short to have it: drop until a code's last report
                discarding = bool(exc.raw[63] & 0x01) if len(exc.raw) > 63 else discarding or bool(buf)
                buf.clear()
                continue
            if part is None:
                log.debug("HID scanner: report %r ignored", report[:4])
                continue
            if discarding:
                discarding = part.more
                continue
            buf += part.data
            if len(buf) > self.max_length:
                self._reject(bytes(buf[:40]), "scanner.too_long", length=len(buf))
                buf.clear()
                discarding = part.more
                continue
            if not part.more:
                if buf:
                    self._frame(bytes(buf))
                buf.clear()

    def _frame(self, raw: bytes) -> None:
        text = raw.decode("utf-8", "replace").rstrip("\r\n\0")
        if not text.isprintable() or "\ufffd" in text:
            self._reject(raw, "scanner.unreadable")
            return
        # the wedge's prefix tells scans from typing; a HID-POS report is never typing, so the
        # prefix is taken off when the scanner sends it and not required when it does not
        if self.prefix and text.startswith(self.prefix):
            text = text[len(self.prefix) :]
        try:
            scanned = parse_scanned(text, self.policy)
        except DomainError as exc:
            self._emit(Rejected(text[:40], exc.code, exc.params))
            return
        try:
            self.on_code(scanned)
        except Exception:  # noqa: BLE001 - the app's handler must not kill the reader
            log.exception("scanner code handler failed")

    def _reject(self, raw: bytes, code: str, **params) -> None:
        shown = raw.decode("utf-8", "backslashreplace")[:40]
        self._message(code, raw=shown, **params)

    def _message(self, code: str, **params) -> None:
        self._emit(Rejected(str(params.get("raw", "")), code, params))

    def _emit(self, rejected: Rejected) -> None:
        log.warning("HID scan rejected: %s", rejected.message)
        try:
            self.on_reject(rejected)
        except Exception:  # noqa: BLE001
            log.exception("scanner reject handler failed")
