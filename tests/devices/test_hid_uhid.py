"""HID-POS scanner against a virtual HID device made by the kernel (Linux uhid): discovery of the
real /sys/class/hidraw node, the reader opening /dev/hidrawN with os.open, a scan, a multi-report
scan, the device destroyed mid-read (unplug) and created again (replug) under its USB ids.

Runs only where /dev/uhid exists and is writable (root or a udev rule); a VM without the uhid
module skips it. tests/devices/test_hid_scanner.py covers the same parsing and dispatch with the
same reports over a SOCK_SEQPACKET pair, so nothing here is untested elsewhere except the kernel.
"""

from __future__ import annotations

import glob
import os
import queue
import struct
import time

import pytest
from hid_reports import SCANNER_DESCRIPTOR, scan_reports

from cashier.devices import discovery
from cashier.devices.hid_scanner import HidScanner

UHID = "/dev/uhid"
pytestmark = pytest.mark.skipif(
    not (os.path.exists(UHID) and os.access(UHID, os.W_OK)),
    reason="no writable /dev/uhid on this machine (uhid module absent, e.g. a firecracker VM): "
    "the fake-device tests in test_hid_scanner.py cover the parsing and dispatch",
)

UHID_DESTROY, UHID_CREATE2, UHID_INPUT2 = 1, 11, 12
BUS_USB = 0x03
VID, PID = 0x05E0, 0x1200


class VirtualScanner:
    """struct uhid_event (linux/uhid.h, packed): u32 type + the request."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.fd = os.open(UHID, os.O_RDWR)
        create = struct.pack(
            "<I128s64s64sHHIIII4096s", UHID_CREATE2, name.encode(), b"cashier-test", b"",
            len(SCANNER_DESCRIPTOR), BUS_USB, VID, PID, 0x0100, 0, SCANNER_DESCRIPTOR,
        )  # fmt: skip
        os.write(self.fd, create)

    def send(self, report: bytes) -> None:
        os.write(self.fd, struct.pack("<IH4096s", UHID_INPUT2, len(report), report))

    def destroy(self) -> None:
        if self.fd < 0:
            return
        fd, self.fd = self.fd, -1
        try:
            os.write(fd, struct.pack("<I", UHID_DESTROY))
        finally:
            os.close(fd)


def wait_for(condition, timeout: float = 5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError("condition not met")


def node_named(name: str) -> str | None:
    for uevent in glob.glob("/sys/class/hidraw/*/device/uevent"):
        with open(uevent, encoding="utf-8", errors="replace") as fh:
            if f"HID_NAME={name}\n" in fh.read():
                return "/dev/" + uevent.split("/")[4]
    return None


def test_a_virtual_hid_pos_scanner_end_to_end() -> None:
    name = f"Cashier test scanner {os.getpid()}"
    dev = VirtualScanner(name)
    codes: queue.Queue = queue.Queue()
    rejects: queue.Queue = queue.Queue()
    statuses: list[str] = []
    sc = None
    try:
        node = wait_for(lambda: (n := node_named(name)) and os.path.exists(n) and n)
        found = [d for d in discovery.hidraw_pos_devices() if d.url == f"hid:{node}"]
        assert found and found[0].detail.startswith(f"usb {VID:04x}:{PID:04x}")
        sc = HidScanner(
            f"hid:{VID:04x}:{PID:04x}", on_code=codes.put, on_reject=rejects.put, on_status=statuses.append,
            reconnect_delay=0.05, backend="hidraw",
        ).start()  # fmt: skip
        assert sc.connected.wait(5)
        for report in scan_reports(b"PC12AA0012345"):
            dev.send(report)
        assert codes.get(timeout=5).code == "PC12AA0012345"
        for report in scan_reports(b"PC12AA0012345" + b"9" * 50):
            dev.send(report)
        assert rejects.get(timeout=5).raw.startswith("PC12AA0012345999")  # joined, then refused
        dev.destroy()  # unplugged
        wait_for(lambda: "disconnected" in statuses)
        dev = VirtualScanner(name)  # plugged back (maybe another hidrawN)
        wait_for(lambda: statuses[-1] == "connected")
        for report in scan_reports(b"pb05020054904"):
            dev.send(report)
        assert codes.get(timeout=5).code == "PB05020054904"
    finally:
        if sc is not None:
            sc.stop()
        dev.destroy()
