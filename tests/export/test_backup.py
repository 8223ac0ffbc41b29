"""Online backups while the counter collects; restore checks before replacing anything."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from cashier.core.errors import IntegrityError
from tests.export.conftest import make_customers


def test_backup_during_collections_restores_and_verifies(station, db, admin, cashier, shift, tmp_path):
    codes = make_customers(db, 60)
    errors: list[BaseException] = []
    done = threading.Event()

    def counter():
        try:
            for code in codes:
                plan = station.collect.preview(code)
                station.collect.collect(cashier, code, plan.total)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            done.set()

    t = threading.Thread(target=counter)
    t.start()
    backups = []
    while not done.is_set() or not backups:
        backups.append(station.backups.backup(tmp_path / "bk"))
    t.join()
    assert not errors
    assert len(backups) >= 2
    for b in backups:
        con = sqlite3.connect(b)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        con.close()
        ok, detail = station.backups.check(b)
        assert ok, detail
    # restoring a backup taken mid-way gives a consistent, verifying database: the payments
    # made after it are brought back from the journal anchor
    mid = backups[len(backups) // 2]
    n_mid = sqlite3.connect(mid).execute("SELECT count(*) FROM payment").fetchone()[0]
    result = station.backups.restore(mid, actor=admin)
    assert len(result.replayed) == len(codes) - n_mid and result.lost == []
    assert db.execute_sql("SELECT count(*) FROM payment").fetchone()[0] == len(codes)
    assert station.journal.verify().ok
    aside = sqlite3.connect(result.kept_aside)
    assert aside.execute("SELECT count(*) FROM payment").fetchone()[0] == len(codes)


def test_corrupt_foreign_and_tampered_backups_are_refused(station, db, admin, cashier, shift, tmp_path):
    codes = make_customers(db, 3)
    for code in codes:
        station.collect.collect(cashier, code, station.collect.preview(code).total)
    before = db.execute_sql("SELECT count(*), sum(total) FROM payment").fetchone()
    good = station.backups.backup(tmp_path / "bk")

    corrupt = tmp_path / "corrupt.sqlite3"
    data = bytearray(good.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 4096] = b"\xff" * 4096
    corrupt.write_bytes(bytes(data))
    truncated = tmp_path / "truncated.sqlite3"
    truncated.write_bytes(good.read_bytes()[:5000])
    foreign = tmp_path / "foreign.sqlite3"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    tampered = tmp_path / "tampered.sqlite3"
    tampered.write_bytes(good.read_bytes())
    con = sqlite3.connect(tampered)
    con.execute("UPDATE payment SET total = total + 1000, tendered = tendered + 1000 WHERE id = 1")
    con.commit()
    con.close()
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database at all")

    for bad in (corrupt, truncated, foreign, tampered, garbage):
        with pytest.raises(IntegrityError, match="nothing was changed"):
            station.backups.restore(bad, actor=admin)
        assert db.execute_sql("SELECT count(*), sum(total) FROM payment").fetchone() == before
    assert station.backups.restore(good, actor=admin).kept_aside


def test_retention_keeps_the_newest(station, db, clock):
    station.backups.keep = 3
    made = []
    for _ in range(5):
        made.append(station.backups.backup())
        clock.advance(seconds=1)
    left = station.backups.list()
    assert left == made[-3:]
