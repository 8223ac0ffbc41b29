"""Big extracts are read and parsed in a child process (cashier.services.extract_child) while
the import writes to SQLite: same result as in-process, errors and cancels come back, a dead
child is an error (never a hang), and a caller's script is never run twice."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from cache_helpers import HEADER, DyingReader, bill_row, table_dump, write_extract

from cashier.core.errors import Conflict, FileRefused

ROOT = Path(__file__).resolve().parents[2]
TITLES = [["CÔNG TY ĐIỆN LỰC ĐẮK LẮK"], ["BẢNG KÊ NỢ TIỀN ĐIỆN"], []]


def _rows():
    rows = [bill_row(f"PC12AA{i:07d}", str(100 + i), kwh=40 + i, name="Trần Thị Hoa") for i in range(1, 60)]
    rows.append(list(rows[5]))  # identical duplicate
    bad = bill_row("PC12AA0000099", "199")
    bad[14] = "12,5"
    rows.append(bad)
    return rows


def _summary_fields(s):
    return (s.customers, s.bills, s.duplicates, s.rows_read, s.total_due,
            [(r.row, r.column, r.reason) for r in s.rejected], s.warnings)  # fmt: skip


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_child_process_import_equals_the_in_process_one(station, tmp_path, suffix):
    from cache_helpers import make_station

    path = write_extract(tmp_path / f"a{suffix}", _rows(), title_rows=TITLES)
    station.cache.parse_in_child = True
    in_child = station.cache.import_extract(path)
    other = make_station(tmp_path / "other")
    try:
        other.cache.parse_in_child = False
        in_process = other.cache.import_extract(path)
        assert _summary_fields(in_child) == _summary_fields(in_process)
        assert in_child.rejected and in_child.duplicates == 1
        assert table_dump(station)["bill"] == table_dump(other)["bill"]
        assert station.cache.search("tran thi hoa", 3)
    finally:
        other.close()


def test_a_refusal_in_the_child_reaches_the_caller_in_vietnamese(station, tmp_path):
    path = tmp_path / "no_header.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    station.cache.parse_in_child = True
    with pytest.raises(FileRefused) as err:
        station.cache.import_extract(path)
    assert err.value.code == "extract.no_header"
    assert "Không tìm thấy dòng tiêu đề" in err.value.text("vi")


def test_cancel_stops_the_child_and_imports_nothing(station, tmp_path):
    station.cache.import_extract(write_extract(tmp_path / "first.csv", [bill_row("PC12AA0000001", "1")]))
    before = table_dump(station)
    station.cache.parse_in_child = True
    path = write_extract(tmp_path / "b.csv", _rows())
    with pytest.raises(Conflict):
        station.cache.import_extract(path, cancel=lambda: True)
    assert table_dump(station) == before


def test_a_child_that_dies_is_an_error_not_a_hang(station, tmp_path):
    before = table_dump(station)
    station.cache.reader = DyingReader()
    station.cache.parse_in_child = True
    with pytest.raises(FileRefused) as err:
        station.cache.import_extract(write_extract(tmp_path / "c.csv", _rows()))
    assert err.value.code == "import.worker_failed" and "exit code 3" in str(err.value)
    assert "tiến trình đọc tệp bị lỗi" in err.value.text("vi")
    assert table_dump(station) == before


def test_a_script_without_a_main_guard_is_not_run_again_by_the_child(tmp_path):
    """spawn re-imports __main__ in the child; a manager's script without the guard must not
    run twice (its side effects would happen twice)."""
    extract = write_extract(tmp_path / "d.csv", _rows())
    marker = tmp_path / "ran.txt"
    script = tmp_path / "script.py"
    script.write_text(textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        with open({str(marker)!r}, "a") as fh:
            fh.write("ran\\n")
        from cashier.app import Station
        st = Station({str(tmp_path / "db.sqlite3")!r})
        st.cache.parse_in_child = True
        s = st.cache.import_extract({str(extract)!r})
        print(s.customers, s.bills)
        st.close()
    """), encoding="utf-8")
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["59", "59"]
    assert marker.read_text(encoding="utf-8") == "ran\n"


def test_an_xlsx_read_in_the_child_with_dates_and_the_calamine_engine(station, tmp_path):
    """The child only reads an xlsx and sends the raw rows; cells marshal cannot carry (the
    datetimes calamine gives for a date column) travel pickled."""
    from datetime import datetime

    from cashier.db.readers.extract_reader import ExtractLoader

    rows = [bill_row(f"PC12AA{i:07d}", str(i)) + [datetime(2026, 10, i % 28 + 1)] for i in range(1, 30)]
    path = write_extract(tmp_path / "dates.xlsx", rows, header=HEADER + ["NGAY_LAP"])
    station.cache.reader = ExtractLoader(xlsx_engine="calamine")
    station.cache.parse_in_child = True
    s = station.cache.import_extract(path)
    assert (s.customers, s.bills, s.rejected) == (29, 29, [])
    assert any("NGAY_LAP" in w for w in s.warnings)  # "columns not used: NGAY_LAP"


def test_raw_rows_travel_as_columns_and_come_back_the_same():
    """Text columns travel NUL-joined, the others as lists; a NUL inside a value, numbers,
    floats, booleans, None and short rows (padded with "", as calamine pads them) survive."""
    from cashier.services.extract_batches import pack_columns, unpack_columns

    rows = [
        (5, ["PC12AA0000001", "Nguyễn Văn An", 12, 1.5, True, None]),
        (6, ["PC12AA0000002", "A\x00B", 13, 2.0, False, ""]),
        (9, ["PC12AA0000003", "", 14]),
    ]
    rownums, columns = pack_columns(rows)
    assert [kind for kind, _ in columns] == ["s", "m", "m", "m", "m", "m"]  # the NUL: a list
    cols = unpack_columns(columns)
    back = list(zip(rownums, zip(*cols, strict=True), strict=True))
    assert back == [
        (5, ("PC12AA0000001", "Nguyễn Văn An", 12, 1.5, True, None)),
        (6, ("PC12AA0000002", "A\x00B", 13, 2.0, False, "")),
        (9, ("PC12AA0000003", "", 14, "", "", "")),
    ]
