"""verify-export refuses altered files and says where: one changed cell, a deleted row, an added
row, a truncated file, an altered manifest, a foreign key."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from cashier.core.errors import FileRefused
from cashier.export.signing import StationKey
from tests.export.conftest import collect_all, make_customers


@pytest.fixture
def batch(station, db, cashier, shift, clock, tmp_path, manager):
    codes = make_customers(db, 6, bills_each=2)
    collect_all(station, cashier, codes, clock)
    res = station.export.export(out_dir=tmp_path / "out", actor=manager)
    xlsx = Path(next(f for f in res.files if f.endswith(".xlsx")))
    return {"xlsx": xlsx, "csv": xlsx.with_suffix(".csv"), "res": res}


def tampered(src: Path, tmp_path: Path, name: str) -> Path:
    """A copy of ``src`` (and its manifest) to alter."""
    d = tmp_path / name
    d.mkdir()
    dst = d / src.name
    shutil.copy(src, dst)
    shutil.copy(src.with_name(src.name + ".manifest.json"), d / (src.name + ".manifest.json"))
    return dst


def edit_xlsx(path: Path, fn) -> None:
    wb = openpyxl.load_workbook(path)
    fn(wb["GACH_NO"])
    wb.save(path)


def wheres(report) -> list[str]:
    return [p.where for p in report.problems]


def test_one_changed_cell_in_xlsx_is_named(station, batch, tmp_path):
    f = tampered(batch["xlsx"], tmp_path, "cell")
    col = station.export.profile.header().index("TONG_TIEN") + 1

    def change(ws):
        ws.cell(row=4, column=col).value = ws.cell(row=4, column=col).value + 1000

    edit_xlsx(f, change)
    report = station.export.verify(f)
    assert not report.ok
    assert "row 4, column TONG_TIEN" in wheres(report)
    assert report.checks["sha256"] is False and report.checks["control"] is False
    cells = [p for p in report.problems if p.row == 4]
    assert len(cells) == 1 and cells[0].column == "TONG_TIEN"


def test_one_changed_cell_in_csv_is_named(station, batch, tmp_path):
    f = tampered(batch["csv"], tmp_path, "csvcell")
    lines = f.read_bytes().decode("utf-8-sig").split("\r\n")
    parts = lines[3].split(",")
    idx = station.export.profile.header().index("MA_KHANG")
    parts[idx] = "PC12AA9999999"
    lines[3] = ",".join(parts)
    f.write_bytes("\r\n".join(lines).encode("utf-8-sig"))
    report = station.export.verify(f)
    assert not report.ok
    assert [p.where for p in report.problems if p.row is not None] == ["row 4, column MA_KHANG"]


def test_deleted_row_is_named(station, batch, tmp_path):
    f = tampered(batch["xlsx"], tmp_path, "deleted")
    edit_xlsx(f, lambda ws: ws.delete_rows(5))
    report = station.export.verify(f)
    assert not report.ok
    missing = [p for p in report.problems if "missing" in p.detail]
    assert len(missing) == 1 and "row 5 of the batch" in missing[0].detail
    assert any("rows is" in p.detail for p in report.problems)  # control: row count


def test_added_row_is_named(station, batch, tmp_path):
    f = tampered(batch["csv"], tmp_path, "added")
    text = f.read_bytes().decode("utf-8-sig")
    lines = text.split("\r\n")
    lines.insert(3, lines[2])  # a duplicated payment row, as row 4
    f.write_bytes("\r\n".join(lines).encode("utf-8-sig"))
    report = station.export.verify(f)
    assert not report.ok
    added = [p for p in report.problems if p.detail.startswith("added")]
    assert len(added) == 1 and added[0].row in (3, 4)


def test_truncated_file_is_refused(station, batch, tmp_path):
    f = tampered(batch["xlsx"], tmp_path, "trunc")
    data = f.read_bytes()
    f.write_bytes(data[: len(data) * 2 // 3])
    report = station.export.verify(f)
    assert not report.ok
    assert report.problems[0].where == "file" and "truncated" in report.problems[0].detail
    assert report.checks["readable"] is False


def test_altered_manifest_fails_the_signature(station, batch, tmp_path):
    f = tampered(batch["xlsx"], tmp_path, "manifest")
    m = f.with_name(f.name + ".manifest.json")
    m.write_text(m.read_text(encoding="utf-8").replace('"grand_total": ', '"grand_total": 1'), encoding="utf-8")
    report = station.export.verify(f)
    assert report.checks["signature"] is False and not report.ok


def test_foreign_key_and_company_side_check(station, batch, tmp_path):
    own = tmp_path / "station.pem"
    own.write_bytes(station.export.public_key_pem())
    assert station.export.verify(batch["xlsx"], own).ok
    other = StationKey(tmp_path / "otherkeys")
    foreign = tmp_path / "foreign.pem"
    foreign.write_bytes(other.public_pem())
    report = station.export.verify(batch["xlsx"], foreign)
    assert report.checks["signature"] is False and not report.ok


def test_missing_manifest_is_refused(station, batch, tmp_path):
    d = tmp_path / "alone"
    d.mkdir()
    shutil.copy(batch["xlsx"], d / batch["xlsx"].name)
    with pytest.raises(FileRefused, match="No manifest"):
        station.export.verify(d / batch["xlsx"].name)


def test_key_file_is_private(station, batch):
    key = station.keys_dir / "export-signing-ed25519.pem"
    assert key.exists() and (key.stat().st_mode & 0o777) == 0o600
