"""Importing messy csv/xlsx extracts end to end (files written by the project's writer)."""

from __future__ import annotations

import csv
import unicodedata

import pytest
from cache_helpers import HEADER, bill_row, table_dump, write_extract

from cashier.core.errors import Conflict, FileRefused

TITLES = [["CÔNG TY ĐIỆN LỰC ĐẮK LẮK"], ["BẢNG KÊ NỢ TIỀN ĐIỆN THÁNG 10/2026"], []]


def messy_rows(excel: bool):
    """Good rows in every messy form, plus the bad ones; returns (rows, expected rejects)."""
    rows = []
    for i in range(1, 31):
        r = bill_row(f"PC12AA{i:07d}", str(100 + i), kwh=50 + 7 * i,
                     name=["Nguyễn Văn An", "Trần Thị Hoa", "Lê Văn Bình"][i % 3])  # fmt: skip
        if i % 4 == 0:  # numbers as text with "." thousands separators
            r[12:15] = [f"{v:,}".replace(",", ".") for v in r[12:15]]
        if i % 5 == 0 and excel:  # Excel floats
            r[12:15] = [float(str(v).replace(".", "")) for v in r[12:15]]
        if i % 3 == 0:  # NFD text, extra spaces
            r[2] = "  " + unicodedata.normalize("NFD", r[2]).replace(" ", "   ") + " "
        rows.append(r)
        if i == 10:
            rows.append([])  # empty row
            rows.append(list(r))  # identical duplicate
    bad_fraction = bill_row("PC12AA0000099", "199")
    bad_fraction[14] = 123.5 if excel else "123,5"
    bad_code = bill_row("PC12AA0000098", "198")
    bad_code[1] = "PC12AA98"
    rows += [bad_fraction, bad_code]
    return rows


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_messy_extract_imports_good_rows_and_reports_bad_ones(station, tmp_path, suffix):
    path = write_extract(
        tmp_path / f"no{suffix}", messy_rows(suffix == ".xlsx"), TITLES and [h.lower() + " " for h in HEADER],
        title_rows=TITLES, footer_rows=[["Tổng cộng", "", "", "", "", "", "", "", "", "", "", "", "1", "2", "3"]],
    )  # fmt: skip
    calls = []
    summary = station.cache.import_extract(path, progress=lambda d, t, p: calls.append(p))
    assert (summary.customers, summary.bills, summary.duplicates) == (30, 30, 1)
    assert [r.row for r in summary.rejected] == [4 + 33, 4 + 34]
    reasons = " | ".join(r.reason for r in summary.rejected)
    assert "fraction" in reasons and "not a valid customer code" in reasons
    assert {r.column for r in summary.rejected} == {"tong_tien", "ma_khang"}
    assert any("empty rows" in w for w in summary.warnings)
    assert any("footer" in w for w in summary.warnings)
    assert {"read", "apply", "done"} <= set(calls)
    # the report sits next to the database, in reports/
    report = station.reports_dir / summary.report_path.split("/")[-1]
    assert report.exists() and report.parent == station.db_path.parent / "reports"
    with open(report, encoding="utf-8-sig") as fh:
        lines = list(csv.DictReader(fh))
    assert [int(x["row"]) for x in lines] == [37, 38] and lines[0]["ly_do"]
    lk = station.cache.lookup("PC12AA0000006")
    assert lk.customer.name == "Nguyễn Văn An"  # NFD and spaces cleaned
    assert unicodedata.is_normalized("NFC", lk.customer.name)
    expected = sum(bill_row(f"PC12AA{i:07d}", "1", kwh=50 + 7 * i)[14] for i in range(1, 31))
    assert summary.total_due == expected


def test_import_applies_nothing_when_refused_for_too_many_bad_rows(station, tmp_path):
    station.cache.import_extract(write_extract(tmp_path / "a.csv", [bill_row("PC12AA0000001", "1")]))
    before = table_dump(station)
    bad = [bill_row(f"PC12AA{i:07d}", str(i)) for i in range(2, 12)]
    for r in bad[:7]:
        r[14] = "lỗi"
    with pytest.raises(FileRefused) as err:
        station.cache.import_extract(write_extract(tmp_path / "b.csv", bad))
    assert "7 of 10" in str(err.value) and "row 2" in str(err.value)
    vi = err.value.text("vi")  # the first bad row's reason in Vietnamese too, not in English
    assert "7/10" in vi and "dòng 2: TONG_TIEN" in vi and "Not an amount" not in vi, vi
    assert table_dump(station) == before
    refused = station.db.execute_sql("SELECT status, rejected, report_path FROM import_batch ORDER BY id").fetchall()
    assert refused[-1][0] == "refused" and refused[-1][1] == 7 and refused[-1][2]


def test_crash_before_applying_rolls_everything_back(station, tmp_path, monkeypatch):
    station.cache.import_extract(write_extract(tmp_path / "a.csv", [bill_row("PC12AA0000001", "1")]))
    before = table_dump(station)
    rows = [bill_row(f"PC12AA{i:07d}", str(i)) for i in range(1, 12_000)]
    from cashier.db.sqlite import cache_import

    real_prepare = cache_import.SqliteImportSession.prepare

    def crash(self, now):
        real_prepare(self, now)  # the diff is worked out (no write lock) ...
        raise RuntimeError("power cut")  # ... and then the process dies

    monkeypatch.setattr(cache_import.SqliteImportSession, "prepare", crash)
    with pytest.raises(RuntimeError):
        station.cache.import_extract(write_extract(tmp_path / "b.csv", rows))
    assert table_dump(station) == before
    monkeypatch.undo()
    s = station.cache.import_extract(write_extract(tmp_path / "c.csv", rows[:10]), accept_missing=True)
    assert s.bills == 10  # still usable


def test_cancel_leaves_the_cache_unchanged(station, tmp_path):
    station.cache.import_extract(write_extract(tmp_path / "a.csv", [bill_row("PC12AA0000001", "1")]))
    before = table_dump(station)
    rows = [bill_row(f"PC12AA{i:07d}", str(i)) for i in range(2, 12_000)]
    seen = []

    def cancel():
        seen.append(1)
        return len(seen) > 1

    with pytest.raises(Conflict) as err:
        station.cache.import_extract(write_extract(tmp_path / "b.csv", rows), cancel=cancel)
    assert err.value.code == "import.cancelled" and "hủy" in err.value.text("vi")
    assert table_dump(station) == before


def test_file_without_header_is_refused_with_the_missing_columns(station, tmp_path):
    path = write_extract(tmp_path / "x.csv", [["a", "b"]], header=["MA_KHANG", "TEN_KHANG", "GHI_CHU"])
    with pytest.raises(FileRefused) as err:
        station.cache.import_extract(path)
    assert "TONG_TIEN" in str(err.value)


def test_cp1258_semicolon_csv(station, tmp_path):
    path = tmp_path / "win.csv"
    rows = [bill_row("PC12AA0000001", "1", name=_win1258("Phạm Thị Hường"), address=_win1258("Buôn Ma Thuột"))]
    write_extract(path, rows, encoding="cp1258", delimiter=";")
    assert b";" in path.read_bytes()[:200]
    station.cache.import_extract(path)
    lk = station.cache.lookup("PC12AA0000001")
    assert (lk.customer.name, lk.customer.address) == ("Phạm Thị Hường", "Buôn Ma Thuột")


def _win1258(text: str) -> str:
    """Windows-1258 spelling: letters with their vowel marks precomposed, tones combining."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    letters: list[list[str]] = []  # [base with vowel marks, tone marks]
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and letters:
            if ch in tones:
                letters[-1][1] += ch
            else:
                letters[-1][0] = unicodedata.normalize("NFC", letters[-1][0] + ch)
        else:
            letters.append([ch, ""])
    return "".join(base + tone for base, tone in letters)


def test_tcvn3_legacy_csv(station, tmp_path):
    path = tmp_path / "legacy.csv"
    rows = [bill_row("PC12AA0000001", "1", name="NguyÔn V¨n §¹t", address="Hµ Néi")]
    write_extract(path, rows, encoding="latin-1")
    s = station.cache.import_extract(path)
    assert station.cache.lookup("PC12AA0000001").customer.name == "Nguyễn Văn Đạt"
    assert any("TCVN-3" in w for w in s.warnings)


def test_other_company_profile_with_vietnamese_headers(station, tmp_path):
    profile = station.cache.profile("pc_vi_headers")
    header = [profile.header_name(f) for f in HEADER if f in profile.columns]
    keep = [i for i, f in enumerate(HEADER) if f in profile.columns]
    rows = [[r[i] for i in keep] for r in (bill_row("PC12AA0000001", "1"), bill_row("PC12AA0000001", "2", thang=9))]
    path = write_extract(tmp_path / "vi.xlsx", rows, header=header, title_rows=[["BẢNG KÊ"]])
    with pytest.raises(FileRefused):  # the default profile does not know these headers
        station.cache.import_extract(path)
    s = station.cache.import_extract(path, "pc_vi_headers")
    assert (s.customers, s.bills, s.profile) == (1, 2, "pc_vi_headers")
    assert [b.thang for b in station.cache.lookup("PC12AA0000001").bills] == [9, 10]
    assert station.cache.profiles()[0] == "default" and "pc_vi_headers" in station.cache.profiles()


def test_card_codes_and_disconnected_flag(station, tmp_path):
    rows = [bill_row("PC12AA0000001", "1", card="TH123", disconnected="x"),
            bill_row("PC12AA0000002", "2")]  # fmt: skip
    station.cache.import_extract(write_extract(tmp_path / "a.csv", rows))
    lk = station.cache.lookup("th123")
    assert lk.customer.code == "PC12AA0000001" and lk.customer.card_code == "TH123"
    assert lk.customer.disconnected is True
    assert station.cache.lookup("PC12AA0000002").customer.disconnected is False


def test_demo_data_first_start(station):
    from cashier.app_gui import ensure_demo_data

    summary = ensure_demo_data(station, customers=2000)
    assert summary.customers == 2000 and summary.bills > 3000 and summary.rejected == []
    assert ensure_demo_data(station) is None  # not twice
    assert station.cache.search("nguyen van", 5)


def test_big_workbook_streams_within_the_memory_budget(station, tmp_path):
    """Over the memory budget the loader streams the sheet instead of loading it (calamine)."""
    from cashier.db.readers.extract_reader import ExtractLoader

    rows = [bill_row(f"PC12AA{i:07d}", str(i), name="Đặng Thị Thu") for i in range(1, 40)]
    path = write_extract(tmp_path / "big.xlsx", rows, title_rows=TITLES)
    station.cache.reader = ExtractLoader(memory_budget_mb=1)
    s = station.cache.import_extract(path)
    assert (s.customers, s.bills, s.rejected) == (39, 39, [])
    assert any("streaming reader" in w for w in s.warnings)
    assert station.cache.lookup("PC12AA0000007").customer.name == "Đặng Thị Thu"


def test_a_store_error_while_staging_surfaces_and_rolls_back(station, tmp_path, monkeypatch):
    station.cache.import_extract(write_extract(tmp_path / "a.csv", [bill_row("PC12AA0000001", "1")]))
    before = table_dump(station)
    from cashier.db.sqlite import cache_import

    calls = []
    real_stage = cache_import.SqliteImportSession.stage

    def failing_stage(self, customers, bills):
        calls.append(len(bills))
        if len(calls) == 2:
            raise OSError("disk full")
        real_stage(self, customers, bills)

    monkeypatch.setattr(cache_import.SqliteImportSession, "stage", failing_stage)
    rows = [bill_row(f"PC12AA{i:07d}", str(i)) for i in range(2, 30_000)]
    with pytest.raises(OSError, match="disk full"):
        station.cache.import_extract(write_extract(tmp_path / "b.csv", rows))
    monkeypatch.undo()
    assert table_dump(station) == before
