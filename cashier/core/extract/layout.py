"""Where each field of an extract sits in a row, worked out once from the header (pure, stdlib).

A :class:`ColumnLayout` is fixed for a file: the row-by-row parser (:mod:`.rows`) and the
columnar fast path (:mod:`.batch`) both read the cells through it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cashier.core.extract.header import HeaderInfo
from cashier.core.extract.profile import ExtractProfile, header_key

#: every canonical field a row may hold (see ``profile.FIELDS``)
ALL_FIELDS = (
    "MA_DVIQLY", "MA_KHANG", "TEN_KHANG", "DIA_CHI", "SO_DTHOAI", "MA_SOGCS", "STT", "ID_HDON",
    "KY", "THANG", "NAM", "DIEN_TTHU", "SO_TIEN", "TIEN_GTGT", "TONG_TIEN", "KIHIEU_SERY",
    "SO_SERY", "CS_DKY", "CS_CKY", "CHI_TIET_BAC", "MA_THE", "CAT_DIEN", "DA_THANH_TOAN",
)  # fmt: skip
#: numeric fields in the order the fast paths read them
NUMERIC = ("KY", "THANG", "NAM", "DIEN_TTHU", "SO_TIEN", "TIEN_GTGT", "TONG_TIEN", "CS_DKY", "CS_CKY")
#: the customer fields, in the order the fast paths read them
CUSTOMER_FIELDS = (
    "TEN_KHANG", "DIA_CHI", "MA_DVIQLY", "SO_DTHOAI", "MA_SOGCS", "STT", "MA_THE", "CAT_DIEN",
)  # fmt: skip
#: the text fields a bill needs on the fast paths, before the numbers
BILL_TEXT_FIELDS = ("ID_HDON", "KIHIEU_SERY", "SO_SERY", "CHI_TIET_BAC", "DA_THANH_TOAN")


@dataclass(frozen=True)
class ColumnLayout:
    """The column of every field, and what the fast paths read in one C-level call."""

    #: canonical field -> 0-based column (None: the file has no such column)
    index: dict[str, int | None]
    width: int  # columns a row must have (the last mapped column + 1)
    code_rx: re.Pattern[str]  # a valid customer code
    code_header_key: str  # header_key of the code column's header (a repeated header row)
    max_bill: int  # the profile's max_bill_amount
    #: mapped text columns the columnar path checks for control characters (the code, numbers
    #: and the bill's ids are checked by their own patterns there)
    text_slots: tuple[int, ...]
    #: columns of CUSTOMER_FIELDS (an absent field reads column 0, then is blanked)
    customer_slots: tuple[int, ...]
    customer_absent: tuple[bool, ...]  # per CUSTOMER_FIELDS: the file has no such column
    #: columns of BILL_TEXT_FIELDS + NUMERIC for the fast paths; None when a numeric column (or
    #: an id/series/number column) is absent (the careful path then supplies the defaults)
    bill_slots: tuple[int, ...] | None
    has_tiers: bool
    has_settled: bool
    has_disconnected: bool

    @classmethod
    def of(cls, profile: ExtractProfile, header: HeaderInfo) -> ColumnLayout:
        idx = header.index
        own = {"MA_KHANG", "ID_HDON", "KIHIEU_SERY", "SO_SERY", *NUMERIC}
        bill_slots: tuple[int, ...] | None = None
        if all(f in idx for f in NUMERIC) and all(f in idx for f in BILL_TEXT_FIELDS[:3]):
            slots = [idx[f] for f in BILL_TEXT_FIELDS[:3]]
            # absent optional text columns read the last column (harmless), then are ignored
            slots += [idx.get("CHI_TIET_BAC", -1), idx.get("DA_THANH_TOAN", -1)]
            bill_slots = tuple(slots + [idx[f] for f in NUMERIC])
        return cls(
            index={name: idx.get(name) for name in ALL_FIELDS},
            width=max(idx.values()) + 1,
            code_rx=re.compile(profile.code_pattern),
            code_header_key=header_key(header.column_name("MA_KHANG")),
            max_bill=profile.max_bill_amount,
            text_slots=tuple(sorted({c for name, c in idx.items() if name not in own})),
            customer_slots=tuple(idx.get(f, 0) for f in CUSTOMER_FIELDS),
            customer_absent=tuple(f not in idx for f in CUSTOMER_FIELDS),
            bill_slots=bill_slots,
            has_tiers="CHI_TIET_BAC" in idx,
            has_settled="DA_THANH_TOAN" in idx,
            has_disconnected="CAT_DIEN" in idx,
        )
