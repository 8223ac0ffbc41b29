"""The streaming xlsx reader gives the same rows as python-calamine, refuses broken sheets, and
an import through it gives the same summary as through calamine."""

from __future__ import annotations

import dataclasses
import re
import zipfile
from datetime import datetime

import pytest

from cashier.core.errors import FileRefused
from cashier.db.readers.extract_reader import ExtractLoader, open_extract
from cashier.db.readers.xlsx_stream import StreamingXlsxSource

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
WS_TYPE = RELS + "/worksheet"


def calamine_rows(path):
    import python_calamine as pc

    wb = pc.CalamineWorkbook.from_path(str(path))
    try:
        sheet = wb.get_sheet_by_index(0)
        first = (sheet.start[0] if sheet.start else 0) + 1
        return {first + i: list(row) for i, row in enumerate(sheet.iter_rows())}
    finally:
        wb.close()


def stream_rows(path):
    src = StreamingXlsxSource(path)
    assert src.progress() == (0, 0)
    rows = {}
    for rownum, cells in src.rows():
        assert rownum not in rows
        rows[rownum] = list(cells)
    done, total = src.progress()
    assert total > 0 and done == total
    return rows, src


def _norm(rows):
    out = {}
    for n, cells in rows.items():
        cells = list(cells)
        while cells and cells[-1] == "":
            cells.pop()
        if cells:
            out[n] = [float(c) if isinstance(c, int) and not isinstance(c, bool) else c for c in cells]
    return out


def assert_same_as_calamine(path, differ=()):
    """``differ``: (row, column) cells where calamine reads something else (error cells: "")."""
    mine, src = stream_rows(path)
    theirs = calamine_rows(path)
    for rownum, col in differ:
        theirs[rownum][col] = mine[rownum][col]
    assert _norm(mine) == _norm(theirs)
    return mine, src


def write_xlsx(path, sheet_xml, *, sst_xml=None, sheets=(("Sheet1", "sheet1.xml"),), order=None):
    """A hand-written workbook; ``sheets`` in workbook order, ``order`` = rIds order in the rels."""
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{WS_TYPE}" Target="worksheets/{part}"/>'
        for i, (_, part) in enumerate(sheets, 1)
    )
    book_sheets = "".join(
        f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>' for i, (name, _) in enumerate(sheets, 1)
    )
    if order:
        by_id = {f"rId{i}": (name, i) for i, (name, _) in enumerate(sheets, 1)}
        book_sheets = "".join(
            f'<sheet name="{by_id[r][0]}" sheetId="{by_id[r][1]}" r:id="{r}"/>' for r in order
        )
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/{part}" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for _, part in sheets
    )
    if sst_xml is not None:
        rels += f'<Relationship Id="rId99" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>'
        overrides += (
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="'
            'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f"{overrides}</Types>",
        )
        zf.writestr(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}"><Relationship '
            f'Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        zf.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{RELS}">'
            f"<sheets>{book_sheets}</sheets></workbook>",
        )
        zf.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">{rels}</Relationships>',
        )
        for _, part in sheets:
            xml = sheet_xml[part] if isinstance(sheet_xml, dict) else sheet_xml
            zf.writestr(f"xl/worksheets/{part}", xml)
        if sst_xml is not None:
            zf.writestr("xl/sharedStrings.xml", sst_xml)
    return path


def sheet(rows_xml):
    # the dimension as Excel writes it: up to the last row (a bigger one is a short read)
    rows = [int(r) for r in re.findall(r'<row[^>]*\sr="(\d+)"', rows_xml)] or [1]
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}" '
        f'xmlns:r="{RELS}"><dimension ref="A1:H{max(rows)}"/><sheetData>{rows_xml}</sheetData>'
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        "</worksheet>"
    )


def test_openpyxl_shared_strings_workbook_reads_like_calamine(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["TỔNG CÔNG TY ĐIỆN LỰC", None, "x"])
    ws.append(["MA_KHANG", "TEN_KHANG", "TONG_TIEN", "KY", "Ghi chú"])
    ws.append(["PC12AA0000001", "Nguyễn Văn An", 740379, 1, "A & B <c>"])
    ws.append(["PC12AA0000002", "  Lê Thị  ", 1.5, -2, "Đắk Lắk"])
    ws.append([])
    ws.append(["PC12AA0000001", None, 12345678901, 3.25e-7, True])
    ws["H9"] = "far away"
    ws["B10"] = "=SUM(1,2)"
    path = tmp_path / "sst.xlsx"
    wb.save(path)
    mine, _ = assert_same_as_calamine(path)
    assert mine[3] == ["PC12AA0000001", "Nguyễn Văn An", 740379, 1, "A & B <c>"]
    assert isinstance(mine[3][2], int)
    assert mine[4][1:4] == ["  Lê Thị  ", 1.5, -2]
    assert mine[9] == [""] * 7 + ["far away"]


def test_openpyxl_write_only_inline_strings_reads_like_calamine(tmp_path):
    from cashier.core.demo_data import DEMO_FIELDS, generate_rows
    from cashier.export.extract_writer import write_table

    path = tmp_path / "inline.xlsx"
    rows = list(generate_rows(300, seed=3))
    rows[5][2] = "Công ty TNHH A & B"  # an entity: that row takes the slow path
    write_table(path, list(DEMO_FIELDS), rows, title_rows=[["BẢNG KÊ NỢ"], []])
    with zipfile.ZipFile(path) as zf:
        assert b"inlineStr" in zf.read("xl/worksheets/sheet1.xml")
    mine, src = assert_same_as_calamine(path)
    assert src.warnings == []
    assert mine[1] == ["BẢNG KÊ NỢ"]
    assert mine[3] == list(DEMO_FIELDS)
    assert len(mine) == len(rows) + 2  # row 2 is empty
    assert mine[9][2] == "Công ty TNHH A & B"
    assert mine[4] == list(rows[0])


ODD_ROWS = (
    # rich text runs (phonetic runs left out), entities and numeric character refs
    '<row r="1"><c r="A1" t="inlineStr"><is><r><rPr><b/><color rgb="FFFF0000"/></rPr><t xml:space="preserve">Nguyễn </t>'
    '</r><r><t xml:space="preserve">Văn  An </t></r><rPh sb="0" eb="1"><t>x</t></rPh></is></c>'
    '<c r="B1" t="inlineStr"><is><t>A &amp; B &lt;c&gt; &quot;q&quot; &apos;</t></is></c>'
    '<c r="C1" t="inlineStr"><is><t>&#x1EA0;&#7840;</t></is></c>'
    '<c r="D1" t="inlineStr"><is><t xml:space="preserve">  padded  </t></is></c></row>'
    # booleans, errors, formula results (number and text), numbers of every form
    '<row r="2"><c r="A2" t="b"><v>1</v></c><c r="B2" t="b"><v>0</v></c><c r="C2" t="e"><v>#N/A</v></c>'
    '<c r="D2"><f>1+1</f><v>2</v></c><c r="E2" t="str"><f>"a"&amp;"b"</f><v>ab</v></c>'
    '<c r="F2" s="1"><v>1.5</v></c><c r="G2" t="n"><v>1E3</v></c><c r="H2"><v>-2</v></c></row>'
    # cells and rows without r, gaps, an empty row, empty cells
    '<row><c t="inlineStr"><is><t>no r</t></is></c><c><v>7</v></c><c r="E3"><v>5</v></c>'
    '<c t="inlineStr"><is><t>after E</t></is></c></row>'
    '<row r="5"/><row r="6"></row>'
    '<row r="7" spans="1:3"><c r="B7" t="inlineStr"><is><t>gap at A</t></is></c>'
    '<c r="C7" t="inlineStr"/><c r="D7" s="2"/><c r="E7" t="n"><v>685536</v></c></row>'
    "<row>\n  <c r=\"A8\" t=\"inlineStr\">\n    <is><t>pretty</t></is>\n  </c>\n</row>"
    '<row r="9"><c r="A9" t="n"><v>0.1</v></c><c r="B9"><v>3</v></c><c r="C9" t="inlineStr"><is><t>'
    "line1\nline2\ttab</t></is></c></row>"
)


def test_hand_written_odd_cells_read_like_calamine(tmp_path):
    path = write_xlsx(tmp_path / "odd.xlsx", sheet(ODD_ROWS))
    mine, _ = assert_same_as_calamine(path, differ=[(2, 2)])  # calamine: "" for #N/A
    assert mine[1] == ["Nguyễn Văn  An ", "A & B <c> \"q\" '", "ẠẠ", "  padded  "]
    assert mine[2] == [True, False, "#N/A", 2, "ab", 1.5, 1000.0, -2]
    assert isinstance(mine[2][6], float) and isinstance(mine[2][7], int)
    assert mine[3] == ["no r", 7, "", "", 5, "after E"]
    assert mine[7] == ["", "gap at A", "", "", 685536]
    assert mine[8] == ["pretty"]
    assert mine[9] == [0.1, 3, "line1\nline2\ttab"]
    assert 5 not in mine and 6 not in mine


def test_shared_strings_plain_rich_and_phonetic(tmp_path):
    sst = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="5" uniqueCount="5">'
        "<si><t>plain</t></si><si><r><t>ri</t></r><r><rPr><i/></rPr><t>ch</t></r>"
        '<rPh sb="0" eb="1"><t>PH</t></rPh></si><si><t xml:space="preserve"> sp </t></si>'
        "<si><t>&amp;&#x1EA0;</t></si><si/></sst>"
    )
    rows = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" s="3" t="s">'
        '<v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="n"><v>42</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>4</v></c><c r="B2" t="s"><v>0</v></c></row>'
    )
    path = write_xlsx(tmp_path / "sst.xlsx", sheet(rows), sst_xml=sst)
    mine, _ = assert_same_as_calamine(path)
    assert mine[1] == ["plain", "rich", " sp ", "&Ạ", 42]
    assert mine[2] == ["", "plain"]


def test_the_first_sheet_in_workbook_order_is_read_with_a_warning(tmp_path):
    first = sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>listed first</t></is></c></row>')
    second = sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>sheet1.xml</t></is></c></row>')
    path = write_xlsx(
        tmp_path / "order.xlsx",
        {"sheet1.xml": second, "sheet2.xml": first},
        sheets=(("Old", "sheet1.xml"), ("No", "sheet2.xml")),
        order=("rId2", "rId1"),
    )
    mine, src = assert_same_as_calamine(path)
    assert mine == {1: ["listed first"]}
    assert src.warnings == ["read the first sheet 'No' of 2"]


def test_prefixed_spreadsheetml_is_read(tmp_path):
    xml = (
        f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is>'
        '<x:t>pre</x:t></x:is></x:c><x:c r="B1"><x:v>3</x:v></x:c></x:row></x:sheetData></x:worksheet>'
    )
    path = write_xlsx(tmp_path / "prefixed.xlsx", xml)
    rows, _ = stream_rows(path)
    assert rows == {1: ["pre", 3]}


@pytest.mark.parametrize(
    "xml, detail",
    [
        (sheet('<row r="1"><c r="A1" t="n"><v>1</v></c></row>').split("</sheetData>")[0], "cut short"),
        (sheet('<row r="1"><c r="A1"><v>12</v></c></row><row r="2"><c r="A2"><v>1').split("</sheetD")[0],
         "cut short"),
        (sheet('<row r="1"><c r="A1" t="n"><v>12</v></c></row><row r="2"><c r="A2"><v>1'), "mismatched"),
        (sheet('<row r="1"><c r="A1" t="n"><v>abc</v></c></row>'), "not a number"),
        (sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>a</is></c></row>'), "mismatched tag"),
        (sheet('<row r="1"><c r="A1" t="s"><v>3</v></c></row>'), "shared string"),
        (sheet('<row r="1"><c r="A1!" t="n"><v>1</v></c></row>'), "cell reference"),
        ("this is not xml at all", "sheetData"),
    ],
)
def test_broken_sheets_are_refused_with_a_message(tmp_path, xml, detail):
    path = write_xlsx(tmp_path / "broken.xlsx", xml)
    with pytest.raises(FileRefused) as err:
        list(StreamingXlsxSource(path).rows())
    assert err.value.code == "xlsx.unreadable"
    assert detail in str(err.value) and "broken.xlsx" in str(err.value)
    assert err.value.text("vi")


def test_a_damaged_deflate_stream_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "ok.xlsx", sheet('<row r="1"><c r="A1"><v>1</v></c></row>' * 50))
    src = StreamingXlsxSource(path)  # the guard passed; now the file changes under the reader
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + 5 : start + 40] = b"\xff" * 35
    path.write_bytes(bytes(data))
    with pytest.raises(FileRefused) as err:
        list(src.rows())
    assert err.value.code in ("xlsx.damaged", "xlsx.unreadable")


def test_engines_and_auto_switch(tmp_path):
    path = write_xlsx(tmp_path / "e.xlsx", sheet('<row r="1"><c r="A1"><v>1</v></c></row>'))
    assert type(open_extract(path, xlsx_engine="stream")).__name__ == "StreamingXlsxSource"
    assert type(open_extract(path)).__name__ == "CalamineXlsxSource"
    big = open_extract(path, memory_budget_mb=1)
    assert isinstance(big, StreamingXlsxSource)
    assert any("streaming reader" in w for w in big.warnings)
    assert type(open_extract(path, xlsx_engine="openpyxl")).__name__ == "OpenpyxlXlsxSource"
    with pytest.raises(ValueError):
        ExtractLoader(xlsx_engine="fast")


def test_an_import_through_the_stream_engine_matches_calamine(tmp_path):
    from cashier.app import Station
    from cashier.core.clock import VN_TZ, FixedClock
    from cashier.core.demo_data import DEMO_FIELDS, generate_rows
    from cashier.export.extract_writer import write_table

    path = tmp_path / "extract.xlsx"
    rows = list(generate_rows(400, seed=5))
    code = rows[3][1]
    for row in rows:
        if row[1] == code:
            row[3] = "Số 5 & 7 Lê Lợi"
    rows[7][14] = "abc"  # a rejected row
    rows.append(list(rows[0]))  # a duplicate
    write_table(path, list(DEMO_FIELDS), rows, title_rows=[["BẢNG KÊ NỢ TIỀN ĐIỆN"]])

    def run(engine):
        st = Station(tmp_path / engine / "cashier.sqlite3", clock=FixedClock(datetime(2026, 11, 2, 8, 0, tzinfo=VN_TZ)))
        try:
            st.cache.reader = ExtractLoader(xlsx_engine=engine)
            summary = st.cache.import_extract(path)
            lookup = st.cache.lookup(code)
            return summary, lookup.customer.address
        finally:
            st.close()

    ignore = {"seconds", "report_path"}

    def fields(summary):
        return {k: v for k, v in dataclasses.asdict(summary).items() if k not in ignore}

    (cal, cal_addr), (stream, stream_addr) = run("calamine"), run("stream")
    assert fields(stream) == fields(cal)
    assert stream.bills > 600 and len(stream.rejected) == 1 and stream.duplicates == 1
    assert stream_addr == cal_addr == "Số 5 & 7 Lê Lợi"
