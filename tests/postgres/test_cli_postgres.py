"""The command line on the collection point's server: ``--db postgresql://... --station ST01``
through ``cashier.cli.main`` (the real parser, Station and services): import the morning extract
(COPY), lookup, search, a shift, a payment, and the second counter ST02 refused the same bill;
what only a SQLite file has (backup, restore) refused with the usage exit code."""

from __future__ import annotations

import json

import pytest

from cashier.app import Station
from cashier.cli import EXIT_REFUSED, EXIT_USAGE, main
from cashier.cli.server_commands import init_server
from cashier.db.ledger_crypto import Argon2Hasher


@pytest.fixture
def cli(pg_url, tmp_path, monkeypatch, capsys):
    """``cli(station, *argv, password=...)``: one command of counter ``station`` on the server."""
    for var in ("CASHIER_KEYS", "CASHIER_USER", "CASHIER_DB", "CASHIER_STATION"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("CASHIER_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(Station, "password_hasher", property(lambda self: Argon2Hasher.fast_for_tests()))
    init_server(pg_url, [])

    def run(station, *argv, password=None, new_password=None):
        for var, value in (("CASHIER_PASSWORD", password), ("CASHIER_NEW_PASSWORD", new_password)):
            if value is None:
                monkeypatch.delenv(var, raising=False)
            else:
                monkeypatch.setenv(var, value)
        capsys.readouterr()
        head = ["--db", pg_url] + (["--station", station] if station else [])
        rc = main([*head, *argv])
        out, err = capsys.readouterr()
        return rc, out, err

    run.url = pg_url
    run.tmp = tmp_path
    return run


def _demo(cli, customers=300):
    path = cli.tmp / "demo.csv"
    rc, _, err = cli("ST01", "demo-data", "--customers", str(customers), "--out", str(path))
    assert rc == 0, err
    return path


def test_import_lookup_search_collect_and_the_second_counter_is_refused(cli):
    demo = _demo(cli)
    rc, out, err = cli("ST01", "import", str(demo), "--json")
    assert rc == 0, err
    summary = json.loads(out)
    assert summary["customers"] == 300 and summary["bills"] >= 300

    rc, out, err = cli("ST01", "search", "nguyen van", "--json")
    assert rc == 0, err
    hits = json.loads(out)
    assert hits and all("nguyen van" in _fold(h["name"]) for h in hits[:5])
    code = next(h["code"] for h in hits if h["unpaid_bills"] > 0)

    rc, out, err = cli("ST01", "lookup", code, "--json")
    assert rc == 0, err
    found = json.loads(out)
    due = sum(b["total"] for b in found["bills"] if b["status"] == "unpaid")
    assert due > 0

    assert cli("ST01", "users", "add", "admin", "--role", "admin", new_password="admin-pw")[0] == 0
    for user in ("thu1", "thu2"):
        rc, _, err = cli("ST01", "users", "add", user, "--role", "cashier", "--code", user.upper(),
                         "--user", "admin", password="admin-pw", new_password=f"{user}-pw1")
        assert rc == 0, err
    assert cli("ST01", "shift", "open", "--float", "0", "--user", "thu1", password="thu1-pw1")[0] == 0
    rc, out, err = cli("ST01", "collect", code, "--tendered", str(due), "--json", "--user", "thu1",
                       password="thu1-pw1")
    assert rc == 0, err
    receipt = json.loads(out)["receipt"]

    assert cli("ST02", "shift", "open", "--float", "0", "--user", "thu2", password="thu2-pw1")[0] == 0
    rc, out, err = cli("ST02", "collect", code, "--tendered", str(due), "--user", "thu2", password="thu2-pw1")
    assert rc == EXIT_REFUSED and err.count("\n") == 1
    assert f"Customer {code} has no unpaid bill" in err, err
    bill = found["bills"][0]["bill_id"]
    rc, out, err = cli("ST02", "collect", code, "--tendered", str(due), "--bills", bill, "--user", "thu2",
                       password="thu2-pw1")
    assert rc == EXIT_REFUSED and receipt in err and err.count("\n") == 1, err
    rc, out, err = cli("ST02", "lookup", code, "--json")
    assert rc == 0, err
    bills = json.loads(out)["bills"]
    assert {b["status"] for b in bills} == {"collected"} and {b["receipt"] for b in bills} == {receipt}


def test_the_counter_must_say_which_station_it_is(cli):
    rc, _, err = cli(None, "lookup", "PC12AA0000001")
    assert rc == EXIT_USAGE and "--station" in err and err.count("\n") == 1


def test_a_sqlite_file_backup_or_restore_is_refused_on_the_server(cli):
    assert cli("ST01", "users", "add", "admin", "--role", "admin", new_password="admin-pw")[0] == 0
    rc, _, err = cli("ST01", "backup", "--user", "admin", password="admin-pw")
    assert rc == EXIT_USAGE and "PostgreSQL server" in err and "pg_dump" in err and err.count("\n") == 1
    assert "throwaway" not in err  # the URL's password is never shown
    rc, _, err = cli("ST01", "restore", str(cli.tmp / "x.sqlite3"), "--user", "admin", password="admin-pw")
    assert rc == EXIT_USAGE and "PostgreSQL server" in err, err


def test_cashier_db_and_cashier_station_from_the_environment(cli, monkeypatch):
    demo = _demo(cli, 20)
    monkeypatch.setenv("CASHIER_DB", cli.url)
    monkeypatch.setenv("CASHIER_STATION", "ST03")
    assert main(["import", str(demo)]) == 0
    station = Station()
    try:
        assert station.on_server and station.station_code == "ST03"
        assert station.cache.stats()["customers"] == 20
    finally:
        station.close()


def _fold(text):
    from cashier.core.vntext import fold

    return fold(text)


def test_a_counters_login_may_not_import_on_the_server(cli, monkeypatch, capsys):
    demo = _demo(cli, 10)
    report = init_server(cli.url, ["ST05"])
    counter_url = report["counters"][0]["url"]
    capsys.readouterr()
    rc = main(["--db", counter_url, "--station", "ST05", "import", str(demo)])
    err = capsys.readouterr().err
    assert rc == 4 and "owner login" in err and err.count("\n") == 1, err
    # the counter's login reads the cache the owner imported
    assert cli("ST01", "import", str(demo))[0] == 0
    capsys.readouterr()
    assert main(["--db", counter_url, "--station", "ST05", "search", "nguyen"]) == 0
