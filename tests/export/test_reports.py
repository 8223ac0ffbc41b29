"""The day report: by cashier, method, hour; shifts (Z, cash reconciliation); cashless share;
debt by meter book; reconnection orders; unpaid customers."""

from __future__ import annotations

import openpyxl

from tests.export.conftest import collect_all, make_customers


def test_day_report_figures(station, db, cashier, manager, shift, clock, tmp_path):
    codes = make_customers(db, 9, bills_each=2)
    cash = collect_all(station, cashier, codes[:4], clock, step_minutes=40)
    transfer = collect_all(station, cashier, codes[4:6], clock, method="transfer", step_minutes=40)
    station.collect.void(cash[0].receipt_no, "nhầm", manager)
    expected_cash = station.shifts.preview_close({})[0]
    station.shifts.close_shift(manager, {500_000: expected_cash // 500_000})
    report = station.reports.build("2026-11-23")
    active_cash = sum(p.total for p in cash[1:])
    active_transfer = sum(p.total for p in transfer)
    assert report.total == active_cash + active_transfer
    assert report.cashless_total == active_transfer
    assert abs(report.cashless_share - active_transfer / (active_cash + active_transfer)) < 1e-9
    (by_cashier,) = report.sections["by_cashier"]
    assert by_cashier[:2] == ("TN01", "thu1") and by_cashier[3:] == (5, active_cash + active_transfer, active_cash,
                                                                       active_transfer)
    hours = report.sections["by_hour"]
    assert sum(h[1] for h in hours) == 5 and sum(h[2] for h in hours) == report.total
    assert [h[0] for h in hours] == sorted({p.created_at.hour for p in cash[1:] + transfer})
    (z,) = report.sections["shifts"]
    assert z[5] == 1 and z[7] == active_cash and z[8] == active_transfer and z[10] == 1_000_000 + active_cash
    assert [v[0] for v in report.sections["voids"]] == [cash[0].receipt_no]
    unpaid_codes = [u[0] for u in report.unpaid]
    assert set(unpaid_codes) == set(codes[6:]) | {codes[0]}  # the voided payment's bills are open again
    debt = {b[0]: b[3] for b in report.sections["debt_by_book"]}
    assert sum(debt.values()) == sum(u[6] for u in report.unpaid)

    path = station.reports.day_report("2026-11-23", tmp_path / "day.xlsx", actor=manager)
    wb = openpyxl.load_workbook(path)
    assert wb["Tổng hợp"]["B4"].value == report.total
    assert wb["Theo thu ngân"]["E2"].value == report.total
    assert wb["Theo giờ"]._charts and wb["Theo hình thức"]._charts
    assert wb["KH còn nợ"].max_row == len(report.unpaid) + 1
    text = station.reports.writer.text(report)
    assert "Tiền mặt" in text and "Chuyển khoản" in text and cash[0].receipt_no in text


def test_export_makes_a_backup_and_keeps_the_retention(station, db, cashier, shift, clock, tmp_path, manager):
    station.backups.keep = 2
    for i in range(3):
        collect_all(station, cashier, make_customers(db, 1, start=100 + i), clock)
        res = station.export.export(out_dir=tmp_path / "out", actor=manager)
        assert res.backup and res.batch_id in res.backup
    names = [p.name for p in station.backups.list()]
    assert len(names) == 2 and res.batch_id in names[-1]
