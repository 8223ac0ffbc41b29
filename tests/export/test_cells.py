"""Cells are typed on purpose: any text comes back unchanged and never as a formula."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from datetime import datetime

import python_calamine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cashier.core.clearing import PAYMENT, ClearingProfile, ClearingRow, control_for
from cashier.core.clock import VN_TZ
from cashier.export.clearing_file import flags_for, read_clearing, table, write_csv, write_xlsx

PROFILE = ClearingProfile.from_dict(
    {
        "columns": [
            {"field": "customer_code", "header": "MA_KHANG"},
            {"field": "customer_name", "header": "TEN_KHANG"},
            {"field": "address", "header": "DIA_CHI"},
            {"field": "bill_id", "header": "ID_HDON"},
            {"field": "total", "header": "TONG_TIEN"},
            {"field": "paid_at", "header": "NGAY_NOP"},
            {"field": "receipt_no", "header": "SO_BIEN_NHAN"},
        ]
    }
)
WHEN = datetime(2026, 11, 23, 17, 0, tzinfo=VN_TZ)

# any text a CMIS extract could carry: leading = + - @ tab, quotes, CR/LF, control characters,
# Vietnamese in NFD, text that looks like an OOXML escape; not the two Unicode non-characters
# U+FFFE/U+FFFF nor lone surrogates (no spreadsheet can hold them: they are replaced and flagged)
TRICKY = st.sampled_from(["=", "+", "-", "@", "\t", "\r", "\n", '"', "'", "_x0041_", "=HYPERLINK(\"x\")",
                          unicodedata.normalize("NFD", "Nguyễn Đức Thắng"), "  ", "\x01", "1e5", "0012"])
TEXT = st.lists(
    st.one_of(TRICKY, st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\ufffe\uffff"),
                              max_size=12)),
    max_size=4,
).map("".join)


def row(i: int, name: str, address: str) -> ClearingRow:
    return ClearingRow(PAYMENT, "PC12AA", f"PC12AA{i:07d}", f"HD{i}", 1, 10, 2026, 100_000, 8_000, 108_000, WHEN,
                       "TN01", "DT01", f"R{i:06d}", "cash", customer_name=name, address=address)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(TEXT, TEXT), min_size=1, max_size=4))
def test_any_text_round_trips_and_is_never_a_formula(tmp_path_factory, pairs):
    d = tmp_path_factory.mktemp("cells")
    rows = [row(i, n, a) for i, (n, a) in enumerate(pairs)]
    ctl = control_for(rows, batch_id="B", station="ST01", journal_head="")
    xlsx, csv_path = d / "t.xlsx", d / "t.csv"
    write_xlsx(str(xlsx), rows, ctl, PROFILE, WHEN)
    with open(csv_path, "wb") as fh:
        write_csv(fh, rows, PROFILE)
    expected = table(rows, PROFILE)
    # a different reader than the writer
    got = python_calamine.CalamineWorkbook.from_path(str(xlsx)).get_sheet_by_name("GACH_NO").to_python()
    for g, (name, address) in zip(got[1:], pairs, strict=True):
        assert g[1] == name and g[2] == address
    assert read_clearing(xlsx, PROFILE).rows == expected
    assert read_clearing(csv_path, PROFILE).rows == expected
    sheet_xml = zipfile.ZipFile(xlsx).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    assert all(re.search(r't="inlineStr"', c) for c in re.findall(r'<c r="[BC]\d+"[^>]*>', sheet_xml))
    flagged = {(f.row, f.column) for f in flags_for(expected, PROFILE)}
    for r, (name, address) in enumerate(pairs, start=2):
        assert ((r, "TEN_KHANG") in flagged) == name.startswith(("=", "+", "-", "@", "\t", "\r"))
        assert ((r, "DIA_CHI") in flagged) == address.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_csv_formula_guard_is_visible_and_reversible(tmp_path):
    rows = [row(1, "=1+2", "'=quoted"), row(2, "-5", "@SUM(A1)")]
    buf = io.BytesIO()
    write_csv(buf, rows, PROFILE)
    text = buf.getvalue().decode("utf-8-sig")
    assert "'=1+2" in text and "''=quoted" in text and "'-5" in text and "'@SUM(A1)" in text
    path = tmp_path / "g.csv"
    path.write_bytes(buf.getvalue())
    assert read_clearing(path, PROFILE).rows == table(rows, PROFILE)


def test_reversal_amounts_are_numbers_not_formulas(tmp_path):
    r = row(1, "A", "B")
    rev = ClearingRow(**{**{f: getattr(r, f) for f in r.__slots__}, "kind": "reversal", "total": -108_000})
    ctl = control_for([r, rev], batch_id="B", station="ST01", journal_head="")
    write_xlsx(str(tmp_path / "r.xlsx"), [r, rev], ctl, PROFILE, WHEN)
    got = python_calamine.CalamineWorkbook.from_path(str(tmp_path / "r.xlsx")).get_sheet_by_name("GACH_NO").to_python()
    assert got[2][4] == -108_000 and not isinstance(got[2][4], str)
    assert flags_for(table([r, rev], PROFILE), PROFILE) == []


def test_same_input_same_bytes_and_time_stamps_fixed(tmp_path):
    rows = [row(i, f"Tên {i}", "Địa chỉ") for i in range(3)]
    ctl = control_for(rows, batch_id="B", station="ST01", journal_head="")
    write_xlsx(str(tmp_path / "a.xlsx"), rows, ctl, PROFILE, WHEN)
    write_xlsx(str(tmp_path / "b.xlsx"), rows, ctl, PROFILE, WHEN)
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    z = zipfile.ZipFile(tmp_path / "a.xlsx")
    assert {i.date_time for i in z.infolist()} == {(2026, 11, 23, 17, 0, 0)}
    core = z.read("docProps/core.xml").decode()
    assert "2026-11-23T10:00:00Z" in core  # 17:00 in Vietnam = 10:00 UTC, not the time of writing
