"""Transports for real without hardware: serial through a pty pair, network through a local TCP
server, a device file through a FIFO, USB through a patched usb.core.find, the Windows spooler
through a fake pywin32; timeouts, URLs and the scheme registry. Status and paper checks:
test_printer_status.py."""

from __future__ import annotations

import os
import socket
import threading
import time

import pytest
from printer_servers import check_receipt, receipt_doc, status_server

from cashier.core.errors import DeviceError
from cashier.devices.escpos_decoder import decode
from cashier.devices.printer import EscPosPrinter
from cashier.devices.render import RenderOptions
from cashier.devices.transports import (
    TRANSPORTS,
    MemoryTransport,
    PrinterURL,
    Transport,
    open_transport,
    parse_url,
)

OPTS = RenderOptions(mode="text-tcvn3", width_mm=58)


def _drain(fd: int, out: bytearray, stop: threading.Event, limit: int | None = None) -> None:
    while not stop.is_set():
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            return
        if not chunk:
            return
        out += chunk
        if limit is not None and len(out) >= limit:
            return


# --- serial ------------------------------------------------------------------------------------
@pytest.fixture
def pty_pair():
    master, slave = os.openpty()
    name = os.ttyname(slave)
    yield master, name
    for fd in (master, slave):
        try:
            os.close(fd)
        except OSError:
            pass


def test_serial_through_a_pty(pty_pair, now) -> None:
    master, name = pty_pair
    got, stop = bytearray(), threading.Event()
    printer = EscPosPrinter(f"serial:{name}?baudrate=115200&timeout=2", OPTS)
    expected = printer.render(receipt_doc(now))
    framed = b"\x10\x04\x04" + expected + b"\x10\x04\x02"  # paper check before and after
    reader = threading.Thread(target=_drain, args=(master, got, stop, len(framed)), daemon=True)
    reader.start()
    result = printer.print_document(receipt_doc(now))
    reader.join(3)
    stop.set()
    assert result.bytes_sent == len(expected)
    assert bytes(got) == framed
    check_receipt(got, now)


def test_serial_printer_that_stops_reading_times_out(pty_pair, now) -> None:
    master, name = pty_pair  # nobody reads the master: the pty buffer fills up
    printer = EscPosPrinter(f"serial:{name}?baudrate=115200&timeout=0.5", RenderOptions(mode="raster", width_mm=80))
    start = time.monotonic()
    with pytest.raises(DeviceError) as err:
        printer.send(b"\x00" * 400_000)
    assert time.monotonic() - start < 5
    assert err.value.code == "printer.timeout"


def test_serial_wrong_port_is_a_clear_error() -> None:
    printer = EscPosPrinter("serial:/dev/ttyNOPE0?baudrate=9600&timeout=1", OPTS)
    with pytest.raises(DeviceError) as err:
        printer.send(b"x")
    assert err.value.code == "printer.unreachable"
    assert "/dev/ttyNOPE0" in str(err.value) and "\n" not in str(err.value)


# --- network -----------------------------------------------------------------------------------
def test_network_printer_on_localhost(now) -> None:
    srv, t, received = status_server()
    port = srv.getsockname()[1]
    printer = EscPosPrinter(f"tcp:127.0.0.1:{port}?timeout=2", RenderOptions(mode="raster", width_mm=80))
    result = printer.print_document(receipt_doc(now))
    t.join(3)
    srv.close()
    assert len(received) == result.bytes_sent + 6 > 10_000  # + the two DLE EOT paper checks
    dec = decode(bytes(received))
    assert len(dec.images) > 30 and dec.drawer_kicks == 1


def test_unreachable_network_printer_fails_fast() -> None:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    printer = EscPosPrinter(f"tcp:127.0.0.1:{port}?timeout=1", OPTS)
    start = time.monotonic()
    with pytest.raises(DeviceError) as err:
        printer.send(b"hello")
    assert time.monotonic() - start < 2
    assert err.value.code == "printer.unreachable"



# --- device file / FIFO ------------------------------------------------------------------------
def test_fifo_device_file(tmp_path, now) -> None:
    fifo = tmp_path / "lp0"
    os.mkfifo(fifo)
    got = bytearray()

    def read():
        with open(fifo, "rb") as fh:
            got.extend(fh.read())

    t = threading.Thread(target=read, daemon=True)
    t.start()
    time.sleep(0.1)
    printer = EscPosPrinter(f"file:{fifo}?timeout=2", OPTS)
    result = printer.print_document(receipt_doc(now))
    t.join(3)
    assert len(got) == result.bytes_sent
    check_receipt(got, now)


def test_fifo_without_reader_is_unreachable_not_a_hang(tmp_path) -> None:
    fifo = tmp_path / "lp0"
    os.mkfifo(fifo)
    start = time.monotonic()
    with pytest.raises(DeviceError) as err:
        EscPosPrinter(str(fifo), OPTS).send(b"x")
    assert time.monotonic() - start < 1
    assert err.value.code == "printer.unreachable"


def test_fifo_reader_that_stalls_times_out(tmp_path) -> None:
    fifo = tmp_path / "lp0"
    os.mkfifo(fifo)
    fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # opened, never read: 64 KiB pipe buffer
    try:
        start = time.monotonic()
        with pytest.raises(DeviceError) as err:
            EscPosPrinter(f"file:{fifo}?timeout=0.5", OPTS).send(b"\x00" * 300_000)
        assert 0.4 < time.monotonic() - start < 3
        assert err.value.code == "printer.timeout"
    finally:
        os.close(fd)


def test_plain_path_receives_raw_bytes(tmp_path, now) -> None:
    out = tmp_path / "receipt.bin"
    printer = EscPosPrinter(str(out), OPTS)
    printer.print_document(receipt_doc(now))
    printer.print_document(receipt_doc(now))
    data = out.read_bytes()
    assert len(data) == 2 * len(printer.render(receipt_doc(now)))
    assert decode(data).inits == 2


def test_preview_writes_bin_and_png(tmp_path, now) -> None:
    from PIL import Image

    printer = EscPosPrinter(f"preview:{tmp_path}", RenderOptions(mode="raster", width_mm=58))
    printer.print_document(receipt_doc(now))
    bins, pngs = list(tmp_path.glob("*.bin")), list(tmp_path.glob("*.png"))
    assert len(bins) == len(pngs) == 1
    assert bins[0].read_bytes() == printer.render(receipt_doc(now))
    with Image.open(pngs[0]) as img:
        assert img.width == 384 and img.height > 1000


# --- USB -------------------------------------------------------------------------------------
class _FakeEndpoint:
    def __init__(self, address: int) -> None:
        self.bEndpointAddress = address
        self.bmAttributes = 2


class _FakeUsbDevice:
    def __init__(self, fail_after: int | None = None, timeout: bool = False) -> None:
        self.written = bytearray()
        self.fail_after = fail_after
        self.timeout = timeout
        self.configured = False
        self.intf = [_FakeEndpoint(0x81), _FakeEndpoint(0x03)]

    def is_kernel_driver_active(self, n):
        return False

    def set_configuration(self):
        self.configured = True

    def get_active_configuration(self):
        return {(0, 0): self.intf}

    def write(self, ep, data, timeout):
        import usb.core

        assert ep == 0x03 and timeout == 2000
        if self.timeout:
            raise usb.core.USBTimeoutError("Operation timed out")
        if self.fail_after is not None and len(self.written) >= self.fail_after:
            raise usb.core.USBError("No such device (it may have been disconnected)")
        self.written += bytes(data)
        return len(data)

    def read(self, ep, n, timeout):
        assert ep == 0x81
        return b"\x12"[:n]


def test_usb_printer_through_patched_find(monkeypatch, now) -> None:
    import usb.core

    dev = _FakeUsbDevice()
    seen = {}

    def fake_find(**kw):
        seen.update(kw)
        return dev

    monkeypatch.setattr(usb.core, "find", fake_find)
    monkeypatch.setattr("usb.util.dispose_resources", lambda d: None)
    printer = EscPosPrinter("usb:0x0416:0x5011?timeout=2", OPTS)
    printer.print_document(receipt_doc(now))
    assert seen == {"idVendor": 0x0416, "idProduct": 0x5011}
    assert dev.configured
    check_receipt(dev.written, now)
    assert printer.status().state == "ok"


def test_usb_unplugged_timeout_and_missing(monkeypatch, now) -> None:
    import usb.core

    monkeypatch.setattr("usb.util.dispose_resources", lambda d: None)
    monkeypatch.setattr(usb.core, "find", lambda **kw: None)
    with pytest.raises(DeviceError) as err:
        EscPosPrinter("usb:0x0416:0x5011?timeout=2", OPTS).send(b"x")
    assert err.value.code == "printer.unreachable"
    monkeypatch.setattr(usb.core, "find", lambda **kw: _FakeUsbDevice(timeout=True))
    with pytest.raises(DeviceError) as err:
        EscPosPrinter("usb:0x0416:0x5011?timeout=2", OPTS).send(b"x")
    assert err.value.code == "printer.timeout"
    monkeypatch.setattr(usb.core, "find", lambda **kw: _FakeUsbDevice(fail_after=4096))
    with pytest.raises(DeviceError) as err:
        EscPosPrinter("usb:0x0416:0x5011?timeout=2", RenderOptions(mode="raster")).print_document(receipt_doc(now))
    assert err.value.code == "printer.write_failed"


# --- URLs ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    ["", "bogus:thing", "tcp:printer.local:notaport", "tcp:", "usb:0416", "usb:xyz:abc",
     "serial:/dev/ttyUSB0?flow=sideways", "serial:/dev/ttyUSB0?baudrate=fast", "tcp:1.2.3.4:9100?timeout=-1"],
)
def test_bad_urls_are_refused_with_a_reason(url: str) -> None:
    with pytest.raises(DeviceError) as err:
        open_transport(url)
    assert err.value.code == "printer.bad_url"
    assert "\n" not in str(err.value)


def test_url_forms() -> None:
    assert parse_url("/dev/usb/lp0").scheme == "file"
    assert parse_url("relative/out.bin").scheme == "file"
    u = parse_url("serial:/dev/ttyUSB0?baudrate=19200&flow=rtscts&timeout=3")
    assert (u.scheme, u.target, u.params["baudrate"], u.timeout) == ("serial", "/dev/ttyUSB0", "19200", 3.0)
    assert parse_url("win32:POS-80 (copy 1)").target == "POS-80 (copy 1)"
    assert parse_url("tcp:192.168.1.50:9100").target == "192.168.1.50:9100"
    assert parse_url("tcp://192.168.1.50:9100").target == "192.168.1.50:9100"
    assert parse_url("file:///dev/usb/lp0").target == "/dev/usb/lp0"
    assert parse_url("win32:Office?draft").target == "Office?draft"  # a spooler name keeps its "?"
    assert parse_url("memory:").target == ""


def test_a_new_transport_is_one_registry_entry(monkeypatch) -> None:
    """The registry is the only place that knows the schemes: an entry is enough to parse and
    open a new transport (what docs/ARCHITECTURE.md promises a new printer transport needs)."""

    class LoopTransport(Transport):
        strips_slashes = False

        def __init__(self, url: PrinterURL) -> None:
            super().__init__(url)
            self.sent = bytearray()

        def write(self, data: bytes) -> None:
            self.sent += data

    monkeypatch.setitem(TRANSPORTS, "loop", LoopTransport)
    url = parse_url("loop://bay-2?timeout=2")
    assert (url.scheme, url.target, url.timeout) == ("loop", "//bay-2", 2.0)
    with open_transport("loop:bay-2") as t:
        t.write(b"\x1b@")
    assert isinstance(t, LoopTransport) and t.sent == b"\x1b@"


def test_win32_outside_windows_is_a_clear_error() -> None:
    with pytest.raises(DeviceError) as err:
        EscPosPrinter("win32:POS-80", OPTS).send(b"x")
    assert err.value.code in ("printer.platform", "printer.unreachable")


def test_memory_transport_records_jobs() -> None:
    t = MemoryTransport(answers=b"\x12")
    t.write(b"a")
    t.write(b"b")
    assert t.jobs == [b"a", b"b"] and t.read(1, 0.1) == b"\x12" and t.read(1, 0.1) == b""


def test_usb_discovery_lists_printer_class_and_known_vendors(monkeypatch) -> None:
    import usb.core

    from cashier.devices.discovery import usb_printers

    class Intf:
        def __init__(self, cls):
            self.bInterfaceClass = cls

    class Dev:
        def __init__(self, vid, pid, cls, product=None):
            self.idVendor, self.idProduct, self.bDeviceClass = vid, pid, 0
            self._cfg = [[Intf(cls)]]
            self.product, self.manufacturer = product, None

        def __iter__(self):
            return iter(self._cfg)

    devices = [Dev(0x1234, 0x0001, 7, "POS-80C"), Dev(0x0416, 0x5011, 0xFF), Dev(0x046D, 0xC077, 3, "Mouse")]
    monkeypatch.setattr(usb.core, "find", lambda find_all=False, **kw: iter(devices))
    found = usb_printers()
    assert [f.url for f in found] == ["usb:0x1234:0x0001", "usb:0x0416:0x5011"]
    assert found[0].description == "POS-80C" and "printer class" in found[0].detail


def test_win32_spooler_raw_job_with_a_fake_pywin32(monkeypatch, now) -> None:
    import sys
    import types

    calls: list = []
    fake = types.ModuleType("win32print")
    fake.OpenPrinter = lambda name: calls.append(("open", name)) or "H"
    fake.StartDocPrinter = lambda h, level, info: calls.append(("doc", info[2]))
    fake.StartPagePrinter = lambda h: calls.append(("page",))
    fake.WritePrinter = lambda h, data: calls.append(("write", bytes(data)))
    fake.EndPagePrinter = lambda h: calls.append(("endpage",))
    fake.EndDocPrinter = lambda h: calls.append(("enddoc",))
    fake.ClosePrinter = lambda h: calls.append(("close",))
    monkeypatch.setitem(sys.modules, "win32print", fake)
    printer = EscPosPrinter("win32:POS-80 Printer", OPTS)
    printer.print_document(receipt_doc(now))
    assert [c[0] for c in calls] == ["open", "doc", "page", "write", "endpage", "enddoc", "close"]
    assert calls[0] == ("open", "POS-80 Printer") and calls[1] == ("doc", "RAW")
    check_receipt(calls[3][1], now)
