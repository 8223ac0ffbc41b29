"""Printer transports named by URL, every one with a write timeout (never a hang).

=========================================  =================================================
``serial:/dev/ttyUSB0?baudrate=9600&flow=rtscts&timeout=5``   serial / Bluetooth SPP (COM3 on Windows)
``usb:0x0416:0x5011``                      USB printer class device by vendor:product (pyusb)
``tcp:192.168.1.50:9100``                  network printer (raw port 9100)
``file:/dev/usb/lp0`` or a plain path      device file, FIFO or a regular file (raw bytes)
``preview:/path/dir``                      .bin bytes + .png picture per job (demo, tests)
``win32:Printer Name``                     Windows spooler, RAW datatype (pywin32, lazily)
``memory:``                                keeps the bytes in memory (tests)
=========================================  =================================================

Query parameters common to all: ``timeout`` (seconds, default 5). Serial: ``baudrate`` (9600),
``flow`` (none | rtscts | xonxoff | dsrdtr), ``bytesize``/``parity``/``stopbits``.
USB: ``interface`` (0), ``out``/``in`` endpoint addresses (default: the first bulk ones).

We do not use python-escpos' transport classes: its Serial opens with dsrdtr=True and no write
timeout (a printer holding DSR low blocks the caller forever), and its other classes either
have no timeout or swallow the error we need to report.
"""

from __future__ import annotations

import errno
import os
import re
import select
import socket
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, unquote

from cashier.core.errors import DeviceError

DEFAULT_TIMEOUT = 5.0
CHUNK = 512


@dataclass(frozen=True)
class PrinterURL:
    scheme: str
    target: str
    params: dict[str, str] = field(default_factory=dict)
    raw: str = ""

    @property
    def timeout(self) -> float:
        return _float(self, "timeout", DEFAULT_TIMEOUT)


def _float(url: PrinterURL, key: str, default: float) -> float:
    value = url.params.get(key)
    if value is None:
        return default
    try:
        result = float(value)
    except ValueError:
        raise DeviceError("printer.bad_url", url=url.raw, detail=f"{key}={value!r} is not a number") from None
    if result <= 0:
        raise DeviceError("printer.bad_url", url=url.raw, detail=f"{key} must be positive")
    return result


def _int(url: PrinterURL, key: str, default: int) -> int:
    value = url.params.get(key)
    if value is None:
        return default
    try:
        return int(value, 0)
    except ValueError:
        raise DeviceError("printer.bad_url", url=url.raw, detail=f"{key}={value!r} is not a whole number") from None


SCHEMES = ("serial", "usb", "tcp", "file", "preview", "win32", "memory")


def parse_url(url: str) -> PrinterURL:
    """Split a printer URL; plain paths (``/dev/usb/lp0``, ``C:\\x.bin``) mean ``file:``."""
    raw = (url or "").strip()
    if not raw:
        raise DeviceError("printer.bad_url", url=url, detail="empty")
    m = re.match(r"^([a-z][a-z0-9]+):(.*)$", raw, re.IGNORECASE | re.DOTALL)
    if m and len(m.group(1)) > 1 and m.group(1).lower() in SCHEMES:
        scheme, rest = m.group(1).lower(), m.group(2)
    elif m and len(m.group(1)) > 1 and not raw.startswith(("/", ".")):
        raise DeviceError(
            "printer.bad_url", url=raw,
            detail=f"unknown transport {m.group(1)!r} (use {', '.join(SCHEMES)} or a file path)",
        )  # fmt: skip
    else:
        scheme, rest = "file", raw
    params: dict[str, str] = {}
    if "?" in rest and scheme != "win32":
        rest, query = rest.split("?", 1)
        params = dict(parse_qsl(query, keep_blank_values=True))
    if scheme in ("file", "preview", "serial", "tcp", "usb") and rest.startswith("//"):
        rest = rest[2:]  # tcp://host:9100, file:///dev/usb/lp0 (URL habits) mean the same
    target = unquote(rest)
    if not target and scheme != "memory":
        raise DeviceError("printer.bad_url", url=raw, detail="nothing after the transport name")
    return PrinterURL(scheme, target, params, raw)


class Transport:
    """open / write (bounded by a deadline) / read (for status) / close."""

    url: PrinterURL
    bidirectional = False

    def open(self) -> None: ...

    def write(self, data: bytes) -> None:
        raise NotImplementedError

    def read(self, n: int, timeout: float) -> bytes:
        return b""

    def close(self) -> None: ...

    def __enter__(self) -> Transport:
        self.open()
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# --- serial ------------------------------------------------------------------------------------
class SerialTransport(Transport):
    bidirectional = True

    def __init__(self, url: PrinterURL) -> None:
        self.url = url
        self.port = url.target
        self.baudrate = _int(url, "baudrate", 9600)
        self.flow = url.params.get("flow", "none").lower()
        if self.flow not in ("none", "rtscts", "xonxoff", "dsrdtr"):
            raise DeviceError("printer.bad_url", url=url.raw, detail=f"flow={self.flow!r} (none, rtscts, xonxoff, dsrdtr)")
        self.timeout = url.timeout
        self.bytesize = _int(url, "bytesize", 8)
        self.parity = url.params.get("parity", "N").upper()
        self.stopbits = _float(url, "stopbits", 1)
        self.ser = None

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
            raise DeviceError("printer.unreachable", url=self.url.raw, detail=_short(exc)) from None

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
                raise DeviceError("printer.write_failed", url=self.url.raw, detail=_short(exc)) from None
            if written is not None and written != len(chunk):
                raise DeviceError("printer.timeout", url=self.url.raw, seconds=round(self.timeout, 1))
        try:
            self.ser.flush()
        except (serial.SerialException, OSError) as exc:
            raise DeviceError("printer.write_failed", url=self.url.raw, detail=_short(exc)) from None

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


# --- network -----------------------------------------------------------------------------------
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
            raise DeviceError("printer.unreachable", url=self.url.raw, detail=_short(exc)) from None

    def write(self, data: bytes) -> None:
        assert self.sock is not None
        self.sock.settimeout(self.timeout)
        try:
            for i in range(0, len(data), 4096):
                self.sock.sendall(data[i : i + 4096])
        except TimeoutError:
            raise DeviceError("printer.timeout", url=self.url.raw, seconds=round(self.timeout, 1)) from None
        except OSError as exc:
            raise DeviceError("printer.write_failed", url=self.url.raw, detail=_short(exc)) from None

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


# --- device file / FIFO / plain file -----------------------------------------------------------------
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
            detail = "nothing is reading the FIFO/device" if exc.errno == errno.ENXIO else _short(exc)
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
                raise DeviceError("printer.write_failed", url=self.url.raw, detail=_short(exc)) from None
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


# --- USB -----------------------------------------------------------------------------------------
class UsbTransport(Transport):
    bidirectional = True

    def __init__(self, url: PrinterURL) -> None:
        self.url = url
        m = re.fullmatch(r"(0x[0-9a-fA-F]{1,4}|\d+):(0x[0-9a-fA-F]{1,4}|\d+)", url.target)
        if not m:
            raise DeviceError("printer.bad_url", url=url.raw, detail="expected usb:VENDOR:PRODUCT, e.g. usb:0x0416:0x5011")
        self.vendor, self.product = int(m.group(1), 0), int(m.group(2), 0)
        self.interface = _int(url, "interface", 0)
        self.out_ep = _int(url, "out", 0) or None
        self.in_ep = _int(url, "in", 0) or None
        self.timeout = url.timeout
        self.dev = None

    def open(self) -> None:
        try:
            import usb.core
            import usb.util
        except ImportError:
            raise DeviceError("printer.platform", what="USB printing", detail="pyusb is not installed") from None
        try:
            dev = usb.core.find(idVendor=self.vendor, idProduct=self.product)
        except usb.core.NoBackendError:
            raise DeviceError("printer.platform", what="USB printing", detail="no libusb backend") from None
        if dev is None:
            raise DeviceError("printer.unreachable", url=self.url.raw, detail="no such USB device (unplugged or off?)")
        try:
            try:
                if dev.is_kernel_driver_active(self.interface):
                    dev.detach_kernel_driver(self.interface)
            except (NotImplementedError, usb.core.USBError):
                pass
            try:
                dev.set_configuration()
            except usb.core.USBError:
                pass  # already configured (busy) is fine
            cfg = dev.get_active_configuration()
            intf = cfg[(self.interface, 0)]
            if self.out_ep is None:
                ep = usb.util.find_descriptor(
                    intf, custom_match=lambda e: usb.util.endpoint_direction(e.bEndpointAddress) == usb.util.ENDPOINT_OUT
                )
                if ep is None:
                    raise DeviceError("printer.unreachable", url=self.url.raw, detail="no OUT endpoint")
                self.out_ep = ep.bEndpointAddress
            if self.in_ep is None:
                ep = usb.util.find_descriptor(
                    intf, custom_match=lambda e: usb.util.endpoint_direction(e.bEndpointAddress) == usb.util.ENDPOINT_IN
                )
                self.in_ep = ep.bEndpointAddress if ep is not None else None
        except usb.core.USBError as exc:
            raise DeviceError("printer.unreachable", url=self.url.raw, detail=_short(exc)) from None
        self.dev = dev

    def write(self, data: bytes) -> None:
        import usb.core

        assert self.dev is not None
        for i in range(0, len(data), 4096):
            chunk = data[i : i + 4096]
            try:
                n = self.dev.write(self.out_ep, chunk, int(self.timeout * 1000))
            except usb.core.USBTimeoutError:
                raise DeviceError("printer.timeout", url=self.url.raw, seconds=round(self.timeout, 1)) from None
            except usb.core.USBError as exc:
                raise DeviceError("printer.write_failed", url=self.url.raw, detail=_short(exc)) from None
            if n != len(chunk):
                raise DeviceError("printer.write_failed", url=self.url.raw, detail=f"wrote {n} of {len(chunk)} bytes")

    def read(self, n: int, timeout: float) -> bytes:
        if self.dev is None or self.in_ep is None:
            return b""
        try:
            return bytes(self.dev.read(self.in_ep, n, int(timeout * 1000)))
        except Exception:  # noqa: BLE001
            return b""

    def close(self) -> None:
        if self.dev is not None:
            try:
                import usb.util

                usb.util.dispose_resources(self.dev)
            except Exception:  # noqa: BLE001
                pass
            self.dev = None


# --- Windows spooler -------------------------------------------------------------------------------
class Win32Transport(Transport):
    def __init__(self, url: PrinterURL) -> None:
        self.url = url
        self.name = url.target
        self.handle = None

    def open(self) -> None:
        try:
            import win32print  # type: ignore[import-not-found]  # pywin32, Windows only
        except ImportError:
            raise DeviceError(
                "printer.platform", what="the Windows spooler", detail="needs Windows with pywin32"
            ) from None
        try:
            self.handle = win32print.OpenPrinter(self.name)
        except Exception as exc:  # noqa: BLE001 - pywintypes.error
            raise DeviceError("printer.unreachable", url=self.url.raw, detail=_short(exc)) from None

    def write(self, data: bytes) -> None:
        import win32print  # type: ignore[import-not-found]

        try:
            win32print.StartDocPrinter(self.handle, 1, ("Cashier receipt", None, "RAW"))
            try:
                win32print.StartPagePrinter(self.handle)
                win32print.WritePrinter(self.handle, data)
                win32print.EndPagePrinter(self.handle)
            finally:
                win32print.EndDocPrinter(self.handle)
        except Exception as exc:  # noqa: BLE001
            raise DeviceError("printer.write_failed", url=self.url.raw, detail=_short(exc)) from None

    def close(self) -> None:
        if self.handle is not None:
            import win32print  # type: ignore[import-not-found]

            win32print.ClosePrinter(self.handle)
            self.handle = None


# --- memory and preview -----------------------------------------------------------------------------
class MemoryTransport(Transport):
    """Keeps what was written (tests); ``answers`` feed status reads."""

    bidirectional = True

    def __init__(self, url: PrinterURL | None = None, answers: bytes = b"") -> None:
        self.url = url or PrinterURL("memory", "", {}, "memory:")
        self.data = bytearray()
        self.answers = bytearray(answers)
        self.jobs: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.data += data
        self.jobs.append(bytes(data))

    def read(self, n: int, timeout: float) -> bytes:
        out = bytes(self.answers[:n])
        del self.answers[:n]
        return out


class PreviewTransport(Transport):
    """Writes each job as ``NNNN-name.bin`` and a rendered ``NNNN-name.png`` into a directory."""

    def __init__(self, url: PrinterURL) -> None:
        self.url = url
        self.dir = Path(url.target)
        self.dots = 576
        self.pages: dict[int, str] | None = None
        self.job_name = "job"
        self.last_bin: Path | None = None
        self.last_png: Path | None = None

    def open(self) -> None:
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DeviceError("printer.unreachable", url=self.url.raw, detail=_short(exc)) from None

    def write(self, data: bytes) -> None:
        from cashier.devices.escpos_decoder import render_png

        stamp = time.strftime("%Y%m%d-%H%M%S")
        from cashier.devices.textcodec import to_ascii

        slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", to_ascii(self.job_name)).strip("-")[:60] or "job"
        base = self.dir / f"{stamp}-{slug}"
        n = 1
        while base.with_suffix(".bin").exists():
            n += 1
            base = self.dir / f"{stamp}-{slug}-{n}"
        try:
            base.with_suffix(".bin").write_bytes(data)
            render_png(data, self.dots, pages=self.pages).save(base.with_suffix(".png"), optimize=True)
        except OSError as exc:
            raise DeviceError("printer.write_failed", url=self.url.raw, detail=_short(exc)) from None
        self.last_bin, self.last_png = base.with_suffix(".bin"), base.with_suffix(".png")


def open_transport(url: str | PrinterURL) -> Transport:
    """A transport for the URL (not opened yet)."""
    parsed = parse_url(url) if isinstance(url, str) else url
    cls = {
        "serial": SerialTransport, "usb": UsbTransport, "tcp": TcpTransport, "file": FileTransport,
        "preview": PreviewTransport, "win32": Win32Transport, "memory": MemoryTransport,
    }[parsed.scheme]  # fmt: skip
    return cls(parsed)


def _short(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]
