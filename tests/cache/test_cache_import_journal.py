"""An applied import is a money-relevant event: it is journalled, and only a user with the import
permission may run it from the UI."""

from __future__ import annotations

import json

import pytest
from cache_helpers import bill_row, make_station, write_extract

from cashier.core.errors import FileRefused, PermissionDenied

PW = "pw-123456"


@pytest.fixture
def station(tmp_path, monkeypatch):
    monkeypatch.delenv("CASHIER_KEYS", raising=False)
    st = make_station(tmp_path)
    yield st
    st.close()


def _users(station):
    station.users.add_user("admin", PW, "admin", full_name="Quản Trị")
    admin = station.users.login("admin", PW)
    station.users.add_user("ql", PW, "manager", full_name="Quản Lý", actor=admin)
    station.users.add_user("tn", PW, "cashier", full_name="Thu Ngân", actor=admin)
    return station.users.login("ql", PW), station.users.login("tn", PW)


def _import_entries(station):
    rows = station.db.execute_sql(
        "SELECT payload FROM journal_entry WHERE kind = 'import' ORDER BY seq"
    ).fetchall()
    return [json.loads(r[0]) for r in rows]


def test_applied_import_is_journalled_with_file_hash_counts_and_user(station, tmp_path):
    manager, _ = _users(station)
    path = write_extract(tmp_path / "no.csv", [
        bill_row("PC12AA0000001", "1001", thang=9),
        bill_row("PC12AA0000001", "1002", thang=10),
        bill_row("PC12AA0000002", "1003"),
    ])
    summary = station.cache.import_extract(path, actor=manager)
    entries = _import_entries(station)
    assert len(entries) == 1
    entry = entries[0]
    assert entry["user"] == "ql"
    assert entry["file"] == summary.file
    assert len(entry["sha256"]) == 64
    assert (entry["customers"], entry["bills"], entry["total_due"]) == (2, 3, summary.total_due)
    assert entry["batch"] == summary.batch_id
    assert station.journal.verify().ok


def test_cashier_may_not_import_and_nothing_changes(station, tmp_path):
    _, cashier = _users(station)
    path = write_extract(tmp_path / "no.csv", [bill_row("PC12AA0000001", "1001")])
    with pytest.raises(PermissionDenied):
        station.cache.import_extract(path, actor=cashier)
    assert station.db.execute_sql("SELECT COUNT(*) FROM bill").fetchone()[0] == 0
    assert _import_entries(station) == []


def test_refused_file_is_not_journalled_as_applied(station, tmp_path):
    manager, _ = _users(station)
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a zip at all")
    with pytest.raises(FileRefused):
        station.cache.import_extract(bad, actor=manager)
    assert _import_entries(station) == []
