"""A payment as recorded and printed: its lines, the customer snapshot, the request a cashier
makes and the plan the rules make of it, and the verification code's display form."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from cashier.core.debt import Customer, TierLine


class Method(StrEnum):
    CASH = "cash"
    TRANSFER = "transfer"


class PaymentStatus(StrEnum):
    ACTIVE = "active"
    VOIDED = "voided"


class LineKind(StrEnum):
    BILL = "bill"
    RECONNECTION_FEE = "reconnection_fee"


@dataclass(frozen=True, slots=True)
class PaymentLine:
    kind: LineKind
    amount: int  # what this payment pays on the line (== total unless partial)
    bill_row: int | None = None  # bill.id in the cache
    bill_id: str = ""  # ID_HDON
    ky: int = 0
    thang: int = 0
    nam: int = 0
    kwh: int = 0
    bill_amount: int = 0  # SO_TIEN, before VAT
    vat: int = 0
    bill_total: int = 0  # TONG_TIEN
    series: str = ""
    number: str = ""
    reading_start: int | None = None
    reading_end: int | None = None
    tiers: tuple[TierLine, ...] = ()
    settles: bool = True  # False for a partial amount that leaves the bill open

    @property
    def period(self) -> str:
        if self.kind is LineKind.RECONNECTION_FEE:
            return ""
        return f"Kỳ {self.ky} T{self.thang:02d}/{self.nam}"

    @property
    def partial(self) -> bool:
        return self.kind is LineKind.BILL and not self.settles

    def as_dict(self) -> dict:
        return {
            "kind": self.kind.value,
            "amount": self.amount,
            "bill_id": self.bill_id,
            "ky": self.ky,
            "thang": self.thang,
            "nam": self.nam,
            "kwh": self.kwh,
            "bill_amount": self.bill_amount,
            "vat": self.vat,
            "bill_total": self.bill_total,
            "series": self.series,
            "number": self.number,
            "reading_start": self.reading_start,
            "reading_end": self.reading_end,
            "tiers": [[t.kwh, t.price, t.amount] for t in self.tiers],
            "settles": self.settles,
        }


@dataclass(frozen=True, slots=True)
class CustomerSnapshot:
    """The customer as printed on the receipt (copied at payment time)."""

    code: str
    name: str
    address: str = ""
    book: str = ""
    book_pos: str = ""
    phone: str = ""
    unit_code: str = ""

    @classmethod
    def of(cls, c: Customer) -> CustomerSnapshot:
        return cls(c.code, c.name, c.address, c.book, c.book_pos, c.phone, c.unit_code)


@dataclass(frozen=True, slots=True)
class Payment:
    """Everything a receipt shows, and its bookkeeping."""

    receipt_no: str
    station: str
    shift_id: int
    cashier_id: int
    cashier_username: str
    cashier_name: str
    cashier_code: str  # MA_TNGAN
    customer: CustomerSnapshot
    lines: tuple[PaymentLine, ...]
    total: int
    tendered: int
    change: int
    method: Method
    created_at: datetime
    bank_ref: str = ""
    status: PaymentStatus = PaymentStatus.ACTIVE
    print_count: int = 1
    printed: bool | None = None  # None: not attempted yet; True/False: last print ok/failed
    journal_seq: int = 0
    verification: str = ""
    idempotency_key: str | None = None
    export_batch: str | None = None
    void_export_batch: str | None = None
    voided_at: datetime | None = None
    void_reason: str = ""
    #: a split payment's bank-transfer part (method CASH; 0 < transfer_amount < total); 0 otherwise
    transfer_amount: int = 0
    id: int | None = None

    @property
    def is_split(self) -> bool:
        return self.method is Method.CASH and self.transfer_amount > 0

    @property
    def cash_part(self) -> int:
        """What goes into the cash drawer (net of change)."""
        return self.total - self.transfer_amount if self.method is Method.CASH else 0

    @property
    def transfer_part(self) -> int:
        return self.total if self.method is Method.TRANSFER else self.transfer_amount

    @property
    def cash_tendered(self) -> int:
        """The cash handed over (``tendered`` of a split payment also counts the transfer)."""
        return self.tendered - self.transfer_amount if self.method is Method.CASH else 0

    @property
    def clearing_method(self) -> str:
        """The method on the clearing file's rows (one row per bill, one method a row): a split
        payment goes out with the method of its larger part (a tie is cash)."""
        return clearing_method(self.method, self.total, self.transfer_amount)

    @property
    def bill_ids(self) -> list[str]:
        return [ln.bill_id for ln in self.lines if ln.kind is LineKind.BILL]

    @property
    def is_copy(self) -> bool:
        return self.print_count > 1

    @property
    def copy_label(self) -> str:
        """'BẢN SAO — In lần N' on every print after the first, '' on the original."""
        return f"BẢN SAO — In lần {self.print_count}" if self.print_count > 1 else ""

    @property
    def verification_display(self) -> str:
        return format_verification(self.verification)

    @property
    def reconnection_fee(self) -> int:
        return sum(ln.amount for ln in self.lines if ln.kind is LineKind.RECONNECTION_FEE)


def clearing_method(method: Method | str, total: int, transfer_amount: int) -> str:
    """See :attr:`Payment.clearing_method` (db/sqlite/exports.py applies the same rule in SQL)."""
    if Method(method) is Method.CASH and transfer_amount * 2 > total:
        return Method.TRANSFER.value
    return Method(method).value


def format_verification(code: str) -> str:
    """'ABCDEFGH' -> 'ABCD-EFGH' (easier to read over the phone)."""
    return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code


def normalise_verification(text: str) -> str:
    """Upper-case, separators dropped; 0/1/8 (never in base32) read as O/I/B over the phone."""
    return re.sub(r"[\s\-_.]", "", text or "").upper().translate(str.maketrans("018", "OIB"))


@dataclass(frozen=True, slots=True)
class PaymentRequest:
    """What the cashier asks for. ``bill_ids`` None = every unpaid bill."""

    customer_code: str
    tendered: int
    bill_ids: tuple[str, ...] | None = None
    method: Method = Method.CASH
    bank_ref: str = ""
    partial_amount: int | None = None  # pay this much on the (single) selected bill
    idempotency_key: str | None = None
    #: split payment: this much by bank transfer (``bank_ref``), ``tendered`` is then the cash part
    transfer_amount: int = 0

    def fingerprint(self) -> dict:
        """The parts that must match when the same idempotency key comes back."""
        fp = {
            "customer": self.customer_code,
            "bills": sorted(self.bill_ids) if self.bill_ids is not None else None,
            "tendered": self.tendered,
            "method": self.method.value,
            "partial": self.partial_amount,
        }
        if self.transfer_amount:
            fp["transfer"] = self.transfer_amount
        return fp


@dataclass(frozen=True, slots=True)
class PaymentPlan:
    lines: tuple[PaymentLine, ...]
    total: int
    tendered: int
    change: int
    reconnection: bool  # a reconnection order is raised with this payment
    #: split payment: the bank-transfer part (``tendered`` = cash handed over + this)
    transfer_amount: int = 0

    @property
    def cash_due(self) -> int:
        return self.total - self.transfer_amount
