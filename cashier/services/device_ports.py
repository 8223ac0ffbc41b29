"""Ports the printing service needs (implemented by cashier.devices and the ledger/cache stores)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from cashier.core.debt import Bill, Customer
from cashier.core.documents import Document, PrinterSettings
from cashier.core.ledger import Payment


class PrintOutcome(Protocol):
    @property
    def bytes_sent(self) -> int: ...

    @property
    def seconds(self) -> float: ...


class StatusLike(Protocol):
    @property
    def state(self) -> str: ...

    @property
    def detail(self) -> str: ...


class PrinterPort(Protocol):
    def render(self, doc: Document, *, mode: str | None = None, kick_drawer: bool | None = None) -> bytes: ...

    def print_document(
        self, doc: Document, *, mode: str | None = None, kick_drawer: bool | None = None
    ) -> PrintOutcome: ...

    def kick_drawer(self) -> None: ...

    def preview_png(self, doc: Document, *, mode: str | None = None) -> bytes: ...

    def status(self, timeout: float = 0.5) -> StatusLike: ...


#: builds a printer for the effective settings (url/mode/width already resolved)
PrinterFactory = Callable[[PrinterSettings], PrinterPort]


class JobResultLike(Protocol):
    ok: bool
    error: str
    error_vi: str
    receipt_no: str | None


class JobLike(Protocol):
    result: Any

    def wait(self, timeout: float | None = None) -> Any: ...


class JobRunner(Protocol):
    """One worker per device: ``submit`` runs ``run`` on the device's thread."""

    def submit(
        self,
        device: str,
        name: str,
        run: Callable[[], object],
        *,
        receipt_no: str | None = None,
        callback: Callable[[Any], None] | None = None,
    ) -> JobLike: ...


class ReceiptSource(Protocol):
    """The ledger: payments and their print state."""

    def payment(self, receipt_no: str) -> Payment: ...

    def record_print(self, receipt_no: str, ok: bool) -> None: ...


class CustomerSource(Protocol):
    def customer_with_bills(self, code: str) -> tuple[Customer, Sequence[Bill]] | None: ...

