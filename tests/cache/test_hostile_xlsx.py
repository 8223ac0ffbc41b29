"""Corrupt and hostile xlsx files are refused with a message, fast: never a traceback or a hang."""

from __future__ import annotations

import struct
import time
import zipfile
import zlib

import pytest
from cache_helpers import bill_row, write_extract

from cashier.cli import main
from cashier.core.errors import FileRefused
from cashier.core.xlsx_guard import check_xlsx


@pytest.fixture(autouse=True, params=["auto", "stream"])
def engine(request, station):
    """Every refusal holds for the default engine (small files: the whole guard, then calamine)
    and for the streaming reader (archive checked first, inflation checked while reading)."""
    from cashier.db.readers.extract_reader import ExtractLoader

    station.cache.reader = ExtractLoader(xlsx_engine=request.param)
    return request.param


@pytest.fixture
def good_xlsx(tmp_path):
    return write_extract(tmp_path / "good.xlsx", [bill_row("PC12AA0000001", "1")])


def _refused(station, path, needle):
    t0 = time.monotonic()
    with pytest.raises(FileRefused) as err:
        station.cache.import_extract(path)
    assert time.monotonic() - t0 < 10, "a hostile file must be refused within seconds"
    assert needle in str(err.value), str(err.value)
    assert err.value.text("vi") != str(err.value)  # a Vietnamese message too
    return err.value


def test_good_xlsx_passes_the_guard(good_xlsx):
    assert check_xlsx(good_xlsx) == ["xl/worksheets/sheet1.xml"]


def test_not_a_zip(station, tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"MA_KHANG,TEN_KHANG\nthis is a csv renamed to xlsx\n")
    _refused(station, path, "not an Excel .xlsx file")


def test_old_xls(station, tmp_path):
    path = tmp_path / "old.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    _refused(station, path, "Excel 97-2003")


def test_empty_file(station, tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    _refused(station, path, "empty")


def test_truncated(station, tmp_path, good_xlsx):
    data = good_xlsx.read_bytes()
    for cut in (len(data) // 2, len(data) - 30):
        path = tmp_path / f"cut{cut}.xlsx"
        path.write_bytes(data[:cut])
        _refused(station, path, "damaged or incomplete")


def test_corrupted_member(station, tmp_path, good_xlsx):
    data = bytearray(good_xlsx.read_bytes())
    with zipfile.ZipFile(good_xlsx) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + 5
    data[start : start + 20] = b"\x00" * 20  # flip bytes inside the compressed sheet
    path = tmp_path / "flipped.xlsx"
    path.write_bytes(bytes(data))
    _refused(station, path, "damaged")


_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _workbook_with(tmp_path, name, member, payload, *, compress=zipfile.ZIP_DEFLATED):
    """A minimal workbook (one sheet, which a reader really opens) plus one extra/replaced member."""
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", compression=compress) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        zf.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook {_NS} xmlns:r="{_REL_NS}"><sheets>'
            '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        zf.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>",
        )
        if member != "xl/worksheets/sheet1.xml":
            zf.writestr("xl/worksheets/sheet1.xml", f"<worksheet {_NS}><sheetData/></worksheet>")
        zf.writestr(member, payload)
    return path


def test_zip_bomb_high_ratio(station, tmp_path):
    path = _workbook_with(tmp_path, "bomb.xlsx", "xl/worksheets/sheet1.xml", b"\0" * 60_000_000)
    assert path.stat().st_size < 200_000
    _refused(station, path, "zip bomb")


def test_zip_bomb_too_many_members(station, tmp_path):
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        for i in range(2_100):
            zf.writestr(f"xl/media/{i}.bin", b"x")
    _refused(station, path, "parts in the archive")


def test_zip_bomb_lying_size_header(station, tmp_path):
    """The central directory claims a small part; the data inflates far past it."""
    path = _workbook_with(tmp_path, "liar.xlsx", "xl/worksheets/sheet1.xml", b"<a/>" + b" " * 3_000_000)
    data = bytearray(path.read_bytes())
    # patch the declared uncompressed size (local header +22, central directory +24)
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    struct.pack_into("<I", data, info.header_offset + 22, 1000)
    name_at = data.find(b"xl/worksheets/sheet1.xml", data.find(b"PK\x01\x02"))
    cd = name_at - 46
    assert data[cd : cd + 4] == b"PK\x01\x02"
    struct.pack_into("<I", data, cd + 24, 1000)
    path.write_bytes(bytes(data))
    _refused(station, path, "unpacks past its declared")


def test_declared_size_too_large(station, tmp_path):
    path = _workbook_with(tmp_path, "huge.xlsx", "xl/worksheets/sheet1.xml", b"<a/>")
    data = bytearray(path.read_bytes())
    name_at = data.find(b"xl/worksheets/sheet1.xml", data.find(b"PK\x01\x02"))
    struct.pack_into("<I", data, name_at - 46 + 24, 4_000_000_000)
    path.write_bytes(bytes(data))
    _refused(station, path, "zip bomb")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol9 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<sst><si><t>&lol9;</t></si></sst>"""


@pytest.mark.parametrize("member", ["xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"])
def test_xml_bomb(station, tmp_path, good_xlsx, member):
    path = tmp_path / "xmlbomb.xlsx"
    with zipfile.ZipFile(good_xlsx) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename != member:
                dst.writestr(item, src.read(item))
        dst.writestr(member, BILLION_LAUGHS)
    _refused(station, path, "DOCTYPE/ENTITY")


def test_doctype_hidden_after_comments_and_padding(station, tmp_path):
    payload = b'<?xml version="1.0"?>' + b"<!-- x -->" * 50 + b"\n" * 10_000 + b"<!DOCTYPE a [<!ENTITY b 'c'>]><a/>"
    path = _workbook_with(tmp_path, "hidden.xlsx", "xl/sharedStrings.xml", payload)
    _refused(station, path, "DOCTYPE/ENTITY")


def test_cli_refusal_is_one_line_and_exit_2(tmp_path, capsys):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(zlib.compress(b"garbage"))
    rc = main(["--db", str(tmp_path / "c.sqlite3"), "import", str(path), "--json"])
    err = capsys.readouterr().err
    assert rc == 3
    assert "not an Excel .xlsx file" in err and "Traceback" not in err


def test_binary_file_named_csv_is_refused(station, tmp_path, good_xlsx):
    path = tmp_path / "renamed.csv"
    path.write_bytes(good_xlsx.read_bytes())
    with pytest.raises(FileRefused):
        station.cache.import_extract(path)
    nul = tmp_path / "nul.csv"
    nul.write_bytes(b"MA_KHANG,TEN_KHANG\nPC12AA0000001,A\x00B\n")
    with pytest.raises(FileRefused):
        station.cache.import_extract(nul)


def test_unsupported_suffix_and_missing_file(station, tmp_path):
    odd = tmp_path / "extract.pdf"
    odd.write_bytes(b"%PDF-1.4")
    with pytest.raises(FileRefused, match="unsupported file type"):
        station.cache.import_extract(odd)
    with pytest.raises(FileRefused, match="not found"):
        station.cache.import_extract(tmp_path / "nope.xlsx")
