"""A damaged or cut sheet XML inside a valid zip is refused, never read short (issue 11 §4):
python-calamine can stop early or spread rows over thousands of empty ones without an error,
and then every bill it did not read would become "paid elsewhere"."""

from __future__ import annotations

import re
import zipfile

import pytest
from cache_helpers import HEADER, table_dump

from cashier.core.demo_data import generate_rows
from cashier.core.errors import FileRefused
from cashier.db.readers.extract_reader import ExtractLoader
from cashier.export.extract_writer import write_table

SHEET = "xl/worksheets/sheet1.xml"


@pytest.fixture(params=["calamine", "stream"])
def engine(request, station):
    station.cache.reader = ExtractLoader(xlsx_engine=request.param)
    return request.param


@pytest.fixture
def good(tmp_path_factory):
    """A ~1,200-row workbook whose sheet declares its dimension (as Excel writes it)."""
    base = tmp_path_factory.mktemp("good")
    plain = base / "plain.xlsx"
    n = write_table(plain, HEADER, generate_rows(700, seed=31))
    xml = _sheet(plain)
    last = int(re.findall(rb'<row r="(\d+)"', xml)[-1])
    xml = xml.replace(b"<sheetData>", b'<dimension ref="A1:V%d"/><sheetData>' % last, 1)
    path = _rezip(plain, base / "good.xlsx", xml)
    return path, n, last


def _sheet(path):
    with zipfile.ZipFile(path) as zf:
        return zf.read(SHEET)


def _rezip(src, dst, sheet_xml):
    """``src`` with its sheet XML replaced, recompressed: the zip itself stays valid (sizes and
    CRC match the new bytes), only the XML is damaged."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = sheet_xml if info.filename == SHEET else zin.read(info.filename)
            zout.writestr(info.filename, data)
    return dst


def _damage_two_bytes(xml: bytes, at: bytes, new: bytes) -> bytes:
    i = xml.index(at)
    assert len(new) == 2
    return xml[:i] + new + xml[i + 2 :]


def _refused(station, path):
    before = table_dump(station)
    with pytest.raises(FileRefused) as err:
        station.cache.import_extract(path)
    assert table_dump(station) == before  # nothing applied, no bill "paid elsewhere"
    assert err.value.text("vi") != str(err.value)
    return err.value


def test_the_good_workbook_imports_with_both_engines(station, engine, good):
    path, n, _ = good
    assert station.cache.import_extract(path).bills == n


def test_rows_cut_away_with_the_sheet_closed_again(station, engine, good, tmp_path):
    """The XML ends properly after row 600 of 1,200: both readers would read 600 rows."""
    path, n, last = good
    station.cache.import_extract(path)
    xml = _sheet(path)
    cut = xml[: xml.index(b'<row r="600"')] + b"</sheetData></worksheet>"
    err = _refused(station, _rezip(path, tmp_path / "cut.xlsx", cut))
    assert err.code == "xlsx.short_read"
    assert f"{last:,}" in str(err) and "599" in str(err)


def test_the_xml_truncated(station, engine, good, tmp_path):
    path, _, _ = good
    station.cache.import_extract(path)
    xml = _sheet(path)
    err = _refused(station, _rezip(path, tmp_path / "trunc.xlsx", xml[: len(xml) * 2 // 3]))
    assert err.code in ("xlsx.short_read", "xlsx.unreadable")


def test_two_damaged_bytes_in_a_cell_reference(station, engine, good, tmp_path):
    """r="A1100" -> r="A9900": calamine puts that cell 8,800 rows down and reads thousands of
    empty rows in between (the streaming reader goes by the row element and reads it right)."""
    path, n, _ = good
    station.cache.import_extract(path)
    before = table_dump(station)
    xml = _damage_two_bytes(_sheet(path), b'1100" t=', b"99")
    assert b'<c r="A9900"' in xml
    damaged = _rezip(path, tmp_path / "damaged.xlsx", xml)
    if engine == "calamine":
        err = _refused(station, damaged)
        assert err.code == "extract.empty_run" and "empty rows" in str(err)
    else:  # read right: the same bills, nothing paid elsewhere
        summary = station.cache.import_extract(damaged)
        assert summary.bills == n and summary.paid_elsewhere == 0
        assert table_dump(station)["bill"] == before["bill"]


def test_two_damaged_bytes_in_the_sheet_data_tag(station, engine, good, tmp_path):
    """<sheetData> -> <sxxetData>: calamine reads no row at all, without an error."""
    path, _, _ = good
    station.cache.import_extract(path)
    xml = _damage_two_bytes(_sheet(path), b"heetData>", b"xx")
    err = _refused(station, _rezip(path, tmp_path / "tag.xlsx", xml))
    if engine == "calamine":
        assert err.code == "xlsx.short_read"
    else:
        assert err.code == "xlsx.unreadable" and "sheetData" in str(err)


def test_a_long_run_of_empty_rows_refuses_any_file(station, tmp_path):
    rows = list(generate_rows(50, seed=3))
    blank = [[""] * len(HEADER)] * 1000
    path = tmp_path / "gap.csv"
    write_table(path, HEADER, rows[:40] + blank + rows[40:])
    err = _refused(station, path)
    assert err.code == "extract.empty_run" and "1,000" in str(err)
    path2 = tmp_path / "gap2.csv"
    write_table(path2, HEADER, rows[:40] + blank[:999] + rows[40:])
    assert station.cache.import_extract(path2).bills == len(rows)


def test_calamine_stopping_early_without_an_error_is_caught(station, good, monkeypatch):
    """What was seen with damaged sheets (rows_read 1,566 of 4,103, the rest "empty"): calamine
    stops inside the XML and gives empty rows for the rest - fewer here than the empty-run rule
    needs, so the check of the last row with a value in the XML must catch it."""
    from cashier.db.readers import xlsx_sources

    path, n, last = good
    station.cache.reader = ExtractLoader(xlsx_engine="calamine")
    station.cache.import_extract(path)
    real = xlsx_sources.CalamineXlsxSource._calamine_rows

    def stops_at_row_600(self):
        for rownum, row in real(self):
            yield rownum, (row if rownum < 600 else [""] * len(row))

    monkeypatch.setattr(xlsx_sources.CalamineXlsxSource, "_calamine_rows", stops_at_row_600)
    err = _refused(station, path)
    assert err.code == "xlsx.short_read" and "599" in str(err)


def test_the_openpyxl_engine_checks_the_same(station, good, tmp_path):
    path, _, last = good
    station.cache.reader = ExtractLoader(xlsx_engine="openpyxl")
    xml = _sheet(path)
    cut = xml[: xml.index(b'<row r="600"')] + b"</sheetData></worksheet>"
    err = _refused(station, _rezip(path, tmp_path / "cut.xlsx", cut))
    assert err.code == "xlsx.short_read" and f"{last:,}" in str(err)


def test_formatted_empty_rows_below_the_data_are_not_a_short_read(station, engine, tmp_path):
    """Excel counts cells with only a style in the dimension and writes their rows: 1,500 such
    rows below the data are neither a short read nor a run of empty rows."""
    import openpyxl
    from openpyxl.styles import Font

    rows = list(generate_rows(60, seed=5))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append([str(v) for v in r])
    for r in range(len(rows) + 2, len(rows) + 1502):
        ws.cell(r, 1).font = Font(bold=True)
    wb.save(tmp_path / "styled.xlsx")
    assert b'dimension ref="A1:V%d"' % (len(rows) + 1501) in _sheet(tmp_path / "styled.xlsx")
    assert station.cache.import_extract(tmp_path / "styled.xlsx").bills == len(rows)
