"""Serial (RS-232 / USB-CDC / Bluetooth SPP) barcode scanner reader.

Runs on its own thread; reconnects when the scanner is unplugged and plugged back in. Each
frame (optional prefix, code, suffix) goes through :func:`cashier.core.customer_code.parse_scanned`
(normalise, validate, repair Telex/VNI mangling). Garbage, a frame without its prefix, or half
a code (bytes that stop arriving before the suffix) is reported to ``on_reject`` with a clear
English and Vietnamese message; nothing crashes and nothing is silently dropped.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cashier.core.customer_code import CodePolicy, ScannedCode, parse_scanned
from cashier.core.errors import DomainError
from cashier.core.messages import render
from cashier.devices.reader_thread import ReconnectingReader

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rejected:
    """A refused frame: what came in and why (a message code and its params)."""

    raw: str
    code: str  # message code
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """Why, in English (logs, CLI)."""
        return self.text("en")

    def text(self, lang: str) -> str:
        return render(self.code, lang, self.params)


class SerialScanner(ReconnectingReader):
    """Read codes from a serial scanner on a background thread."""

    def __init__(
        self,
        port: str,
        *,
        on_code: Callable[[ScannedCode], None],
        on_reject: Callable[[Rejected], None],
        on_status: Callable[[str], None] | None = None,
        baudrate: int = 9600,
        prefix: str = "",
        suffix: str = "\r",
        policy: CodePolicy = CodePolicy(),
        incomplete_after: float = 0.3,
        reconnect_delay: float = 1.0,
        max_length: int = 64,
        serial_factory: Callable[..., object] | None = None,
    ) -> None:
        super().__init__(port, on_status, reconnect_delay)
        self.on_code = on_code
        self.on_reject = on_reject
        self.baudrate = baudrate
        self.prefix = prefix
        # "\r", "\n" and "\r\n" scanners all end a frame at either byte
        self.terminators = set(suffix.encode("latin-1")) or {0x0D}
        if self.terminators & {0x0D, 0x0A}:
            self.terminators |= {0x0D, 0x0A}
        self.policy = policy
        self.incomplete_after = incomplete_after
        self.max_length = max_length
        self._serial_factory = serial_factory

    def _open(self):
        if self._serial_factory is not None:
            return self._serial_factory(self.port, self.baudrate)
        import serial

        return serial.Serial(self.port, self.baudrate, timeout=0.05, dsrdtr=False, rtscts=False)

    def _read_loop(self, ser) -> None:
        buf = bytearray()
        last = time.monotonic()
        while not self._stop.is_set():
            chunk = ser.read(64)
            now = time.monotonic()
            if not chunk:
                if buf and now - last >= self.incomplete_after:
                    self._reject(bytes(buf), "scanner.incomplete")
                    buf.clear()
                continue
            last = now
            for byte in chunk:
                if byte in self.terminators:
                    if buf:
                        self._frame(bytes(buf))
                        buf.clear()
                    continue
                buf.append(byte)
                if len(buf) > self.max_length:
                    self._reject(bytes(buf[:40]), "scanner.too_long", length=len(buf))
                    buf.clear()

    # -- frames ------------------------------------------------------------------------------
    def _frame(self, raw: bytes) -> None:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
        shown = text[:40]
        if not text.isprintable():
            self._reject(raw, "scanner.unreadable")
            return
        if self.prefix:
            if not text.startswith(self.prefix):
                self._reject(raw, "scanner.no_prefix", prefix=self.prefix)
                return
            text = text[len(self.prefix) :]
        try:
            scanned = parse_scanned(text, self.policy)
        except DomainError as exc:
            self._emit_reject(Rejected(shown, exc.code, exc.params))
            return
        try:
            self.on_code(scanned)
        except Exception:  # noqa: BLE001 - the app's handler must not kill the reader
            log.exception("scanner code handler failed")

    def _reject(self, raw: bytes, code: str, **params) -> None:
        shown = raw.decode("utf-8", "backslashreplace")[:40]
        self._emit_reject(Rejected(shown, code, {"raw": shown, **params}))

    def _emit_reject(self, rejected: Rejected) -> None:
        log.warning("scan rejected: %s", rejected.message)
        try:
            self.on_reject(rejected)
        except Exception:  # noqa: BLE001
            log.exception("scanner reject handler failed")
