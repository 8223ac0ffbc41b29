"""Printer status without hardware: DLE EOT answers (and silence) from a local TCP printer, the
paper checks before and during a receipt, the self-test's printer line."""

from __future__ import annotations

import time

import pytest
from printer_servers import answering_server, check_receipt, receipt_doc, status_server

from cashier.core.errors import DeviceError
from cashier.devices.printer import EscPosPrinter, parse_status
from cashier.devices.render import RenderOptions

OPTS = RenderOptions(mode="text-tcvn3", width_mm=58)


def test_status_answers_and_silence() -> None:
    srv, t, _ = status_server(answer=b"\x12")
    port = srv.getsockname()[1]
    status = EscPosPrinter(f"tcp:127.0.0.1:{port}?timeout=1", OPTS).status(timeout=0.5)
    srv.close()
    assert status.state == "ok"
    srv, t, received = status_server(answer=None)  # a printer that never answers
    port = srv.getsockname()[1]
    status = EscPosPrinter(f"tcp:127.0.0.1:{port}?timeout=1", OPTS).status(timeout=0.3)
    srv.close()
    assert status.state == "unknown"  # never "paper OK" without an answer
    assert not status.known


@pytest.mark.parametrize(
    ("answers", "state"),
    [
        ((b"\x12", b"\x12", b"\x12"), "ok"),
        ((b"\x12", b"\x12", b"\x1e"), "paper_near_end"),
        ((b"\x12", b"\x12", b"\x72"), "paper_out"),
        ((b"\x1a", b"\x16", b"\x12"), "cover_open"),
        ((b"\x1a", b"\x12", b"\x12"), "offline"),
        ((b"", b"", b""), "unknown"),
        ((b"\xff", b"", b""), "unknown"),  # garbage is not a status
    ],
)
def test_status_bytes(answers, state) -> None:
    assert parse_status(*answers).state == state


def test_file_and_preview_transports_cannot_tell_status(tmp_path) -> None:
    for url in (f"file:{tmp_path / 'out.bin'}", f"preview:{tmp_path}"):
        assert EscPosPrinter(url, OPTS).status().state == "unknown"


def test_check_printer_for_the_self_test(tmp_path) -> None:
    from cashier.devices.printer import check_printer

    srv, t, received = status_server(answer=b"\x12")
    port = srv.getsockname()[1]
    line = check_printer(f"tcp:127.0.0.1:{port}?timeout=1")
    srv.close()
    assert "reachable, status ok" in line
    assert "status unknown" in check_printer(f"preview:{tmp_path}")
    with pytest.raises(DeviceError):
        check_printer("serial:/dev/ttyNOPE9")


def test_paper_out_before_printing_sends_nothing(now) -> None:
    srv, t, received = answering_server({4: b"\x72"})
    port = srv.getsockname()[1]
    with pytest.raises(DeviceError) as err:
        EscPosPrinter(f"tcp:127.0.0.1:{port}?timeout=1", OPTS).print_document(receipt_doc(now))
    t.join(3)
    srv.close()
    assert err.value.code == "printer.not_ready" and "paper out" in str(err.value)
    assert "hết giấy" in err.value.text("vi")
    assert bytes(received) == b"\x10\x04\x04"  # only the question went out


def test_paper_running_out_during_the_receipt_fails_the_job(now) -> None:
    srv, t, received = answering_server({4: b"\x12", 2: b"\x32"})
    port = srv.getsockname()[1]
    with pytest.raises(DeviceError) as err:
        EscPosPrinter(f"tcp:127.0.0.1:{port}?timeout=1", OPTS).print_document(receipt_doc(now))
    srv.close()
    assert "paper ran out while printing" in str(err.value)


def test_silent_printer_prints_normally_and_checks_can_be_off(now) -> None:
    srv, t, received = answering_server({})
    port = srv.getsockname()[1]
    start = time.monotonic()
    EscPosPrinter(f"tcp:127.0.0.1:{port}?timeout=1", OPTS).print_document(receipt_doc(now))
    t.join(3)
    srv.close()
    assert time.monotonic() - start < 2
    check_receipt(received, now)
    srv, t, received = answering_server({4: b"\x72"})
    port = srv.getsockname()[1]
    EscPosPrinter(f"tcp:127.0.0.1:{port}?timeout=1", OPTS, check_paper=False).print_document(receipt_doc(now))
    t.join(3)
    srv.close()
    assert b"\x10\x04" not in received
