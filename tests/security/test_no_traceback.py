"""§6: what a user can reach ends in one line and its own exit code, never a traceback: a full
disk (export, report, collect), a closed output pipe, a refused import; the database is 0600."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.security.conftest import PASSWORDS, seed_station
from tests.security.fullfs import fill, tiny_fs

ROOT = Path(__file__).resolve().parents[2]
EXIT_REFUSED, EXIT_IO, EXIT_BROKEN_PIPE = 3, 5, 141


def run(home: Path, *argv, password: str | None = None, stdout=subprocess.PIPE, shell: str | None = None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASHIER_")}
    env.update(PYTHONPATH=str(ROOT), CASHIER_HOME=str(home))
    if password is not None:
        env["CASHIER_PASSWORD"] = password
    if shell is not None:
        return subprocess.run(["bash", "-c", shell], capture_output=True, text=True, env=env, timeout=120)
    return subprocess.run([sys.executable, "-m", "cashier", "--db", str(home / "cashier.sqlite3"), *argv],
                          stdout=stdout, stderr=subprocess.PIPE, text=True, env=env, timeout=120)


def one_line(err: str) -> bool:
    return "Traceback" not in err and "Exception ignored" not in err and err.strip().count("\n") == 0


@pytest.fixture
def station_home(home):
    seed_station(home / "cashier.sqlite3")
    return home


def test_search_json_into_head_is_quiet(station_home):
    from station_helpers import add_customer

    from cashier.app import Station

    st = Station(station_home / "cashier.sqlite3")
    try:
        with st.db.atomic():
            for i in range(10, 1510):
                add_customer(st.db, f"PC12BB{i:07d}", f"Nguyễn Thị Khách {i}", [(f"HB{i}", 1, 10, 2026, 90_000)])
    finally:
        st.close()
    db = station_home / "cashier.sqlite3"
    cmd = f"{sys.executable} -m cashier --db {db} search nguyen --limit 1500 --json | head -c 100"
    r = run(station_home, shell=f"set -o pipefail; {cmd}")
    assert "Traceback" not in r.stderr and "BrokenPipe" not in r.stderr, r.stderr
    assert r.returncode == EXIT_BROKEN_PIPE, (r.returncode, r.stderr)
    assert r.stdout.startswith("[")


def test_refused_import_is_one_line_not_an_error_traceback(station_home):
    bad = station_home / "bad.csv"
    bad.write_bytes(b"\x00\x01\x02 not an extract at all\n" * 10)
    r = run(station_home, "--user", "ql", "import", str(bad), password=PASSWORDS["ql"])
    assert r.returncode == EXIT_REFUSED and one_line(r.stderr) and "ERROR" not in r.stderr, r.stderr


def test_database_and_its_wal_are_private(home):
    db = home / "new.sqlite3"
    old = os.umask(0o022)
    try:
        from cashier.db.sqlite.connection import close_database, open_database

        open_database(db)
        try:
            from cashier.db.sqlite.connection import database

            database.obj.execute_sql("CREATE TABLE IF NOT EXISTS t(x)")
            database.obj.execute_sql("INSERT INTO t VALUES (1)")
            for f in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
                assert f.exists(), f
                assert stat.S_IMODE(f.stat().st_mode) == 0o600, (f, oct(f.stat().st_mode))
        finally:
            close_database()
    finally:
        os.umask(old)
    legacy = home / "legacy.sqlite3"
    sqlite3.connect(legacy).close()
    legacy.chmod(0o644)
    from cashier.db.sqlite.connection import close_database, open_database

    open_database(legacy)
    close_database()
    assert stat.S_IMODE(legacy.stat().st_mode) == 0o600


@pytest.mark.parametrize("leave", [0, 40_000, 120_000])
def test_full_disk_export_report_collect_are_one_line(tmp_path, monkeypatch, leave):
    with tiny_fs(tmp_path / "full", 3072) as fs:
        if fs is None:  # cannot mount here: the same doors with ENOSPC raised inside the writers
            _simulated_full_disk(tmp_path, monkeypatch)
            return
        monkeypatch.setenv("CASHIER_HOME", str(fs))
        db = fs / "cashier.sqlite3"
        seed_station(db)
        filler = fill(fs, leave)
        results = {
            "export": run(fs, "--user", "ql", "export", password=PASSWORDS["ql"]),
            "report": run(fs, "--user", "ql", "report", "day", "--out", str(fs / "day.xlsx"), password=PASSWORDS["ql"]),
            "collect": run(fs, "--user", "thu1", "collect", "PC12AA0000002", "--tendered", "200000",
                           password=PASSWORDS["thu1"]),
        }
        for name, r in results.items():
            lines = [ln for ln in r.stderr.splitlines() if not ln.startswith(("cashier: selecting", "cashier: writing",
                                                                                 "cashier: recording", "cashier: backing"))]
            assert "Traceback" not in r.stderr and "Exception ignored" not in r.stderr, (name, r.stderr)
            assert r.returncode in (0, EXIT_IO), (name, r.returncode, r.stderr)
            if r.returncode == EXIT_IO:
                assert len([ln for ln in lines if not ln.startswith("ERROR")]) == 1, (name, r.stderr)
        if results["report"].returncode != 0:
            assert not (fs / "day.xlsx").exists()
        assert not list(fs.glob("**/*.partial*"))
        filler.unlink()
        v = run(fs, "verify")
        assert v.returncode == 0, v.stderr
        if results["collect"].returncode != 0:  # nothing half-saved: the bill is still unpaid
            look = run(fs, "lookup", "PC12AA0000002", "--json")
            assert '"status": "unpaid"' in look.stdout


def _simulated_full_disk(tmp_path, monkeypatch):
    import errno

    from cashier.cli import main
    from cashier.export import clearing_exporter, reports

    home = tmp_path / "sim"
    home.mkdir()
    monkeypatch.setenv("CASHIER_HOME", str(home))
    seed_station(home / "cashier.sqlite3")

    def full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(reports.ReportWriter, "_xlsx", lambda self, report, fh: full())
    monkeypatch.setattr(clearing_exporter, "write_xlsx", full)
    monkeypatch.setenv("CASHIER_PASSWORD", PASSWORDS["ql"])
    db = str(home / "cashier.sqlite3")
    assert main(["--db", db, "export", "--user", "ql"]) == EXIT_IO
    assert main(["--db", db, "report", "day", "--out", str(home / "day.xlsx"), "--user", "ql"]) == EXIT_IO
    assert not (home / "day.xlsx").exists() and not list(home.glob("**/*.partial*"))
