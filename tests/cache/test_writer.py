"""The extract writer keeps codes and formula-looking text as text cells."""

from __future__ import annotations

import openpyxl
from cache_helpers import HEADER, bill_row, write_extract


def test_xlsx_text_cells_never_become_formulas_or_numbers(tmp_path):
    row = bill_row("PC12AA0000001", "0012345", name="=HYPERLINK(\"x\")", address="+84 Hùng Vương")
    path = write_extract(tmp_path / "w.xlsx", [row], title_rows=[["BẢNG KÊ"]])
    ws = openpyxl.load_workbook(path).worksheets[0]
    assert [c.value for c in ws[2]] == HEADER
    name, address, bill_id = ws.cell(3, 3), ws.cell(3, 4), ws.cell(3, 8)
    assert (name.value, name.data_type) == ('=HYPERLINK("x")', "s")
    assert (address.value, address.data_type) == ("+84 Hùng Vương", "s")
    assert (bill_id.value, bill_id.data_type) == ("0012345", "s")
    assert ws.cell(3, 15).value == row[14] and ws.cell(3, 15).data_type == "n"


def test_imported_formula_text_stays_text(station, tmp_path):
    row = bill_row("PC12AA0000001", "1", name="=1+1 Nguyễn")
    station.cache.import_extract(write_extract(tmp_path / "w.xlsx", [row]))
    assert station.cache.lookup("PC12AA0000001").customer.name == "=1+1 Nguyễn"
