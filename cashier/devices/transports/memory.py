"""``memory:`` keeps what was written in memory, and answers status reads from a script (tests)."""

from __future__ import annotations

from typing import ClassVar

from cashier.devices.transports.base import PrinterURL, Transport


class MemoryTransport(Transport):
    """Keeps what was written (tests); ``answers`` feed status reads."""

    bidirectional = True
    strips_slashes: ClassVar[bool] = False
    needs_target: ClassVar[bool] = False

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
