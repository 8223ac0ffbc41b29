"""The columnar fast path (cashier.core.extract.batch) gives exactly what the row-by-row parser
gives - tuples, rejections, duplicate state, statistics - and steps aside for anything unclean."""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

import pytest

from cashier.core.demo_data import DEMO_FIELDS, generate_rows
from cashier.core.extract import rows as extract_rows
from cashier.core.extract.header import locate_header
from cashier.core.extract.profile import find_profile
from cashier.core.extract.rows import RowParser

PROFILES = Path(__file__).resolve().parents[2] / "resources" / "profiles"
HEADER = list(DEMO_FIELDS)
CHUNK = 200


def _parsers(header=HEADER):
    profile = find_profile(PROFILES, None)
    info = locate_header([(1, header)], profile)
    return RowParser(profile, info), RowParser(profile, info)


@pytest.fixture
def fast_calls(monkeypatch):
    """How many chunks the fast path took (it must really be used on clean data)."""
    calls = {"fast": 0, "slow": 0, "slow_rows": set()}
    real = extract_rows.parse_clean_batch

    def spy(layout, state, reader, rows):
        out = real(layout, state, reader, rows)
        calls["fast" if out is not None else "slow"] += 1
        if out is None:
            calls["slow_rows"].update(r[0] for r in rows)
        return out

    monkeypatch.setattr(extract_rows, "parse_clean_batch", spy)
    return calls


def _compare(rows, header=HEADER, chunk=CHUNK):
    """Parse ``rows`` (cells lists, numbered from 2) both ways; assert the same results."""
    slow, fast = _parsers(header)
    numbered = list(enumerate(rows, 2))
    expected = slow.parse_each(numbered)
    got: tuple[list, list, list] = ([], [], [])
    for i in range(0, len(numbered), chunk):
        c, b, r = fast.parse_batch(numbered[i : i + chunk])
        got[0].extend(c)
        got[1].extend(b)
        got[2].extend(r)
    assert got[0] == expected[0]
    assert got[1] == expected[1]
    assert got[2] == expected[2]
    assert fast.stats == slow.stats
    assert fast.state.seen_bills == slow.state.seen_bills
    assert fast.state.seen_codes == slow.state.seen_codes
    assert fast.conflicts == slow.conflicts
    assert (fast.rejected_bills, fast.rejected_units) == (slow.rejected_bills, slow.rejected_units)
    assert fast.terms >= slow.terms  # the search vocabulary may only grow
    assert fast.finish_warnings() == slow.finish_warnings()
    return expected


@functools.cache
def _demo_text(customers: int, seed: int, settled: bool) -> tuple[tuple[str, ...], ...]:
    rows = generate_rows(customers, seed, with_settled_column=settled)
    return tuple(tuple("" if v is None else str(v) for v in r) for r in rows)


def _demo(customers=1500, seed=3, with_settled_column=False):
    """Demo rows as a csv reader gives them (all text), fresh lists to damage."""
    return [list(r) for r in _demo_text(customers, seed, with_settled_column)]


def test_clean_demo_extract_goes_through_the_fast_path(fast_calls):
    rows = _demo(3000)
    customers, bills, rejected = _compare(rows)
    assert len(customers) == 3000 and len(bills) == len(rows) and rejected == []
    # the first ~1000 customers run row by row while the legacy-encoding probe reads the text
    assert fast_calls["fast"] >= 12 and fast_calls["slow"] <= 10


def test_excel_numbers_take_the_fast_path_too(fast_calls):
    _compare(_as_excel(_demo(2000, seed=4)))
    assert fast_calls["fast"] > 0


def test_a_settled_column_and_disconnected_flags():
    rows = _demo(900, seed=5, with_settled_column=True)
    for i, r in enumerate(rows):
        if i % 7 == 0:
            r[21] = "x"
    _compare(rows, HEADER + ["DA_THANH_TOAN"])


def test_missing_optional_columns():
    keep = [f for f in HEADER if f not in ("SO_DTHOAI", "MA_THE", "CAT_DIEN", "CHI_TIET_BAC")]
    idx = [HEADER.index(f) for f in keep]
    rows = [[r[i] for i in idx] for r in _demo(700, seed=6)]
    _compare(rows, keep)


def _as_excel(rows):
    """Rows as a spreadsheet reader gives them: numbers as floats/ints, ids as text."""
    for r in rows:
        r[6] = float(r[6])
        for k in (8, 9, 10, 11, 12, 13, 14, 17, 18):
            r[k] = float(r[k]) if k % 2 else int(r[k])
    return rows


def _damage(rows, target, damage, excel):
    r = rows[target]

    def num(value):  # a number as this kind of file holds it
        return value if excel else str(value)

    if damage == "fraction":
        r[12] = 123.5 if excel else "123,5"
    elif damage == "negative":
        r[13] = num(-5)
    elif damage == "text_number":
        r[11] = "12a"
    elif damage == "thousands":
        r[12] = f"{int(r[12]):,}".replace(",", ".")
    elif damage == "bad_code":
        r[1] = "PC12AA98"
    elif damage == "empty_name":
        r[2] = ""
    elif damage == "nfd_name":
        r[2] = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")
    elif damage == "double_space":
        r[3] = r[3].replace(" ", "  ", 1)
    elif damage == "tab_in_address":
        r[3] = r[3] + "\t"
    elif damage == "nbsp_in_name":
        r[2] = r[2].replace(" ", "\u00a0", 1)
    elif damage == "padded_bill_id":
        r[7] = " " + r[7]
    elif damage == "sum_mismatch":
        r[14] = num(int(r[14]) + 1)
    elif damage in ("month_13", "year_1999", "period_0"):
        k, v = {"month_13": (9, 13), "year_1999": (10, 1999), "period_0": (8, 0)}[damage]
        r[k] = num(v)
    elif damage == "duplicate":
        rows.insert(target + 1, list(r))
    elif damage == "conflict":
        other = list(r)
        other[11] = num(int(other[11]) + 1)
        rows.insert(target + 3, other)
    elif damage == "lower_code":
        r[1] = r[1].lower()
    elif damage == "empty_row":
        rows[target] = [""] * len(r)
    elif damage == "footer":
        rows.insert(target, ["Tổng cộng"] + [""] * 13 + [num(123)] + [""] * 7)
    elif damage == "short_row":
        rows[target] = r[:10]
    elif damage == "numeric_id":
        r[7] = float(r[7])
    elif damage == "bool_number":
        r[11] = True
    elif damage == "text_in_excel_numbers":
        r[17] = str(r[17])  # one number stored as text among numbers (or vice versa)
        if not excel:
            r[17] = int(r[17])
    elif damage == "arabic_digit":
        r[14] = "٣"
    elif damage == "fullwidth_digits":
        r[11] = "１２３"
    elif damage == "over_bill_limit":
        r[12], r[13], r[14] = num(99_999_999_999_999_000), num(999), num(99_999_999_999_999_999)
    elif damage == "int64_overflow":
        r[18] = num(9_223_372_036_854_775_808)
    elif damage == "thousands_of_digits":
        r[17] = "9" * 5000
    elif damage == "nul_in_name":
        r[2] = r[2] + "\x00"
    elif damage == "escape_in_series":
        r[15] = "1K26\x1bTAA"
    elif damage == "nul_in_bill_id":
        r[7] = r[7][:2] + "\x00" + r[7][2:]
    elif damage == "nul_in_tiers":
        r[19] = r[19] + "\x00"
    elif damage == "control_in_a_later_row_of_the_customer":
        other = list(r)
        other[7] = str(int(r[7]) + 900_000_000)  # another bill of the same customer
        other[3] = other[3] + "\x07"
        rows.insert(target + 1, other)
    else:  # pragma: no cover
        raise AssertionError(damage)


@pytest.mark.parametrize("excel", [False, True], ids=["csv", "xlsx"])
@pytest.mark.parametrize(
    "damage",
    [
        "fraction", "negative", "text_number", "thousands", "bad_code", "empty_name", "nfd_name",
        "double_space", "tab_in_address", "nbsp_in_name", "padded_bill_id", "sum_mismatch",
        "month_13", "year_1999", "period_0", "duplicate", "conflict", "lower_code", "empty_row",
        "footer", "short_row", "numeric_id", "bool_number", "text_in_excel_numbers",
        "arabic_digit", "fullwidth_digits", "over_bill_limit", "int64_overflow",
        "thousands_of_digits", "nul_in_name", "escape_in_series", "nul_in_bill_id",
        "nul_in_tiers", "control_in_a_later_row_of_the_customer",
    ],
)  # fmt: skip
def test_every_kind_of_unclean_row_gets_the_careful_path(damage, excel, fast_calls):
    rows = _demo(2000, seed=7)  # (cached: every case damages its own copy)
    if excel:
        _as_excel(rows)
    # the first row of a customer well after the legacy probe, in the middle of a chunk
    target = next(i for i in range(2550, len(rows)) if rows[i][1] != rows[i - 1][1])
    _damage(rows, target, damage, excel)
    _compare(rows)
    assert fast_calls["fast"] >= 5
    assert target + 2 in fast_calls["slow_rows"]  # rows are numbered from 2


def test_excel_numbers_in_customer_fields_stay_on_the_fast_path(fast_calls):
    rows = _demo(2000, seed=11)
    for r in rows:
        r[6] = float(r[6])  # STT as an Excel number: "12"
        r[5] = int(r[5][2:]) if r[5][2:].isdigit() else r[5]  # a numeric meter book
    _compare(rows)
    assert fast_calls["fast"] >= 5


def test_a_legacy_tcvn3_extract_never_takes_the_fast_path(fast_calls):
    from cashier.core import tcvn3

    def legacy(text):  # how a TCVN-3 file reads when opened as latin-1
        return tcvn3.encode_vn3(text).decode("latin-1")

    rows = _demo(600, seed=8)
    for r in rows:
        r[2], r[3] = legacy(r[2]), legacy(r[3])
    _compare(rows)
    assert fast_calls["fast"] == 0


def test_duplicates_across_chunks_are_caught():
    rows = _demo(500, seed=9)
    rows.append(list(rows[10]))  # identical, far away: skipped as a duplicate
    changed = list(rows[20])
    changed[12] = int(changed[12]) + 8
    changed[14] = int(changed[14]) + 8
    rows.append(changed)  # same bill, other amounts: a conflict
    _, _, rejected = _compare(rows, chunk=50)
    assert len(rejected) == 1


def test_chunk_sizes_do_not_change_anything():
    rows = _demo(400, seed=10)
    a = _compare(rows, chunk=1)
    b = _compare(rows, chunk=len(rows))
    assert a == b


def test_invoice_series_and_number_are_carried_by_both_paths(fast_calls):
    """KIHIEU_SERY / SO_SERY reach the bill tuples (the receipt prints them), the same both ways;
    without the columns they are empty text."""
    from cashier.core.extract.columns import BILL_COLUMNS

    s, n = BILL_COLUMNS.index("series"), BILL_COLUMNS.index("number")
    rows = _demo(1500, seed=8)
    rows[1400][15], rows[1400][16] = " 1K26TBB ", "0000077"  # spaces around: trimmed both ways
    _customers, bills, _ = _compare(rows)
    assert fast_calls["fast"] > 0
    by_row = {b[-1]: b for b in bills}
    assert (by_row[2][s], by_row[2][n]) == (rows[0][15], rows[0][16])
    assert (by_row[1402][s], by_row[1402][n]) == ("1K26TBB", "0000077")
    assert all(b[s].startswith("1K26T") and len(b[n]) == 7 for b in bills)
    keep = [f for f in HEADER if f not in ("KIHIEU_SERY", "SO_SERY")]
    idx = [HEADER.index(f) for f in keep]
    _c, bills, _r = _compare([[r[i] for i in idx] for r in _demo(400, seed=9)], keep)
    assert {(b[s], b[n]) for b in bills} == {("", "")}
