"""One bill of an extract row (pure, stdlib): the fast path for the common clean row, and the
careful path with every rule and default."""

from __future__ import annotations

import operator
import re
from collections.abc import Sequence
from typing import Any

from cashier.core.extract.cells import CellReader, FieldRejected, cell_text
from cashier.core.extract.layout import ColumnLayout
from cashier.core.money import MAX_NUMBER

_RANGES = {"KY": (1, 9), "THANG": (1, 12), "NAM": (2000, 2100)}
_NUMBER_TYPES = frozenset({int, float})
_DIGITS_RUN = re.compile(r"\d+(?:\x1f\d+)*", re.ASCII)


class BillReader:
    """The bill tuple (``columns.BILL_COLUMNS``) of a row whose customer code is valid."""

    def __init__(self, layout: ColumnLayout, reader: CellReader, default_ky: int) -> None:
        self.layout = layout
        self.reader = reader
        self.default_ky = default_ky
        slots = layout.bill_slots
        self._fast_get: Any = operator.itemgetter(*slots) if slots is not None else None
        self._id, self._thang, self._nam, self._total = (
            _required(layout, f) for f in ("ID_HDON", "THANG", "NAM", "TONG_TIEN")
        )

    def fast(self, rownum: int, code: str, cells: Sequence[Any]) -> tuple | None:
        """The common case in one go (all numbers plain digits or Excel integers, all columns
        present, clean ASCII ids); ``None`` sends the row to the careful path :meth:`careful`."""
        get = self._fast_get
        if get is None:
            return None
        bill_id, series, number, tier_text, settled_cell, *nums = get(cells)
        if nums[0].__class__ is str:  # csv: digits only, checked for all nine in one regex
            try:
                if _DIGITS_RUN.fullmatch("\x1f".join(nums)) is None:
                    return None
                ky, thang, nam, kwh, amount, vat, total, r_start, r_end = map(int, nums)
            except (TypeError, ValueError):  # a non-text cell among them; 4,300+ digits
                return None
        else:  # Excel numbers: ints, or floats that must be integral (12.0 == 12, 12.5 != 12)
            try:
                values = list(map(int, nums))
            except (TypeError, ValueError, OverflowError):
                return None
            if values != nums or min(values) < 0 or not _NUMBER_TYPES.issuperset(map(type, nums)):
                return None  # a fraction, a negative, or a bool/str among them
            ky, thang, nam, kwh, amount, vat, total, r_start, r_end = values
        if (
            bill_id.__class__ is not str
            or series.__class__ is not str
            or number.__class__ is not str
        ):
            return None  # an Excel number as id/series: the careful path turns it into text
        if (
            not (1 <= ky <= 9 and 1 <= thang <= 12 and 2000 <= nam <= 2100)
            or amount + vat != total
            or total > self.layout.max_bill
            or max(kwh, r_start, r_end) > MAX_NUMBER
            or not bill_id
            or not (bill_id + series + number).isascii()
            or bill_id.strip() != bill_id
            or series.strip() != series
            or number.strip() != number
        ):
            return None
        tiers = self.reader.tiers(tier_text, amount) if tier_text and self.layout.has_tiers else None
        settled = self.reader.flag(settled_cell) if settled_cell and self.layout.has_settled else 0
        return (
            code, bill_id, ky, thang, nam, kwh, amount, vat, total, series, number,
            r_start, r_end, tiers, settled, rownum,
        )  # fmt: skip

    def careful(self, rownum: int, code: str, cells: Sequence[Any]) -> tuple:
        """Every rule, every default; a bad field raises :class:`FieldRejected`."""
        i = self.layout.index
        to_int = self.reader.number
        text = self.reader.text
        raw_id = cells[self._id]
        bill_id = raw_id if raw_id.__class__ is str else cell_text(raw_id)
        if not bill_id.isascii() or not bill_id or bill_id != bill_id.strip():
            bill_id = text(bill_id)
            if not bill_id:
                raise FieldRejected("ID_HDON", "", "row.required")
        ky_i = i["KY"]
        ky = to_int("KY", cells[ky_i]) if ky_i is not None else None
        if ky is None:
            ky = self.default_ky
        thang = to_int("THANG", cells[self._thang], True)
        nam = to_int("NAM", cells[self._nam], True)
        for fname, val in (("KY", ky), ("THANG", thang), ("NAM", nam)):
            low, high = _RANGES[fname]
            if not low <= val <= high:  # type: ignore[operator]
                raise FieldRejected(fname, val, "row.range", value=val, low=low, high=high)
        total = to_int("TONG_TIEN", cells[self._total], True)
        a_i, v_i = i["SO_TIEN"], i["TIEN_GTGT"]
        amount = to_int("SO_TIEN", cells[a_i]) if a_i is not None else None
        vat = to_int("TIEN_GTGT", cells[v_i]) if v_i is not None else None
        if amount is None and vat is None:
            amount, vat = total, 0
        elif amount is None:
            amount = total - vat  # type: ignore[operator]
        elif vat is None:
            vat = total - amount  # type: ignore[operator]
        if amount + vat != total or amount < 0 or vat < 0:  # type: ignore[operator]
            raise FieldRejected("TONG_TIEN", total, "row.sum", amount=amount, vat=vat, total=total)
        k_i = i["DIEN_TTHU"]
        kwh = (to_int("DIEN_TTHU", cells[k_i]) if k_i is not None else None) or 0
        s_i, n_i, r1_i, r2_i = i["KIHIEU_SERY"], i["SO_SERY"], i["CS_DKY"], i["CS_CKY"]
        series = text(cells[s_i]) if s_i is not None else ""
        number = text(cells[n_i]) if n_i is not None else ""
        r_start = to_int("CS_DKY", cells[r1_i]) if r1_i is not None else None
        r_end = to_int("CS_CKY", cells[r2_i]) if r2_i is not None else None
        t_i = i["CHI_TIET_BAC"]
        tiers = self.reader.tiers(cells[t_i], amount) if t_i is not None else None  # type: ignore[arg-type]
        d_i = i["DA_THANH_TOAN"]
        settled = self.reader.flag(cells[d_i]) if d_i is not None else 0
        return (
            code, bill_id, ky, thang, nam, kwh, amount, vat, total, series, number,
            r_start, r_end, tiers, settled, rownum,
        )  # fmt: skip


def _required(layout: ColumnLayout, name: str) -> int:
    """The column of a required field (a header without one was refused)."""
    col = layout.index[name]
    if col is None:  # pragma: no cover - locate_header refuses such a header
        raise ValueError(f"no column {name}")
    return col
