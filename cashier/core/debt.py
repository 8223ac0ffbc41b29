"""The local debt cache's domain objects: customers, bills, lookups, search hits, imports."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from cashier.core.messages import Message


class BillStatus(StrEnum):
    UNPAID = "unpaid"  # outstanding, collectable here
    COLLECTED = "collected"  # collected at this station (a payment is active)
    PAID_ELSEWHERE = "paid_elsewhere"  # settled by a bank/intermediary after the extract
    CLEARED = "cleared"  # collected here and cleared in CMIS (reconciled)


@dataclass(frozen=True, slots=True)
class TierLine:
    """One tariff tier of a bill, when the extract has the detail."""

    kwh: int
    price: int  # đồng per kWh before VAT
    amount: int


@dataclass(frozen=True, slots=True)
class Bill:
    customer_code: str
    bill_id: str  # ID_HDON
    ky: int
    thang: int
    nam: int
    kwh: int
    amount: int  # before VAT
    vat: int
    total: int
    status: BillStatus = BillStatus.UNPAID
    series: str = ""  # KIHIEU_SERY
    number: str = ""  # SO_SERY
    reading_start: int | None = None  # CS_DKY
    reading_end: int | None = None  # CS_CKY
    tiers: tuple[TierLine, ...] = ()
    #: set when a bill collected here was later reported settled elsewhere by CMIS
    double_collection: bool = False
    #: receipt number of the active payment, when collected here
    receipt: str | None = None
    #: internal row id (stable within one database)
    id: int | None = None

    @property
    def period(self) -> str:
        """'Kỳ 1 T10/2026' style label."""
        return f"Kỳ {self.ky} T{self.thang:02d}/{self.nam}"

    @property
    def sort_key(self) -> tuple[int, int, int, str]:
        """Oldest first."""
        return (self.nam, self.thang, self.ky, self.bill_id)


@dataclass(frozen=True, slots=True)
class Customer:
    code: str  # MA_KHANG
    name: str
    address: str
    unit_code: str = ""  # MA_DVIQLY
    phone: str = ""
    book: str = ""  # MA_SOGCS
    book_pos: str = ""  # STT
    card_code: str = ""
    disconnected: bool = False
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Lookup:
    customer: Customer
    bills: tuple[Bill, ...]  # every bill known for the customer, oldest first

    @property
    def unpaid(self) -> tuple[Bill, ...]:
        return tuple(b for b in self.bills if b.status == BillStatus.UNPAID)

    @property
    def total_due(self) -> int:
        return sum(b.total for b in self.unpaid)


@dataclass(frozen=True, slots=True)
class SearchHit:
    code: str
    name: str
    address: str
    book: str
    total_due: int
    unpaid_bills: int
    score: float = 0.0


@dataclass(frozen=True, slots=True)
class RejectedRow:
    row: int  # 1-based row number in the file as a spreadsheet shows it
    why: Message  # the reason, rendered in the reader's language
    column: str = ""
    value: str = ""

    @property
    def reason(self) -> str:
        """The reason in English (logs, CLI, reports)."""
        return self.why.text("en")

    def text(self, lang: str) -> str:
        return self.why.text(lang)


@dataclass
class ImportSummary:
    """What an import did (or would have done, when refused)."""

    file: str
    profile: str
    rows_read: int = 0
    customers: int = 0
    bills: int = 0
    new_bills: int = 0
    updated_bills: int = 0
    paid_elsewhere: int = 0  # unpaid bills missing from the newer extract
    conflicts: int = 0  # collected here but settled elsewhere per the extract: double collection?
    duplicates: int = 0
    total_due: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    report_path: str | None = None
    batch_id: int | None = None
    seconds: float = 0.0
