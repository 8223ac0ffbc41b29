"""A full disk during an import gives one clear message and leaves the cache as it was
(issue 11 §6: it was a "cannot rollback - no transaction is active" traceback).

SQLite's own "database or disk is full" (SQLITE_FULL) is produced for real with
``PRAGMA max_page_count`` (the database cannot grow past its pages), on the station database or
on the import's staging file.
"""

from __future__ import annotations

import pytest
from cache_helpers import bill_row, table_dump, write_extract

from cashier.core.storage_errors import StorageFull
from cashier.db.sqlite import cache_refresh


def rows(n, start=1, thang=10):
    return [bill_row(f"PC12AA{i:07d}", f"{thang}{i}", thang=thang) for i in range(start, start + n)]


def cap_main(station, extra_pages=0):
    conn = station.cache_store.connection()
    pages = conn.execute("PRAGMA main.page_count").fetchone()[0]
    conn.execute(f"PRAGMA main.max_page_count = {pages + extra_pages}")
    return conn


def uncap_main(station):
    station.cache_store.connection().execute("PRAGMA main.max_page_count = 1073741823")


def test_disk_full_during_a_first_load(station, tmp_path):
    before = table_dump(station)
    cap_main(station, 2)
    with pytest.raises(StorageFull) as err:
        station.cache.import_extract(write_extract(tmp_path / "a.csv", rows(3000)))
    uncap_main(station)
    assert "Ổ đĩa đã đầy" in err.value.text("vi") and "disk is full" in str(err.value)
    assert table_dump(station) == before
    assert station.cache.import_extract(write_extract(tmp_path / "b.csv", rows(10))).bills == 10


def test_disk_full_while_staging_a_refresh(station, tmp_path, monkeypatch):
    station.cache.import_extract(write_extract(tmp_path / "a.csv", rows(50)))
    before = table_dump(station)
    real = cache_refresh.create_staging

    def tiny(conn, path):
        real(conn, path)
        conn.execute(f"PRAGMA {cache_refresh.S}.max_page_count = 12")  # the staging file's disk is full

    monkeypatch.setattr(cache_refresh, "create_staging", tiny)
    with pytest.raises(StorageFull) as err:
        station.cache.import_extract(write_extract(tmp_path / "b.csv", rows(50) + rows(3000, 51, 11)))
    assert "chưa thay đổi gì" in err.value.text("vi")
    assert table_dump(station) == before
    folder = station.cache_store.database_path().parent
    assert not list(folder.glob("*.staging"))
    assert station.db.execute_sql("SELECT COUNT(*) FROM import_apply").fetchone()[0] == 0


def test_too_little_free_space_is_refused_before_applying(station, tmp_path):
    station.cache.import_extract(write_extract(tmp_path / "a.csv", rows(50)))
    before = table_dump(station)
    station.cache_store.min_free_bytes = 1 << 62
    with pytest.raises(StorageFull) as err:
        station.cache.import_extract(write_extract(tmp_path / "b.csv", rows(50) + rows(100, 51, 11)))
    assert err.value.code == "import.disk_low" and "Không đủ dung lượng" in err.value.text("vi")
    assert table_dump(station) == before


def test_disk_full_in_the_middle_of_the_apply_is_finished_once_space_is_freed(station, tmp_path):
    station.cache.import_extract(write_extract(tmp_path / "a.csv", rows(50)))
    station.cache_store.chunk_customers = 20
    station.cache_store.chunk_pause = 0.0
    new = rows(50) + rows(2000, 51, 11)

    def progress(done, total, phase):
        if phase == "apply" and done == 1 and total > 1:
            cap_main(station)  # the disk fills up after the first chunk

    with pytest.raises(StorageFull) as err:
        station.cache.import_extract(write_extract(tmp_path / "b.csv", new), progress=progress)
    assert err.value.code == "import.full_applying"
    assert "hoàn tất" in err.value.text("vi")
    uncap_main(station)
    assert station.cache_store.recover_imports()  # what the next start does
    n = station.db.execute_sql("SELECT COUNT(*) FROM bill WHERE status = 'unpaid'").fetchone()[0]
    assert n == 2050
    assert station.db.execute_sql("SELECT status FROM import_batch ORDER BY id DESC LIMIT 1").fetchone()[0] == "applied"
