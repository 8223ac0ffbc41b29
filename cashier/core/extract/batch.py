"""The columnar fast path of :class:`~cashier.core.extract.rows.RowParser` (pure, stdlib).

A morning extract has ~1M rows and nearly all of them are clean. Checking them one row at a
time costs ~11 µs a row in Python; checking a whole batch column by column with C-level
operations (``zip``, ``map``, ``str.join`` + one regex, ``unicodedata`` over joined text) costs a
fraction of that. :func:`parse_clean_batch` does exactly what ``RowParser.parse`` would do for
every row of a batch - same tuples, same duplicate-detection state, same statistics - **or
nothing at all** (returns ``None``, having changed no state) as soon as any row of the batch is
not plainly clean: a bad or odd row, a number that is not plain digits or an integral Excel
number, text that needs cleaning, a duplicate, a legacy-encoded file... The caller then parses
that batch row by row, with every rule and message of the careful path.

The two paths are checked against each other in tests/core/test_extract_batch.py.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Sequence
from itertools import repeat
from typing import Any

from cashier.core.extract.cells import CONTROL, LEGACY_PROBE, CellReader, cell_text
from cashier.core.extract.layout import ColumnLayout
from cashier.core.extract.state import ParseState
from cashier.core.money import MAX_NUMBER
from cashier.core.vntext import fold_words

_DIGITS = re.compile(r"\d+(?:\x1f\d+)*", re.ASCII)  # every value plain digits, none empty
_NUMBER_TYPES = frozenset({int, float})
_INT = {int}
_STR = {str}
# customer fields that are plain: empty, or printable ASCII words separated by single spaces
_CLEAN_ASCII = re.compile(r"(?:[!-~]+(?: [!-~]+)*)?(?:\x1f(?:[!-~]+(?: [!-~]+)*)?)*")
_TERM = re.compile(r"[a-z0-9]{4,}")  # search vocabulary: folded words longer than 3 letters
_MASK64 = (1 << 64) - 1
_RANGES = ((0, 1, 9), (1, 1, 12), (2, 2000, 2100))  # (numeric column, low, high): KY THANG NAM
_WITHOUT_ROW = operator.itemgetter(slice(0, -1))
_FIRST = operator.itemgetter(0)
_SECOND = operator.itemgetter(1)


def _ints(col: Sequence[Any]) -> list[int] | None:
    """A column of plain digit strings or integral Excel numbers as ints; None otherwise."""
    first = col[0].__class__
    if first is str:
        try:
            if _DIGITS.fullmatch("\x1f".join(col)) is None:
                return None
            return list(map(int, col))
        except (TypeError, ValueError):  # text and numbers mixed; 4,300+ digits
            return None
    types = set(map(type, col))
    if types == _INT:
        values = list(col)
    elif _NUMBER_TYPES.issuperset(types):  # (bool is not a number here)
        try:
            values = list(map(int, col))
        except (ValueError, OverflowError):  # nan, inf
            return None
        if values != list(col):  # a fraction
            return None
    else:
        return None
    if min(values) < 0:
        return None
    return values


def _texts(col: Sequence[Any]) -> Sequence[Any]:
    """A column as the row path's ``cell_text`` gives it (Excel numbers: 12.0 -> "12")."""
    types = set(map(type, col))
    if types == _STR:
        return col
    if types == _INT:
        return tuple(map(str, col))
    return tuple(map(cell_text, col))


def _upper_all(col: tuple) -> list[str]:
    """``[v.upper() for v in col]`` for ASCII text, at C speed (NUL never occurs in a cell)."""
    return "\x00".join(col).upper().split("\x00")


def _plain_text(col: Sequence[Any]) -> bool:
    """Every value is printable ASCII text (or empty) without surrounding whitespace."""
    try:
        joined = "".join(col)
    except TypeError:
        return False
    return joined.isascii() and joined.isprintable() and list(map(str.strip, col)) == list(col)


def _has_control(columns: Sequence[Sequence[Any]], slots: Sequence[int]) -> bool:
    """A control character in the text of one of these columns (the row path rejects that
    row: step aside). ``isprintable`` (C speed) clears nearly every column at once."""
    for slot in slots:
        col = columns[slot]
        try:
            joined = " ".join(col)
        except TypeError:  # Excel numbers among the text
            joined = " ".join(v for v in col if v.__class__ is str)
        if not joined.isprintable() and CONTROL.search(joined) is not None:
            return True
    return False


def _spaced_oddly(text: str) -> bool:
    """A double space, or a space at either end of a NUL-separated value."""
    return "  " in text or " \x00" in text or "\x00 " in text or text[:1] == " " or text[-1:] == " "


def parse_clean_batch(
    layout: ColumnLayout, state: ParseState, reader: CellReader, rows: list[tuple[int, Any]]
) -> tuple[list, list] | None:
    """``(customers, bills)`` for a batch of ``(rownum, cells)`` that is clean throughout, exactly
    as ``RowParser.parse`` would give them row by row (same ``state`` updates); ``None`` (no
    state changed) otherwise."""
    if not _usable(layout, reader) or not rows:
        return None
    cells = [r[1] for r in rows]
    if min(map(len, cells)) < layout.width:
        return None
    # (rows may differ in length past the header's width: the columns stop at the shortest)
    columns = list(zip(*cells, strict=False))
    return parse_clean_columns(layout, state, reader, [r[0] for r in rows], columns)


def _usable(layout: ColumnLayout, reader: CellReader) -> bool:
    return not (
        layout.bill_slots is None or reader.legacy_mode or reader.unicode_seen < LEGACY_PROBE
    )


def parse_clean_columns(
    layout: ColumnLayout,
    state: ParseState,
    reader: CellReader,
    rownums: list[int],
    columns: Sequence[Sequence[Any]],
) -> tuple[list, list] | None:
    """:func:`parse_clean_batch` for rows given as columns (``columns[i][k]`` is cell i of row
    ``rownums[k]``; every column as long as ``rownums``)."""
    slots = layout.bill_slots
    code_col = layout.index["MA_KHANG"]
    if slots is None or code_col is None or not _usable(layout, reader):
        return None
    if not rownums or len(columns) < layout.width:
        return None
    codes = list(columns[code_col])
    try:
        if not all(map(layout.code_rx.fullmatch, codes)):
            return None
    except TypeError:  # a non-text code cell
        return None

    # bills: (ID_HDON, KIHIEU_SERY, SO_SERY, CHI_TIET_BAC, DA_THANH_TOAN, 9 numbers) by column
    cols = [columns[i] for i in slots]
    bill_ids, series, numbers, tier_texts, settled_cells = cols[:5]
    nums = []
    for col in cols[5:]:
        values = _ints(col)
        if values is None:
            return None
        nums.append(values)
    for k, low, high in _RANGES:
        if min(nums[k]) < low or max(nums[k]) > high:
            return None
    ky, thang, nam, kwh, amount, vat, total, r_start, r_end = nums
    if list(map(operator.add, amount, vat)) != total:
        return None
    if max(total) > layout.max_bill or max(max(kwh), max(r_start), max(r_end)) > MAX_NUMBER:
        return None  # the row path says which field is over its limit
    if not (
        all(bill_ids) and _plain_text(bill_ids) and _plain_text(series) and _plain_text(numbers)
    ):
        return None
    if _has_control(columns, layout.text_slots):
        return None

    # duplicate detection: no key seen before, none twice in the batch
    keys = list(map(operator.add, map(operator.add, codes, repeat("\x1f")), bill_ids))
    seen_bills = state.seen_bills
    if not seen_bills.keys().isdisjoint(keys) or len(set(keys)) != len(keys):
        return None

    # customers seen for the first time (first row of each)
    seen_codes = state.seen_codes
    first = dict(zip(reversed(codes), range(len(codes) - 1, -1, -1), strict=True))
    # in the order of their first row, as the row path adds them
    new = sorted(
        ((c, i) for c, i in first.items() if c not in seen_codes), key=operator.itemgetter(1)
    )
    customers = _customers(layout, state, reader, columns, new) if new else []
    if customers is None:
        return None

    # all checks passed: build the bills, then update the parser's state
    n_rows = len(rownums)
    if layout.has_tiers:
        hits: list[Any] = list(map(reader.tier_cache.get, tier_texts))  # (json, total) of known texts
        if None not in hits and list(map(_SECOND, hits)) == amount:
            tiers = list(map(_FIRST, hits))
        else:
            tiers_of = reader.tiers
            tiers = [tiers_of(t, a) if t else None for t, a in zip(tier_texts, amount, strict=True)]
    else:
        tiers = [None] * n_rows
    if layout.has_settled and any(settled_cells):
        flag = reader.flag
        settled = [flag(s) if s else 0 for s in settled_cells]
    else:
        settled = [0] * n_rows
    bills = list(zip(
        codes, bill_ids, ky, thang, nam, kwh, amount, vat, total, series, numbers,
        r_start, r_end, tiers, settled, rownums, strict=True,
    ))  # fmt: skip
    sigs = map(operator.and_, map(hash, map(_WITHOUT_ROW, bills)), repeat(_MASK64))
    seen_bills.update(
        zip(keys, map(operator.or_, map(operator.lshift, rownums, repeat(64)), sigs), strict=True)
    )
    seen_codes.update(c for c, _ in new)
    stats = state.stats
    stats.data_rows += n_rows
    stats.bills += n_rows
    stats.customers += len(customers)
    state.last_code = codes[-1]
    return customers, bills


def _customers(
    layout: ColumnLayout,
    state: ParseState,
    reader: CellReader,
    columns: Sequence[Sequence[Any]],
    new: list,
) -> list[tuple] | None:
    """Customer tuples for the new codes (``new``: (code, index of its first row)), or None."""
    at = [i for _, i in new]
    fields: list[Any] = []
    for slot, absent in zip(layout.customer_slots, layout.customer_absent, strict=True):
        fields.append([""] * len(at) if absent else list(map(columns[slot].__getitem__, at)))
    names, addresses, units, phones, books, positions, cards, disc_cells = fields
    plain: tuple[Any, ...] = (units, phones, books, positions, cards)
    try:
        joined = "\x1f".join("\x1f".join(col) for col in plain)
    except TypeError:  # Excel numbers (STT 12.0 -> "12"), converted as the row path does
        plain = tuple(map(_texts, plain))
        units, phones, books, positions, cards = plain
        joined = "\x1f".join("\x1f".join(col) for col in plain)
    if not joined.isascii() or _CLEAN_ASCII.fullmatch(joined) is None:
        return None
    if not all(names):
        return None
    try:  # names and addresses joined by NUL (never in a csv or xlsx cell)
        text = "\x00".join(names) + "\x00" + "\x00".join(addresses)
    except TypeError:
        return None
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        return None
    # no whitespace but single inner spaces (isprintable: no tab, newline, NBSP...)
    if not (all(map(str.isprintable, names)) and all(map(str.isprintable, addresses))):
        return None
    if _spaced_oddly(text):
        return None
    folded_text = fold_words(text)
    if _spaced_oddly(folded_text):  # a word that folds to nothing
        return None
    folded = folded_text.split("\x00")
    n = len(new)
    if len(folded) != 2 * n:
        return None
    # the search vocabulary: only words not seen before are split into their terms
    known = state.known_words
    fresh = set(folded_text.replace("\x00", " ").split()) - known
    if fresh:
        known |= fresh
        state.terms.update(_TERM.findall(" ".join(fresh)))
    # the tuples, column by column
    new_codes = [c for c, _ in new]
    if "" in units:
        units = [u or c[:6] for u, c in zip(units, new_codes, strict=True)]
    units = _upper_all(units)
    if not layout.has_disconnected:
        flags: Any = repeat(None)
    elif any(disc_cells):
        flag = reader.flag
        flags = [flag(d) if d else 0 for d in disc_cells]
    else:
        flags = repeat(0)
    if any(cards):
        cards = [c.replace(" ", "") for c in _upper_all(cards)]
    folded_names, folded_addresses = folded[:n], folded[n:]
    lower_codes = "\x00".join(new_codes).lower().split("\x00")
    if "" in folded_names or "" in folded_addresses:  # a name/address of punctuation only
        search = [
            c + " " + (fn + " " + fa if fn and fa else fn or fa)
            for c, fn, fa in zip(lower_codes, folded_names, folded_addresses, strict=True)
        ]
    else:
        search = list(map(" ".join, zip(lower_codes, folded_names, folded_addresses, strict=True)))
    columns = (new_codes, units, names, addresses, phones, books, positions, flags, cards, search)
    return list(zip(*columns, strict=False))  # (flags may be an endless repeat)
