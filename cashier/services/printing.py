"""Printing use cases: receipts, bill notices, the test page, shift reports, reconnection orders,
customer cards, drawer and status.

Every print goes through the device's job runner (one worker thread per printer: the job is
queued there once). ``wait=True`` (the CLI) blocks until the job ended; ``wait=False`` returns at
once and ``callback(result)`` runs on the printer's thread when it ended (the UI hands the result
to the GUI thread: ``tasks.TaskRunner.submit``). A receipt is
printed only after its payment committed; the outcome is recorded with
``ReceiptSource.record_print(receipt_no, ok)``: a failed print never touches the payment, the
receipt is just marked unprinted and can be printed again (the ledger's reprint rules apply).
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable
from typing import Any

from cashier.core.clock import Clock, SystemClock
from cashier.core.debt import Customer
from cashier.core.documents import (
    CompanyInfo,
    Document,
    NoticeInfo,
    PrinterSettings,
    bill_notice,
    card_slip,
    printer_test_page,
    receipt,
    reconnection_order,
    shift_report,
)
from cashier.core.errors import Conflict, DeviceError, DomainError, InvalidInput, NotFound
from cashier.core.ledger import Payment, Permission, ReconnectionOrder, ShiftReport, User
from cashier.services.device_ports import (
    CustomerSource,
    JobResultLike,
    JobRunner,
    PrinterFactory,
    ReceiptSource,
)
from cashier.services.guard import Guard, trusting_guard
from cashier.services.settings import SettingsStore

log = logging.getLogger(__name__)

MODES = ("text-tcvn3", "text-cp1258", "raster", "ascii")
MODE_LABELS = {
    "text-tcvn3": "Chữ TCVN-3 (ESC t 30/31)",
    "text-cp1258": "Chữ WPC1258",
    "raster": "Ảnh (raster)",
    "ascii": "Không dấu (ASCII)",
}

#: called on the printer's thread with the job's result (ok, failure, value) when it ended
Callback = Callable[[Any], None]

#: the e-invoice lookup address is printed as text and a QR of at most this many characters
EINVOICE_URL_MAX = 96


def check_einvoice_url(value: str) -> str:
    """The e-invoice lookup address as saved: "" (not printed) or an http(s) address without
    spaces or control characters, short enough for a small QR and a few receipt lines."""
    url = value.strip()
    if not url:
        return ""
    shown = url[:EINVOICE_URL_MAX].encode("ascii", "backslashreplace").decode("ascii")
    shown = "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in shown)
    if len(url) > EINVOICE_URL_MAX:
        raise InvalidInput("printing.einvoice_too_long", limit=EINVOICE_URL_MAX)
    if not url.lower().startswith(("https://", "http://")) or len(url.split("//", 1)[1]) < 3:
        raise InvalidInput("printing.einvoice_not_web", value=shown)
    if any(ch.isspace() or not ch.isprintable() or ord(ch) > 126 for ch in url):
        raise InvalidInput("printing.einvoice_bad_char", value=shown)
    return url


def _filtered(cls, data: Any) -> dict:
    if not isinstance(data, dict):
        return {}
    names = {f.name for f in dataclasses.fields(cls)}
    return {k: v for k, v in data.items() if k in names}


class PrintService:
    def __init__(
        self,
        settings: SettingsStore,
        printer_factory: PrinterFactory,
        jobs: JobRunner,
        *,
        receipts: ReceiptSource | None = None,
        customers: CustomerSource | None = None,
        clock: Clock | None = None,
        url_override: str | None = None,
        default_url: str = "",
        job_timeout: float = 120.0,
        discover: Callable[[], list[str]] | None = None,
        guard: Guard | None = None,
    ) -> None:
        #: the permission check (the station wires UsersService.require; see services/guard.py)
        self.guard = guard or trusting_guard
        self.settings = settings
        self.printer_factory = printer_factory
        self.jobs = jobs
        self.receipts = receipts
        self.customers = customers
        self.clock = clock or SystemClock()
        self.url_override = url_override
        self.default_url = default_url
        self.job_timeout = job_timeout
        self._discover = discover
        self._inflight: set[str] = set()  # receipts queued or printing (no double original)
        self._lock = threading.Lock()

    # -- settings ----------------------------------------------------------------------------
    def printer_settings(self, *, mode: str | None = None, width: int | None = None) -> PrinterSettings:
        """Saved settings, with this run's --printer/--mode/--width on top."""
        s = PrinterSettings(**_filtered(PrinterSettings, self.settings.get("printer", {})))
        changes: dict[str, Any] = {}
        if self.url_override:
            changes["url"] = self.url_override
        elif not s.url:
            changes["url"] = self.default_url
        if mode:
            changes["mode"] = mode
        if width:
            changes["width_mm"] = int(width)
        s = dataclasses.replace(s, **changes)
        self._validate(s)
        return s

    def _validate(self, s: PrinterSettings) -> None:
        if s.mode not in MODES:
            raise InvalidInput("printing.bad_setting", key="mode", value=s.mode, detail=", ".join(MODES))
        if s.width_mm not in (58, 80):
            raise InvalidInput("printing.bad_setting", key="width_mm", value=s.width_mm, detail="58 or 80")
        if not 0 <= int(s.cp1258_page) <= 255:
            raise InvalidInput("printing.bad_setting", key="cp1258_page", value=s.cp1258_page, detail="0..255")

    def save_printer_settings(self, *, actor: User | None = None, **changes: Any) -> PrinterSettings:
        """Change the saved printer settings (needs the settings permission)."""
        self.guard(actor, Permission.SETTINGS)
        current = PrinterSettings(**_filtered(PrinterSettings, self.settings.get("printer", {})))
        unknown = set(changes) - {f.name for f in dataclasses.fields(PrinterSettings)}
        if unknown:
            raise InvalidInput("printing.bad_setting", key=", ".join(sorted(unknown)), value="", detail="unknown")
        new = dataclasses.replace(current, **changes)
        self._validate(new)
        self.settings.set("printer", dataclasses.asdict(new))
        return new

    def company(self) -> CompanyInfo:
        return CompanyInfo(**_filtered(CompanyInfo, self.settings.get("company", {})))

    def save_company(self, *, actor: User | None = None, **changes: Any) -> CompanyInfo:
        """Change the company details printed on receipts (needs the settings permission)."""
        self.guard(actor, Permission.SETTINGS)
        new = self.checked_company(**changes)
        self.settings.set("company", dataclasses.asdict(new))
        return new

    def checked_company(self, **changes: Any) -> CompanyInfo:
        """The company details with ``changes`` applied, refused (InvalidInput) when a change is
        not valid; saves nothing (a settings dialog checks before it saves anything)."""
        known = {f.name for f in dataclasses.fields(CompanyInfo)}
        unknown = set(changes) - known
        if unknown:
            raise InvalidInput("printing.bad_company", key=", ".join(sorted(unknown)), value="", detail="unknown")
        for key, value in changes.items():
            if not isinstance(value, str):
                raise InvalidInput("printing.bad_company", key=key, value=value, detail="text expected")
        if "einvoice_url" in changes:
            changes = {**changes, "einvoice_url": check_einvoice_url(changes["einvoice_url"])}
        return dataclasses.replace(self.company(), **changes)

    # -- the engine --------------------------------------------------------------------------
    def printer(self, *, mode: str | None = None, width: int | None = None):
        return self.printer_factory(self.printer_settings(mode=mode, width=width))

    def _run(
        self,
        doc: Document,
        *,
        mode: str | None = None,
        width: int | None = None,
        kick_drawer: bool | None = None,
        receipt_no: str | None = None,
        wait: bool = True,
        callback: Callable[[Any], None] | None = None,
    ):
        settings = self.printer_settings(mode=mode, width=width)
        printer = self.printer_factory(settings)  # validates mode/profile before queueing
        kick = doc.kick_drawer if kick_drawer is None else kick_drawer
        kick = kick and settings.drawer

        def run():
            try:
                return printer.print_document(doc, kick_drawer=kick)
            except Exception:
                if kick:  # cash was taken: still try to open the drawer (a separate short job)
                    try:
                        printer.kick_drawer()
                    except Exception:  # noqa: BLE001 - the print error is the one to report
                        log.info("drawer kick after failed print also failed")
                raise

        def done(result) -> None:
            with self._lock:
                self._inflight.discard(receipt_no or "")
            if receipt_no and self.receipts is not None:
                try:
                    self.receipts.record_print(receipt_no, bool(result.ok))
                except Exception:  # noqa: BLE001 - recording must not crash the printer thread
                    log.exception("could not record print state of %s", receipt_no)
            if callback is not None:
                callback(result)

        if receipt_no:
            with self._lock:
                if receipt_no in self._inflight:
                    raise Conflict("printing.in_progress", receipt=receipt_no)
                self._inflight.add(receipt_no)
        try:
            job = self.jobs.submit(settings.url, doc.title or doc.kind, run, receipt_no=receipt_no, callback=done)
        except Exception:
            with self._lock:
                self._inflight.discard(receipt_no or "")
            raise
        if not wait:
            return job
        result = job.wait(self.job_timeout + settings.timeout)
        if result is None:
            raise DeviceError("printing.job_timeout", job=doc.title or doc.kind, seconds=int(self.job_timeout))
        if not result.ok:
            raise _failure(result)
        return result

    # -- use cases ---------------------------------------------------------------------------
    def receipt_document(self, payment: Payment) -> Document:
        basket = self.receipts.basket_of(payment.receipt_no) if self.receipts is not None else None
        return receipt(payment, self.company(), basket=basket)

    def print_receipt(
        self,
        receipt_no: str,
        *,
        mode: str | None = None,
        width: int | None = None,
        wait: bool = True,
        callback: Callback | None = None,
        kick_drawer: bool | None = None,
    ):
        """Print the receipt of a committed payment; the ledger learns whether it printed.

        The print count shown (original / "BẢN SAO - In lần N") is the ledger's: a receipt that
        already printed fine is refused until the ledger's reprint (permission, count, journal)
        made it a copy; one whose print failed or never ran prints as is.
        """
        if self.receipts is None:
            raise NotFound("printing.no_ledger")
        payment = self.receipts.payment(receipt_no)
        if payment.printed is True:
            # every extra paper copy goes through the ledger's reprint (rules, count, journal)
            raise Conflict("printing.already_printed", receipt=payment.receipt_no, count=payment.print_count)
        doc = self.receipt_document(payment)
        return self._run(
            doc, mode=mode, width=width, kick_drawer=kick_drawer, receipt_no=payment.receipt_no,
            wait=wait, callback=callback,
        )  # fmt: skip

    def notice_document(self, customer_code: str, *, cashier_name: str = "", cashier_phone: str = "") -> Document:
        if self.customers is None:
            raise NotFound("printing.no_customer", code=customer_code)
        from cashier.core.customer_code import parse_scanned

        code = parse_scanned(customer_code).code
        found = self.customers.customer_with_bills(code)
        if found is None:
            raise NotFound("printing.no_customer", code=code)
        customer, bills = found
        from cashier.core.debt import BillStatus

        unpaid = sorted((b for b in bills if b.status == BillStatus.UNPAID), key=lambda b: b.sort_key)
        info = NoticeInfo(cashier_name or "", cashier_phone or "", printed_at=self.clock.now())
        return bill_notice(customer, unpaid, info, self.company())

    def print_notice(
        self, customer_code: str, *, cashier_name: str = "", cashier_phone: str = "",
        mode: str | None = None, width: int | None = None, wait: bool = True, callback: Callback | None = None,
    ):  # fmt: skip
        doc = self.notice_document(customer_code, cashier_name=cashier_name, cashier_phone=cashier_phone)
        return self._run(doc, mode=mode, width=width, kick_drawer=False, wait=wait, callback=callback)

    def test_document(self, mode: str | None = None, width: int | None = None) -> Document:
        s = self.printer_settings(mode=mode, width=width)
        return printer_test_page(
            f"{s.mode} - {MODE_LABELS.get(s.mode, s.mode)}", self.company(), width_mm=s.width_mm,
            printed_at=self.clock.now(),
        )  # fmt: skip

    def print_test(
        self, mode: str | None = None, width: int | None = None, *, wait: bool = True, callback: Callback | None = None
    ):
        return self._run(
            self.test_document(mode, width), mode=mode, width=width, kick_drawer=False, wait=wait, callback=callback
        )

    def print_shift_report(
        self, report: ShiftReport, *, mode=None, width=None, wait: bool = True, callback: Callback | None = None
    ):
        return self._run(
            shift_report(report, self.company()), mode=mode, width=width, kick_drawer=False, wait=wait,
            callback=callback,
        )  # fmt: skip

    def print_reconnection_order(
        self, order: ReconnectionOrder, *, mode=None, width=None, wait: bool = True, callback: Callback | None = None
    ):
        return self._run(
            reconnection_order(order, self.company()), mode=mode, width=width, kick_drawer=False, wait=wait,
            callback=callback,
        )  # fmt: skip

    def card_customer(self, customer_code: str) -> Customer:
        """The customer a card is made for (NotFound ``printing.no_customer``)."""
        found = self.customers.customer_with_bills(customer_code) if self.customers is not None else None
        if found is None:
            raise NotFound("printing.no_customer", code=customer_code)
        return found[0]

    def print_card(self, customer_code: str, *, mode=None, width=None, wait: bool = True):
        customer = self.card_customer(customer_code)
        return self._run(card_slip(customer, self.company()), mode=mode, width=width, kick_drawer=False, wait=wait)

    def preview(self, doc: Document, *, mode: str | None = None, width: int | None = None) -> bytes:
        """PNG of ``doc`` as the configured printer would print it (for an on-screen preview)."""
        return self.printer_factory(self.printer_settings(mode=mode, width=width)).preview_png(doc)

    def preview_receipt(self, receipt_no: str, *, mode: str | None = None, width: int | None = None) -> bytes:
        if self.receipts is None:
            raise NotFound("printing.no_ledger")
        return self.preview(self.receipt_document(self.receipts.payment(receipt_no)), mode=mode, width=width)

    def discover_printers(self) -> list[str]:
        """Printer URLs found on this machine (serial ports, USB printers); slow: not on the GUI thread."""
        return list(self._discover()) if self._discover is not None else []

    def kick_drawer(self, *, actor: User | None = None) -> None:
        """Open the cash drawer outside a payment ("no sale": needs the open-drawer permission;
        a cash payment's own kick goes with its receipt and needs no extra right)."""
        self.guard(actor, Permission.OPEN_DRAWER)
        settings = self.printer_settings()
        printer = self.printer_factory(settings)
        job = self.jobs.submit(settings.url, "drawer", lambda: printer.kick_drawer())
        result = job.wait(settings.timeout + 5)
        if result is not None and not result.ok:
            raise _failure(result)

    def status(self, *, callback: Callback | None = None):
        """The printer's answer to a status query (None: no answer). With ``callback`` it
        returns at once; the job's result (``.value``: the status) goes to the callback."""
        settings = self.printer_settings()
        printer = self.printer_factory(settings)
        job = self.jobs.submit(settings.url, "status", lambda: printer.status(), callback=callback)
        if callback is not None:
            return None
        result = job.wait(settings.timeout + 5)
        if result is None or not result.ok:
            return None
        return result.value


def _failure(result: JobResultLike) -> DomainError:
    """The error a failed job ended with (the device's own refusal, code and params)."""
    return result.failure or DeviceError("device_error", detail="print job failed")
