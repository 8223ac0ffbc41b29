"""``cashier server init`` against a real (throwaway) PostgreSQL: the database, the schema with
its constraints, the counters' roles and their rights; clear refusals for a wrong URL, password,
an unreachable server and a schema newer than the program."""

from __future__ import annotations

import json

import psycopg
import pytest

from cashier.cli import main
from cashier.db.postgres.connection import open_database
from cashier.db.postgres.schema import SCHEMA_VERSION, SchemaTooNew, check_version, migrate


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def test_init_creates_the_database_schema_and_counter_roles(pg_cluster, pg_dbname, capsys):
    url = pg_cluster.url(pg_dbname)
    n = pg_dbname.rsplit("t", 1)[1]  # roles are the cluster's: station codes no other test uses
    rc, out, err = run_cli(capsys, "server", "init", "--db", url, "--station", f"N{n}A", "--station", f"n{n}b",
                           "--json")
    assert rc == 0, err
    doc = json.loads(out)
    assert doc["database"] == pg_dbname and doc["database_created"] is True
    assert doc["schema"] == {"before": 0, "after": SCHEMA_VERSION}
    assert [(c["station"], c["role"], c["created"]) for c in doc["counters"]] == [
        (f"N{n}A", f"cashier_n{n}a", True), (f"N{n}B", f"cashier_n{n}b", True)]
    assert "throwaway-superuser" not in doc["server"]
    counter_url = doc["counters"][0]["url"]
    with psycopg.connect(counter_url) as conn:  # the printed URL logs in as the counter
        assert conn.execute("SELECT current_user").fetchone()[0] == f"cashier_n{n}a"

    # again: nothing created, passwords kept, the counter still logs in with its URL
    rc, out, err = run_cli(capsys, "server", "init", "--db", url, "--station", f"N{n}A")
    assert rc == 0, err
    assert f"database {pg_dbname}: exists" in out
    assert f"schema: v{SCHEMA_VERSION} (up to date)" in out
    assert f"counter N{n}A: role cashier_n{n}a exists (password kept)" in out
    with psycopg.connect(counter_url) as conn:
        conn.execute("SELECT 1")


def _counter(pg_cluster, pg_dbname, capsys) -> str:
    # roles are the cluster's: an earlier test's database may have made cashier_st01 already
    rc, out, err = run_cli(capsys, "server", "init", "--db", pg_cluster.url(pg_dbname), "--station", "ST01",
                           "--reset-passwords", "--json")
    assert rc == 0, err
    return json.loads(out)["counters"][0]["url"]


@pytest.mark.parametrize("statement", [
    "CREATE TABLE x (a int)",
    "DROP TABLE setting",
    "ALTER TABLE payment DROP CONSTRAINT payment_station_receipt",
    "DELETE FROM payment",
    "DELETE FROM journal_entry",
    "UPDATE journal_entry SET payload = '{}'",
    "UPDATE customer SET name = 'x'",
    "INSERT INTO customer (code, name) VALUES ('PC1', 'x')",
    # the money of a recorded payment, a line or a bill: no counter ever rewrites it
    "UPDATE payment SET total = 1",
    "UPDATE payment SET tendered = 1, change_amount = 0",
    "UPDATE payment SET customer_code = 'PC1', receipt_no = 'X'",
    "UPDATE payment_line SET amount = 1",
    "UPDATE payment_line SET bill_row = 1",
    "UPDATE bill SET total = 1",
    "UPDATE bill SET customer_id = 1",
    "UPDATE basket SET tendered = 1",
])
def test_a_counter_role_has_no_ddl_no_delete_and_an_append_only_journal(pg_cluster, pg_dbname, capsys,
                                                                         statement):
    counter_url = _counter(pg_cluster, pg_dbname, capsys)
    with psycopg.connect(counter_url) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(statement)


def test_a_counter_role_writes_what_a_counter_writes(pg_cluster, pg_dbname, capsys):
    counter_url = _counter(pg_cluster, pg_dbname, capsys)
    with psycopg.connect(counter_url) as conn:
        conn.execute("INSERT INTO journal_entry (station, seq, ts, kind, payload, prev_hash, hash) "
                     "VALUES ('ST01', 1, 't', 'k', '{}', 'p', 'h')")
        conn.execute("INSERT INTO counter (station, name, value) VALUES ('ST01', 'receipt', 1)")
        conn.execute("UPDATE counter SET value = value + 1 WHERE station = 'ST01'")
        conn.execute("INSERT INTO setting (key, value) VALUES ('k', '1')")


def test_wrong_password_unreachable_server_and_bad_url_are_one_clear_line(pg_cluster, pg_dbname, capsys):
    bad = pg_cluster.url(pg_dbname, password="wrong")
    rc, out, err = run_cli(capsys, "server", "init", "--db", bad)
    assert rc == 4
    assert "refused the login or password" in err and "wrong" not in err and "Traceback" not in err
    dead = f"postgresql://postgres:x@127.0.0.1:1/{pg_dbname}"
    rc, out, err = run_cli(capsys, "server", "init", "--db", dead)
    assert rc == 3 and "Cannot reach the PostgreSQL server at postgresql://postgres:***@127.0.0.1:1/" in err
    rc, out, err = run_cli(capsys, "server", "init", "--db", "/tmp/x.sqlite3", "--json")
    assert rc == 3 and json.loads(out)["error"]["code"] == "postgres.bad_url"
    rc, out, err = run_cli(capsys, "server", "init", "--db", pg_cluster.url(pg_dbname), "--station", "ST 01")
    assert rc == 3 and "Station code 'ST 01' is not valid" in err


def test_the_password_may_come_from_pgpassword(pg_cluster, pg_dbname, capsys, monkeypatch):
    monkeypatch.setenv("PGPASSWORD", "throwaway-superuser")
    rc, out, err = run_cli(capsys, "server", "init", "--db", pg_cluster.url(pg_dbname, password=None))
    assert rc == 0, err


def test_a_schema_newer_than_the_program_is_refused(pg_url):
    db = open_database(pg_url)
    try:
        migrate(db)
        db.execute_sql("INSERT INTO schema_version (version, description) VALUES (%s, 'future')",
                       (SCHEMA_VERSION + 1,))
        with pytest.raises(SchemaTooNew, match=f"version {SCHEMA_VERSION + 1}, newer than this program"):
            migrate(db)
        with pytest.raises(SchemaTooNew):
            check_version(db)
    finally:
        db.close()
