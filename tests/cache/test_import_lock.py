"""A refresh import holds the write lock only for moments; collections go on (issue 11 §5).

Another connection (standing for a `cashier collect` in another process) writes with
busy_timeout 0 - it fails at once if the import holds the lock - while the file is staged and
between the apply's chunks; the refresh rules hold against what it wrote; a crash while staging
leaves the cache as it was; a crash while applying is finished at the next start.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from cache_helpers import HEADER, bill_row, make_station, table_dump, write_extract

from cashier.core.storage_errors import StorageBusy
from cashier.db.sqlite import search_index

SETTLED_HEADER = [*HEADER, "DA_THANH_TOAN"]
N = 60


def codes(n=N):
    return [f"PC12AA{i:07d}" for i in range(1, n + 1)]


def day1_rows():
    return [bill_row(c, str(i), thang=10) + [""] for i, c in enumerate(codes(), 1)]


def day2_rows():
    """Every customer again; amounts changed for some, a new bill for others, the last one's
    bill settled elsewhere, customer 7 renamed; customer 5's bill missing (1 of 60: under 2%)."""
    out = []
    for i, c in enumerate(codes(), 1):
        if i == 5:
            continue
        kwh = 200 if i % 4 == 0 else 120
        name = "Trần Thị Bích" if i == 7 else "Nguyễn Văn An"
        settled = "x" if i == N else ""
        out.append(bill_row(c, str(i), thang=10, kwh=kwh, name=name) + [settled])
        if i % 3 == 0:
            out.append(bill_row(c, str(1000 + i), thang=11) + [""])
    return out


def other(db_path):
    """A second connection that gives up at once when the database is locked."""
    con = sqlite3.connect(db_path, isolation_level=None, timeout=0)
    con.execute("PRAGMA busy_timeout = 0")
    return con


def collect(con, code, bill_id):
    con.execute("BEGIN IMMEDIATE")
    con.execute("UPDATE bill SET status = 'collected' WHERE customer_code = ? AND bill_id = ?", (code, bill_id))
    con.execute("COMMIT")


def status(station, code, bill_id):
    return station.db.execute_sql(
        "SELECT status, double_collection, kwh FROM bill WHERE customer_code = ? AND bill_id = ?", (code, bill_id)
    ).fetchone()


def small_chunks(station):
    station.cache_store.chunk_customers = 3
    station.cache_store.chunk_pause = 0.0


def db_path(station):
    return Path(station.db.database)


def test_collections_go_on_while_a_refresh_is_staged_and_applied(station, tmp_path):
    station.cache.import_extract(write_extract(tmp_path / "d1.csv", day1_rows(), SETTLED_HEADER))
    small_chunks(station)
    con = other(db_path(station))
    seen = {"read": 0, "apply": 0}
    last, before_last = codes()[-1], codes()[-2]

    def progress(done, total, phase):
        if phase == "read":
            collect(con, codes()[0], "1")  # fails at once if the import held the lock
            seen["read"] += 1
        elif phase == "apply" and 0 < done < total:
            if seen["apply"] == 0:
                collect(con, last, str(N))  # the file says: settled elsewhere -> double collection
                collect(con, before_last, str(N - 1))  # the file changes nothing that stays
            else:
                collect(con, codes()[1], "2")
            seen["apply"] += 1

    s = station.cache.import_extract(write_extract(tmp_path / "d2.csv", day2_rows(), SETTLED_HEADER), progress=progress)
    assert seen["read"] >= 1 and seen["apply"] >= 5  # 33 changed customers / 3 per chunk
    assert status(station, codes()[0], "1")[0] == "collected"
    assert status(station, last, str(N))[:2] == ("collected", 1)
    assert s.conflicts == 1 and any("double collection" in w for w in s.warnings)
    assert status(station, before_last, str(N - 1))[0] == "collected"
    assert status(station, codes()[3], "4")[2] == 200  # amounts refreshed
    assert status(station, codes()[2], "1003")[0] == "unpaid"  # new bill
    assert status(station, codes()[4], "5")[0] == "paid_elsewhere"
    assert s.paid_elsewhere == 1 and s.new_bills == 20
    conn = station.cache_store.connection()
    assert search_index.integrity_check(conn)
    assert [h.code for h in station.cache.search("tran thi bich")] == [codes()[6]]
    assert conn.execute("SELECT COUNT(*) FROM import_apply").fetchone()[0] == 0
    assert not list(db_path(station).parent.glob("*.staging"))


def test_a_customer_is_never_seen_half_refreshed(station, tmp_path):
    """Between chunks every customer is wholly before or wholly after the import."""
    station.cache.import_extract(write_extract(tmp_path / "d1.csv", day1_rows(), SETTLED_HEADER))
    small_chunks(station)
    con = other(db_path(station))
    checks = []

    def progress(done, total, phase):
        if phase != "apply" or not 0 < done < total:
            return
        for i, c in enumerate(codes(), 1):
            if i % 12 != 0:  # a changed amount and a new bill each
                continue
            kwh = con.execute("SELECT kwh FROM bill WHERE customer_code = ? AND bill_id = ?", (c, str(i))).fetchone()[0]
            new = con.execute("SELECT COUNT(*) FROM bill WHERE customer_code = ? AND bill_id = ?", (c, str(1000 + i))).fetchone()[0]
            checks.append((kwh == 200) == (new == 1))

    station.cache.import_extract(write_extract(tmp_path / "d2.csv", day2_rows(), SETTLED_HEADER), progress=progress)
    assert checks and all(checks)


def test_an_identical_file_writes_nothing(station, tmp_path):
    path = write_extract(tmp_path / "d1.csv", day1_rows(), SETTLED_HEADER)
    station.cache.import_extract(path)
    before = station.db.execute_sql("SELECT * FROM bill ORDER BY id").fetchall()
    s = station.cache.import_extract(path)
    assert station.db.execute_sql("SELECT * FROM bill ORDER BY id").fetchall() == before
    assert s.bills == N and s.new_bills == 0 and s.paid_elsewhere == 0


def test_a_locked_database_is_a_clear_refusal_not_a_traceback(station, tmp_path):
    station.cache.import_extract(write_extract(tmp_path / "d1.csv", day1_rows(), SETTLED_HEADER))
    before = table_dump(station)
    con = sqlite3.connect(db_path(station), isolation_level=None)
    con.execute("BEGIN IMMEDIATE")  # another process holds the write lock for a long time
    station.cache_store.connection().execute("PRAGMA busy_timeout = 50")
    try:
        with pytest.raises(StorageBusy) as err:
            station.cache.import_extract(write_extract(tmp_path / "d2.csv", day2_rows(), SETTLED_HEADER))
    finally:
        con.execute("ROLLBACK")
    assert "bận" in err.value.text("vi") and "busy" in str(err.value)
    assert table_dump(station) == before
    s = station.cache.import_extract(write_extract(tmp_path / "d3.csv", day2_rows(), SETTLED_HEADER))
    assert s.bills == len(day2_rows())


_CRASHER = r"""
import os, sys
from cashier.app import Station
st = Station(sys.argv[1])
st.cache_store.chunk_customers = 3
st.cache_store.chunk_pause = 0.0
phase_to_die, n = sys.argv[3], int(sys.argv[4])
def progress(done, total, phase):
    if phase == phase_to_die and done >= n:
        os._exit(9)  # power cut
st.cache.import_extract(sys.argv[2], progress=progress)
"""


def run_crasher(db, path, phase, n):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    proc = subprocess.run([sys.executable, "-c", _CRASHER, str(db), str(path), phase, str(n)], env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert proc.returncode == 9, proc.stderr


def bills_state(station):
    return station.db.execute_sql(
        "SELECT customer_code, bill_id, status, kwh, total, double_collection FROM bill ORDER BY 1, 2"
    ).fetchall()


def customers_state(station):
    return station.db.execute_sql("SELECT code, name, search_text FROM customer ORDER BY code").fetchall()


def test_a_crash_while_staging_leaves_the_cache_as_it_was(tmp_path):
    st = make_station(tmp_path)
    st.cache.import_extract(write_extract(tmp_path / "d1.csv", day1_rows(), SETTLED_HEADER))
    before = table_dump(st)
    db = db_path(st)
    st.close()
    run_crasher(db, write_extract(tmp_path / "d2.csv", day2_rows(), SETTLED_HEADER), "read", 0)
    assert list(db.parent.glob("*.staging"))  # the dead import's staging file
    st = make_station(tmp_path)
    st.cache.lookup(codes()[0])  # first use: the stopped import is thrown away
    assert table_dump(st) == before
    assert not list(db.parent.glob("*.staging"))
    conn = st.cache_store.connection()
    assert conn.execute("SELECT COUNT(*) FROM import_apply").fetchone()[0] == 0
    assert conn.execute("SELECT COUNT(*) FROM import_batch WHERE status = 'running'").fetchone()[0] == 0
    st.close()


def test_a_crash_while_applying_is_finished_at_the_next_start(tmp_path):
    d1 = write_extract(tmp_path / "d1.csv", day1_rows(), SETTLED_HEADER)
    d2 = write_extract(tmp_path / "d2.csv", day2_rows(), SETTLED_HEADER)
    ref = make_station(tmp_path / "ref")  # the same two imports without a crash
    ref.cache.import_extract(d1)
    ref.cache.import_extract(d2)
    st = make_station(tmp_path / "crash")
    st.cache.import_extract(d1)
    db = db_path(st)
    st.close()
    run_crasher(db, d2, "apply", 4)  # dies after 4 of the 11 chunks
    st = make_station(tmp_path / "crash")
    half = st.db.execute_sql("SELECT next_chunk, chunks FROM import_apply").fetchall()
    assert half == [(4, 11)]  # 33 changed customers, 3 per chunk
    st.cache.lookup(codes()[0])  # first use: the import is rolled forward
    assert bills_state(st) == bills_state(ref)
    assert customers_state(st) == customers_state(ref)
    assert search_index.integrity_check(st.cache_store.connection())
    assert st.db.execute_sql("SELECT COUNT(*) FROM import_apply").fetchone()[0] == 0
    batch = st.db.execute_sql("SELECT status, paid_elsewhere FROM import_batch ORDER BY id DESC LIMIT 1").fetchone()
    assert batch == ("applied", 1)
    assert not list(Path(db).parent.glob("*.staging"))
    st.close()
    ref.close()


_HOLDER = r"""
import fcntl, sys, time
fh = open(sys.argv[1] + ".lock", "a+")
fcntl.flock(fh, fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(120)
"""


def test_a_second_import_waits_for_the_running_one_even_with_a_reused_pid(station, tmp_path):
    from cashier.core.errors import Conflict

    station.cache.import_extract(write_extract(tmp_path / "d1.csv", day1_rows(), SETTLED_HEADER))
    before = table_dump(station)
    staging = db_path(station).parent / "other.staging"
    staging.write_bytes(b"")
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, str(staging)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        conn = station.cache_store.connection()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO import_batch (file_name, file_sha256, profile, started_at, status, rows_read, customers, "
            "bills, new_bills, paid_elsewhere, conflicts, rejected, total_due) "
            "VALUES ('x.csv', '-', 'default', '', 'running', 0, 0, 0, 0, 0, 0, 0, 0)"
        )
        batch = conn.execute("SELECT max(id) FROM import_batch").fetchone()[0]
        # the pid recorded is one that no longer exists (or was reused): the lock decides
        conn.execute("INSERT INTO import_apply (batch_id, staging, pid, phase) VALUES (?, ?, 999999999, 'staging')",
                     (batch, str(staging)))  # fmt: skip
        conn.execute("COMMIT")
        with pytest.raises(Conflict) as err:
            station.cache.import_extract(write_extract(tmp_path / "d2.csv", day2_rows(), SETTLED_HEADER))
        assert err.value.code == "import.already_running" and "chờ" in err.value.text("vi")
    finally:
        holder.kill()
        holder.wait()
    s = station.cache.import_extract(write_extract(tmp_path / "d3.csv", day2_rows(), SETTLED_HEADER))
    assert s.bills == len(day2_rows())  # the dead one was thrown away first
    assert table_dump(station) != before
    assert station.db.execute_sql("SELECT COUNT(*) FROM import_batch WHERE status = 'running'").fetchone()[0] == 0
