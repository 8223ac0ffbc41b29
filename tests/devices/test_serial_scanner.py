"""Serial scanner: a pty pair plays the scanner; codes, garbage, half a code, Telex mangling,
prefix, and reconnection after an unplug."""

from __future__ import annotations

import os
import queue
import threading

import pytest

from cashier.devices.serial_scanner import SerialScanner


@pytest.fixture
def scanner_pty():
    master, slave = os.openpty()
    name = os.ttyname(slave)
    codes: queue.Queue = queue.Queue()
    rejects: queue.Queue = queue.Queue()

    def start(**kw):
        sc = SerialScanner(name, on_code=codes.put, on_reject=rejects.put, reconnect_delay=0.1, **kw).start()
        assert sc.connected.wait(3)
        started.append(sc)
        return sc

    started: list[SerialScanner] = []
    yield master, start, codes, rejects
    for sc in started:
        sc.stop()
    for fd in (master, slave):
        try:
            os.close(fd)
        except OSError:
            pass


def test_a_scanned_code(scanner_pty) -> None:
    master, start, codes, rejects = scanner_pty
    start()
    os.write(master, b"PC12AA0012345\r\n")
    got = codes.get(timeout=3)
    assert got.code == "PC12AA0012345" and not got.repaired
    assert rejects.empty()


def test_several_codes_in_one_burst_and_lowercase(scanner_pty) -> None:
    master, start, codes, rejects = scanner_pty
    start()
    os.write(master, b"PC12AA0012345\rpb05020054904\r")
    assert [codes.get(timeout=3).code for _ in range(2)] == ["PC12AA0012345", "PB05020054904"]


def test_garbage_is_rejected_with_a_message(scanner_pty) -> None:
    master, start, codes, rejects = scanner_pty
    start()
    os.write(master, b"hello world 123\r")
    rej = rejects.get(timeout=3)
    assert rej.code == "code.invalid" and "not a valid customer code" in rej.message
    assert "không phải mã khách hàng" in rej.text("vi")
    os.write(master, b"\x01\x02\x7f\r")
    assert rejects.get(timeout=3).code == "scanner.unreadable"
    # and the reader is still alive
    os.write(master, b"PC12AA0012345\r")
    assert codes.get(timeout=3).code == "PC12AA0012345"


def test_half_a_code_is_reported_not_glued_to_the_next(scanner_pty) -> None:
    master, start, codes, rejects = scanner_pty
    start(incomplete_after=0.2)
    os.write(master, b"PC12AA00")
    rej = rejects.get(timeout=3)
    assert rej.code == "scanner.incomplete" and "PC12AA00" in rej.message
    os.write(master, b"PC12AA0012345\r")
    assert codes.get(timeout=3).code == "PC12AA0012345"


def test_telex_mangled_code_is_repaired(scanner_pty) -> None:
    master, start, codes, rejects = scanner_pty
    start()
    os.write(master, "PC12Đ0012345\r".encode())
    got = codes.get(timeout=3)
    assert got.code == "PC12DD0012345" and got.repaired


def test_prefix_is_required_and_stripped(scanner_pty) -> None:
    master, start, codes, rejects = scanner_pty
    start(prefix="]C0")
    os.write(master, b"]C0PC12AA0012345\r")
    assert codes.get(timeout=3).code == "PC12AA0012345"
    os.write(master, b"PC12AA0012345\r")
    assert rejects.get(timeout=3).code == "scanner.no_prefix"


def test_endless_noise_without_terminator(scanner_pty) -> None:
    master, start, codes, rejects = scanner_pty
    start(max_length=32)
    os.write(master, b"A" * 100)
    assert rejects.get(timeout=3).code == "scanner.too_long"


class _FakePort:
    def __init__(self, frames: list[bytes], die: bool) -> None:
        self.frames = list(frames)
        self.die = die

    def read(self, n):
        if self.frames:
            return self.frames.pop(0)
        if self.die:
            raise OSError(5, "Input/output error")  # unplugged
        threading.Event().wait(0.02)
        return b""

    def close(self):
        pass


def test_reconnects_after_unplug() -> None:
    codes: queue.Queue = queue.Queue()
    statuses: list[str] = []
    opens = {"n": 0}

    def factory(port, baud):
        opens["n"] += 1
        if opens["n"] == 1:
            return _FakePort([b"PC12AA0012345\r"], die=True)
        if opens["n"] == 2:
            raise OSError(2, "No such file or directory")  # still unplugged
        return _FakePort([b"PB05020054904\r"], die=False)

    sc = SerialScanner("COM7", on_code=codes.put, on_reject=lambda r: None, on_status=statuses.append,
                       reconnect_delay=0.05, serial_factory=factory).start()
    try:
        assert codes.get(timeout=3).code == "PC12AA0012345"
        assert codes.get(timeout=3).code == "PB05020054904"
    finally:
        sc.stop()
    assert statuses[:4] == ["connected", "disconnected", "waiting", "connected"]
    assert statuses[-1] == "stopped"
