"""The UI's view of the services: one small facade so that controllers and dialogs call verbs
("login", "collect_payment", "print_payment") and this file is the only one that knows the service
classes' method names. It receives the composition root's Station, typed as the
``StationServices`` Protocol (services/station.py: the ui layer never imports cashier.app, db,
devices or export), and talks only to its services.

Methods marked *worker* are called on a task-runner lane (import, export, discovery), never on
the GUI thread; printing goes to the printer's own thread (``done`` callbacks); everything else is quick (a lookup is ~0.1 ms, a payment commit ~1-3 ms).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cashier.core.clock import SystemClock
from cashier.core.errors import DeviceError, InvalidInput
from cashier.core.ledger import Payment, ShiftReport

if TYPE_CHECKING:
    from cashier.services.station import StationServices

log = logging.getLogger(__name__)

#: a device job's end: (ok, its value or the exception), called on the device's thread
Done = Callable[[bool, object], None]


@dataclass
class StartInfo:
    """What app.py tells the UI about this run."""

    db_path: Path
    printer_url: str = ""
    log_path: Path | None = None
    resources_dir: Path | None = None
    #: set on a fresh machine: the demo data and users that were created
    demo_users: tuple[tuple[str, str, str], ...] = ()  # (username, password, role)
    #: makes a serial scanner reader: (port, on_code=, on_reject=, on_status=, baudrate=, ...)
    serial_scanner: Callable[..., Any] | None = None
    #: lists this machine's serial ports
    serial_ports: Callable[[], list[str]] | None = None
    #: lists this machine's HID-POS scanners as "hid:..." ports (serial_scanner reads them)
    hid_scanners: Callable[[], list[str]] | None = None


class Backend:
    def __init__(self, station: StationServices, info: StartInfo) -> None:
        self.station = station
        self.info = info
        self.clock = SystemClock()

    def warm(self) -> None:
        """Build the services on the GUI thread before any worker lane can ask for them (the
        Station builds each on first use; two threads must not build the same one twice)."""
        for name in ("users", "shifts", "collect", "cache", "printing"):
            try:
                getattr(self.station, name)
            except Exception:  # noqa: BLE001 (reported when used)
                log.exception("could not start the %s service", name)

    # -- run information -------------------------------------------------------------------
    @property
    def db_path(self) -> Path:
        return self.info.db_path

    @property
    def printer_url(self) -> str:
        return self.info.printer_url or self._printing_url()

    def _printing_url(self) -> str:
        try:
            return self.station.printing.printer_settings().url
        except Exception:  # noqa: BLE001
            log.exception("printer settings")
            return ""

    def last_username(self) -> str:
        return self.info.demo_users[-1][0] if self.info.demo_users else ""

    # -- users -----------------------------------------------------------------------------
    def login(self, username: str, password: str) -> Any:
        return self.station.users.login(username, password)

    def authorise(self, username: str, password: str, permission: str, for_user: Any, reason: str = "") -> Any:
        return self.station.users.authorise(username, password, permission, for_user, reason)

    def list_users(self, actor: Any) -> list:
        return self.station.users.list_users(actor)

    def add_user(self, actor: Any, username: str, password: str, role: str, full_name: str, cashier_code: str) -> Any:
        return self.station.users.add_user(
            username, password, role, full_name=full_name, cashier_code=cashier_code, actor=actor
        )

    def set_user_locked(self, actor: Any, username: str, locked: bool) -> Any:
        users = self.station.users
        return users.lock(username, actor=actor) if locked else users.unlock(username, actor=actor)

    def set_role(self, actor: Any, username: str, role: str) -> Any:
        return self.station.users.set_role(username, role, actor=actor)

    def change_password(self, actor: Any, username: str, password: str) -> Any:
        return self.station.users.change_password(username, password, actor=actor)

    # -- shifts ----------------------------------------------------------------------------
    def current_shift(self) -> Any:
        return self.station.shifts.current_shift()

    def open_shift(self, user: Any, opening_float: int) -> Any:
        return self.station.shifts.open_shift(user, opening_float)

    def x_report(self, user: Any, shift_id: int | None = None) -> ShiftReport:
        return self.station.shifts.x_report(user)

    def preview_close(self, counts: Mapping[int, int]) -> tuple[int, int, int, bool]:
        return self.station.shifts.preview_close(counts)

    def close_shift(self, user: Any, counts: Mapping[int, int], approval: Any = None) -> ShiftReport:
        return self.station.shifts.close_shift(user, counts, approval)

    def company(self) -> Any:
        return self.station.printing.company()

    def report_text(self, report: ShiftReport) -> str:
        from cashier.core.documents import shift_report
        from cashier.core.layout import plain_text

        return plain_text(shift_report(report, self.company()), 80)

    def receipt_text(self, payment: Payment) -> str:
        from cashier.core.documents import receipt
        from cashier.core.layout import plain_text

        basket = self.station.collect.basket_of(payment.receipt_no)  # thu gộp: "Thu gộp 2/3 — mã giỏ ..."
        return plain_text(receipt(payment, self.company(), basket=basket), 80)

    # -- the debt cache --------------------------------------------------------------------
    def lookup(self, code: str) -> Any:
        return self.station.cache.lookup(code)

    def is_scan_code(self, text: str) -> bool:
        """Could ``text`` be a scanned code: a well-formed customer code (input-method mangling
        repaired, known or not), an ambiguous mangled one, or a known card code? A burst of fast
        typing that is none of these ("nguyen van an") is text, not a scan."""
        try:
            self.station.cache.lookup(text)
        except InvalidInput as exc:
            return exc.code == "code.ambiguous"
        except Exception:  # noqa: BLE001 (unknown code, storage trouble: the lookup will say it)
            return True
        return True

    def search(self, text: str, limit: int = 100) -> list:
        return self.station.cache.search(text, limit)

    def preview(self, code: str) -> Any:
        """The ledger's plan for collecting everything due (bills oldest first + the reconnection
        fee when it applies); raises DomainError when there is nothing to collect."""
        return self.station.collect.preview(code)

    def import_extract(
        self, path: str, profile: str, progress: Callable, cancel: Callable, actor: Any = None,
        accept_missing: int | None = None,
    ) -> Any:  # fmt: skip
        """*worker*: import the morning extract (``actor`` needs the import permission;
        ``accept_missing``: how many bills the manager confirmed may become paid elsewhere)."""
        return self.station.cache.import_extract(
            path, profile, progress, cancel, actor=actor, accept_missing=accept_missing
        )

    def profiles(self) -> list[str]:
        cache = self.station.cache
        for name in ("profiles", "profile_names", "list_profiles"):
            fn = getattr(cache, name, None)
            if callable(fn):
                try:
                    return list(fn())
                except Exception:  # noqa: BLE001
                    log.exception("profiles")
        return ["default"]

    # -- payments --------------------------------------------------------------------------
    def collect_payment(
        self,
        *,
        user: Any,
        customer_code: str,
        tendered: int,
        bill_ids: tuple[str, ...] | None = None,
        method: str = "cash",
        bank_ref: str = "",
        idempotency_key: str | None = None,
        partial_amount: int | None = None,
        approval: Any = None,
        transfer_amount: int = 0,
    ) -> Payment:
        return self.station.collect.collect(
            user,
            customer_code,
            tendered,
            bill_ids=bill_ids,
            method=method,
            bank_ref=bank_ref,
            partial_amount=partial_amount,
            idempotency_key=idempotency_key,
            approval=approval or None,
            transfer_amount=transfer_amount,  # > 0: a split payment, cash + bank transfer
        )

    def preview_partial(self, code: str, bill_id: str, amount: int, tendered: int | None = None) -> Any:
        """The ledger's plan for paying ``amount`` on one bill (its rules: one bill, the oldest
        open one first, 0 < amount <= what is left on it); raises DomainError when refused."""
        return self.station.collect.preview(code, bill_ids=(bill_id,), tendered=tendered, partial_amount=amount)

    def preview_split(self, code: str, transfer: int, cash: int | None = None) -> Any:
        """The ledger's plan for a split payment of everything due: ``transfer`` by bank transfer,
        ``cash`` handed over (None: exact); raises DomainError when refused."""
        return self.station.collect.preview(code, tendered=cash, transfer_amount=transfer)

    def preview_basket_entry(self, code: str) -> Any:
        """What scanning ``code`` adds to a basket (thu gộp); raises DomainError when nothing is due."""
        return self.station.collect.preview_basket_entry(code)

    def collect_basket(self, *, user: Any, entries: Any, tendered: int, idempotency_key: str | None = None) -> Any:
        """Every customer of the basket, one tender, one transaction (see services/basket_collect.py)."""
        return self.station.collect.collect_basket(user, entries, tendered, idempotency_key=idempotency_key)

    def max_change(self) -> int:
        """The ledger's absurd-change limit (a typing slip such as 5.000.000 for 500.000)."""
        return self.station.collect.max_change()

    def record_print(self, receipt_no: str, ok: bool) -> None:
        self.station.collect.record_print(receipt_no, ok)

    def shift_payments(self, user: Any, shift: Any) -> list[Payment]:
        """Payments of ``shift`` (through the ledger's receipts of the days it spans)."""
        days = sorted({shift.opened_at.date(), self.clock.now().date()})
        out: dict[str, Payment] = {}
        for day in days:
            for p in self.station.collect.receipts(user, day.isoformat()):
                if p.shift_id == shift.id:
                    out[p.receipt_no] = p
        return sorted(out.values(), key=lambda p: (p.created_at, p.receipt_no))

    def payments_on(self, user: Any, day: date | None = None) -> list[Payment]:
        day = day or self.clock.now().date()
        return self.station.collect.receipts(user, day.isoformat())

    def payment(self, receipt_no: str) -> Payment:
        """One receipt (raises NotFound): what the void dialog shows before voiding."""
        return self.station.collect.payment(receipt_no)

    def reprint(self, user: Any, receipt_no: str, approval: Any = None) -> Payment:
        return self.station.collect.reprint(receipt_no, user, approval or None)

    def void(self, user: Any, receipt_no: str, reason: str, approval: Any = None) -> Any:
        return self.station.collect.void(receipt_no, reason, user, approval or None)

    def reconnection_orders(self) -> list:
        return self.station.collect.reconnection_orders()

    def order_done(self, user: Any, order_id: int) -> None:
        self.station.collect.set_order_status(user, order_id, "done")

    # -- printing (the printer's own thread) -------------------------------------------------
    # The print service has one queue (owner thread) per printer and records the outcome of a
    # receipt print in the ledger (printed / unprinted). These calls queue the job once and
    # return at once; ``done(ok, value)`` is called on the printer's thread when the job ended
    # (ok: the job's value; else the DeviceError it failed with). The UI passes
    # ``TaskRunner.submit``'s ``done``, which hands it to the GUI thread.
    @staticmethod
    def _job_done(done: Done) -> Callable[[Any], None]:
        def ended(result: Any) -> None:
            if result.ok:
                done(True, result.value)
            else:
                done(False, result.failure or DeviceError("device_error", detail="print job failed"))

        return ended

    def print_payment(self, payment: Payment, done: Done) -> None:
        """The receipt (a reprint carries its print count)."""
        self.station.printing.print_receipt(payment.receipt_no, wait=False, callback=self._job_done(done))

    def print_notice(self, customer_code: str, user: Any, done: Done) -> None:
        name = getattr(user, "full_name", "") if user is not None else ""
        self.station.printing.print_notice(customer_code, cashier_name=name, wait=False, callback=self._job_done(done))

    def print_report(self, report: ShiftReport, done: Done) -> None:
        self.station.printing.print_shift_report(report, wait=False, callback=self._job_done(done))

    def print_order(self, order: Any, done: Done) -> None:
        """A reconnection order for the field crew."""
        self.station.printing.print_reconnection_order(order, wait=False, callback=self._job_done(done))

    def printer_status(self, done: Done) -> None:
        """The printer's answer to a status query (None when it does not answer)."""

        def ended(result: Any) -> None:
            done(True, result.value if result.ok else None)

        self.station.printing.status(callback=ended)

    # -- end of day (export service) --------------------------------------------------------
    def export_dir(self) -> Path:
        return Path(self.station.export.default_dir)

    def export_clearing(self, user: Any, out_dir: str) -> Any:
        """*worker*: a new clearing batch (xlsx + csv + signed manifests) in ``out_dir``."""
        fresh = self.station.users.refresh(user)
        return self.station.export.export(out_dir=Path(out_dir) if out_dir else None, actor=fresh)

    # -- settings (manager) ----------------------------------------------------------------
    def station_settings(self) -> dict:
        st = self.station.settings.ledger()
        return {"station": st.station, "reconnection_fee": st.reconnection_fee, "variance_limit": st.variance_limit}

    def printer_settings(self) -> dict:
        """The *saved* printer settings (not this run's --printer override), and the override."""
        printing = self.station.printing
        ps = printing.printer_settings()
        saved = printing.settings.get("printer", {}) or {}
        return {
            "url": str(saved.get("url", "") or ""),
            "mode": ps.mode,
            "width_mm": ps.width_mm,
            "override": str(printing.url_override or ""),
        }

    def save_station_settings(
        self, user: Any, *, station: str, reconnection_fee: int, variance_limit: int, company: dict, printer: dict
    ) -> None:
        """Needs the settings permission; every change is journalled."""
        fresh = self.station.users.refresh(user)
        fresh.require("settings")
        self.station.printing.checked_company(**company)  # a bad value saves nothing
        self.station.settings.save_ledger(
            actor=fresh, station=station, reconnection_fee=reconnection_fee, variance_limit=variance_limit
        )
        printing = self.station.printing
        printing.save_company(actor=fresh, **company)
        printing.save_printer_settings(actor=fresh, **printer)
        self.station.journal.record(
            "settings",
            {"by": fresh.username, "station": station, "reconnection_fee": int(reconnection_fee),
             "variance_limit": int(variance_limit), "company": company, "printer": printer},
        )

    def discover_printers(self) -> list[str]:
        """*worker*: printer URLs found on this machine (serial ports, USB, ...)."""
        for owner in (self.station.printing, self.station):
            fn = getattr(owner, "discover_printers", None) or getattr(owner, "discover", None)
            if callable(fn):
                return [str(u) for u in fn()]
        return []

    def test_print(self, printer: dict, user: Any, done: Done) -> None:
        """Save the printer settings (``user`` needs the settings permission), then print the
        test page with them on the printer's thread."""
        self.station.printing.save_printer_settings(actor=user, **printer)
        self.station.printing.print_test(wait=False, callback=self._job_done(done))
