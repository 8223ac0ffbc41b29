"""End-of-day reports: the day by cashier, by method and by hour; shift Z / cash reconciliation;
cashless share; outstanding debt by meter book; reconnection orders; unpaid customers with
phone numbers (csv for the SMS notice service).

The service computes a :class:`DayReport` (plain data): the payments' figures through
``cashier.core.day_figures`` (the one aggregation the dashboard shares), the rest from the
:class:`~cashier.services.ports.reports.ReportStore`; a writer port renders it as xlsx (with
charts), printable text or csv.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from cashier.core.clock import Clock, SystemClock, to_vn
from cashier.core.day_figures import day_figures, report_sections
from cashier.core.errors import InvalidInput
from cashier.core.ledger import Permission, User
from cashier.services.guard import Guard, trusting_guard
from cashier.services.output_paths import ProtectedPaths, check_output
from cashier.services.ports.payments import PaymentStore
from cashier.services.ports.reports import ReportStore


class ReportWriter(Protocol):
    def write(self, report: DayReport, path: Path, *, overwrite: bool = False) -> Path: ...


@dataclass
class DayReport:
    date: str
    station: str
    generated_at: str
    sections: dict[str, list[tuple]] = field(default_factory=dict)
    unpaid: list[tuple] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(r[2] or 0 for r in self.sections.get("by_method", []))

    @property
    def cashless_total(self) -> int:
        # the transfer column of by_cashier: a split payment counts its bank-transfer part only
        return sum(r[6] or 0 for r in self.sections.get("by_cashier", []))

    @property
    def cashless_share(self) -> float:
        """Share of cashless money in the day's collections (0..1)."""
        return self.cashless_total / self.total if self.total else 0.0

    def summary(self) -> dict[str, Any]:
        return {
            "date": self.date,
            "station": self.station,
            "payments": sum(r[1] for r in self.sections.get("by_method", [])),
            "total": self.total,
            "cashless_total": self.cashless_total,
            "cashless_share": round(self.cashless_share, 4),
        }


class ReportService:
    def __init__(self, store: ReportStore, payments: PaymentStore, writer: ReportWriter, *, station: str,
                 clock: Clock | None = None, guard: Guard | None = None, protected: ProtectedPaths | None = None):
        self.payments = payments
        self.guard = guard or trusting_guard
        self.protected = protected or ProtectedPaths(None)
        self.store = store
        self.writer = writer
        self.station = station
        self.clock = clock or SystemClock()

    def build(self, date: str | None = None) -> DayReport:
        now = to_vn(self.clock.now())
        if date:
            try:
                date = datetime.strptime(date, "%Y-%m-%d").date().isoformat()
            except ValueError:
                raise InvalidInput("export.date", value=date) from None
        else:
            date = now.date().isoformat()
        figures = day_figures(self.payments.payments(date=date, status="active", station=self.station))
        sections = {**report_sections(figures), **self.store.day(date, station=self.station)}
        return DayReport(date, self.station, now.replace(microsecond=0).isoformat(), sections,
                         self.store.unpaid_customers())

    def day_report(self, date: str | None, out: Path, *, actor: User | None = None, force: bool = False) -> Path:
        """Write the day's report at ``out`` (needs the view-reports permission). Never onto the
        database, a key or a backup; an existing file only with ``force`` (the UI asks)."""
        self.guard(actor, Permission.VIEW_REPORTS)
        path = check_output(out, self.protected, force=force)
        return self.writer.write(self.build(date), path, overwrite=force)
