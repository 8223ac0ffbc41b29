"""Issue 13 item 2: when counter 2 scans a customer counter 1 has on screen, it learns at once
which counter (the advisory lock's holder); released when counter 1 moves on or its session ends."""

from __future__ import annotations

import time

import psycopg
from pg_helpers import customer_code, open_counter

from cashier.cli.server_commands import init_server


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
