"""The ledger CLI through cashier.cli.main([...]): JSON contracts, refusals on stderr, exit codes."""

from __future__ import annotations

import json
import sqlite3

import pytest
from station_helpers import add_customer

from cashier.app import Station
from cashier.cli import main
from cashier.db.ledger_crypto import Argon2Hasher


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("CASHIER_KEYS", raising=False)
    monkeypatch.delenv("CASHIER_USER", raising=False)
    monkeypatch.setattr(Station, "password_hasher", property(lambda self: Argon2Hasher.fast_for_tests()))
    db = tmp_path / "cli.sqlite3"

    def run(*argv, password=None, new_password=None, manager_password=None):
        for var, value in (("CASHIER_PASSWORD", password), ("CASHIER_NEW_PASSWORD", new_password),
                           ("CASHIER_MANAGER_PASSWORD", manager_password)):
            if value is None:
                monkeypatch.delenv(var, raising=False)
            else:
                monkeypatch.setenv(var, value)
        capsys.readouterr()
        rc = main(["--db", str(db), *argv])
        out, err = capsys.readouterr()
        return rc, out, err

    run.db = db
    return run


def seed(cli):
    assert cli("users", "add", "admin", "--role", "admin", new_password="admin-pw")[0] == 0
    rc, out, err = cli("users", "add", "thu1", "--role", "cashier", "--full-name", "Lê Thị Thu", "--code", "TN01",
                       "--user", "admin", password="admin-pw", new_password="thu1-pw")
    assert rc == 0, err
    assert cli("users", "add", "ql", "--role", "manager", "--user", "admin", password="admin-pw",
               new_password="ql-pw-12")[0] == 0
    station = Station(cli.db)
    add_customer(station.db, "PC12AA0000001", "Nguyễn Văn A",
                 [("B1", 1, 10, 2026, 108_000), ("B2", 1, 11, 2026, 92_000)])
    station.close()


def test_users_commands(cli):
    rc, _, err = cli("users", "add", "thu1", "--role", "cashier", new_password="thu1-pw")
    assert rc == 3 and "administrator" in err and err.count("\n") == 1
    seed(cli)
    rc, out, _ = cli("users", "list", "--json", "--user", "admin", password="admin-pw")
    users = {u["username"]: u for u in json.loads(out)}
    assert users["thu1"]["code"] == "TN01" and users["thu1"]["role"] == "cashier"
    rc, _, err = cli("users", "add", "x2", "--role", "cashier", "--user", "thu1", password="thu1-pw",
                     new_password="x2-pw-12")
    assert rc == 4 and "Permission denied" in err
    rc, _, err = cli("users", "list", "--user", "admin", password="nope")
    assert rc == 4 and "Wrong user name or password" in err
    assert cli("users", "lock", "thu1", "--user", "admin", password="admin-pw")[0] == 0
    rc, _, err = cli("shift", "open", "--float", "0", "--user", "thu1", password="thu1-pw")
    assert rc == 4 and "locked" in err
    assert cli("users", "unlock", "thu1", "--user", "admin", password="admin-pw")[0] == 0
    assert cli("users", "passwd", "--user", "thu1", password="thu1-pw", new_password="thu1-new")[0] == 0
    assert cli("shift", "open", "--float", "0", "--user", "thu1", password="thu1-new")[0] == 0
    rc, _, err = cli("receipts")
    assert rc == 4 and "--user" in err


def test_collect_flow_json(cli):
    seed(cli)
    rc, _, err = cli("collect", "PC12AA0000001", "--tendered", "300000", "--user", "thu1", password="thu1-pw")
    assert rc == 3 and "No shift is open" in err
    assert cli("shift", "open", "--float", "500000", "--user", "thu1", password="thu1-pw")[0] == 0
    rc, _, err = cli("collect", "PC12AA0000001", "--tendered", "300000", "--bills", "B2",
                     "--user", "thu1", password="thu1-pw")
    assert rc == 3 and "older bill B1" in err
    rc, _, err = cli("collect", "PC12AA0000001", "--tendered", "100000", "--user", "thu1", password="thu1-pw")
    assert rc == 3 and "less than" in err
    rc, out, err = cli("collect", "PC12AA0000001", "--tendered", "300.000", "--key", "k-1", "--json",
                       "--user", "thu1", password="thu1-pw")
    assert rc == 0, err
    res = json.loads(out)
    assert set(res) == {"receipt", "bills", "total", "tendered", "change", "verification"}
    assert res["bills"] == ["B1", "B2"] and res["total"] == 200_000 and res["change"] == 100_000
    rc, out2, _ = cli("collect", "PC12AA0000001", "--tendered", "300000", "--key", "k-1", "--json",
                      "--user", "thu1", password="thu1-pw")
    assert rc == 0 and json.loads(out2) == res  # retried attempt: the same payment
    rc, _, err = cli("collect", "PC12AA0000001", "--tendered", "300000", "--user", "thu1", password="thu1-pw")
    assert rc == 3 and "no unpaid bill" in err

    rc, out, _ = cli("receipts", "--json", "--user", "thu1", password="thu1-pw")
    rows = json.loads(out)
    assert [(r["receipt"], r["bills"], r["total"], r["status"], r["print_count"]) for r in rows] == [
        (res["receipt"], ["B1", "B2"], 200_000, "active", 1)]

    rc, out, _ = cli("verify-receipt", res["receipt"], res["verification"])
    assert rc == 0 and "genuine" in out
    rc, _, err = cli("verify-receipt", res["receipt"], "AAAA-AAAA")
    assert rc == 6 and "not genuine" in err

    rc, _, err = cli("reprint", res["receipt"], "--user", "thu1", password="thu1-pw")
    assert rc == 4 and "needs a manager" in err
    rc, out, _ = cli("reprint", res["receipt"], "--user", "thu1", "--manager", "ql", password="thu1-pw",
                     manager_password="ql-pw-12")
    assert rc == 0 and "In lần 2" in out

    rc, _, err = cli("void", res["receipt"], "--reason", "sai khách", "--user", "thu1", password="thu1-pw")
    assert rc == 4 and "Permission denied" in err
    rc, out, err = cli("void", res["receipt"], "--reason", "sai khách", "--user", "ql", password="ql-pw-12")
    assert rc == 0, err
    rc, out, _ = cli("receipts", "--json", "--date", "2099-01-01", "--user", "ql", password="ql-pw-12")
    assert json.loads(out) == []

    rc, out, _ = cli("shift", "report", "--json", "--user", "thu1", password="thu1-pw")
    rep = json.loads(out)
    assert rep["kind"] == "X" and rep["voids"] == 1 and rep["expected_cash"] == 500_000 and rep["reprints"] == 1
    rc, _, err = cli("shift", "close", "--count", "200000x2", "--user", "thu1", password="thu1-pw")
    assert rc == 4 and "manager" in err
    rc, out, err = cli("shift", "close", "--count", "200000x2,100000x1", "--json", "--user", "thu1",
                       password="thu1-pw")
    assert rc == 0, err
    z = json.loads(out)
    assert z["kind"] == "Z" and z["z_number"] == 1 and z["variance"] == 0 and z["counted"] == 500_000
    rc, _, err = cli("shift", "close", "--count", "300000x1", "--user", "thu1", password="thu1-pw")
    assert rc == 3 and "Not a VND note" in err

    rc, out, _ = cli("verify", "--json")
    assert rc == 0 and json.loads(out)["ok"] is True
    con = sqlite3.connect(cli.db)
    con.execute("UPDATE journal_entry SET ts = '2026-01-01T00:00:00+07:00' WHERE seq = 5")
    con.commit()
    con.close()
    rc, out, err = cli("verify")
    assert rc == 6 and "#5" in err and "edited" in err


def test_reconnections_and_partial(cli):
    seed(cli)
    station = Station(cli.db)
    add_customer(station.db, "PC12AA0000009", "Phạm Văn C", [("C1", 1, 10, 2026, 200_000)], disconnected=True)
    station.storage.settings.set("ledger.reconnection_fee", 120_000)
    station.close()
    assert cli("shift", "open", "--float", "0", "--user", "thu1", password="thu1-pw")[0] == 0
    rc, out, err = cli("collect", "PC12AA0000009", "--tendered", "320000", "--json", "--user", "thu1",
                       password="thu1-pw")
    assert rc == 0, err and json.loads(out)["total"] == 320_000
    rc, out, _ = cli("reconnections", "--json")
    orders = json.loads(out)
    assert len(orders) == 1 and orders[0]["customer"] == "PC12AA0000009" and orders[0]["fee"] == 120_000
    rc, _, err = cli("reconnections", "--done", str(orders[0]["order"]), "--user", "thu1", password="thu1-pw")
    assert rc == 4 and "Permission denied" in err
    rc, out, err = cli("reconnections", "--done", str(orders[0]["order"]), "--user", "ql", password="ql-pw-12")
    assert rc == 0, err
    assert json.loads(cli("reconnections", "--json")[1]) == []
    assert json.loads(cli("reconnections", "--all", "--json")[1])[0]["status"] == "done"
    rc, _, err = cli("collect", "PC12AA0000001", "--tendered", "50000", "--bills", "B1", "--partial", "50000",
                     "--user", "thu1", password="thu1-pw")
    assert rc == 4 and "Permission denied" in err
    rc, out, err = cli("collect", "PC12AA0000001", "--tendered", "50000", "--bills", "B1", "--partial", "50000",
                       "--json", "--user", "thu1", "--manager", "ql", password="thu1-pw", manager_password="ql-pw-12")
    assert rc == 0, err
    assert json.loads(out)["total"] == 50_000


def test_real_argon2_parameters_from_cli(tmp_path, monkeypatch, capsys):
    """No hasher patch: the station hashes with argon2id t=3, m=64 MiB, p=4."""
    monkeypatch.delenv("CASHIER_KEYS", raising=False)
    monkeypatch.setenv("CASHIER_NEW_PASSWORD", "admin-pw")
    db = tmp_path / "real.sqlite3"
    assert main(["--db", str(db), "users", "add", "admin", "--role", "admin"]) == 0
    h = sqlite3.connect(db).execute("SELECT password_hash FROM app_user").fetchone()[0]
    assert h.startswith("$argon2id$v=19$m=65536,t=3,p=4$")

def test_collect_with_print_records_the_print(cli):
    """--print goes through the printing service (preview printer by default) and the ledger
    learns that the receipt came out."""
    seed(cli)
    assert cli("shift", "open", "--float", "0", "--user", "thu1", password="thu1-pw")[0] == 0
    rc, out, err = cli("collect", "PC12AA0000001", "--tendered", "200000", "--json", "--print",
                       "--user", "thu1", password="thu1-pw")
    assert rc == 0, err
    receipt = json.loads(out)["receipt"]
    station = Station(cli.db)
    try:
        assert station.collect.payment(receipt).printed is True
    finally:
        station.close()


def test_user_before_or_after_the_command(cli):
    seed(cli)
    assert cli("--user", "thu1", "shift", "open", "--float", "0", password="thu1-pw")[0] == 0
    rc, out, _ = cli("shift", "report", "--json", "--user", "thu1", password="thu1-pw")
    assert rc == 0 and json.loads(out)["cashier"] == "thu1"
    rc, _, err = cli("--user", "admin", "shift", "report", "--user", "thu1", password="admin-pw")
    assert rc == 4 and "Wrong user name or password" in err  # the later --user wins


def test_lookup_shows_each_bills_status_and_the_receipt_once_collected(cli):
    seed(cli)
    assert cli("shift", "open", "--float", "0", "--user", "thu1", password="thu1-pw")[0] == 0
    rc, out, err = cli("collect", "PC12AA0000001", "--tendered", "108000", "--bills", "B1", "--json",
                       "--user", "thu1", password="thu1-pw")
    assert rc == 0, err
    receipt = json.loads(out)["receipt"]
    rc, out, _ = cli("lookup", "PC12AA0000001", "--json")
    assert rc == 0
    data = json.loads(out)
    shown = {b["bill_id"]: (b["status"], b["receipt"]) for b in data["bills"]}
    assert shown == {"B1": ("collected", receipt), "B2": ("unpaid", None)}
    assert data["total_due"] == 92_000
    rc, out, _ = cli("lookup", "PC12AA0000001")
    assert f"collected receipt {receipt}" in out and "total due: 92.000 đ" in out


def test_collect_split_payment_cash_and_transfer(cli):
    """collect CODE --tendered CASH --transfer AMOUNT --ref REF: one receipt, both parts."""
    seed(cli)
    assert cli("shift", "open", "--float", "500000", "--user", "thu1", password="thu1-pw")[0] == 0
    rc, _, err = cli("collect", "PC12AA0000001", "--tendered", "100000", "--transfer", "150000",
                     "--user", "thu1", password="thu1-pw")
    assert rc != 0 and "bank reference" in err and "Traceback" not in err
    rc, _, err = cli("collect", "PC12AA0000001", "--tendered", "10000", "--transfer", "150000", "--ref", "FT77",
                     "--user", "thu1", password="thu1-pw")
    assert rc == 3 and "cash part 50.000" in err
    rc, out, err = cli("collect", "PC12AA0000001", "--tendered", "100.000", "--transfer", "150000", "--ref", "FT77",
                       "--json", "--user", "thu1", password="thu1-pw")
    assert rc == 0, err
    res = json.loads(out)
    assert (res["total"], res["cash"], res["transfer"], res["change"], res["bank_ref"]) == (
        200_000, 50_000, 150_000, 50_000, "FT77")
    rc, out, _ = cli("shift", "report", "--json", "--user", "thu1", password="thu1-pw")
    rep = json.loads(out)
    assert (rep["cash_total"], rep["transfer_total"], rep["expected_cash"]) == (50_000, 150_000, 550_000)
