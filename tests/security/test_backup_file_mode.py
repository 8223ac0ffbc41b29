"""A backup holds everything the database does (password hashes, customers, payments): it is
written readable by the station's own account only, whatever the umask, like the database."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from cashier.db.sqlite.backups import SqliteBackups
from cashier.db.sqlite.schema import backup_before_migration


@pytest.fixture
def loose_umask():
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _db(tmp_path: Path) -> Path:
    path = tmp_path / "station.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.execute("INSERT INTO t VALUES ('secret')")
    return path


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_backup_is_private(tmp_path, loose_umask):
    target = tmp_path / "backups" / "b.sqlite3"
    SqliteBackups(_db(tmp_path)).backup_to(target)
    assert _mode(target) == 0o600
    assert sqlite3.connect(target).execute("SELECT x FROM t").fetchone() == ("secret",)


def test_a_backup_over_an_older_readable_file_is_private(tmp_path, loose_umask):
    target = tmp_path / "b.sqlite3"
    target.write_bytes(b"")
    target.chmod(0o644)
    SqliteBackups(_db(tmp_path)).backup_to(target)
    assert _mode(target) == 0o600


def test_the_pre_migration_backup_is_private(tmp_path, loose_umask):
    out = backup_before_migration(_db(tmp_path), 1, tmp_path / "pre")
    assert _mode(out) == 0o600
