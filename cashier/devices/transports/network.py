"""Network printers on their raw port: ``tcp:HOST:PORT`` (9100 when no port is given)."""

from __future__ import annotations

import socket

from cashier.core.errors import DeviceError
from cashier.devices.transports.base import PrinterURL, Transport, short_error


class TcpTransport(Transport):
    bidirectional = True

    def __init__(self, url: PrinterURL) -> None:
        self.url = url
        host, _, port = url.target.rpartition(":")
        if not host:
            host, port = url.target, "9100"
        host = host.strip("[]")
        if not port.isdigit() or not 0 < int(port) < 65536 or not host:
            raise DeviceError("printer.bad_url", url=url.raw, detail="expected tcp:HOST:PORT")
        self.host, self.port = host, int(port)
        self.timeout = url.timeout
        self.sock: socket.socket | None = None

    def open(self) -> None:
        try:
            self.sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except TimeoutError:
            raise DeviceError("printer.timeout", url=self.url.raw, seconds=round(self.timeout, 1)) from None
        except OSError as exc:
            raise DeviceError("printer.unreachable", url=self.url.raw, detail=short_error(exc)) from None

    def write(self, data: bytes) -> None:
        assert self.sock is not None
        self.sock.settimeout(self.timeout)
        try:
            for i in range(0, len(data), 4096):
                self.sock.sendall(data[i : i + 4096])
        except TimeoutError:
            raise DeviceError("printer.timeout", url=self.url.raw, seconds=round(self.timeout, 1)) from None
        except OSError as exc:
            raise DeviceError("printer.write_failed", url=self.url.raw, detail=short_error(exc)) from None

    def read(self, n: int, timeout: float) -> bytes:
        assert self.sock is not None
        self.sock.settimeout(timeout)
        try:
            return self.sock.recv(n)
        except OSError:
            return b""

    def close(self) -> None:
        if self.sock is not None:
            try:
                self.sock.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            self.sock.close()
            self.sock = None
