"""Row parsing and validation of a CMIS debt extract (pure, stdlib; no I/O).

A reader (``cashier.db.extract_loader``) yields ``(row_number, cells)`` pairs, row numbers as a
spreadsheet shows them (1-based, title rows included). This module:

* finds the header row below any title rows (:func:`locate_header`), matching header names
  through the profile, case/space/diacritics-insensitively;
* turns every data row into two plain tuples ready for SQL (:data:`CUSTOMER_COLUMNS`,
  :data:`BILL_COLUMNS`) or a :class:`~cashier.core.debt.RejectedRow` that says row, column, value
  and reason in English and Vietnamese (:class:`RowParser`);
* skips empty rows, a totals footer ("Tổng cộng"), repeated header rows, and identical duplicate
  rows (counted); rejects conflicting duplicates (same customer code + bill id, different values)
  - every row of such a bill, so neither version is applied.

Cell values may be ``str`` (csv, or text cells), ``int``/``float`` (Excel numbers), ``None`` or
``""`` (empty). Numbers stored as text ("1.234.567") and Excel floats (1234567.0) are parsed
strictly by :func:`cashier.core.money.parse_amount` (fractions, negatives, garbage rejected).
Text is NFC with whitespace collapsed; text that reads as TCVN-3 legacy bytes decoded as
cp1252/latin-1 is repaired with :mod:`cashier.core.tcvn3`.

The hot path is written for speed (a morning extract has ~1M rows): customer fields are parsed
once per customer code, ASCII text skips Unicode normalisation, digits-only text skips the
general money parser.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cashier.core import tcvn3
from cashier.core.debt import RejectedRow
from cashier.core.errors import FileRefused, InvalidInput
from cashier.core.extract_batch import parse_clean_batch, parse_clean_columns
from cashier.core.extract_profile import REQUIRED, ExtractProfile, canonical_order, header_key
from cashier.core.messages import Message
from cashier.core.money import MAX_NUMBER, parse_amount
from cashier.core.vntext import fold, vietnamese_score

#: Column order of the customer tuples the parser yields (and the cache store inserts).
CUSTOMER_COLUMNS = (
    "code",
    "unit_code",
    "name",
    "address",
    "phone",
    "book",
    "book_pos",
    "disconnected",  # 1/0, or None when the file has no such column
    "card_code",
    "search_text",  # vntext.fold("code name address")
)
#: Column order of the bill tuples.
BILL_COLUMNS = (
    "customer_code",
    "bill_id",
    "ky",
    "thang",
    "nam",
    "kwh",
    "amount",
    "vat",
    "total",
    "series",
    "number",
    "reading_start",
    "reading_end",
    "tiers",  # JSON text [[kwh, price, amount], ...] or None
    "settled",  # 1 when the extract marks the bill as settled elsewhere, else 0
    "row",  # row number in the file
)

#: distinct names/addresses remembered by :meth:`RowParser._clean_fold` (~300 bytes each: the
#: cap keeps the 600k import's peak memory under its 500 MB budget)
PHRASE_CACHE_MAX = 60_000
_RANGES = {"KY": (1, 9), "THANG": (1, 12), "NAM": (2000, 2100)}
_MASK64 = (1 << 64) - 1
_NUMBER_TYPES = frozenset({int, float})
#: numeric fields in the order the fast path reads them
_NUMERIC = (
    "KY",
    "THANG",
    "NAM",
    "DIEN_TTHU",
    "SO_TIEN",
    "TIEN_GTGT",
    "TONG_TIEN",
    "CS_DKY",
    "CS_CKY",
)
_WS = re.compile(r"\s+")
_CLEAN_ASCII = re.compile(r"(?:[!-~]+(?: [!-~]+)*)?(?:\x1f(?:[!-~]+(?: [!-~]+)*)?)*")
_TOKEN = re.compile(r"[a-z0-9]+")
_DIGITS_RUN = re.compile(r"\d+(?:\x1f\d+)*", re.ASCII)
_ODD_SPACE = re.compile(r"[^\S ]")  # whitespace other than a plain space
#: control characters no text field may hold (tab, CR and LF are whitespace, collapsed)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: money fields bounded by the profile's max_bill_amount (other numbers by MAX_NUMBER)
#: the highest character of latin-1 (TCVN-3 bytes read as cp1252/latin-1 stay below it)
_LATIN_MAX = "\u00ff"
_MONEY_FIELDS = frozenset({"SO_TIEN", "TIEN_GTGT", "TONG_TIEN"})


def _PLAIN_SPACES(text: str) -> bool:  # noqa: N802
    return _ODD_SPACE.search(text) is None


_TIER_ITEM = re.compile(
    r"^\s*(\d[\d.]*)\s*[x×*@]\s*(\d[\d.]*)\s*(?:=\s*(\d[\d.]*))?\s*$", re.IGNORECASE
)


@dataclass(frozen=True)
class HeaderInfo:
    """Where the header row is and which column holds which canonical field."""

    row: int  # 1-based row number of the header
    index: dict[str, int]  # canonical field -> 0-based column index
    headers: tuple[str, ...]  # the header cells as written in the file
    unmapped: tuple[str, ...] = ()  # non-empty header cells the profile does not know
    duplicates: tuple[str, ...] = ()  # fields found in more than one column (first kept)

    def column_name(self, canonical: str) -> str:
        i = self.index.get(canonical)
        if i is None or i >= len(self.headers):
            return canonical
        return self.headers[i] or canonical

    @property
    def width(self) -> int:
        return len(self.headers)


def _cell_text(value: Any) -> str:
    """A cell as text (Excel numbers that are integral lose their '.0')."""
    if value is None:
        return ""
    if value.__class__ is str:
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def locate_header(rows: Sequence[tuple[int, Sequence[Any]]], profile: ExtractProfile) -> HeaderInfo:
    """Find the header among the first rows (title rows above it are skipped).

    The header is the first row that names every required field; raise ``FileRefused`` with
    the closest row's missing columns otherwise.
    """
    if not rows:
        raise FileRefused("extract.empty")
    aliases = profile.alias_keys()
    best: tuple[int, int, list[str]] | None = None  # (matched, rownum, missing)
    for rownum, cells in rows[: profile.header_scan_rows]:
        index: dict[str, int] = {}
        dups: list[str] = []
        unmapped: list[str] = []
        for i, cell in enumerate(cells):
            key = header_key(_cell_text(cell))
            if not key:
                continue
            canonical = aliases.get(key)
            if canonical is None:
                unmapped.append(_cell_text(cell).strip())
            elif canonical in index:
                dups.append(canonical)
            else:
                index[canonical] = i
        missing = sorted(REQUIRED - set(index))
        if not missing:
            headers = tuple(vntext_clean(_cell_text(c)) for c in cells)
            return HeaderInfo(
                row=rownum,
                index=index,
                headers=headers,
                unmapped=tuple(unmapped),
                duplicates=tuple(dups),
            )
        if best is None or len(index) > best[0]:
            best = (len(index), rownum, missing)
    assert best is not None
    raise FileRefused(
        "extract.no_header",
        scanned=min(len(rows), profile.header_scan_rows),
        missing=", ".join(canonical_order(best[2])),
        row=best[1],
        profile=profile.name,
    )


def vntext_clean(text: str) -> str:
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


class _Reject(Exception):
    """Internal: one field of a row is bad."""

    def __init__(self, column: str, bad: Any, code: str, /, **params: Any) -> None:
        super().__init__(code)
        self.column = column
        self.value = bad
        self.code = code
        self.params = params


@dataclass
class ParseStats:
    data_rows: int = 0  # non-empty rows after the header (excluding footer/repeated headers)
    empty_rows: int = 0
    footer_rows: int = 0
    trailing_rows: int = 0  # text rows below the totals row (signatures, notes)
    repeated_headers: int = 0
    duplicates: int = 0  # identical duplicate rows skipped
    legacy_text: int = 0  # TCVN-3 values repaired
    tier_warnings: int = 0
    customers: int = 0
    bills: int = 0
    warnings: list[str] = field(default_factory=list)


class RowParser:
    """Stateful parser of the data rows below a header (keeps duplicate detection state).

    ``parse(rownum, cells)`` returns ``(customer_tuple_or_None, bill_tuple)`` for a good row
    (the customer tuple only the first time a code is seen), a :class:`RejectedRow` for a bad
    one, or ``None`` for a row that is skipped (empty, footer, repeated header, identical
    duplicate). After the last row, :attr:`conflicts` lists the bills whose rows disagree:
    every row of those bills is rejected (see :meth:`conflict_rejections`) and the caller must
    drop the first row it already accepted (``conflicts`` keys are ``code + "\\x1f" + bill_id``).
    """

    #: after this many Unicode (non-legacy) values, stop checking text for TCVN-3
    LEGACY_PROBE = 2000

    def __init__(self, profile: ExtractProfile, header: HeaderInfo) -> None:
        self.profile = profile
        self.header = header
        self.stats = ParseStats()
        self._code_rx = re.compile(profile.code_pattern)
        self._true = profile.true_keys()
        self._footer = profile.footer_keys()
        idx = header.index
        self._width = max(idx.values()) + 1
        g = idx.get
        self._i = {name: g(name) for name in _ALL_FIELDS}
        self._code_header_key = header_key(header.column_name("MA_KHANG"))
        self._seen_codes: set[str] = set()
        self._seen_bills: dict[str, int] = {}  # key -> row << 64 | signature
        #: key -> sorted row numbers of the conflicting bill
        self.conflicts: dict[str, list[int]] = {}
        #: the valid customer code of the row parsed last (None when its code was not valid)
        self.last_code: str | None = None
        self._legacy_mode = False
        self._after_footer = False
        self._fold_cache: dict[str, str] = {}
        #: raw name/address text -> (clean text, folded words), see :meth:`_customer`
        self._phrase_cache: dict[str, tuple[str, str]] = {}
        #: folded name/address words longer than 3 letters (the search vocabulary)
        self.terms: set[str] = set()
        #: folded words (with their punctuation) already split into terms by the fast path
        self._known_words: set[str] = set()
        self._unicode_seen = 0
        self._max_bill = profile.max_bill_amount
        self._max_empty_run = profile.max_empty_run
        self._empty_run: tuple[int, int] = (0, 0)  # (first, last) row of the current run
        #: bill ids of rejected rows (where readable): none of them becomes paid elsewhere
        self.rejected_bills: set[str] = set()
        #: units of rejected rows that name neither a valid customer code nor a bill id
        self.rejected_units: set[str] = set()
        mapped = sorted(set(idx.values()))
        self._mapped = mapped
        self._mapped_get = operator.itemgetter(*mapped) if len(mapped) > 1 else None
        self._field_at = {col: name for name, col in idx.items()}
        # the mapped text columns the columnar fast path checks for control characters (the
        # code, the numbers and the bill's ids are checked by their own patterns there)
        own = {"MA_KHANG", "ID_HDON", "KIHIEU_SERY", "SO_SERY", *_NUMERIC}
        self._text_slots = sorted({c for name, c in idx.items() if name not in own})
        self.has_disconnected = "CAT_DIEN" in idx
        self.has_settled = "DA_THANH_TOAN" in idx
        self.has_card = "MA_THE" in idx
        self.present = frozenset(idx)
        # customer fields in one C-level call; an absent column reads an always-empty slot
        cust_fields = (
            "TEN_KHANG",
            "DIA_CHI",
            "MA_DVIQLY",
            "SO_DTHOAI",
            "MA_SOGCS",
            "STT",
            "MA_THE",
            "CAT_DIEN",
        )
        self._cust_slots = [idx.get(f, 0) for f in cust_fields]
        self._cust_get = operator.itemgetter(*self._cust_slots)
        self._cust_absent = [j for j, f in enumerate(cust_fields) if f not in idx]
        self._cust_absent_mask = [f not in idx for f in cust_fields]
        self._tier_cache: dict[str, tuple[str | None, int]] = {}
        # fast path: one C-level itemgetter for everything a bill needs, when every numeric
        # column is present (else the careful path handles defaults)
        fast_fields = ("ID_HDON", "KIHIEU_SERY", "SO_SERY", "CHI_TIET_BAC", "DA_THANH_TOAN")
        if all(f in idx for f in _NUMERIC) and all(f in idx for f in fast_fields[:3]):
            slots = [idx[f] for f in fast_fields[:3]]
            # absent optional text columns read the code column (harmless), then are ignored
            slots += [idx.get("CHI_TIET_BAC", -1), idx.get("DA_THANH_TOAN", -1)]
            slots += [idx[f] for f in _NUMERIC]
            self._fast_slots = slots
            self._fast_get: Any = operator.itemgetter(*slots)
            self._fast_tiers = "CHI_TIET_BAC" in idx
            self._fast_settled = "DA_THANH_TOAN" in idx
        else:
            self._fast_get = None

    def probe(self, rows: Iterable[Sequence[Any]]) -> None:
        """Decide from the first rows' text, taken together, whether the file is legacy TCVN-3
        (read as cp1252/latin-1): when its words are well-formed Vietnamese more often once
        converted than as they are, every text of the file is converted (word-by-word guessing
        left ~1 name in 4 garbled: "Huúnh" looks like a plain word)."""
        if self._legacy_mode:
            return
        slots = [self._i[f] for f in ("TEN_KHANG", "DIA_CHI") if self._i[f] is not None]
        texts = [
            c
            for cells in rows
            for j in slots
            if j < len(cells) and (c := cells[j]).__class__ is str and not c.isascii()
        ]
        if not texts:
            return
        text = "\n".join(texts)
        as_is, total = vietnamese_score(text)
        converted, _ = vietnamese_score(tcvn3.decode_legacy(text))
        if converted > as_is and converted * 10 >= total * 8:
            self._legacy_mode = True

    # -- cells ------------------------------------------------------------------------------
    def _text(self, value: Any) -> str:
        if value is None:
            return ""
        if value.__class__ is not str:
            value = _cell_text(value)
        if value.isascii():
            if (
                "  " in value
                or value[:1].isspace()
                or value[-1:].isspace()
                or not _PLAIN_SPACES(value)
            ):
                return _WS.sub(" ", value).strip()
            return value
        if self._legacy_mode:  # the file is TCVN-3: every text in the legacy range is
            if max(value) <= _LATIN_MAX or tcvn3.looks_like_tcvn3(value):
                self.stats.legacy_text += 1
                value = tcvn3.decode_legacy(value)
        elif self._unicode_seen < self.LEGACY_PROBE:
            if tcvn3.looks_like_tcvn3(value):
                self._legacy_mode = True
                self.stats.legacy_text += 1
                value = tcvn3.decode_legacy(value)
            else:
                self._unicode_seen += 1
        if not unicodedata.is_normalized("NFC", value):
            value = unicodedata.normalize("NFC", value)
        if "  " in value or value[:1].isspace() or value[-1:].isspace() or not _PLAIN_SPACES(value):
            return _WS.sub(" ", value).strip()
        return value

    def _int(self, field_name: str, value: Any, required: bool = False) -> int | None:
        number = self._int_unbounded(field_name, value, required)
        if number is not None:
            limit = self._max_bill if field_name in _MONEY_FIELDS else MAX_NUMBER
            if number > limit:
                raise _Reject(
                    field_name, value, "row.too_large", value=f"{number:,}", limit=f"{limit:,}"
                )
        return number

    def _int_unbounded(self, field_name: str, value: Any, required: bool) -> int | None:
        cls = value.__class__
        if cls is int:
            if value < 0:
                raise _Reject(field_name, value, "money.negative", value=str(value))
            return value
        if cls is str:
            if value.isdigit() and value.isascii():
                if len(value) > 30:  # (int() refuses over 4,300 digits: never get near it)
                    raise _Reject(
                        field_name, value, "row.too_large", value=value[:30] + "...", limit="?"
                    )
                return int(value)
            if not value.strip():
                value = None
        elif cls is float and value.is_integer() and value >= 0:
            return int(value)
        if value is None or value == "":
            if required:
                raise _Reject(field_name, "", "row.required")
            return None
        try:
            return parse_amount(value, limit=1 << 128)  # the caller checks the field's limit
        except InvalidInput as exc:
            raise _Reject(field_name, value, exc.code, **exc.params) from None

    def _flag(self, value: Any) -> int:
        if value is None or value == "" or value == 0:
            return 0
        return 1 if fold(_cell_text(value)) in self._true else 0

    # -- rows -------------------------------------------------------------------------------
    def parse(self, rownum: int, cells: Sequence[Any]) -> tuple | RejectedRow | None:
        if len(cells) < self._width:
            cells = list(cells) + [None] * (self._width - len(cells))
        i = self._i
        raw_code = cells[i["MA_KHANG"]]
        code = raw_code if raw_code.__class__ is str else _cell_text(raw_code)
        if not self._code_rx.fullmatch(code):
            code = _normalise_code(code)
            if not self._code_rx.fullmatch(code):
                self.last_code = None
                return self._odd_row(rownum, cells, raw_code)
        self.last_code = code
        self.stats.data_rows += 1
        control = self._control(cells)
        if control is not None:
            return self._rejected(rownum, control, cells)
        bill = self._bill_fast(rownum, code, cells)
        if bill is None:
            try:
                bill = self._bill(rownum, code, cells)
            except _Reject as rej:
                return self._rejected(rownum, rej, cells)
        bill_id = bill[1]
        key = code + "\x1f" + bill_id
        sig = hash(bill[:-1]) & _MASK64
        seen = self._seen_bills.get(key)
        if seen is not None:
            if key in self.conflicts:
                self.conflicts[key].append(rownum)
                return self._conflict_row(rownum, code, bill_id)
            if seen & _MASK64 == sig:
                self.stats.duplicates += 1
                return None
            self.conflicts[key] = [seen >> 64, rownum]
            return self._conflict_row(rownum, code, bill_id)
        self._seen_bills[key] = (rownum << 64) | sig
        customer = None
        if code not in self._seen_codes:
            try:
                customer = self._customer(code, cells)
            except _Reject as rej:
                del self._seen_bills[key]
                return self._rejected(rownum, rej, cells)
            self._seen_codes.add(code)
            self.stats.customers += 1
        self.stats.bills += 1
        return customer, bill

    def parse_batch(self, rows: list[tuple[int, Sequence[Any]]]) -> tuple[list, list, list]:
        """Parse a batch of ``(rownum, cells)``: ``(customers, bills, rejected)`` where
        ``rejected`` holds ``(RejectedRow, valid code or None)`` pairs. Same result as
        :meth:`parse` row by row; a clean batch goes through the columnar fast path
        (:mod:`cashier.core.extract_batch`, ~25-35% faster on 1M rows)."""
        fast = parse_clean_batch(self, rows)
        if fast is not None:
            return fast[0], fast[1], []
        return self.parse_each(rows)

    def parse_columns(
        self, rownums: list[int], columns: Sequence[Sequence[Any]]
    ) -> tuple[list, list, list]:
        """:meth:`parse_batch` for rows given as columns (``columns[i][k]``: cell i of row
        ``rownums[k]``), as the import's reading process sends them."""
        fast = parse_clean_columns(self, rownums, columns)
        if fast is not None:
            return fast[0], fast[1], []
        return self.parse_each(zip(rownums, zip(*columns, strict=True), strict=True))

    def parse_each(self, rows: Iterable[tuple[int, Sequence[Any]]]) -> tuple[list, list, list]:
        """:meth:`parse_batch` row by row (the careful path), for any rows."""
        customers: list[tuple] = []
        bills: list[tuple] = []
        rejected: list[tuple[RejectedRow, str | None]] = []
        parse = self.parse
        for rownum, cells in rows:
            result = parse(rownum, cells)
            if result is None:
                continue
            if result.__class__ is tuple:
                if result[0] is not None:
                    customers.append(result[0])
                bills.append(result[1])
            else:
                rejected.append((result, self.last_code))
        return customers, bills, rejected

    def _bill_fast(self, rownum: int, code: str, cells: Sequence[Any]) -> tuple | None:
        """The common case in one go (all numbers plain digits or Excel integers, all columns
        present, clean ASCII ids); ``None`` sends the row to the careful path :meth:`_bill`."""
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
            or total > self._max_bill
            or max(kwh, r_start, r_end) > MAX_NUMBER
            or not bill_id
            or not (bill_id + series + number).isascii()
            or bill_id.strip() != bill_id
            or series.strip() != series
            or number.strip() != number
        ):
            return None
        tiers = self._tiers(tier_text, amount) if tier_text and self._fast_tiers else None
        settled = self._flag(settled_cell) if settled_cell and self._fast_settled else 0
        return (
            code, bill_id, ky, thang, nam, kwh, amount, vat, total, series, number,
            r_start, r_end, tiers, settled, rownum,
        )  # fmt: skip

    def _bill(self, rownum: int, code: str, cells: Sequence[Any]) -> tuple:
        i = self._i
        to_int = self._int
        text = self._text
        raw_id = cells[i["ID_HDON"]]
        bill_id = raw_id if raw_id.__class__ is str else _cell_text(raw_id)
        if not bill_id.isascii() or not bill_id or bill_id != bill_id.strip():
            bill_id = text(bill_id)
            if not bill_id:
                raise _Reject("ID_HDON", "", "row.required")
        ky_i = i["KY"]
        ky = to_int("KY", cells[ky_i]) if ky_i is not None else None
        if ky is None:
            ky = self.profile.default_ky
        thang = to_int("THANG", cells[i["THANG"]], True)
        nam = to_int("NAM", cells[i["NAM"]], True)
        for fname, val in (("KY", ky), ("THANG", thang), ("NAM", nam)):
            low, high = _RANGES[fname]
            if not low <= val <= high:  # type: ignore[operator]
                raise _Reject(fname, val, "row.range", value=val, low=low, high=high)
        total = to_int("TONG_TIEN", cells[i["TONG_TIEN"]], True)
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
            raise _Reject("TONG_TIEN", total, "row.sum", amount=amount, vat=vat, total=total)
        k_i = i["DIEN_TTHU"]
        kwh = (to_int("DIEN_TTHU", cells[k_i]) if k_i is not None else None) or 0
        s_i, n_i, r1_i, r2_i = i["KIHIEU_SERY"], i["SO_SERY"], i["CS_DKY"], i["CS_CKY"]
        series = text(cells[s_i]) if s_i is not None else ""
        number = text(cells[n_i]) if n_i is not None else ""
        r_start = to_int("CS_DKY", cells[r1_i]) if r1_i is not None else None
        r_end = to_int("CS_CKY", cells[r2_i]) if r2_i is not None else None
        t_i = i["CHI_TIET_BAC"]
        tiers = self._tiers(cells[t_i], amount) if t_i is not None else None  # type: ignore[arg-type]
        d_i = i["DA_THANH_TOAN"]
        settled = self._flag(cells[d_i]) if d_i is not None else 0
        return (
            code, bill_id, ky, thang, nam, kwh, amount, vat, total, series, number,
            r_start, r_end, tiers, settled, rownum,
        )  # fmt: skip

    def _customer(self, code: str, cells: Sequence[Any]) -> tuple:
        values = self._cust_get(cells)
        if self._cust_absent:
            values = list(values)
            for j in self._cust_absent:
                values[j] = ""
        name, address, unit, phone, book, book_pos, card, disc_cell = values
        text = self._text
        # fast path: the plain ASCII fields are clean already (one check for all of them)
        plain = (unit, phone, book, book_pos, card)
        try:
            joined = "\x1f".join(plain)
        except TypeError:  # Excel numbers (STT 12.0 -> "12"), None
            plain = tuple(v if v.__class__ is str else _cell_text(v) for v in plain)
            joined = "\x1f".join(plain)
        if joined.isascii() and _CLEAN_ASCII.fullmatch(joined):
            unit, phone, book, book_pos, card = plain
        else:
            unit, phone, book, book_pos, card = map(text, plain)
        if (
            name.__class__ is str
            and address.__class__ is str
            and not self._legacy_mode
            and self._unicode_seen >= self.LEGACY_PROBE
        ):
            # _text has no side effect any more (probe over, no legacy text): clean and fold
            # each distinct name/address once (names repeat a lot, addresses several times)
            cache = self._phrase_cache
            name, folded_name = cache.get(name) or self._clean_fold(name)
            if not name:
                raise _Reject("TEN_KHANG", "", "row.required")
            address, folded_address = cache.get(address) or self._clean_fold(address)
            if folded_name and folded_address:
                folded = folded_name + " " + folded_address
            else:
                folded = folded_name or folded_address
        else:
            name = text(name)
            if not name:
                raise _Reject("TEN_KHANG", "", "row.required")
            address = text(address)
            folded = self._fold_words(f"{name} {address}")
        unit = unit.upper() or code[:6]
        if card:
            card = card.upper().replace(" ", "")
        disconnected = (
            (self._flag(disc_cell) if disc_cell else 0) if self.has_disconnected else None
        )
        return (
            code, unit, name, address, phone, book, book_pos,
            disconnected, card, code.lower() + " " + folded,
        )  # fmt: skip

    def release(self) -> None:
        """Forget the per-row state (duplicate detection, caches) once every row is parsed:
        the import's peak memory then does not add it to the search index build."""
        self._seen_bills = {}
        self._seen_codes = set()
        self._known_words = set()
        self._fold_cache = {}
        self._phrase_cache = {}
        self._tier_cache = {}

    def _clean_fold(self, raw: str) -> tuple[str, str]:
        """``(_text(raw), _fold_words(_text(raw)))``, remembered (only called while
        :meth:`_text` is free of side effects)."""
        value = self._text(raw)
        pair = (value, self._fold_words(value))
        cache = self._phrase_cache
        if len(cache) < PHRASE_CACHE_MAX:
            cache[raw] = pair
        return pair

    def _fold_words(self, text: str) -> str:
        """``vntext.fold`` of clean (NFC, single-spaced) text, word by word through a cache:
        names and address words repeat a lot, so this is several times faster."""
        cache = self._fold_cache
        out = []
        for word in text.split():
            f = cache.get(word)
            if f is None:
                f = fold(word)
                self.terms.update(t for t in _TOKEN.findall(f) if len(t) > 3)
                if len(cache) < 300_000:
                    cache[word] = f
            if f:
                out.append(f)
        return " ".join(out)

    def _tiers(self, value: Any, amount: int) -> str | None:
        """'50x1984;50x2050;37x2380' (or 'kwh x price = amount' items) -> JSON, checked."""
        if value is None or value == "":
            return None
        text = value if value.__class__ is str else _cell_text(value)
        cached = self._tier_cache.get(text)
        if cached is not None:
            if cached[1] != amount:
                self._tier_warning(text)
                return None
            return cached[0]
        items = []
        total = 0
        for part in text.replace("|", ";").split(";"):
            kwh_s, sep, price_s = part.partition("x")
            if sep and kwh_s.isdigit() and price_s.isdigit():  # the common, compact form
                kwh, price = int(kwh_s), int(price_s)
                tier_amount = kwh * price
            elif not part.strip():
                continue
            else:
                m = _TIER_ITEM.match(part)
                if not m:
                    self._tier_warning(text)
                    return None
                kwh, price = int(m.group(1).replace(".", "")), int(m.group(2).replace(".", ""))
                tier_amount = int(m.group(3).replace(".", "")) if m.group(3) else kwh * price
            total += tier_amount
            items.append(f"[{kwh},{price},{tier_amount}]")
        if not items:
            return None
        result = "[" + ",".join(items) + "]"
        if len(self._tier_cache) < 100_000:
            self._tier_cache[text] = (result, total)
        if total != amount:
            self._tier_warning(text)
            return None
        return result

    def _tier_warning(self, text: str) -> None:
        self.stats.tier_warnings += 1

    def _odd_row(self, rownum: int, cells: Sequence[Any], raw_code: Any) -> RejectedRow | None:
        """A row whose code is not valid: empty, footer, repeated header, or a bad row."""
        texts = [_cell_text(c).strip() for c in cells]
        if not any(texts):
            self.stats.empty_rows += 1
            self._empty_row(rownum)
            return None
        code_text = _cell_text(raw_code).strip()
        if header_key(code_text) == self._code_header_key:
            self.stats.repeated_headers += 1
            return None
        if not code_text or not code_text[:1].isalnum() or not _looks_like_code_attempt(code_text):
            for t in texts:
                if t and fold(t).startswith(self._footer):
                    self.stats.footer_rows += 1
                    self._after_footer = True
                    return None
            if self._after_footer:  # signatures and notes below the totals ("Người lập biểu")
                self.stats.trailing_rows += 1
                return None
        self.stats.data_rows += 1
        if not code_text:
            return self._rejected(rownum, _Reject("MA_KHANG", "", "row.required"), cells)
        return self._rejected(
            rownum, _Reject("MA_KHANG", code_text, "row.code", value=code_text), cells
        )

    def _rejected(
        self, rownum: int, rej: _Reject, cells: Sequence[Any] | None = None
    ) -> RejectedRow:
        if cells is not None:
            self._protect(cells)
        column = self.header.column_name(rej.column)
        label = rej.column if column == rej.column else f"{rej.column} ({column})"
        if rej.code.startswith("row."):
            why = Message(rej.code, {"field": label, "value": rej.value, **rej.params})
        else:  # a money.* code from parse_amount
            why = Message("row.number", {"field": label, "detail": Message(rej.code, rej.params)})
        value = _CONTROL.sub(_escape_control, _cell_text(rej.value))
        return RejectedRow(row=rownum, why=why, column=column, value=value)

    def _protect(self, cells: Sequence[Any]) -> None:
        """Remember what a rejected row names: its bill id, else (no valid code either) its
        unit - the import keeps those bills from becoming paid elsewhere."""
        i = self._i
        raw = cells[i["ID_HDON"]]
        bill_id = _CONTROL.sub("", vntext_clean(_cell_text(raw))) if raw is not None else ""
        if bill_id:
            self.rejected_bills.add(bill_id)
        elif self.last_code is None and i["MA_DVIQLY"] is not None:
            unit = _CONTROL.sub("", vntext_clean(_cell_text(cells[i["MA_DVIQLY"]]))).upper()
            if unit:
                self.rejected_units.add(unit)

    def _control(self, cells: Sequence[Any]) -> _Reject | None:
        """A control character in any mapped text cell (NUL, ESC, BEL...)."""
        get = self._mapped_get
        values = get(cells) if get is not None else (cells[self._mapped[0]],)
        try:
            joined = "\n".join(values)
        except TypeError:  # numbers among them: only the text cells matter
            joined = "\n".join(v for v in values if v.__class__ is str)
        if _CONTROL.search(joined) is None:
            return None
        for col in self._mapped:
            value = cells[col]
            m = _CONTROL.search(value) if value.__class__ is str else None
            if m is not None:
                char = f"U+{ord(m.group()):04X}"
                field_name = self._field_at[col]
                return _Reject(field_name, value, "row.control", char=char, pos=m.start() + 1)
        return None  # pragma: no cover - the joined text had one

    def _empty_row(self, rownum: int) -> None:
        first, last = self._empty_run
        first = first if rownum == last + 1 and first else rownum
        self._empty_run = (first, rownum)
        if rownum - first + 1 >= self._max_empty_run:
            raise FileRefused(
                "extract.empty_run", first=first, last=rownum, count=f"{rownum - first + 1:,}"
            )

    def _conflict_row(self, rownum: int, code: str, bill_id: str) -> RejectedRow:
        rows = self.conflicts[code + "\x1f" + bill_id]
        params = {"code": code, "bill_id": bill_id, "rows": ", ".join(map(str, rows))}
        return RejectedRow(
            row=rownum,
            why=Message("row.conflict", params),
            column=self.header.column_name("ID_HDON"),
            value=bill_id,
        )

    def conflict_rejections(self) -> list[RejectedRow]:
        """Rejections for the *first* row of each conflicting bill (already accepted once)."""
        out = []
        for key, rows in self.conflicts.items():
            code, bill_id = key.split("\x1f", 1)
            params = {"code": code, "bill_id": bill_id, "rows": ", ".join(map(str, rows))}
            out.append(
                RejectedRow(
                    row=rows[0],
                    why=Message("row.conflict", params),
                    column=self.header.column_name("ID_HDON"),
                    value=bill_id,
                )
            )
        return out

    def finish_warnings(self) -> list[str]:
        """Human-readable notes about what was skipped or repaired (English)."""
        s = self.stats
        notes = list(s.warnings)
        if s.duplicates:
            notes.append(f"{s.duplicates} identical duplicate rows skipped")
        if s.empty_rows:
            notes.append(f"{s.empty_rows} empty rows skipped")
        if s.footer_rows:
            notes.append(f"{s.footer_rows} totals/footer rows skipped")
        if s.trailing_rows:
            notes.append(f"{s.trailing_rows} text rows below the totals skipped")
        if s.repeated_headers:
            notes.append(f"{s.repeated_headers} repeated header rows skipped")
        if s.legacy_text:
            notes.append(f"{s.legacy_text} texts in legacy TCVN-3 encoding converted to Unicode")
        if s.tier_warnings:
            notes.append(
                f"{s.tier_warnings} bills with unreadable or inconsistent tier detail (ignored)"
            )
        if self.header.unmapped:
            notes.append("columns not used: " + ", ".join(self.header.unmapped))
        if self.header.duplicates:
            notes.append(
                "columns found twice (first used): "
                + ", ".join(sorted(set(self.header.duplicates)))
            )
        return notes


_ALL_FIELDS = (
    "MA_DVIQLY", "MA_KHANG", "TEN_KHANG", "DIA_CHI", "SO_DTHOAI", "MA_SOGCS", "STT", "ID_HDON",
    "KY", "THANG", "NAM", "DIEN_TTHU", "SO_TIEN", "TIEN_GTGT", "TONG_TIEN", "KIHIEU_SERY",
    "SO_SERY", "CS_DKY", "CS_CKY", "CHI_TIET_BAC", "MA_THE", "CAT_DIEN", "DA_THANH_TOAN",
)  # fmt: skip


def _escape_control(m: re.Match[str]) -> str:
    return f"\\x{ord(m.group()):02x}"


def _normalise_code(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFC", text) if not ch.isspace()).upper()


def _looks_like_code_attempt(text: str) -> bool:
    """True when a non-code cell still looks like somebody's attempt at a code (has digits)."""
    return any(ch.isdigit() for ch in text) and " " not in text.strip()


def parse_rows(
    rows: Iterable[tuple[int, Sequence[Any]]], profile: ExtractProfile
) -> tuple[HeaderInfo, RowParser, list[tuple], list[RejectedRow]]:
    """Convenience for small inputs and tests: parse everything into lists.

    Returns (header, parser, [(customer|None, bill), ...], rejected) with conflicting bills
    already removed from the accepted list.
    """
    it = iter(rows)
    head: list[tuple[int, Sequence[Any]]] = []
    for pair in it:
        head.append(pair)
        if len(head) >= profile.header_scan_rows:
            break
    header = locate_header(head, profile)
    parser = RowParser(profile, header)
    parser.probe(cells for n, cells in head if n > header.row)
    accepted: list[tuple] = []
    rejected: list[RejectedRow] = []

    def feed(pairs: Iterable[tuple[int, Sequence[Any]]]) -> None:
        for rownum, cells in pairs:
            if rownum <= header.row:
                continue
            result = parser.parse(rownum, cells)
            if result is None:
                continue
            if isinstance(result, RejectedRow):
                rejected.append(result)
            else:
                accepted.append(result)

    feed(head)
    feed(it)
    if parser.conflicts:
        bad = set(parser.conflicts)
        accepted = [r for r in accepted if (r[1][0] + "\x1f" + r[1][1]) not in bad]
        rejected.extend(parser.conflict_rejections())
        rejected.sort(key=lambda r: r.row)
    return header, parser, accepted, rejected
