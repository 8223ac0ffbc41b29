"""Test printers for the transport and status tests: a TCP printer that answers DLE EOT status
questions, the standard receipt and the checks of what a printer received."""

from __future__ import annotations

import socket
import threading

from cashier.core import documents as d
from cashier.devices.escpos_decoder import decode


def receipt_doc(now):
    return d.receipt(d.sample_payment(now))


def check_receipt(data: bytes, now) -> None:
    pay = d.sample_payment(now)
    dec = decode(bytes(data))
    assert pay.customer.name in dec.text
    assert "1.234.567 đ" in dec.text
    assert [b.data for b in dec.barcodes] == [pay.customer.code]


def answering_server(answers: dict[int, bytes]):
    """A printer on TCP that answers DLE EOT n with answers[n] (no key: silence)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    received = bytearray()

    def run():
        conn, _ = srv.accept()
        conn.settimeout(3)
        with conn:
            while True:
                try:
                    chunk = conn.recv(65536)
                except OSError:
                    return
                if not chunk:
                    return
                received.extend(chunk)
                i = chunk.find(b"\x10\x04")
                if i >= 0 and i + 2 < len(chunk) and chunk[i + 2] in answers:
                    conn.sendall(answers[chunk[i + 2]])

    t = threading.Thread(target=run, daemon=True)
    t.start()
    return srv, t, received


def status_server(answer: bytes | None = None):
    """A printer on TCP that answers every DLE EOT with ``answer`` (None: silence)."""
    return answering_server(dict.fromkeys(range(1, 5), answer) if answer is not None else {})
