"""``--json`` on every command: one JSON document on stdout, a refusal too (its ``error`` with the
exit code); the two scanner commands one JSON object per line. Every command of the tree is run
here on one station (a new command without an example fails the test)."""

from __future__ import annotations

import json

import pytest
from cli_tree import leaf_ids
from station_helpers import add_customer

from cashier.app import Station
from cashier.cli import main
from cashier.db.ledger_crypto import Argon2Hasher
from cashier.export.extract_writer import write_demo_extract

PASSWORDS = {"admin": "admin-pw-1", "ql": "manager-pw-1", "thu1": "cashier-pw-1"}
STREAMS = {"scan-serial", "scan-hid"}  # JSON Lines (scan-hid --list: one document)


@pytest.fixture
def station_home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    for var in ("CASHIER_KEYS", "CASHIER_DB", "CASHIER_USER", "CASHIER_MANAGER_PASSWORD"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("CASHIER_HOME", str(home))
    monkeypatch.setenv("CASHIER_NEW_PASSWORD", "new-user-pw-1")
    monkeypatch.setattr(Station, "password_hasher", property(lambda self: Argon2Hasher.fast_for_tests()))
    st = Station(home / "cashier.sqlite3")
    try:
        st.users.add_user("admin", PASSWORDS["admin"], "admin")
        admin = st.users.login("admin", PASSWORDS["admin"])
        st.users.add_user("ql", PASSWORDS["ql"], "manager", cashier_code="QL01", actor=admin)
        st.users.add_user("thu1", PASSWORDS["thu1"], "cashier", cashier_code="TN01", actor=admin)
        for i in range(1, 5):
            add_customer(st.db, f"PC12AA{i:07d}", f"Nguyễn Văn {i}", [(f"HD{i}", 1, 10, 2026, 100_000 + i)])
        thu = st.users.login("thu1", PASSWORDS["thu1"])
        st.shifts.open_shift(thu, 500_000)
        paid = st.collect.collect(thu, "PC12AA0000001", 200_000)
        voided = st.collect.collect(thu, "PC12AA0000004", 200_000)
    finally:
        st.close()
    write_demo_extract(tmp_path / "extract.csv", 3, 1)
    return home, paid.receipt_no, voided.receipt_no


def examples(home, receipt: str, to_void: str) -> list[tuple[str, list[str], str | None, int | None]]:
    """(command, its arguments, who acts, the exit code expected: None when it may refuse)."""
    t = home.parent
    return [
        ("lookup", ["lookup", "PC12AA0000002"], None, 0),
        ("search", ["search", "Nguyễn"], None, 0),
        ("demo-data", ["demo-data", "--customers", "3", "--out", str(t / "demo.csv")], None, 0),
        ("users add", ["users", "add", "moi", "--role", "cashier"], "admin", 0),
        ("users list", ["users", "list"], "admin", 0),
        ("users passwd", ["users", "passwd", "moi"], "admin", 0),
        ("users lock", ["users", "lock", "moi"], "admin", 0),
        ("users unlock", ["users", "unlock", "moi"], "admin", 0),
        ("shift open", ["shift", "open", "--float", "0"], "thu1", 3),  # thu1's shift is open already
        ("shift report", ["shift", "report"], "thu1", 0),
        ("collect", ["collect", "PC12AA0000002", "--tendered", "200000"], "thu1", 0),
        ("receipts", ["receipts"], "thu1", 0),
        ("void", ["void", to_void, "--reason", "nhầm khách"], "ql", 0),
        ("reprint", ["reprint", receipt], "ql", 0),
        ("verify", ["verify"], None, 0),
        ("verify-receipt", ["verify-receipt", receipt, "000000"], None, 6),  # printed document, then refused
        ("reconnections", ["reconnections"], None, 0),
        ("reconnections", ["reconnections", "--done", "99"], "ql", 3),  # no such order
        ("print-test", ["print-test", "--mode", "ascii"], None, 0),
        ("print-receipt", ["print-receipt", receipt], None, 0),
        ("print-notice", ["print-notice", "PC12AA0000003"], None, 0),
        ("printer-config", ["printer-config"], None, 0),
        ("printer-config", ["printer-config", "--list-profiles"], None, 0),
        ("company-config", ["company-config"], None, 0),
        ("printer-status", ["printer-status"], None, None),
        ("drawer", ["drawer"], "ql", 0),
        ("devices", ["devices"], None, 0),
        ("card", ["card", "PC12AA0000001", "--out", str(t / "card.png")], None, 0),
        ("scan-serial", ["scan-serial", str(t / "no-such-port"), "--seconds", "0.2"], None, 0),
        ("scan-hid", ["scan-hid", "--list"], None, 0),
        ("export", ["export", "--out-dir", str(t / "exports")], "ql", 0),
        ("export", ["export", "--rewrite", "ST01-20000101-0001", "--out-dir", str(t / "again")], "ql", 3),
        ("verify-export", ["verify-export", str(t / "no-such-file.xlsx")], None, 3),
        ("reconcile", ["reconcile", str(t / "no-such-result.xlsx")], "ql", 5),  # no such file: I/O
        ("report day", ["report", "day", "--out", str(t / "day.txt")], "ql", 0),
        ("report day", ["report", "day", "--out", str(t)], "ql", 3),  # a folder
        ("backup", ["backup", "--out-dir", str(t / "bk")], "ql", 0),
        ("backup", ["backup", "--out-dir", str(t / "extract.csv")], "ql", 3),  # a file
        ("anchor-rebuild", ["anchor-rebuild"], "admin", 3),  # the anchor is fine: not needed
        ("export-key", ["export-key", "--out", str(t / "station.pem")], "ql", 0),
        ("restore", ["restore", str(t / "no-such-backup.sqlite3")], "admin", 6),
        ("shift close", ["shift", "close", "--count", "500000x1,100000x2"], "thu1", 0),
        ("import", ["import", str(t / "extract.csv"), "--accept-missing"], "ql", 0),
        ("info", ["info"], None, 0),
        ("server init", ["server", "init", "--station", "ST01"], None, 3),  # --db is no postgresql:// URL
        ("selftest", ["selftest"], None, None),
    ]


def test_every_command_prints_one_json_document(station_home, monkeypatch, capsys):
    home, receipt, to_void = station_home
    cases = examples(home, receipt, to_void)
    assert {name for name, *_ in cases} == set(leaf_ids()) - {"gui"}
    for name, argv, user, expected in cases:
        monkeypatch.setenv("CASHIER_PASSWORD", PASSWORDS[user] if user else "")
        capsys.readouterr()
        rc = main(["--db", str(home / "cashier.sqlite3"), *argv, *(["--user", user] if user else []), "--json"])
        out, err = capsys.readouterr()
        if expected is not None:
            assert rc == expected, f"{name}: exit {rc}: {err}"
        if name in STREAMS and "--list" not in argv:
            docs = [json.loads(line) for line in out.splitlines()]
        else:
            docs = [json.loads(out)]  # exactly one document: two would not parse
        for doc in docs:
            if rc not in (0, 1) and isinstance(doc, dict) and "error" in doc:
                assert doc["error"]["exit_code"] == rc and doc["error"]["message"] in err, name
            elif rc == 0:
                assert "error" not in doc, f"{name}: {doc}"


def test_a_folder_for_out_and_a_file_for_out_dir_are_refused_clearly(station_home, capsys):
    home, _, _ = station_home
    db = str(home / "cashier.sqlite3")
    assert main(["--db", db, "report", "day", "--out", str(home)]) == 3
    assert f"--out {home} is a folder: --out names the file to write (for example {home / 'day.xlsx'})" \
        in capsys.readouterr().err
    extract = home.parent / "extract.csv"
    assert main(["--db", db, "backup", "--out-dir", str(extract)]) == 3
    assert f"--out-dir {extract} is a file: --out-dir names a folder" in capsys.readouterr().err
