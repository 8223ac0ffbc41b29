"""Round trip: collect, void before and after an export, two exports, Z report totals,
byte-identical rewrite, read back by python-calamine."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import python_calamine

from cashier.core.clearing import FIELD_TYPES
from cashier.core.ledger import LineKind
from tests.export.conftest import collect_all, make_customers


def sha(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def rows_of_batch(db, batch_id):
    return db.execute_sql(
        "SELECT r.kind, p.receipt_no, r.line_id, r.total FROM export_row r JOIN export_batch b ON b.id = r.batch_id "
        "JOIN payment p ON p.id = r.payment_id WHERE b.batch_id = ? ORDER BY r.row_no",
        (batch_id,),
    ).fetchall()


@pytest.fixture
def day(station, db, cashier, manager, shift, clock, tmp_path):
    """8 customers with 2 bills each; 6 paid cash, 2 by transfer; one voided before the export;
    export 1; one exported payment voided; 3 more payments; export 2."""
    codes = make_customers(db, 11, bills_each=2)
    paid = collect_all(station, cashier, codes[:6], clock)
    paid += collect_all(station, cashier, codes[6:8], clock, method="transfer")
    void_before = paid[2].receipt_no
    station.collect.void(void_before, "khách đổi ý", manager)
    out = tmp_path / "out"
    first = station.export.export(out_dir=out, actor=manager)
    clock.advance(minutes=30)
    void_after = paid[4].receipt_no
    station.collect.void(void_after, "thu nhầm khách", manager)
    later = collect_all(station, cashier, codes[8:], clock)
    second = station.export.export(out_dir=out, actor=manager)
    return {"paid": paid + later, "first": first, "second": second, "void_before": void_before,
            "void_after": void_after, "out": out}


def test_every_payment_in_exactly_one_batch(station, db, day, manager):
    first, second = day["first"], day["second"]
    assert first.batch_id and second.batch_id and first.batch_id != second.batch_id
    assert (first.sequence, second.sequence) == (1, 2)
    b1, b2 = rows_of_batch(db, first.batch_id), rows_of_batch(db, second.batch_id)
    pay_lines = [r[2] for r in b1 + b2 if r[0] == "payment"]
    assert len(pay_lines) == len(set(pay_lines))  # no line cleared twice
    by_receipt = {p.receipt_no: p for p in day["paid"]}
    exported = {r[1] for r in b1 + b2 if r[0] == "payment"}
    # every payment except the one voided before the export; its bills are never sent
    assert exported == set(by_receipt) - {day["void_before"]}
    for receipt in exported:
        lines = [ln for ln in by_receipt[receipt].lines if ln.kind is LineKind.BILL]
        assert sorted(r[3] for r in b1 + b2 if r[0] == "payment" and r[1] == receipt) == sorted(
            ln.amount for ln in lines)
    # the void after the export goes out as a reversal in the second batch, negative amounts
    reversals = [r for r in b2 if r[0] == "reversal"]
    assert {r[1] for r in reversals} == {day["void_after"]}
    assert sorted(-r[3] for r in reversals) == sorted(r[3] for r in b1 if r[1] == day["void_after"])
    assert second.reversals == len(reversals) and first.reversals == 0
    state = {r[0]: r[1:] for r in station.storage.export.payment_batches()}
    assert state[day["void_before"]] == (None, None, "voided")
    assert state[day["void_after"]] == (first.batch_id, second.batch_id, "voided")
    # nothing new: no third batch, and it says so
    third = station.export.export(out_dir=day["out"], actor=manager)
    assert third.batch_id is None and "nothing to export" in third.message
    assert len(station.export.batches()) == 2


def test_totals_match_the_z_report(station, db, day, cashier, manager):
    expected_cash = station.shifts.preview_close({})[0]
    report = station.shifts.close_shift(manager, {500_000: expected_cash // 500_000})
    t = report.totals
    exported = day["first"].grand_total + day["second"].grand_total
    assert exported == t.cash_total + t.transfer_total - t.reconnection_fees
    # and per batch: the control block equals the sum of the rows in the file
    for res in (day["first"], day["second"]):
        xlsx = next(f for f in res.files if f.endswith(".xlsx"))
        manifest = json.loads(Path(xlsx + ".manifest.json").read_text(encoding="utf-8"))
        assert manifest["control"]["grand_total"] == res.grand_total
        assert manifest["control"]["rows"] == res.rows


def test_rewrite_is_byte_identical(station, day, tmp_path, manager):
    for res in (day["first"], day["second"]):
        again = station.export.rewrite(res.batch_id, tmp_path / f"again-{res.sequence}", actor=manager)
        originals = sorted(res.files)
        assert sorted(Path(p).name for p in again) == sorted(Path(p).name for p in originals)
        for orig in originals:
            copy = tmp_path / f"again-{res.sequence}" / Path(orig).name
            assert Path(orig).read_bytes() == copy.read_bytes(), orig
        recorded = {f["name"]: f["sha256"] for f in station.storage.export.batch(res.batch_id)["files"]}
        for name, digest in recorded.items():
            assert sha(tmp_path / f"again-{res.sequence}" / name) == digest


def test_verify_accepts_both_files(station, day):
    for res in (day["first"], day["second"]):
        for f in res.files:
            if f.endswith((".xlsx", ".csv")):
                report = station.export.verify(Path(f))
                assert report.ok, [str(p) for p in report.problems]
                assert report.checks["station_rows"] is True and report.checks["journal"] is True


def test_calamine_reads_same_rows_and_types(station, day):
    res = day["second"]
    xlsx = Path(next(f for f in res.files if f.endswith(".xlsx")))
    profile = station.export.profile
    sheet = python_calamine.CalamineWorkbook.from_path(str(xlsx)).get_sheet_by_name(profile.sheet_name).to_python()
    assert sheet[0] == profile.header()
    expected = station.export.writer.expected_cells(station.storage.export.batch_rows(res.batch_id), profile)
    assert len(sheet) - 1 == len(expected) == res.rows
    kinds = [FIELD_TYPES[c.field] for c in profile.columns]
    for got, want in zip(sheet[1:], expected, strict=True):
        for value, exp, kind in zip(got, want, kinds, strict=True):
            if kind == "int":
                assert isinstance(value, float | int) and not isinstance(value, str)
                assert value == exp and float(value).is_integer()
            else:
                assert isinstance(value, str) and value == exp
    # csv: UTF-8 with BOM, same cells
    csv_file = xlsx.with_suffix(".csv")
    assert csv_file.read_bytes().startswith(b"\xef\xbb\xbf")
    back = station.export.writer.read_back(csv_file, profile)
    assert back.rows == expected


def test_files_stay_verifiable_and_rewritable_after_a_profile_change(station, day, tmp_path, manager):
    from dataclasses import replace

    res = day["first"]
    old = station.export.profile
    station.export.profile = replace(old, columns=tuple(reversed(old.columns)), name="changed")
    for f in res.files:
        if f.endswith((".xlsx", ".csv")):
            report = station.export.verify(Path(f))
            assert report.ok, [str(p) for p in report.problems]
    again = station.export.rewrite(res.batch_id, tmp_path / "after-change", actor=manager)
    for p in again:
        assert Path(p).read_bytes() == (day["out"] / Path(p).name).read_bytes()


def test_export_needs_the_export_permission(station, db, cashier, manager, shift, clock, tmp_path):
    from cashier.core.errors import PermissionDenied

    collect_all(station, cashier, make_customers(db, 1), clock)
    with pytest.raises(PermissionDenied):
        station.export.export(out_dir=tmp_path / "o", actor=cashier)
    res = station.export.export(out_dir=tmp_path / "o", actor=manager)
    assert station.storage.export.batch(res.batch_id)["created_by"] == "manager"


def test_filters_by_shift_cashier_and_date(station, db, admin, cashier, manager, clock, tmp_path):
    from tests.export.conftest import PASSWORD

    codes = make_customers(db, 6)
    s1 = station.shifts.open_shift(cashier, 0)
    collect_all(station, cashier, codes[:2], clock)
    station.shifts.close_shift(manager, {})
    station.users.add_user("thu2", PASSWORD, "cashier", full_name="Đỗ Văn Hai", cashier_code="TN02", actor=admin)
    thu2 = station.users.login("thu2", PASSWORD)
    station.shifts.open_shift(thu2, 0)
    collect_all(station, thu2, codes[2:4], clock)
    out = tmp_path / "out"
    first = station.export.export(shift=s1.id, out_dir=out, actor=manager)
    assert {r.cashier_code for r in station.storage.export.batch_rows(first.batch_id)} == {"TN01"}
    assert first.payments == 2
    assert station.export.export(cashier="thu1", out_dir=out, actor=manager).batch_id is None
    clock.advance(days=1)
    collect_all(station, thu2, codes[4:], clock)
    second = station.export.export(cashier="TN02", date="2026-11-23", out_dir=out, actor=manager)
    assert second.payments == 2
    assert {r.paid_at.date().isoformat() for r in station.storage.export.batch_rows(second.batch_id)} == {"2026-11-23"}
    third = station.export.export(out_dir=out, actor=manager)
    assert third.payments == 2 and third.sequence == 3
    assert station.storage.export.batch(second.batch_id)["filters"] == {"cashier": "TN02", "date": "2026-11-23",
                                                                       "shift": None}
