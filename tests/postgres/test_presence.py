"""Issue 13 item 2: when counter 2 scans a customer counter 1 has on screen, it learns at once
which counter (the advisory lock's holder); released when counter 1 moves on or its session ends."""

from __future__ import annotations

import time

import psycopg
import pytest
from pg_helpers import StaticSecret, customer_code, open_counter

from cashier.cli.server_commands import init_server
from cashier.core.errors import Conflict
from cashier.db.postgres.storage import open_postgres_storage


def test_the_other_counter_learns_who_serves_the_customer_at_once(pg_url, pg_cluster):
    # each counter logs in with its own role (what a counter's role may see of the others)
    report = init_server(pg_url, ["ST01", "ST02"], reset_passwords=True)
    urls = {c["station"]: c["url"] for c in report["counters"]}
    st1 = open_counter(urls["ST01"], "ST01")
    st2 = open_counter(urls["ST02"], "ST02")
    try:
        one, two = st1.storage.ledger, st2.storage.ledger
        code = customer_code(7)
        assert one.claim_customer(code) is None
        assert one.claim_customer(code) is None  # the same counter again: still its own
        t0 = time.perf_counter()
        assert two.claim_customer(code) == "ST01"
        assert time.perf_counter() - t0 < 1.0
        assert two.serving(code) == "ST01" and one.serving(code) is None
        assert two.claim_customer(customer_code(8)) is None  # another customer: free
        one.release_customer(code)
        one.release_customer(code)  # claimed twice, released twice (session locks stack)
        assert two.claim_customer(code) is None and one.claim_customer(code) == "ST02"
        # counter 2's session ends (crash, network): its customers are free again
        pid = st2.storage.db.execute_sql("SELECT pg_backend_pid()").fetchone()[0]
        with psycopg.connect(pg_cluster.admin_url, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
            deadline = time.monotonic() + 5
            while admin.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone()[0]:
                assert time.monotonic() < deadline
                time.sleep(0.01)
        assert one.claim_customer(code) is None
    finally:
        st1.close()
        st2.close()


def test_a_station_code_in_use_on_another_pc_is_refused(pg_url):
    a = open_postgres_storage(pg_url, station="ST_1", secrets=StaticSecret("ST_1"), migrate_schema=True, pc="PC-A")
    try:
        with pytest.raises(Conflict) as info:
            open_postgres_storage(pg_url, station="ST_1", secrets=StaticSecret("ST_1"), pc="PC-B")
        assert info.value.code == "postgres.station_on_other_pc" and info.value.params["pc"] == "PC-A"
        same_pc = open_postgres_storage(pg_url, station="ST_1", secrets=StaticSecret("ST_1"), pc="PC-A")
        same_pc.close()  # the same PC may open more connections (a CLI command beside the window)
        other = open_postgres_storage(pg_url, station="STX1", secrets=StaticSecret("STX1"), pc="PC-B")
        other.close()  # '_' is no wildcard: STX1 is another station
    finally:
        a.close()
    deadline = time.monotonic() + 5  # once PC-A's session has ended, PC-B may take the code
    while True:
        try:
            later = open_postgres_storage(pg_url, station="ST_1", secrets=StaticSecret("ST_1"), pc="PC-B")
        except Conflict:
            assert time.monotonic() < deadline, "PC-A's closed session still blocks the code"
            time.sleep(0.01)
            continue
        later.close()
        break
