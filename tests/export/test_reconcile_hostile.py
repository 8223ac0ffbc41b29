"""CMIS's clearing result goes through the same guard as the debt extract
(cashier.core.xlsx_guard) and the same csv sniffer (cashier.core.csv_sniff)."""

from __future__ import annotations

import struct
import zipfile

import pytest

from cashier.core.errors import FileRefused
from cashier.core.vntext import to_cp1258

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol9 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
]>
<sst><si><t>&lol9;</t></si></sst>"""


def _result_xlsx(tmp_path, name: str, member: str, payload: bytes):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["MA_KHANG", "ID_HDON", "TRANG_THAI"])
    good = tmp_path / "good.xlsx"
    wb.save(good)
    path = tmp_path / name
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename != member:
                dst.writestr(item, src.read(item))
        dst.writestr(member, payload)
    return path


def _lie_about_size(path, member: str, size: int) -> None:
    """Make the local header and the central directory declare ``size`` bytes for ``member``."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(member)
    struct.pack_into("<I", data, info.header_offset + 22, size)
    cd = data.find(member.encode(), data.find(b"PK\x01\x02")) - 46
    assert data[cd : cd + 4] == b"PK\x01\x02"
    struct.pack_into("<I", data, cd + 24, size)
    path.write_bytes(bytes(data))


def test_a_result_whose_central_directory_lies_about_sizes_is_refused(station, tmp_path, manager):
    member = "xl/worksheets/sheet1.xml"
    sheet = f"<worksheet {_NS}><sheetData/></worksheet>".encode() + b" " * 3_000_000
    path = _result_xlsx(tmp_path, "liar.xlsx", member, sheet)
    _lie_about_size(path, member, 1000)
    with zipfile.ZipFile(path) as zf:  # what the old check trusted: small, harmless sizes
        assert sum(i.file_size for i in zf.infolist()) < 100_000
    with pytest.raises(FileRefused, match="zip bomb") as err:
        station.export.reconcile(path, actor=manager)
    assert "unpacks past its declared" in str(err.value)
    assert err.value.code == "xlsx.bomb"


def test_a_result_with_an_entity_declaration_is_refused(station, tmp_path, manager):
    path = _result_xlsx(tmp_path, "laughs.xlsx", "xl/sharedStrings.xml", BILLION_LAUGHS)
    with pytest.raises(FileRefused, match="DOCTYPE/ENTITY"):
        station.export.reconcile(path, actor=manager)


def test_a_result_that_is_no_spreadsheet_is_refused(station, tmp_path, manager):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(FileRefused, match="damaged|not an Excel"):
        station.export.reconcile(path, actor=manager)


def test_a_windows_1258_result_with_semicolons_is_read_by_the_sniffer(tmp_path):
    from cashier.core.clearing import ReconcileProfile
    from cashier.export.reconcile_reader import read_results

    text = "MA_KHANG;ID_HDON;TRANG_THAI;LY_DO\r\nPC12AA0000001;HD1;TU_CHOI;Sai kỳ hóa đơn\r\n"
    path = tmp_path / "ketqua.csv"
    path.write_bytes(to_cp1258(text))
    _, (row,) = read_results(path, ReconcileProfile(status_words={"TU_CHOI": "refused"}))
    assert (row.customer_code, row.bill_id, row.reason) == ("PC12AA0000001", "HD1", "Sai kỳ hóa đơn")
