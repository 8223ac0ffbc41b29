"""HID-POS scanner: real scanned-data input reports (HID POS Usage Tables layout) fed through a
pipe into the hidraw device class; multi-report codes, symbology, junk and short reports, an
unplug mid-read and the reconnection, permission denied, discovery from a sysfs tree."""

from __future__ import annotations

import os
import queue
import socket
import threading

import pytest
from hid_reports import KEYBOARD_DESCRIPTOR, SCANNER_DESCRIPTOR, scan_reports

from cashier.devices import discovery
from cashier.devices.hid_scanner import (
    BadReport,
    HidapiDevice,
    HidrawDevice,
    HidScanner,
    HidUnavailable,
    open_device,
    parse_report,
)


# -- report parsing ------------------------------------------------------------------------------
def test_one_report_scan_with_its_aim_symbology() -> None:
    [report] = scan_reports(b"PC12AA0012345", aim=b"]C0", vendor=0x6A)
    part = parse_report(report)
    assert part is not None
    assert (part.data, part.aim, part.symbology, part.more) == (b"PC12AA0012345", "]C0", 0x6A, False)


def test_a_long_code_spans_reports_with_the_continued_flag() -> None:
    data = bytes(range(0x30, 0x30 + 60))
    first, second = scan_reports(data)
    a, b = parse_report(first), parse_report(second)
    assert a.more and not b.more
    assert a.data + b.data == data and len(a.data) == 56


def test_plain_layout_without_aim_field() -> None:
    [report] = scan_reports(b"PB05020054904", layout="plain", vendor=0x0A)
    part = parse_report(report)  # auto: byte 2 is not "]" nor zero
    assert (part.data, part.aim, part.symbology) == (b"PB05020054904", "", 0x0A)
    assert parse_report(report, "plain") == part


def test_aim_field_off_is_read_as_aim_layout() -> None:
    [report] = scan_reports(b"PC12AA0012345", aim=b"")
    assert parse_report(report).data == b"PC12AA0012345"


def test_other_reports_are_not_scans() -> None:
    assert parse_report(b"") is None
    assert parse_report(bytes([4, 3, 1, 2, 3]) + bytes(59)) is None  # a status/reply report


def test_short_and_impossible_reports_are_bad() -> None:
    with pytest.raises(BadReport) as exc:
        parse_report(bytes([2, 5, 0x5D]))
    assert exc.value.code == "hid.short_report"
    report = bytearray(scan_reports(b"PC12AA0012345")[0])
    report[1] = 200
    with pytest.raises(BadReport) as exc:
        parse_report(bytes(report))
    assert exc.value.code == "hid.bad_length" and exc.value.params["room"] == 56


# -- the reader thread on a pipe -------------------------------------------------------------------
class PipeScanner:
    """Each connection is a fresh SOCK_SEQPACKET pair (it keeps report boundaries, as hidraw
    does: one read, one report); closing the scanner's end is the cable pulled out."""

    def __init__(self) -> None:
        self.connections: queue.Queue = queue.Queue()
        self.opened = 0
        self.fail_next = 0

    def factory(self, spec: str) -> HidrawDevice:
        if self.fail_next:
            self.fail_next -= 1
            raise FileNotFoundError(spec)
        reader, scanner = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.opened += 1
        self.connections.put(scanner.detach())
        return HidrawDevice(f"pipe{self.opened}", fd=reader.detach())


@pytest.fixture
def hid():
    fake = PipeScanner()
    codes: queue.Queue = queue.Queue()
    rejects: queue.Queue = queue.Queue()
    statuses: list[str] = []
    started: list[HidScanner] = []

    def start(**kw) -> int:
        sc = HidScanner(
            "hid:test", on_code=codes.put, on_reject=rejects.put, on_status=statuses.append,
            reconnect_delay=0.05, device_factory=fake.factory, **kw,
        )  # fmt: skip
        started.append(sc.start())
        return fake.connections.get(timeout=3)

    yield start, codes, rejects, fake, statuses
    for sc in started:
        sc.stop()


def send(w: int, *reports: bytes) -> None:
    for report in reports:
        os.write(w, report)


def test_reader_hands_a_code_on(hid) -> None:
    start, codes, rejects, _fake, _st = hid
    w = start()
    send(w, *scan_reports(b"PC12AA0012345"))
    got = codes.get(timeout=3)
    assert got.code == "PC12AA0012345" and not got.repaired
    assert rejects.empty()


def test_reader_joins_a_multi_report_code_and_keeps_order(hid) -> None:
    start, codes, rejects, _fake, _st = hid
    w = start(max_length=200)
    long_code = b"PC12AA0012345" + b"9" * 50  # 63 bytes: two reports; not a customer code
    send(w, *scan_reports(long_code), *scan_reports(b"pb05020054904"))
    rej = rejects.get(timeout=3)
    assert rej.code == "code.invalid" and rej.raw.startswith("PC12AA0012345999")
    assert codes.get(timeout=3).code == "PB05020054904"


def test_junk_and_short_reports_are_rejected_and_reading_goes_on(hid) -> None:
    start, codes, rejects, _fake, _st = hid
    w = start()
    bad = bytearray(scan_reports(b"PC12AA0012345")[0])
    bad[1] = 99
    send(w, bytes([2, 1, 0x5D]), bytes(bad), *scan_reports(b"\xff\xfe\x01"), *scan_reports(b"PC12AA0012345"))
    assert [rejects.get(timeout=3).code for _ in range(3)] == [
        "hid.short_report", "hid.bad_length", "scanner.unreadable",
    ]  # fmt: skip
    assert codes.get(timeout=3).code == "PC12AA0012345"


def test_the_tail_of_a_refused_long_code_is_not_a_code(hid) -> None:
    start, codes, rejects, _fake, _st = hid
    w = start(max_length=64)
    # 56 + 56 bytes refused as too long; the third report alone would be a valid code
    reports = scan_reports(b"X" * 112 + b"PC12AA0012345")
    assert len(reports) == 3
    bad = bytearray(scan_reports(b"Y" * 60)[0])
    bad[1] = 99  # a broken report in the middle of a code: the rest of that code goes too
    tail = scan_reports(b"Y" * 56 + b"PC12AA0012345")[1]
    send(w, *reports, *scan_reports(b"first"), bytes(bad), tail, *scan_reports(b"PB05020054904"))
    assert rejects.get(timeout=3).code == "scanner.too_long"
    assert rejects.get(timeout=3).code == "code.invalid"  # "first" is read: the discard ended
    assert rejects.get(timeout=3).code == "hid.bad_length"
    assert codes.get(timeout=3).code == "PB05020054904"  # the tails were never taken
    assert rejects.empty() and codes.empty()


def test_a_code_cut_off_between_reports_is_incomplete(hid) -> None:
    start, codes, rejects, _fake, _st = hid
    w = start(incomplete_after=0.1, max_length=200)
    first, _second = scan_reports(b"PC12AA0012345" * 5)
    send(w, first)
    rej = rejects.get(timeout=3)
    assert rej.code == "scanner.incomplete" and "scan again" in rej.message and "quét lại" in rej.text("vi")
    assert codes.empty()


def test_mangled_code_is_repaired_and_the_prefix_taken_off(hid) -> None:
    start, codes, rejects, _fake, _st = hid
    w = start(prefix="@")
    send(w, *scan_reports("@PC12Đ0012345".encode()), *scan_reports(b"PC12AA0012345"))
    got = codes.get(timeout=3)
    assert got.code == "PC12DD0012345" and got.repaired and got.original == "PC12Đ0012345"
    # a HID-POS report is never typing: a scan without the wedge's prefix is still a scan
    assert codes.get(timeout=3).code == "PC12AA0012345"
    assert rejects.empty()


def test_unplugged_mid_read_reconnects_and_reads_again(hid) -> None:
    start, codes, rejects, fake, statuses = hid
    w = start(incomplete_after=5)
    first, _ = scan_reports(b"PC12AA0012345" * 5)
    fake.fail_next = 2  # still unplugged for two tries
    send(w, first)
    os.close(w)  # cable out in the middle of a two-report code
    w2 = fake.connections.get(timeout=3)
    send(w2, *scan_reports(b"PC12AA0012345"))
    assert codes.get(timeout=3).code == "PC12AA0012345"  # the half code is not glued on
    assert fake.opened == 2
    assert statuses[:3] == ["connected", "disconnected", "waiting"] and statuses[-1] == "connected"
    os.close(w2)


def test_permission_denied_says_how_to_fix_it_once(tmp_path) -> None:
    node = tmp_path / "hidraw7"
    node.write_bytes(b"")
    tries = threading.Semaphore(0)

    def denied(path: str, flags: int) -> int:
        tries.release()
        raise PermissionError(13, "Permission denied", path)

    rejects: queue.Queue = queue.Queue()
    sc = HidScanner(
        str(node), on_code=lambda c: None, on_reject=rejects.put, reconnect_delay=0.01,
        device_factory=lambda spec: HidrawDevice(spec, opener=denied),
    ).start()  # fmt: skip
    try:
        for _ in range(3):
            assert tries.acquire(timeout=3)
        rej = rejects.get(timeout=3)
        assert rej.code == "hid.permission" and sc.status == "denied"
        assert str(node) in rej.message and "udev" in rej.message and 'SUBSYSTEM=="hidraw"' in rej.message
        assert "Không có quyền" in rej.text("vi") and "udev" in rej.text("vi")
        assert rejects.empty()  # said once, not once per retry
    finally:
        sc.stop()


def test_a_hidraw_path_is_opened_with_os_open_and_read(tmp_path) -> None:
    fifo = tmp_path / "hidraw0"
    os.mkfifo(fifo)
    dev = open_device(f"hid:{fifo}", backend="hidraw")
    w = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    try:
        assert isinstance(dev, HidrawDevice) and dev.read(64, 0.01) == b""  # nothing sent: timeout
        [report] = scan_reports(b"PC12AA0012345")
        os.write(w, report)
        assert parse_report(dev.read(64, 1)).data == b"PC12AA0012345"
        os.close(w)
        w = -1
        with pytest.raises(OSError):
            dev.read(64, 1)  # the other end gone: unplugged
    finally:
        dev.close()
        if w >= 0:
            os.close(w)


def test_no_scanner_found_is_a_clear_message(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(discovery, "HIDRAW_CLASS", str(tmp_path))
    with pytest.raises(HidUnavailable) as exc:
        open_device("auto", backend="hidraw")
    assert exc.value.code == "hid.not_found" and "HID-POS" in str(exc.value)


def test_hidapi_missing_is_a_clear_message(monkeypatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_hid(name, *args, **kwargs):
        if name == "hid":
            raise ImportError("No module named 'hid'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_hid)
    with pytest.raises(HidUnavailable) as exc:
        open_device("auto", backend="hidapi")
    assert exc.value.code == "hid.no_hidapi" and "pip install" in str(exc.value)


def test_hidapi_device_reads_through_the_module() -> None:
    reports = scan_reports(b"PC12AA0012345")

    class FakeHidapiDevice:
        def open_path(self, path):
            self.path = path

        def read(self, size, timeout_ms):
            return list(reports.pop(0)) if reports else []

        def close(self):
            pass

    class FakeHid:
        @staticmethod
        def device():
            return FakeHidapiDevice()

        @staticmethod
        def enumerate():
            return [
                {"path": b"kbd", "vendor_id": 1, "product_id": 2, "usage_page": 1, "usage": 6},
                {"path": b"1-2:1.0", "vendor_id": 0x0C2E, "product_id": 0x0B61, "usage_page": 0x8C, "usage": 2,
                 "manufacturer_string": "Honeywell", "product_string": "1450g"},
            ]  # fmt: skip

    dev = HidapiDevice(b"1-2:1.0", module=FakeHid)
    assert parse_report(dev.read(64, 0.05)).data == b"PC12AA0012345" and dev.read(64, 0.05) == b""
    [found] = discovery.hidapi_pos_devices(FakeHid)
    assert found.url == "hid:1-2:1.0" and found.description == "Honeywell 1450g" and "0c2e:0b61" in found.detail


# -- discovery ---------------------------------------------------------------------------------
def _sysfs(root, name: str, descriptor: bytes, hid_id: str, hid_name: str) -> None:
    dev = root / name / "device"
    dev.mkdir(parents=True)
    (dev / "report_descriptor").write_bytes(descriptor)
    (dev / "uevent").write_text(f"DRIVER=hid-generic\nHID_ID={hid_id}\nHID_NAME={hid_name}\n")


def test_discovery_finds_hid_pos_scanners_only(tmp_path, monkeypatch) -> None:
    sys_root, dev_dir = tmp_path / "hidraw", tmp_path / "dev"
    dev_dir.mkdir()
    _sysfs(sys_root, "hidraw0", KEYBOARD_DESCRIPTOR, "0003:0000046D:0000C31C", "Logitech Keyboard")
    _sysfs(sys_root, "hidraw10", SCANNER_DESCRIPTOR, "0003:00000C2E:00000B61", "Honeywell Imaging 1450g")
    _sysfs(sys_root, "hidraw2", SCANNER_DESCRIPTOR, "0003:000005E0:00001200", "Zebra DS2208")
    (sys_root / "hidraw3").mkdir()  # half-gone node: skipped
    (dev_dir / "hidraw2").write_bytes(b"")
    found = discovery.hidraw_pos_devices(str(sys_root), str(dev_dir))
    monkeypatch.setattr(discovery, "HIDRAW_CLASS", str(sys_root))
    assert discovery.hid_pos_ports() == ["hid:auto", "hid:05e0:1200", "hid:0c2e:0b61"]
    assert [(d.kind, d.url, d.description) for d in found] == [
        ("hid-pos", f"hid:{dev_dir}/hidraw2", "Zebra DS2208"),
        ("hid-pos", f"hid:{dev_dir}/hidraw10", "Honeywell Imaging 1450g"),
    ]
    assert found[0].detail == "usb 05e0:1200" and "udev" in found[1].detail  # hidraw10 absent: unreadable


def test_descriptor_walk_handles_extended_usages_and_long_items() -> None:
    extended = bytes.fromhex("0b 02 00 8c 00 a1 01 c0")  # Usage (0x008C0002) as one 4-byte item
    long_item = bytes.fromhex("fe 02 10 aa bb") + bytes.fromhex("058c 0902 a101 c0")
    assert discovery.application_usages(extended) == [(0x8C, 2)]
    assert discovery.application_usages(long_item) == [(0x8C, 2)]
    assert not discovery.is_hid_pos_scanner(KEYBOARD_DESCRIPTOR)
    assert discovery.application_usages(b"\x05") == []  # truncated: no crash


# -- cashier scan-hid --------------------------------------------------------------------------
@pytest.fixture
def cli(station, capsys):
    from cashier.cli import main

    db = str(station.db_path)
    station.close()

    def run(*argv):
        capsys.readouterr()
        rc = main(["--db", db, *argv])
        out, err = capsys.readouterr()
        return rc, out, err

    return run


def test_cli_scan_hid_reads_a_hidraw_node(cli, tmp_path) -> None:
    node = tmp_path / "hidraw5"
    os.mkfifo(node)

    def scanner() -> None:
        w = os.open(node, os.O_WRONLY)  # waits for the CLI to open the node
        for report in [*scan_reports("PC12Đ0012345".encode()), *scan_reports(b"hello")]:
            os.write(w, report)
        os.close(w)

    threading.Thread(target=scanner, daemon=True).start()
    rc, out, err = cli("scan-hid", str(node), "--backend", "hidraw", "--count", "2", "--seconds", "20")
    assert rc == 0
    assert out.splitlines() == ["PC12DD0012345 (repaired from 'PC12Đ0012345')"]
    assert f"scanner {node}: connected" in err and "rejected: 'HELLO' is not a valid customer code" in err


def test_cli_scan_hid_lists_and_says_when_none(cli, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(discovery, "HIDRAW_CLASS", str(tmp_path))
    _sysfs(tmp_path, "hidraw4", SCANNER_DESCRIPTOR, "0003:00000C2E:00000B61", "Honeywell 1450g")
    rc, out, _err = cli("scan-hid", "--list")
    assert rc == 0 and out.startswith("hid:/dev/hidraw4") and "Honeywell 1450g [usb 0c2e:0b61" in out
    (tmp_path / "hidraw4" / "device" / "report_descriptor").write_bytes(KEYBOARD_DESCRIPTOR)
    rc, out, err = cli("scan-hid", "--list")
    assert rc == 0 and out == "" and "no HID-POS scanners found" in err
