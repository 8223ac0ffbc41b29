"""Column profiles (data files) and the pure row parser."""

from __future__ import annotations

import json
import unicodedata

import pytest
from cache_helpers import HEADER, bill_row

from cashier.core.debt import RejectedRow
from cashier.core.errors import FileRefused
from cashier.core.extract.columns import BILL_COLUMNS, CUSTOMER_COLUMNS
from cashier.core.extract.header import locate_header
from cashier.core.extract.profile import (
    FIELD_NAMES,
    default_profile,
    find_profile,
    header_key,
    load_profile,
)
from cashier.core.extract.rows import parse_rows
from cashier.paths import resources_dir

PROFILES = resources_dir() / "profiles"


def numbered(rows):
    return list(enumerate(rows, 1))


def test_bundled_profiles_load_and_ignore_other_sections():
    default = find_profile(PROFILES, "default")
    assert default.name == "default"
    assert set(default.columns) == set(FIELD_NAMES)
    other = find_profile(PROFILES, "pc_vi_headers")
    assert other.header_name("MA_KHANG") == "Mã khách hàng"
    assert "KY" not in other.columns  # that company bills once a month
    raw = json.loads((PROFILES / "default.json").read_text("utf-8"))
    assert "extract" in raw  # other sections (clearing, ...) may sit beside it


def test_profile_refuses_unknown_and_missing_fields(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"extract": {"columns": {"MA_KHANG": ["x"], "NOT_A_FIELD": ["y"]}}}))
    with pytest.raises(FileRefused) as err:
        load_profile(bad)
    assert "NOT_A_FIELD" in str(err.value)
    bad.write_text(json.dumps({"extract": {"columns": {"MA_KHANG": ["x"]}}}))
    with pytest.raises(FileRefused) as err:
        load_profile(bad)
    assert "TONG_TIEN" in str(err.value)
    bad.write_text("{not json")
    with pytest.raises(FileRefused):
        load_profile(bad)
    with pytest.raises(FileRefused) as err:
        find_profile(PROFILES, "no_such_company")
    assert "default" in str(err.value)  # lists the available ones


def test_new_company_profile_is_data_only(tmp_path):
    """A company with its own header names works from a JSON file, no code change."""
    prof = {
        "name": "pc_test",
        "clearing": {"anything": True},
        "extract": {
            "columns": {
                "MA_KHANG": ["Số danh bạ"], "TEN_KHANG": ["Chủ hộ"], "ID_HDON": ["Mã HĐ"],
                "THANG": ["Kỳ tháng"], "NAM": ["Kỳ năm"], "TONG_TIEN": ["Phải thu"],
            },
            "some_future_option": 1,
        },
    }  # fmt: skip
    (tmp_path / "pc_test.json").write_text(json.dumps(prof, ensure_ascii=False), "utf-8")
    profile = find_profile(tmp_path, "pc_test")
    rows = [["SỐ DANH BẠ", "chủ hộ", "Mã hđ", "kỳ tháng", "KỲ NĂM", "phải thu"],
            ["PC12AA0000001", "Lê Thị B", "900001", "10", "2026", "108.000"]]  # fmt: skip
    header, parser, accepted, rejected = parse_rows(numbered(rows), profile)
    assert rejected == []
    (cust, bill), = accepted
    assert cust[:3] == ("PC12AA0000001", "PC12AA", "Lê Thị B")
    assert dict(zip(BILL_COLUMNS, bill, strict=True))["total"] == 108000
    assert dict(zip(BILL_COLUMNS, bill, strict=True))["amount"] == 108000  # no SO_TIEN column
    assert dict(zip(BILL_COLUMNS, bill, strict=True))["ky"] == 1  # default_ky


def test_header_key_is_case_space_and_diacritics_insensitive():
    assert header_key(" Mã  khách_hàng ") == header_key("MA KHACH HANG") == "makhachhang"
    assert header_key(unicodedata.normalize("NFD", "Tổng tiền")) == header_key("TONG TIEN")


def test_header_found_below_title_rows_with_messy_names():
    rows = [["CÔNG TY ĐIỆN LỰC ĐẮK LẮK"], [], ["Bảng kê nợ tháng 10/2026", "", ""],
            [" ma_khang", "TEN KHANG ", "Id_hdon", "thang", "NAM", "Tổng Tiền", "Ghi chú"]]  # fmt: skip
    header = locate_header(numbered(rows), default_profile())
    assert header.row == 4
    assert header.index == {"MA_KHANG": 0, "TEN_KHANG": 1, "ID_HDON": 2, "THANG": 3, "NAM": 4, "TONG_TIEN": 5}
    assert header.unmapped == ("Ghi chú",)


def test_no_header_refused_with_missing_columns():
    rows = [["MA_KHANG", "TEN_KHANG", "ID_HDON"], ["PC12AA0000001", "A", "1"]]
    with pytest.raises(FileRefused) as err:
        locate_header(numbered(rows), default_profile())
    msg = str(err.value)
    assert "THANG" in msg and "TONG_TIEN" in msg and "row 1" in msg
    assert "thiếu cột" in err.value.text("vi")


def _parse(rows):
    return parse_rows(numbered([HEADER, *rows]), find_profile(PROFILES))


def test_messy_values_are_parsed():
    r = bill_row("PC12AA0000001", "100000001", kwh=300)
    messy = list(r)
    messy[1] = " pc12aa0000001 "  # code in lower case with spaces
    messy[2] = unicodedata.normalize("NFD", "  Nguyễn   Văn  An ")
    messy[12] = f"{r[12]:,}".replace(",", ".")  # "1.234.567"
    messy[13] = float(r[13])  # Excel float
    messy[14] = f"{r[14]:,} đ".replace(",", ".")
    messy[21] = "X"
    header, parser, accepted, rejected = _parse([messy])
    assert rejected == []
    (cust, bill), = accepted
    c = dict(zip(CUSTOMER_COLUMNS, cust, strict=True))
    b = dict(zip(BILL_COLUMNS, bill, strict=True))
    assert c["code"] == "PC12AA0000001" and c["name"] == "Nguyễn Văn An"
    assert unicodedata.is_normalized("NFC", c["name"])
    assert c["disconnected"] == 1
    assert c["search_text"].startswith("pc12aa0000001 nguyen van an so 12 hung vuong")
    assert (b["amount"], b["vat"], b["total"]) == (r[12], r[13], r[14])
    assert json.loads(b["tiers"])[0] == [50, 1984, 99200]


def test_empty_rows_footer_and_repeated_header_are_skipped():
    rows = [bill_row("PC12AA0000001", "1"), [], ["", None, "  "], HEADER,
            bill_row("PC12AA0000002", "2"), ["Tổng cộng", "", "", "", "", "", "", "", "", "", "", "", "", "", "999"]]
    header, parser, accepted, rejected = _parse(rows)
    assert rejected == [] and len(accepted) == 2
    assert (parser.stats.empty_rows, parser.stats.footer_rows, parser.stats.repeated_headers) == (2, 1, 1)


def test_identical_duplicates_counted_conflicting_duplicates_rejected():
    a = bill_row("PC12AA0000001", "1")
    b = bill_row("PC12AA0000002", "2")
    b_changed = list(b)
    b_changed[14] = b[14] + 1000
    b_changed[12] = b[12] + 1000
    header, parser, accepted, rejected = _parse([a, list(a), b, b_changed, list(b)])
    assert parser.stats.duplicates == 1
    assert [x[1][1] for x in accepted] == ["1"]  # bill 2 is out: its rows disagree
    assert sorted(r.row for r in rejected) == [4, 5, 6]
    assert all("neither row was imported" in r.reason for r in rejected)
    assert "4, 5" in rejected[0].reason


@pytest.mark.parametrize(
    "col, value, field, needle",
    [
        (1, "PC12AA00000", "MA_KHANG", "not a valid customer code"),
        (2, "  ", "TEN_KHANG", "TEN_KHANG is empty"),
        (14, 12345.5, "TONG_TIEN", "fraction"),
        (12, "-5", "SO_TIEN", "negative"),
        (14, "abc", "TONG_TIEN", "Not an amount"),
        (9, 13, "THANG", "out of range"),
        (7, "", "ID_HDON", "ID_HDON is empty"),
    ],
)
def test_bad_rows_rejected_with_row_column_value(col, value, field, needle):
    bad = bill_row("PC12AA0000009", "9")
    bad[col] = value
    header, parser, accepted, rejected = _parse([bill_row("PC12AA0000001", "1"), bad])
    assert len(accepted) == 1
    (r,) = rejected
    assert isinstance(r, RejectedRow)
    assert r.row == 3 and r.column == field
    assert needle in r.reason, r.reason
    assert r.text("vi") and r.text("vi") != r.reason
    if str(value).strip():
        assert r.value == str(value).strip() or r.value == str(value)


def test_amounts_that_do_not_add_up_are_rejected():
    bad = bill_row("PC12AA0000009", "9")
    bad[13] = bad[13] + 1
    header, parser, accepted, rejected = _parse([bad])
    assert accepted == [] and "does not equal TONG_TIEN" in rejected[0].reason


def test_tcvn3_legacy_text_is_repaired():
    from cashier.core import tcvn3

    legacy = "NguyÔn V¨n §¹t"
    assert tcvn3.looks_like_tcvn3(legacy)
    row = bill_row("PC12AA0000001", "1", name=legacy, address="Hµ Néi")
    header, parser, accepted, rejected = _parse([row])
    cust = accepted[0][0]
    assert cust[2] == "Nguyễn Văn Đạt" and cust[3] == "Hà Nội"
    assert parser.stats.legacy_text == 2


def test_inconsistent_tier_detail_is_dropped_not_fatal():
    row = bill_row("PC12AA0000001", "1")
    row[19] = "50x1984;10x9999"
    header, parser, accepted, rejected = _parse([row])
    assert rejected == [] and accepted[0][1][BILL_COLUMNS.index("tiers")] is None
    assert parser.stats.tier_warnings == 1


def test_excel_numbers_fast_path_is_strict():
    good = bill_row("PC12AA0000001", "1")
    as_floats = [float(v) if isinstance(v, int) else v for v in good]
    header, parser, accepted, rejected = _parse([as_floats])
    assert rejected == [] and accepted[0][1][8] == good[14]
    for bad_value, needle in ((good[14] + 0.5, "fraction"), (True, "Not an amount"), (-1.0, "negative")):
        bad = list(as_floats)
        bad[14] = bad_value
        header, parser, accepted, rejected = _parse([bad])
        assert accepted == [] and needle in rejected[0].reason, (bad_value, rejected)


def test_signature_block_below_the_totals_is_not_reported_as_bad_rows():
    rows = [bill_row("PC12AA0000001", "1"), ["Tổng cộng", "", "", "", "", "", "", "", "", "", "", "", "", "", "999"],
            [], ["", "", "Người lập biểu", "", "", "Kế toán trưởng"], ["", "", "(Ký, ghi rõ họ tên)"]]  # fmt: skip
    header, parser, accepted, rejected = _parse(rows)
    assert rejected == [] and len(accepted) == 1
    assert parser.stats.trailing_rows == 2
    # ... while the same text rows above the totals are reported
    header, parser, accepted, rejected = _parse([rows[0], rows[3]])
    assert [r.row for r in rejected] == [3]
