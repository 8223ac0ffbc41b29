"""§1: every command that changes money, data or settings acts as a logged-in user whose right
the service itself checks; one matrix; global options before or after the command; exit codes."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from cashier.app import Station
from cashier.core.errors import AuthenticationFailed, PermissionDenied
from cashier.core.ledger import PERMISSIONS, Permission, Role

# the documented exit codes (docs/ledger.md), pinned here on purpose
EXIT_USAGE, EXIT_REFUSED, EXIT_AUTH = 2, 3, 4

EXTRACT = "MA_KHANG,TEN_KHANG,DIA_CHI,ID_HDON,KY,THANG,NAM,TONG_TIEN\nPC12AA0000009,Trần Văn B,1 Lê Lợi,HD9,1,10,2026,50000\n"


def doors(home: Path) -> dict[str, list[str]]:
    """Commands that change data or settings (or write what only a manager may see)."""
    extract = home / "extract.csv"
    if not extract.exists():
        extract.write_text(EXTRACT, encoding="utf-8")
    result = home / "result.csv"
    if not result.exists():
        result.write_text("MA_KHANG,ID_HDON,TRANG_THAI\n", encoding="utf-8")
    return {
        "import": ["import", str(extract)],
        "export": ["export", "--out-dir", str(home / "out")],
        "reconcile": ["reconcile", str(result)],
        "report": ["report", "day", "--out", str(home / "r.xlsx")],
        "printer-config": ["printer-config", "--mode", "ascii"],
        "drawer": ["drawer"],
        "export-key": ["export-key", "--out", str(home / "k.pem")],
    }


def _batches(db):
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT created_by FROM export_batch").fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("door", ["import", "export", "reconcile", "report", "printer-config", "drawer", "export-key"])
def test_no_user_wrong_password_or_cashier_is_refused(cli, door):
    argv = doors(cli.home)[door]
    rc, out, err = cli(*argv)
    assert rc == EXIT_AUTH and err.count("\n") == 1 and "Traceback" not in err, (door, rc, err)
    rc, out, err = cli.as_("ql", *argv, password="not-the-password")
    assert rc == EXIT_AUTH and "Wrong user name or password" in err, (door, rc, err)
    rc, out, err = cli(*argv, "--user", "nobody", password="whatever-1")
    assert rc == EXIT_AUTH and "Wrong user name or password" in err, (door, rc, err)
    rc, out, err = cli.as_("thu1", *argv)
    assert rc == EXIT_AUTH and "Permission denied" in err, (door, rc, err)


def test_user_name_without_a_password_is_refused(cli):
    rc, out, err = cli("--user", "ql", "export", "--out-dir", str(cli.home / "out"))
    assert rc == EXIT_AUTH and "CASHIER_PASSWORD" in err
    assert _batches(cli.db) == []


def test_export_by_a_cashier_is_refused_and_a_managers_batch_names_the_manager(cli):
    rc, _, err = cli.as_("thu1", "export", "--out-dir", str(cli.home / "out"))
    assert rc == EXIT_AUTH and _batches(cli.db) == []
    rc, out, err = cli.as_("ql", "export", "--out-dir", str(cli.home / "out"), "--json")
    assert rc == 0, err
    assert json.loads(out)["batch_id"] and _batches(cli.db) == [("ql",)]


def test_manager_and_admin_get_through_the_doors_of_their_role(cli):
    d = doors(cli.home)
    assert cli.as_("ql", *d["report"])[0] == 0
    assert cli.as_("ql", *d["export-key"])[0] == 0
    assert cli.as_("ql", *d["drawer"])[0] == 0
    assert cli.as_("ql", *d["printer-config"])[0] == EXIT_AUTH  # settings: admin only
    assert cli.as_("admin", *d["printer-config"])[0] == 0
    rc, out, err = cli.as_("ql", *d["import"], "--accept-missing")
    assert rc == 0, err


def test_first_import_and_first_admin_of_an_empty_station_need_no_user(home, capsys, monkeypatch):
    from tests.security.conftest import Cli

    cli = Cli(home, home / "new.sqlite3", monkeypatch, capsys)
    extract = home / "e.csv"
    extract.write_text(EXTRACT, encoding="utf-8")
    rc, out, err = cli("import", str(extract))
    assert rc == 0, err
    monkeypatch.setenv("CASHIER_NEW_PASSWORD", "admin-pw-1")
    assert cli("users", "add", "admin", "--role", "admin")[0] == 0
    rc, out, err = cli("import", str(extract))
    assert rc == EXIT_AUTH and "--user" in err
    assert cli("users", "add", "x2", "--role", "admin")[0] == EXIT_AUTH


def test_service_guard_refuses_none_and_a_user_locked_since_login(cli):
    st = Station(cli.db)
    try:
        ql = st.users.login("ql", "manager-pw-1")
        for call in (
            lambda a: st.export.export(out_dir=cli.home / "o", actor=a),
            lambda a: st.reports.day_report(None, cli.home / "x.xlsx", actor=a),
            lambda a: st.export.write_public_key(cli.home / "k2.pem", actor=a),
            lambda a: st.printing.save_printer_settings(actor=a, mode="ascii"),
            lambda a: st.printing.kick_drawer(actor=a),
            lambda a: st.cache.import_extract(cli.home / "nope.csv", actor=a),
        ):
            with pytest.raises(AuthenticationFailed):
                call(None)
        admin = st.users.login("admin", "admin-pw-1")
        st.users.lock("ql", actor=admin)
        with pytest.raises(AuthenticationFailed, match="locked"):
            st.reports.day_report(None, cli.home / "x.xlsx", actor=ql)
        thu = st.users.login("thu1", "cashier-pw-1")
        with pytest.raises(PermissionDenied):
            st.export.reconcile(cli.home / "r.csv", actor=thu)
    finally:
        st.close()


@pytest.mark.parametrize("where", ["before", "after", "between"])
def test_global_options_before_or_after_the_command(cli, where):
    opts = ["--db", str(cli.db), "--user", "ql", "--json"]
    cmd = ["report", "day", "--out", str(cli.home / f"{where}.txt")]
    argv = {"before": opts + cmd, "after": cmd + opts, "between": ["report", *opts, "day", *cmd[2:]]}[where]
    rc, out, err = cli(*argv, password="manager-pw-1", db=False)
    assert rc == 0, err
    assert (cli.home / f"{where}.txt").exists()


def test_json_before_the_command_is_not_overwritten_by_the_commands_default(cli):
    for argv in (["--json", "search", "nguyen"], ["search", "nguyen", "--json"]):
        rc, out, err = cli(*argv)
        assert rc == 0 and isinstance(json.loads(out), list), (argv, out)
    rc, out, _ = cli("--json", "verify")
    assert json.loads(out)["ok"] is True


def test_later_user_wins_and_manager_is_global(cli, monkeypatch):
    rc, out, err = cli("--user", "thu1", "report", "day", "--out", str(cli.home / "m.txt"), "--user", "ql",
                       password="manager-pw-1")
    assert rc == 0, err
    monkeypatch.setenv("CASHIER_MANAGER_PASSWORD", "manager-pw-1")
    rc, out, err = cli("--manager", "ql", "reprint", "ST01-0000001", "--user", "thu1", password="cashier-pw-1")
    assert rc == 0 and "BẢN SAO" in out, err


def test_usage_error_is_2_and_refusal_codes_differ(cli):
    with pytest.raises(SystemExit) as exc:
        cli("export", "--no-such-option")
    assert exc.value.code == EXIT_USAGE
    rc, _, err = cli.as_("thu1", "collect", "PC12AA0009999", "--tendered", "1000")
    assert rc == EXIT_REFUSED and err.count("\n") == 1
    assert len({EXIT_USAGE, EXIT_REFUSED, EXIT_AUTH}) == 3


def test_read_only_commands_stay_open(cli):
    for argv in (["lookup", "PC12AA0000002"], ["search", "nguyen"], ["verify"], ["info"],
                 ["printer-config"], ["reconnections"]):
        rc, out, err = cli(*argv)
        assert rc == 0, (argv, err)


def test_one_role_matrix_shown_in_the_docs():
    from cashier.core.ledger import role_matrix_markdown

    doc = (Path(__file__).resolve().parents[2] / "docs" / "ledger.md").read_text(encoding="utf-8")
    assert role_matrix_markdown() in doc
    assert PERMISSIONS[Role.CASHIER] < PERMISSIONS[Role.MANAGER] < PERMISSIONS[Role.ADMIN]
    for name in ("export", "import", "reconcile", "view_reports", "open_drawer", "settings", "restore"):
        assert Permission(name) not in PERMISSIONS[Role.CASHIER]
