"""Serial printers, and Bluetooth SPP printers through their serial port (``/dev/rfcomm0``,
``COM5``): ``serial:PORT?baudrate=9600&flow=rtscts&timeout=5``.

Opened with pyserial directly, never python-escpos' Serial: that one forces dsrdtr=True and has
no write timeout (a printer holding DSR low blocks the caller forever)."""

from __future__ import annotations

from typing import Any

from cashier.core.errors import DeviceError
from cashier.devices.transports.base import (
    CHUNK,
    PrinterURL,
    Transport,
    param_float,
    param_int,
    short_error,
)


class SerialTransport(Transport):
    bidirectional = True

    def __init__(self, url: PrinterURL) -> None:
        self.url = url
        self.port = url.target
        self.baudrate = param_int(url, "baudrate", 9600)
        self.flow = url.params.get("flow", "none").lower()
        if self.flow not in ("none", "rtscts", "xonxoff", "dsrdtr"):
            raise DeviceError("printer.bad_url", url=url.raw, detail=f"flow={self.flow!r} (none, rtscts, xonxoff, dsrdtr)")
        self.timeout = url.timeout
        self.bytesize = param_int(url, "bytesize", 8)
        self.parity = url.params.get("parity", "N").upper()
        self.stopbits = param_float(url, "stopbits", 1)
        self.ser: Any = None

    def open(self) -> None:
        import serial

        try:
            self.ser = serial.Serial(
                port=self.port, baudrate=self.baudrate, bytesize=self.bytesize, parity=self.parity,
                stopbits=self.stopbits, timeout=0.5, write_timeout=self.timeout,
                rtscts=self.flow == "rtscts", xonxoff=self.flow == "xonxoff",
                dsrdtr=self.flow == "dsrdtr",  # python-escpos forces True: a silent DSR blocks forever
            )  # fmt: skip
        except (serial.SerialException, ValueError, OSError) as exc:
            raise DeviceError("printer.unreachable", url=self.url.raw, detail=short_error(exc)) from None

    def write(self, data: bytes) -> None:
        import serial

        assert self.ser is not None
        # each chunk gets the transfer time it needs at this baud rate plus the timeout
        for i in range(0, len(data), CHUNK):
            chunk = data[i : i + CHUNK]
            self.ser.write_timeout = self.timeout + len(chunk) * 10 / self.baudrate
            try:
                written = self.ser.write(chunk)
            except serial.SerialTimeoutException:
                raise DeviceError("printer.timeout", url=self.url.raw, seconds=round(self.timeout, 1)) from None
            except (serial.SerialException, OSError) as exc:
                raise DeviceError("printer.write_failed", url=self.url.raw, detail=short_error(exc)) from None
            if written is not None and written != len(chunk):
                raise DeviceError("printer.timeout", url=self.url.raw, seconds=round(self.timeout, 1))
        try:
            self.ser.flush()
        except (serial.SerialException, OSError) as exc:
            raise DeviceError("printer.write_failed", url=self.url.raw, detail=short_error(exc)) from None

    def read(self, n: int, timeout: float) -> bytes:
        assert self.ser is not None
        self.ser.timeout = timeout
        try:
            return self.ser.read(n)
        except Exception:  # noqa: BLE001 - a status read never fails the caller
            return b""

    def close(self) -> None:
        if self.ser is not None:
            try:
                self.ser.close()
            except Exception:  # noqa: BLE001
                pass
            self.ser = None
