"""csv encodings (issue 11 §4): Excel's "CSV" on a Vietnamese Windows (Windows-1258), legacy
TCVN-3 files and UTF-16 without a byte order mark are recognised for the whole file, and every
name and address of 3,000 generated customers comes back exactly."""

from __future__ import annotations

import functools

import pytest
from cache_helpers import HEADER

from cashier.core import tcvn3
from cashier.core.csv_sniff import TCVN3
from cashier.core.demo_data import generate_rows
from cashier.core.vntext import to_cp1258
from cashier.db.readers.csv_source import CsvSource
from cashier.export.extract_writer import write_table

CUSTOMERS = 3000


@functools.cache
def _utf8_csv(tmp_root: str) -> tuple[str, dict[str, tuple[str, str]]]:
    from pathlib import Path

    path = Path(tmp_root) / "utf8.csv"
    rows = list(generate_rows(CUSTOMERS, seed=12))
    write_table(path, HEADER, rows, encoding="utf-8")
    people = {r[1]: (r[2], r[3]) for r in rows}
    return path.read_text(encoding="utf-8"), people


@pytest.fixture
def extract(tmp_path_factory):
    return _utf8_csv(str(tmp_path_factory.getbasetemp()))


def _names(station):
    return {
        code: (name, address)
        for code, name, address in station.db.execute_sql(
            "SELECT code, name, address FROM customer"
        ).fetchall()
    }


def _encode(text: str, how: str) -> bytes:
    if how == "cp1258":  # as Windows writes it: base letter + combining tone where needed
        return b"".join(to_cp1258(line) for line in text.splitlines(keepends=True))
    if how == "tcvn3":
        return tcvn3.encode_vn3(text)
    return text.encode(how)


@pytest.mark.parametrize(
    "how, detected",
    [
        ("cp1258", "cp1258"),
        ("tcvn3", TCVN3),
        ("utf-16-le", "utf-16-le"),
        ("utf-16-be", "utf-16-be"),
    ],
)
def test_every_name_round_trips(station, tmp_path, extract, how, detected):
    text, people = extract
    path = tmp_path / f"{how}.csv"
    path.write_bytes(_encode(text, how))
    assert CsvSource(path).encoding == detected
    summary = station.cache.import_extract(path)
    assert summary.customers == CUSTOMERS and summary.rejected == []
    got = _names(station)
    wrong = {code: (got[code], want) for code, want in people.items() if got[code] != want}
    assert wrong == {}, f"{len(wrong)} of {len(people)} names garbled, e.g. {list(wrong.items())[:3]}"
    note = {"cp1258": "Windows-1258", "tcvn3": "TCVN-3"}.get(how, "UTF-16")
    assert any(note in w for w in summary.warnings), summary.warnings
    hits = station.cache.search("nguyen van")
    assert hits and all("Nguyễn Văn" in h.name for h in hits[:5])


def test_windows_1258_is_not_mistaken_for_tcvn3_by_one_word(tmp_path):
    """'Nguyễn' in Windows-1258 has the byte 0xDE (combining tilde), which reads as TCVN-3 'ị'
    and as latin-1 'Þ' (the old detector's TCVN-3 marker)."""
    line = "PC12AA0000001,Nguyễn Văn An,Số 1 Lê Duẩn\r\n"
    path = tmp_path / "one.csv"
    path.write_bytes(to_cp1258(",".join(HEADER[:3]) + "\r\n" + line))
    assert CsvSource(path).encoding == "cp1258"
    rows = list(CsvSource(path).rows())
    assert rows[1][1][1] == "Nguyễn Văn An"


def test_a_cut_file_in_utf16_is_a_truncation(station, tmp_path, extract):
    text, _ = extract
    data = text.encode("utf-16-le")
    path = tmp_path / "cut16.csv"
    path.write_bytes(data[: len(data) // 2 + 1])  # an odd number of bytes
    from cashier.core.errors import FileRefused

    with pytest.raises(FileRefused) as err:
        station.cache.import_extract(path)
    assert err.value.code == "csv.truncated"


@pytest.mark.parametrize("child", [False, True], ids=["inline", "child"])
def test_tcvn3_text_cells_of_a_workbook_are_all_repaired(station, tmp_path, child):
    """A workbook typed with the .Vn fonts holds TCVN-3 bytes as cp1252 characters: once the
    first rows show it, every text of the file is converted (not only the words that look
    legacy on their own: "Huúnh" for "Huỳnh" does not)."""
    rows = [list(r) for r in generate_rows(CUSTOMERS, seed=13)]
    people = {r[1]: (r[2], r[3]) for r in rows}
    for r in rows:
        r[2], r[3] = (tcvn3.encode_vn3(t).decode("cp1252") for t in (r[2], r[3]))
    path = tmp_path / "legacy.xlsx"
    write_table(path, HEADER, rows)
    station.cache.parse_in_child = child
    summary = station.cache.import_extract(path)
    assert summary.customers == CUSTOMERS
    got = _names(station)
    wrong = {code: (got[code], want) for code, want in people.items() if got[code] != want}
    assert wrong == {}, f"{len(wrong)} of {len(people)} names garbled, e.g. {list(wrong.items())[:3]}"
    assert any("TCVN-3" in w for w in summary.warnings)


def test_utf8_with_a_few_bad_bytes_is_refused_at_that_row_not_read_as_mojibake(station, tmp_path, extract):
    text, _ = extract
    data = text.encode("utf-8")
    cut = data.index(b"\n", len(data) // 2) + 1
    line_no = data[:cut].count(b"\n") + 1
    path = tmp_path / "mixed.csv"
    path.write_bytes(data[:cut] + "Nguyễn".encode("cp1258", "replace") + b"\xde" + data[cut:])
    from cashier.core.errors import FileRefused

    with pytest.raises(FileRefused) as err:
        station.cache.import_extract(path)
    assert err.value.code == "csv.encoding" and f"row {line_no}" in str(err.value)
