"""The end-of-day commands through ``cashier.cli.main``."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from station_helpers import PASSWORD

from cashier.cli import main as cli_main
from tests.export.conftest import collect_all, make_customers


def _as(user):
    """cashier.cli.main acting as ``user`` (global --user after the command; $CASHIER_PASSWORD)."""
    return lambda argv: cli_main([*argv, "--user", user])


def test_export_verify_report_backup_key(station, db, cashier, shift, clock, tmp_path, capsys, manager, admin, monkeypatch):
    monkeypatch.setenv("CASHIER_PASSWORD", PASSWORD)
    collect_all(station, cashier, make_customers(db, 3), clock)
    collect_all(station, cashier, make_customers(db, 2, start=10), clock, method="transfer")
    dbp = str(station.db_path)
    main = _as("manager")
    out = tmp_path / "out"
    assert main(["--db", dbp, "export", "--out-dir", str(out), "--format", "both", "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["rows"] == 5 and res["payments"] == 5 and res["batch_id"].endswith("-0001")
    xlsx = next(f for f in res["files"] if f.endswith(".xlsx"))
    assert main(["--db", dbp, "export", "--out-dir", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["batch_id"] is None

    assert main(["--db", dbp, "verify-export", xlsx, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True
    wb = openpyxl.load_workbook(xlsx)
    wb["GACH_NO"]["B3"].value = "PC12AA0000999"
    wb.save(xlsx)
    assert main(["--db", dbp, "verify-export", xlsx]) == 6
    assert "row 3, column MA_KHANG" in capsys.readouterr().err

    report = tmp_path / "day.xlsx"
    assert main(["--db", dbp, "report", "day", "--date", "2026-11-23", "--out", str(report)]) == 0
    wb = openpyxl.load_workbook(report)
    assert wb["Tổng hợp"]["B4"].value == res["grand_total"]
    assert wb["Theo hình thức"]._charts and wb["Theo giờ"]._charts
    sms = tmp_path / "unpaid.csv"
    assert main(["--db", dbp, "report", "day", "--out", str(sms)]) == 0
    text = tmp_path / "day.txt"
    assert main(["--db", dbp, "report", "day", "--date", "2026-11-23", "--out", str(text)]) == 0
    assert "Tiền mặt" in text.read_text(encoding="utf-8")
    capsys.readouterr()

    assert main(["--db", dbp, "backup", "--out-dir", str(tmp_path / "bk")]) == 0
    backup = Path(capsys.readouterr().out.strip())
    monkeypatch.delenv("CASHIER_USER", raising=False)
    assert cli_main(["--db", dbp, "restore", str(backup)]) == 4  # an admin's action: no user, refused
    assert "--user" in capsys.readouterr().err
    assert main(["--db", dbp, "restore", str(backup)]) == 4  # a manager is refused too
    capsys.readouterr()
    assert cli_main(["--db", dbp, "restore", str(backup), "--user", "admin"]) == 0
    assert "kept at" in capsys.readouterr().out
    assert cli_main(["--db", dbp, "restore", str(tmp_path / "day.txt"), "--user", "admin"]) == 6  # does not verify
    assert "nothing was changed" in capsys.readouterr().err
    assert main(["--db", dbp, "export-key", "--out", str(tmp_path / "k.pem")]) == 0
    assert (tmp_path / "k.pem").read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----")


def test_unpaid_customers_csv_for_sms(station, db, cashier, shift, clock, tmp_path, manager):
    codes = make_customers(db, 4)
    collect_all(station, cashier, codes[:1], clock)
    db.execute_sql("UPDATE customer SET name = '=cmd|calc' WHERE code = ?", (codes[2],))
    path = station.reports.day_report(None, tmp_path / "sms.csv", actor=manager)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").strip().split("\r\n")
    assert lines[0].startswith("MA_KHANG,TEN_KHANG")
    assert [ln.split(",")[0] for ln in lines[1:]] == sorted(codes[1:], key=lambda c: (f"SO{int(c[-7:]) % 3:02d}", c))
    assert any(",'=cmd|calc," in ln for ln in lines)
