"""The end-of-day clearing file ("file gạch nợ") for CMIS: rows, control block, column profile.

Pure data: the db side selects rows, the export side writes and reads files, the service ties
them together. A row is one collected bill of one payment (``kind='payment'``) or the reversal
of such a row after a void of an already exported payment (``kind='reversal'``, negative
amounts). Money is integer đồng; ``paid_at`` is an aware datetime in Asia/Ho_Chi_Minh.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cashier.core.errors import InvalidInput
from cashier.core.vntext import fold

PAYMENT = "payment"
REVERSAL = "reversal"

#: Fields a clearing row has, and how each is written: "text" (a text cell, always), "int"
#: (an integer number cell) or "datetime" (text in the profile's date format).
FIELD_TYPES: dict[str, str] = {
    "kind": "text",
    "unit_code": "text",  # MA_DVIQLY
    "customer_code": "text",  # MA_KHANG
    "customer_name": "text",  # TEN_KHANG (optional column)
    "address": "text",  # DIA_CHI (optional column)
    "bill_id": "text",  # ID_HDON
    "ky": "int",
    "thang": "int",
    "nam": "int",
    "amount": "int",  # SO_TIEN
    "vat": "int",  # TIEN_GTGT
    "total": "int",  # TONG_TIEN
    "paid_at": "datetime",  # NGAY_NOP
    "cashier_code": "text",  # MA_TNGAN
    "point_code": "text",  # collection point
    "receipt_no": "text",  # receipt number
    "method": "text",  # payment method (profile code)
    "station": "text",
    "batch_id": "text",
}


@dataclass(frozen=True, slots=True)
class ClearingRow:
    kind: str
    unit_code: str
    customer_code: str
    bill_id: str
    ky: int
    thang: int
    nam: int
    amount: int
    vat: int
    total: int
    paid_at: datetime
    cashier_code: str
    point_code: str
    receipt_no: str
    method: str
    station: str = ""
    customer_name: str = ""
    address: str = ""
    batch_id: str = ""
    #: internal links (never written to the file)
    payment_id: int | None = None
    void_id: int | None = None
    bill_ref: int | None = None

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What identifies a row inside a batch: (kind, receipt, customer code, bill id)."""
        return (self.kind, self.receipt_no, self.customer_code, self.bill_id)


@dataclass(frozen=True, slots=True)
class ControlBlock:
    rows: int
    total_amount: int  # sum of SO_TIEN
    vat: int  # sum of TIEN_GTGT
    grand_total: int  # sum of TONG_TIEN
    first_receipt: str
    last_receipt: str
    batch_id: str
    station: str
    journal_head: str
    sequence: int = 0
    created_at: str = ""  # ISO 8601, Asia/Ho_Chi_Minh

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "total_amount": self.total_amount,
            "vat": self.vat,
            "grand_total": self.grand_total,
            "first_receipt": self.first_receipt,
            "last_receipt": self.last_receipt,
            "batch_id": self.batch_id,
            "station": self.station,
            "sequence": self.sequence,
            "created_at": self.created_at,
            "journal_head": self.journal_head,
        }


CONTROL_KEYS = (
    "rows",
    "total_amount",
    "vat",
    "grand_total",
    "first_receipt",
    "last_receipt",
    "batch_id",
    "station",
    "sequence",
    "created_at",
    "journal_head",
)
CONTROL_INT_KEYS = frozenset({"rows", "total_amount", "vat", "grand_total", "sequence"})


def control_for(
    rows: Sequence[ClearingRow],
    *,
    batch_id: str,
    station: str,
    journal_head: str,
    sequence: int = 0,
    created_at: str = "",
) -> ControlBlock:
    """The control block of ``rows`` (first/last receipt: of the first/last row in file order)."""
    return ControlBlock(
        rows=len(rows),
        total_amount=sum(r.amount for r in rows),
        vat=sum(r.vat for r in rows),
        grand_total=sum(r.total for r in rows),
        first_receipt=rows[0].receipt_no if rows else "",
        last_receipt=rows[-1].receipt_no if rows else "",
        batch_id=batch_id,
        station=station,
        journal_head=journal_head,
        sequence=sequence,
        created_at=created_at,
    )


def sort_rows(rows: Iterable[ClearingRow]) -> list[ClearingRow]:
    """File order: by time, then receipt, then bill; a reversal after the payment it reverses."""
    return sorted(
        rows,
        key=lambda r: (r.paid_at, r.receipt_no, 0 if r.kind == PAYMENT else 1, r.customer_code, r.bill_id),
    )


@dataclass(frozen=True, slots=True)
class Column:
    field: str
    header: str


@dataclass(frozen=True)
class ClearingProfile:
    """How one power company wants its clearing file (the "clearing" section of a profile)."""

    name: str = "default"
    columns: tuple[Column, ...] = ()
    date_format: str = "%d/%m/%Y %H:%M:%S"
    sheet_name: str = "GACH_NO"
    control_sheet_name: str = "KIEM_SOAT"
    control_labels: Mapping[str, str] = field(default_factory=dict)
    csv_delimiter: str = ","
    csv_encoding: str = "utf-8-sig"
    file_stem: str = "GACHNO_{station}_{date}_{sequence:04d}"
    kind_codes: Mapping[str, str] = field(default_factory=lambda: {PAYMENT: "THU", REVERSAL: "HUY"})
    method_codes: Mapping[str, str] = field(default_factory=dict)

    def header(self) -> list[str]:
        return [c.header for c in self.columns]

    def control_label(self, key: str) -> str:
        return self.control_labels.get(key, key.upper())

    def method_code(self, method: str) -> str:
        return self.method_codes.get(method, method)

    def method_from_code(self, code: str) -> str:
        for k, v in self.method_codes.items():
            if v == code:
                return k
        return code

    def to_dict(self) -> dict[str, Any]:
        """The profile as a "clearing" section (``from_dict(to_dict())`` gives it back)."""
        return {
            "name": self.name,
            "columns": [{"field": c.field, "header": c.header} for c in self.columns],
            "date_format": self.date_format,
            "sheet_name": self.sheet_name,
            "control_sheet_name": self.control_sheet_name,
            "control_labels": dict(self.control_labels),
            "csv": {"delimiter": self.csv_delimiter, "encoding": self.csv_encoding},
            "file_stem": self.file_stem,
            "kind_codes": dict(self.kind_codes),
            "method_codes": dict(self.method_codes),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], name: str = "default") -> ClearingProfile:
        def bad(detail: str) -> InvalidInput:
            return InvalidInput("clearing.profile", profile=name, detail=detail)

        if not isinstance(data, Mapping):
            raise bad("the clearing section is not an object")
        raw_cols = data.get("columns")
        if not isinstance(raw_cols, list) or not raw_cols:
            raise bad("columns must be a non-empty list")
        cols = []
        for item in raw_cols:
            if isinstance(item, str):
                item = {"field": item, "header": item}
            if not isinstance(item, Mapping) or "field" not in item:
                raise bad(f"column {item!r} needs a field")
            fld = str(item["field"])
            if fld not in FIELD_TYPES:
                raise bad(f"unknown field {fld!r} (known: {', '.join(FIELD_TYPES)})")
            header = str(item.get("header") or fld)
            cols.append(Column(fld, header))
        headers = [c.header for c in cols]
        if len(set(headers)) != len(headers):
            raise bad("two columns have the same header")
        fields = [c.field for c in cols]
        for needed in ("customer_code", "bill_id", "total", "receipt_no"):
            if needed not in fields:
                raise bad(f"the file must have a {needed} column")
        csv_cfg = data.get("csv") or {}
        delimiter = str(csv_cfg.get("delimiter", ","))
        if len(delimiter) != 1 or delimiter in "\r\n\"":
            raise bad(f"csv delimiter {delimiter!r} must be one character (not a quote or newline)")
        encoding = str(csv_cfg.get("encoding", "utf-8-sig"))
        try:
            "Đ".encode(encoding)
        except (LookupError, UnicodeEncodeError):
            raise bad(f"csv encoding {encoding!r} cannot write Vietnamese") from None
        date_format = str(data.get("date_format", cls.date_format))
        try:
            datetime(2026, 1, 2, 3, 4, 5).strftime(date_format)
        except ValueError:
            raise bad(f"bad date format {date_format!r}") from None
        sheet = str(data.get("sheet_name", cls.sheet_name))
        control_sheet = str(data.get("control_sheet_name", cls.control_sheet_name))
        for s in (sheet, control_sheet):
            if not s or len(s) > 31 or any(ch in s for ch in "[]:*?/\\"):
                raise bad(f"sheet name {s!r} is not allowed by Excel")
        if sheet == control_sheet:
            raise bad("the data and control sheets need different names")
        kinds = dict(data.get("kind_codes") or {PAYMENT: "THU", REVERSAL: "HUY"})
        if set(kinds) != {PAYMENT, REVERSAL} or len(set(kinds.values())) != 2:
            raise bad("kind_codes needs two different codes for payment and reversal")
        return cls(
            name=str(data.get("name", name)),
            columns=tuple(cols),
            date_format=date_format,
            sheet_name=sheet,
            control_sheet_name=control_sheet,
            control_labels={str(k): str(v) for k, v in (data.get("control_labels") or {}).items()},
            csv_delimiter=delimiter,
            csv_encoding=encoding,
            file_stem=str(data.get("file_stem", cls.file_stem)),
            kind_codes=kinds,
            method_codes={str(k): str(v) for k, v in (data.get("method_codes") or {}).items()},
        )


#: Used when a profile file has no "clearing" section (same as resources/profiles/default.json).
DEFAULT_CLEARING = {
    "name": "CMIS default",
    "columns": [
        {"field": "unit_code", "header": "MA_DVIQLY"},
        {"field": "customer_code", "header": "MA_KHANG"},
        {"field": "bill_id", "header": "ID_HDON"},
        {"field": "ky", "header": "KY"},
        {"field": "thang", "header": "THANG"},
        {"field": "nam", "header": "NAM"},
        {"field": "amount", "header": "SO_TIEN"},
        {"field": "vat", "header": "TIEN_GTGT"},
        {"field": "total", "header": "TONG_TIEN"},
        {"field": "paid_at", "header": "NGAY_NOP"},
        {"field": "cashier_code", "header": "MA_TNGAN"},
        {"field": "point_code", "header": "MA_DIEM_THU"},
        {"field": "receipt_no", "header": "SO_BIEN_NHAN"},
        {"field": "method", "header": "HINH_THUC_TT"},
        {"field": "kind", "header": "LOAI_GD"},
    ],
}


# -- reconciliation (CMIS's answer to a clearing file) -----------------------------------------

CLEARED = "cleared"
REFUSED = "refused"
PAID_ELSEWHERE = "paid_elsewhere"


@dataclass(frozen=True, slots=True)
class ClearingResult:
    """One row of CMIS's clearing result."""

    row: int  # 1-based row number as a spreadsheet shows it
    customer_code: str
    bill_id: str
    status: str  # CLEARED | REFUSED | PAID_ELSEWHERE
    reason: str = ""
    receipt_no: str = ""


@dataclass(frozen=True)
class ReconcileProfile:
    """Column names and status words of CMIS's result file (the "reconciliation" section)."""

    customer_code: str = "MA_KHANG"
    bill_id: str = "ID_HDON"
    status: str = "TRANG_THAI"
    reason: str = "LY_DO"
    receipt_no: str = "SO_BIEN_NHAN"
    status_words: Mapping[str, str] = field(default_factory=dict)  # word (upper) -> status

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None, name: str = "default") -> ReconcileProfile:
        data = data or {}
        cols = data.get("columns") or {}
        words: dict[str, str] = {}
        raw_words = data.get("status_values") or {
            CLEARED: ["DA_GACH", "DA GACH NO", "OK", "1"],
            REFUSED: ["TU_CHOI", "LOI", "0"],
            PAID_ELSEWHERE: ["DA_THU_NOI_KHAC", "DA THANH TOAN", "TRUNG"],
        }
        for status, values in raw_words.items():
            if status not in (CLEARED, REFUSED, PAID_ELSEWHERE):
                raise InvalidInput("clearing.profile", profile=name, detail=f"unknown status {status!r}")
            for v in values:
                words[status_key(str(v))] = status
        return cls(
            customer_code=str(cols.get("customer_code", "MA_KHANG")),
            bill_id=str(cols.get("bill_id", "ID_HDON")),
            status=str(cols.get("status", "TRANG_THAI")),
            reason=str(cols.get("reason", "LY_DO")),
            receipt_no=str(cols.get("receipt_no", "SO_BIEN_NHAN")),
            status_words=words,
        )

    def required(self) -> tuple[str, ...]:
        return (self.customer_code, self.bill_id, self.status)

    def status_of(self, word: str) -> str | None:
        return self.status_words.get(status_key(word))


def status_key(word: str) -> str:
    """'Đã gạch nợ', 'DA_GACH_NO' and 'da gach  no' are the same status word."""
    return re.sub(r"[\s_\-.]+", "_", fold(word)).strip("_").upper()
