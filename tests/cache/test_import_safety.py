"""Import safety (issue 11 §4): a cut csv, rejected rows, huge or odd amounts and control
characters never turn the counter's bills "paid elsewhere" or reach the database."""

from __future__ import annotations

import pytest
from cache_helpers import HEADER, bill_row, table_dump, write_extract

from cashier.core.demo_data import generate_rows
from cashier.core.errors import FileRefused
from cashier.export.extract_writer import write_table


def status(station, code, bill_id):
    return station.db.execute_sql(
        "SELECT status FROM bill WHERE customer_code = ? AND bill_id = ?", (code, bill_id)
    ).fetchone()[0]


def unpaid(station):
    return station.db.execute_sql("SELECT COUNT(*) FROM bill WHERE status = 'unpaid'").fetchone()[0]


@pytest.fixture
def demo_csv(tmp_path):
    path = tmp_path / "full.csv"
    n = write_table(path, HEADER, generate_rows(400, seed=21))
    return path, n


# -- 1. a csv that ends inside a row ------------------------------------------------------------
def _cut(path, out, at):
    data = path.read_bytes()
    out.write_bytes(data[:at])
    return out


def _inside_a_row(data: bytes, fraction: float) -> int:
    """A byte offset in the middle of a row (after its 3rd comma), about ``fraction`` in."""
    start = data.index(b"\n", int(len(data) * fraction)) + 1
    pos = start
    for _ in range(3):
        pos = data.index(b",", pos) + 1
    return pos + 2


def test_a_csv_cut_in_the_middle_of_a_row_is_refused(station, tmp_path, demo_csv):
    full, n = demo_csv
    station.cache.import_extract(full)
    before = table_dump(station)
    cut = _cut(full, tmp_path / "cut.csv", _inside_a_row(full.read_bytes(), 0.5))
    with pytest.raises(FileRefused) as err:
        station.cache.import_extract(cut)
    assert err.value.code == "csv.truncated"
    assert "cut" in str(err.value) and "bị cắt" in err.value.text("vi")
    assert table_dump(station) == before  # not a single bill "paid elsewhere"
    assert unpaid(station) == n


def test_an_unterminated_quote_at_the_end_is_refused(station, tmp_path):
    rows = [bill_row(f"PC12AA{i:07d}", str(i)) for i in range(1, 6)]
    path = write_extract(tmp_path / "q.csv", rows)
    data = path.read_bytes()
    # the last row cut inside its quoted address: '...,"Số 12 Hùng'
    start = data.rindex(b'"' + rows[-1][3].encode())
    cut = data[: start + 8]
    (tmp_path / "q2.csv").write_bytes(cut)
    with pytest.raises(FileRefused) as err:
        station.cache.import_extract(tmp_path / "q2.csv")
    assert err.value.code == "csv.truncated"


def test_a_cut_multibyte_character_is_a_truncation_not_a_wrong_encoding(station, tmp_path):
    rows = [bill_row(f"PC12AA{i:07d}", str(i)) for i in range(1, 6)]
    rows[-1][2] = "Nguyễn Văn Mễ"
    path = write_extract(tmp_path / "m.csv", rows)
    data = path.read_bytes()
    cut = data[: data.rindex("ễ".encode()) + 1]  # the first byte of ễ only
    (tmp_path / "m2.csv").write_bytes(cut)
    with pytest.raises(FileRefused) as err:
        station.cache.import_extract(tmp_path / "m2.csv")
    assert err.value.code == "csv.truncated"


def test_a_complete_csv_without_a_final_newline_is_accepted(station, tmp_path, demo_csv):
    full, n = demo_csv
    data = full.read_bytes().rstrip(b"\r\n")
    (tmp_path / "nonl.csv").write_bytes(data)
    summary = station.cache.import_extract(tmp_path / "nonl.csv")
    assert summary.bills == n and summary.rejected == []


def test_a_csv_cut_in_the_child_process_is_refused_too(station, tmp_path, demo_csv):
    full, n = demo_csv
    station.cache.import_extract(full)
    before = table_dump(station)
    cut = _cut(full, tmp_path / "cut.csv", _inside_a_row(full.read_bytes(), 0.7))
    station.cache.parse_in_child = True
    with pytest.raises(FileRefused) as err:
        station.cache.import_extract(cut)
    assert err.value.code == "csv.truncated"
    assert table_dump(station) == before


# -- 3. a rejected row protects its bill ----------------------------------------------------------
def test_rows_rejected_for_a_bad_code_keep_their_bills_unpaid(station, tmp_path):
    rows = [bill_row(f"PC12AA{i:07d}", str(1000 + i)) for i in range(1, 21)]
    station.cache.import_extract(write_extract(tmp_path / "1.csv", rows))
    again = [list(r) for r in rows]
    for r in again[:5]:
        r[1] = "Р" + r[1][1:]  # a Cyrillic Р (U+0420) typed instead of the Latin P
    s = station.cache.import_extract(write_extract(tmp_path / "2.csv", again))
    assert len(s.rejected) == 5 and all("not a valid customer code" in r.reason for r in s.rejected)
    assert s.paid_elsewhere == 0
    assert all(status(station, f"PC12AA{i:07d}", str(1000 + i)) == "unpaid" for i in range(1, 6))


def test_a_row_naming_no_bill_protects_its_unit(station, tmp_path):
    rows = [bill_row(f"PC12AA{i:07d}", str(1000 + i)) for i in range(1, 11)]
    rows += [bill_row(f"PC12BB{i:07d}", str(2000 + i)) for i in range(1, 11)]
    station.cache.import_extract(write_extract(tmp_path / "1.csv", rows))
    bad = list(rows[3])
    bad[1], bad[7] = "PC12AA00000x4", ""  # neither its code nor its bill id can be read
    again = rows[:3] + [bad] + rows[4:10] + rows[10:15]  # PC12BB 6-10 really are gone
    s = station.cache.import_extract(write_extract(tmp_path / "2.csv", again), accept_missing=True)
    assert len(s.rejected) == 1
    assert status(station, "PC12AA0000004", "1004") == "unpaid"
    assert s.paid_elsewhere == 5  # only the PC12BB bills
    assert any("PC12AA" in w for w in s.warnings)


def test_rejected_bill_ids_travel_back_from_the_child(station, tmp_path):
    rows = [bill_row(f"PC12AA{i:07d}", str(1000 + i)) for i in range(1, 21)]
    station.cache.import_extract(write_extract(tmp_path / "1.csv", rows))
    again = [list(r) for r in rows]
    again[0][1] = "Р" + again[0][1][1:]
    station.cache.parse_in_child = True
    for suffix in (".csv", ".xlsx"):
        s = station.cache.import_extract(write_extract(tmp_path / f"2{suffix}", again))
        assert s.paid_elsewhere == 0 and len(s.rejected) == 1
        assert status(station, "PC12AA0000001", "1001") == "unpaid"


# -- 5. amounts, numbers and control characters ----------------------------------------------------
def _bad(col, value):
    r = bill_row("PC12AA0000009", "9")
    r[col] = value
    return r


NUMBERS = [
    (14, "٣", "TONG_TIEN", "0-9"),
    (14, "１２３４５６", "TONG_TIEN", "0-9"),
    (11, "１２０", "DIEN_TTHU", "0-9"),
    (14, "99999999999999999", "TONG_TIEN", "larger than"),
    (14, "99.999.999.999.999.999", "TONG_TIEN", "larger than"),
    (11, "9223372036854775808", "DIEN_TTHU", "larger than"),
    (18, "9223372036854775808", "CS_CKY", "larger than"),
    (17, "9" * 5000, "CS_DKY", "larger than"),
]
#: (csv only: XML 1.0, so an xlsx cell, cannot hold them)
CONTROLS = [
    (2, "Nguyễn\x00 Văn An", "TEN_KHANG", "control character"),
    (3, "Số 12\x07 Hùng Vương", "DIA_CHI", "control character"),
    (7, "12\x0034", "ID_HDON", "control character"),
    (15, "1K26\x1bTAA", "KIHIEU_SERY", "control character"),
    (19, "50x1984\x00;20x2050", "CHI_TIET_BAC", "control character"),
]


@pytest.mark.parametrize(
    "suffix, col, value, column, needle",
    [(x, *case) for x in (".csv", ".xlsx") for case in NUMBERS]
    + [(".csv", *case) for case in CONTROLS],
)
def test_bad_numbers_and_control_characters_are_rejected_rows(
    station, tmp_path, suffix, col, value, column, needle
):  # fmt: skip
    good = [bill_row(f"PC12AA{i:07d}", str(i)) for i in range(1, 5)]
    bad = _bad(col, value)
    if col == 14 and value.isascii() and len(value) < 40:  # keep the sum right: only the limit is wrong
        bad[12] = str(int(value.replace(".", "")) - bad[13])
    path = write_extract(tmp_path / f"x{suffix}", [*good, bad])
    s = station.cache.import_extract(path)
    assert s.bills == 4
    (r,) = s.rejected
    assert r.row == 6 and r.column == column, r
    assert needle in r.reason, r.reason
    assert r.text("vi") != r.reason
    assert "\x00" not in r.value  # the report shows it escaped


def test_the_bill_limit_is_a_profile_setting():
    import dataclasses

    from cashier.core.extract.profile import ExtractProfile, default_profile
    from cashier.core.extract.rows import parse_rows

    rows = list(enumerate([HEADER, bill_row("PC12AA0000001", "1", kwh=500)], 1))  # ~1.7 M đ
    assert len(parse_rows(rows, default_profile())[2]) == 1
    profile = dataclasses.replace(default_profile(), max_bill_amount=1_000_000)
    _, _, accepted, rejected = parse_rows(rows, profile)
    assert accepted == [] and "larger than" in rejected[0].reason
    data = {"extract": {"columns": dict(profile.columns), "max_bill_amount": "1.000.000"}}
    assert ExtractProfile.from_dict(data, "p").max_bill_amount == 1_000_000
    with pytest.raises(FileRefused):
        ExtractProfile.from_dict({"extract": {**data["extract"], "max_bill_amount": 1.5}}, "p")
