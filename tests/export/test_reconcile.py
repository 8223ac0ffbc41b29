"""CMIS's clearing result: cleared bills, refused rows, double collections; bad files refused."""

from __future__ import annotations

import pytest

from cashier.core.errors import Conflict, FileRefused
from tests.export.conftest import collect_all, make_customers


@pytest.fixture
def exported(station, db, cashier, shift, clock, tmp_path, manager):
    codes = make_customers(db, 4)
    pays = collect_all(station, cashier, codes, clock)
    station.export.export(out_dir=tmp_path / "out", actor=manager)
    return [(p.customer.code, p.lines[0].bill_id, p.receipt_no) for p in pays]


def result_file(tmp_path, lines, name="ketqua.csv", header="MA_KHANG,ID_HDON,TRANG_THAI,LY_DO"):
    path = tmp_path / name
    path.write_bytes(("\ufeff" + "\r\n".join([header, *lines]) + "\r\n").encode("utf-8"))
    return path


def status(db, bill_id):
    return db.execute_sql("SELECT status, double_collection FROM bill WHERE bill_id = ?", (bill_id,)).fetchone()


def test_cleared_refused_and_paid_elsewhere(station, db, exported, tmp_path, manager):
    (c1, b1, _), (c2, b2, r2), (c3, b3, r3), _ = exported
    f = result_file(tmp_path, [f"{c1},{b1},Đã gạch,", f"{c2},{b2},TU_CHOI,Sai kỳ hóa đơn",
                               f"{c3},{b3},DA_THU_NOI_KHAC,Đã thanh toán qua ngân hàng"])
    report = station.export.reconcile(f, actor=manager)
    assert report.rows == 3 and report.cleared == 1
    assert status(db, b1) == ("cleared", 0)
    assert [(r["bill_id"], r["reason"], r["receipt_no"]) for r in report.refused] == [(b2, "Sai kỳ hóa đơn", r2)]
    assert status(db, b2)[0] == "collected"
    (case,) = report.refund_cases
    assert (case["customer_code"], case["bill_id"], case["receipt_no"]) == (c3, b3, r3)
    assert case["phone"] and case["name"] and case["amount"] > 0
    assert status(db, b3)[1] == 1
    with pytest.raises(Conflict, match="already reconciled"):
        station.export.reconcile(f, actor=manager)


@pytest.mark.parametrize(
    ("lines", "header", "message"),
    [
        (["PC12AA0000001,NOPE,OK,"], None, "did not export"),
        (["PC12AA0000001,X,OK,"], "MA_KH,HOADON,TRANG_THAI", "no column"),
        (["{c1},{b1},OK,", "{c1},{b1},OK,"], None, "listed again"),
        (['{c1},"=HYPERLINK(""http://x"")",OK,'], None, "formula"),
        (["{c1},{b1},MAYBE,"], None, "unknown status"),
        (["NOT-A-CODE,{b1},OK,"], None, "not a customer code"),
        ([], None, "no result rows"),
    ],
)
def test_bad_result_files_are_refused_and_change_nothing(station, db, exported, tmp_path, lines, header, message, manager):
    c1, b1, _ = exported[0]
    f = result_file(tmp_path, [ln.format(c1=c1, b1=b1) for ln in lines],
                    header=header or "MA_KHANG,ID_HDON,TRANG_THAI,LY_DO")
    with pytest.raises(FileRefused, match=message):
        station.export.reconcile(f, actor=manager)
    assert db.execute_sql("SELECT count(*) FROM clearing_import").fetchone()[0] == 0
    assert status(db, b1)[0] == "collected"


def test_binary_and_zip_bomb_like_files_are_refused(station, exported, tmp_path, manager):
    f = tmp_path / "x.csv"
    f.write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(FileRefused):
        station.export.reconcile(f, actor=manager)
    z = tmp_path / "bomb.xlsx"
    import zipfile

    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"<a>" + b" " * 50_000_000 + b"</a>")
    with pytest.raises(FileRefused, match="zip bomb"):
        station.export.reconcile(z, actor=manager)


def test_result_as_xlsx_with_a_title_row_free_header(station, db, exported, tmp_path, manager):
    import openpyxl

    (c1, b1, _), (c2, b2, _), *_ = exported
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["ma_khang", "id_hdon", "trang_thai", "ly_do"])  # header case does not matter
    ws.append([c1, b1, "DA_GACH", None])
    ws.append([c2, b2, "Từ chối", "Hóa đơn đã hủy"])
    path = tmp_path / "ketqua.xlsx"
    wb.save(path)
    report = station.export.reconcile(path, actor=manager)
    assert report.cleared == 1 and [r["bill_id"] for r in report.refused] == [b2]
    assert status(db, b1)[0] == "cleared"
