"""Row parsing and validation of a CMIS debt extract (pure, stdlib; no I/O).

A reader (``cashier.db.readers``) yields ``(row_number, cells)`` pairs, row numbers as a
spreadsheet shows them (1-based, title rows included). The header is found by
:func:`cashier.core.extract.header.locate_header`; then :class:`RowParser`:

* turns every data row into two plain tuples ready for SQL (``columns.CUSTOMER_COLUMNS``,
  ``columns.BILL_COLUMNS``) or a :class:`~cashier.core.debt.RejectedRow` that says row, column,
  value and reason in English and Vietnamese;
* skips empty rows, a totals footer ("Tổng cộng"), repeated header rows, and identical duplicate
  rows (counted); rejects conflicting duplicates (same customer code + bill id, different values)
  - every row of such a bill, so neither version is applied.

Cells are read by :mod:`.cells` (text, numbers, TCVN-3 repair), bills by :mod:`.bills`,
customers by :mod:`.customers`; a clean batch of rows goes through the columnar fast path
(:mod:`.batch`). The hot path is written for speed (a morning extract has ~1M rows): customer
fields are parsed once per customer code, ASCII text skips Unicode normalisation, digits-only
text skips the general money parser.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from cashier.core.debt import RejectedRow
from cashier.core.errors import FileRefused
from cashier.core.extract.batch import parse_clean_batch, parse_clean_columns
from cashier.core.extract.bills import BillReader
from cashier.core.extract.cells import CONTROL, CellReader, FieldRejected, cell_text, clean_text
from cashier.core.extract.customers import CustomerReader
from cashier.core.extract.header import HeaderInfo, locate_header
from cashier.core.extract.layout import ColumnLayout
from cashier.core.extract.profile import ExtractProfile, header_key
from cashier.core.extract.state import ParseState, ParseStats
from cashier.core.messages import Message
from cashier.core.vntext import fold

_MASK64 = (1 << 64) - 1


class RowParser:
    """Stateful parser of the data rows below a header (keeps duplicate detection state).

    ``parse(rownum, cells)`` returns ``(customer_tuple_or_None, bill_tuple)`` for a good row
    (the customer tuple only the first time a code is seen), a :class:`RejectedRow` for a bad
    one, or ``None`` for a row that is skipped (empty, footer, repeated header, identical
    duplicate). After the last row, :attr:`conflicts` lists the bills whose rows disagree:
    every row of those bills is rejected (see :meth:`conflict_rejections`) and the caller must
    drop the first row it already accepted (``conflicts`` keys are ``code + "\\x1f" + bill_id``).
    """

    def __init__(self, profile: ExtractProfile, header: HeaderInfo) -> None:
        self.profile = profile
        self.header = header
        self.layout = layout = ColumnLayout.of(profile, header)
        self.state = ParseState()
        self.reader = CellReader(
            profile.true_keys(), profile.max_bill_amount, self.state.stats, self.state.terms
        )
        self.bills = BillReader(layout, self.reader, profile.default_ky)
        self.customers = CustomerReader(layout, self.reader)
        self._footer = profile.footer_keys()
        idx = header.index
        self._code_col = idx["MA_KHANG"]
        self._bill_id_col = idx["ID_HDON"]
        #: key -> sorted row numbers of the conflicting bill
        self.conflicts: dict[str, list[int]] = {}
        self._after_footer = False
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

    @property
    def stats(self) -> ParseStats:
        return self.state.stats

    @property
    def terms(self) -> set[str]:
        """Folded name/address words longer than 3 letters (the search vocabulary)."""
        return self.state.terms

    @property
    def last_code(self) -> str | None:
        """The valid customer code of the row parsed last (None when its code was not valid)."""
        return self.state.last_code

    def probe(self, rows: Iterable[Sequence[Any]]) -> None:
        """Decide from the first rows' names and addresses whether the file is legacy TCVN-3
        (see :meth:`CellReader.probe`)."""
        i = self.layout.index
        slots = [c for c in (i["TEN_KHANG"], i["DIA_CHI"]) if c is not None]
        self.reader.probe(rows, slots)

    def release(self) -> None:
        """Forget the per-row state (duplicate detection, caches) once every row is parsed:
        the import's peak memory then does not add it to the search index build."""
        self.state.release()
        self.reader.release()

    # -- rows -------------------------------------------------------------------------------
    def parse(self, rownum: int, cells: Sequence[Any]) -> tuple | RejectedRow | None:
        if len(cells) < self.layout.width:
            cells = list(cells) + [None] * (self.layout.width - len(cells))
        raw_code = cells[self._code_col]
        code = raw_code if raw_code.__class__ is str else cell_text(raw_code)
        if not self.layout.code_rx.fullmatch(code):
            code = _normalise_code(code)
            if not self.layout.code_rx.fullmatch(code):
                self.state.last_code = None
                return self._odd_row(rownum, cells, raw_code)
        self.state.last_code = code
        self.stats.data_rows += 1
        control = self._control(cells)
        if control is not None:
            return self._rejected(rownum, control, cells)
        bill = self.bills.fast(rownum, code, cells)
        if bill is None:
            try:
                bill = self.bills.careful(rownum, code, cells)
            except FieldRejected as rej:
                return self._rejected(rownum, rej, cells)
        bill_id = bill[1]
        key = code + "\x1f" + bill_id
        sig = hash(bill[:-1]) & _MASK64
        seen = self.state.seen_bills.get(key)
        if seen is not None:
            if key in self.conflicts:
                self.conflicts[key].append(rownum)
                return self._conflict_row(rownum, code, bill_id)
            if seen & _MASK64 == sig:
                self.stats.duplicates += 1
                return None
            self.conflicts[key] = [seen >> 64, rownum]
            return self._conflict_row(rownum, code, bill_id)
        self.state.seen_bills[key] = (rownum << 64) | sig
        customer = None
        if code not in self.state.seen_codes:
            try:
                customer = self.customers.read(code, cells)
            except FieldRejected as rej:
                del self.state.seen_bills[key]
                return self._rejected(rownum, rej, cells)
            self.state.seen_codes.add(code)
            self.stats.customers += 1
        self.stats.bills += 1
        return customer, bill

    def parse_batch(self, rows: list[tuple[int, Sequence[Any]]]) -> tuple[list, list, list]:
        """Parse a batch of ``(rownum, cells)``: ``(customers, bills, rejected)`` where
        ``rejected`` holds ``(RejectedRow, valid code or None)`` pairs. Same result as
        :meth:`parse` row by row; a clean batch goes through the columnar fast path
        (:mod:`cashier.core.extract.batch`, ~25-35% faster on 1M rows)."""
        fast = parse_clean_batch(self.layout, self.state, self.reader, rows)
        if fast is not None:
            return fast[0], fast[1], []
        return self.parse_each(rows)

    def parse_columns(
        self, rownums: list[int], columns: Sequence[Sequence[Any]]
    ) -> tuple[list, list, list]:
        """:meth:`parse_batch` for rows given as columns (``columns[i][k]``: cell i of row
        ``rownums[k]``), as the import's reading process sends them."""
        fast = parse_clean_columns(self.layout, self.state, self.reader, rownums, columns)
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
                # (a RejectedRow: the class test above is a fast isinstance)
                rejected.append((result, self.state.last_code))  # type: ignore[arg-type]
        return customers, bills, rejected

    def _odd_row(self, rownum: int, cells: Sequence[Any], raw_code: Any) -> RejectedRow | None:
        """A row whose code is not valid: empty, footer, repeated header, or a bad row."""
        texts = [cell_text(c).strip() for c in cells]
        if not any(texts):
            self.stats.empty_rows += 1
            self._empty_row(rownum)
            return None
        code_text = cell_text(raw_code).strip()
        if header_key(code_text) == self.layout.code_header_key:
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
            return self._rejected(rownum, FieldRejected("MA_KHANG", "", "row.required"), cells)
        return self._rejected(
            rownum, FieldRejected("MA_KHANG", code_text, "row.code", value=code_text), cells
        )

    def _rejected(
        self, rownum: int, rej: FieldRejected, cells: Sequence[Any] | None = None
    ) -> RejectedRow:
        if cells is not None:
            self._protect(cells)
        column = self.header.column_name(rej.column)
        label = rej.column if column == rej.column else f"{rej.column} ({column})"
        if rej.code.startswith("row."):
            why = Message(rej.code, {"field": label, "value": rej.value, **rej.params})
        else:  # a money.* code from parse_amount
            why = Message("row.number", {"field": label, "detail": Message(rej.code, rej.params)})
        value = CONTROL.sub(_escape_control, cell_text(rej.value))
        return RejectedRow(row=rownum, why=why, column=column, value=value)

    def _protect(self, cells: Sequence[Any]) -> None:
        """Remember what a rejected row names: its bill id, else (no valid code either) its
        unit - the import keeps those bills from becoming paid elsewhere."""
        i = self.layout.index
        raw = cells[self._bill_id_col]
        bill_id = CONTROL.sub("", clean_text(cell_text(raw))) if raw is not None else ""
        if bill_id:
            self.rejected_bills.add(bill_id)
        elif self.state.last_code is None and i["MA_DVIQLY"] is not None:
            unit = CONTROL.sub("", clean_text(cell_text(cells[i["MA_DVIQLY"]]))).upper()
            if unit:
                self.rejected_units.add(unit)

    def _control(self, cells: Sequence[Any]) -> FieldRejected | None:
        """A control character in any mapped text cell (NUL, ESC, BEL...)."""
        get = self._mapped_get
        values = get(cells) if get is not None else (cells[self._mapped[0]],)
        try:
            joined = "\n".join(values)
        except TypeError:  # numbers among them: only the text cells matter
            joined = "\n".join(v for v in values if v.__class__ is str)
        if CONTROL.search(joined) is None:
            return None
        for col in self._mapped:
            value = cells[col]
            m = CONTROL.search(value) if value.__class__ is str else None
            if m is not None:
                char = f"U+{ord(m.group()):04X}"
                field_name = self._field_at[col]
                return FieldRejected(field_name, value, "row.control", char=char, pos=m.start() + 1)
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
        notes = self.stats.notes()
        if self.header.unmapped:
            notes.append("columns not used: " + ", ".join(self.header.unmapped))
        if self.header.duplicates:
            notes.append(
                "columns found twice (first used): "
                + ", ".join(sorted(set(self.header.duplicates)))
            )
        return notes


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
