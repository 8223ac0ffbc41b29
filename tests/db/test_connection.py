"""The database opens with the measured durability settings and migrates with a backup first."""

from __future__ import annotations

import sqlite3

import pytest

from cashier.db.sqlite import schema as migrations
from cashier.db.sqlite.connection import close_database
from cashier.db.sqlite.schema import open_station_database as open_database


@pytest.fixture
def db_path(tmp_path):
    yield tmp_path / "station.sqlite3"
    close_database()


def test_new_database_uses_wal_full_sync_and_foreign_keys(db_path):
    db = open_database(db_path)
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert migrations.current_version(db) == migrations.SCHEMA_VERSION
    tables = set(db.get_tables())
    assert {"customer", "bill", "import_batch", "setting", "card"} <= tables


def test_reopening_does_not_migrate_or_back_up_again(db_path):
    open_database(db_path)
    close_database()
    open_database(db_path)
    assert not list(db_path.parent.glob("*.bak.sqlite3"))


def test_older_schema_is_backed_up_with_the_backup_api_before_migrating(db_path):
    db = open_database(db_path)
    db.execute_sql("INSERT INTO setting (key, value) VALUES ('company', '\"PC Đắk Lắk\"')")
    db.execute_sql("PRAGMA user_version = 0")  # pretend the file predates migration 1
    close_database()

    open_database(db_path)
    backups = list(db_path.parent.glob("station.v0-*.bak.sqlite3"))
    assert len(backups) == 1
    con = sqlite3.connect(backups[0])
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT value FROM setting WHERE key='company'").fetchone()[0] == '"PC Đắk Lắk"'
    finally:
        con.close()


def test_a_database_from_a_newer_program_is_refused(db_path):
    db = open_database(db_path)
    db.execute_sql(f"PRAGMA user_version = {migrations.SCHEMA_VERSION + 1}")
    close_database()
    with pytest.raises(RuntimeError, match="newer than this program"):
        open_database(db_path)


def test_a_failing_migration_leaves_the_version_unchanged(db_path, monkeypatch):
    def broken(db):
        db.execute_sql("CREATE TABLE half_done (x INTEGER)")
        raise ValueError("boom")

    monkeypatch.setattr(migrations, "MIGRATIONS", [(1, "broken", broken)])
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", 1)
    with pytest.raises(ValueError):
        open_database(db_path)
    con = sqlite3.connect(db_path)
    try:
        assert con.execute("PRAGMA user_version").fetchone()[0] == 0
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
        assert "half_done" not in names
    finally:
        con.close()
