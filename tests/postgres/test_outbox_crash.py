"""The server killed (``pg_ctl stop -m immediate``) at random moments while a counter uploads its
outbox, then started again: after the cycles that follow, every offline payment is on the server
exactly once, none was set aside for a connection loss, and the station's journal verifies."""

from __future__ import annotations

import random
import threading
import time

import pytest
from outbox_helpers import offline_station
from pg_helpers import StaticSecret, add_cashier, add_customers, customer_code, open_counter
from postgres_cluster import PostgresCluster

from cashier.core import journal as jr
from cashier.db.postgres.outbox_apply import PgOutboxApply
from cashier.services.outbox_sync import OutboxSync

PAYMENTS = 150
CRASHES = 8


@pytest.fixture
def own_cluster():
    cluster = PostgresCluster().start()  # its own server: the session's one is not killed
    yield cluster
    cluster.remove()


@pytest.mark.slow
def test_each_offline_payment_lands_exactly_once_across_server_crashes(own_cluster, tmp_path):
    url = own_cluster.create_database("outbox_crash")
    server = open_counter(url, "ST02", migrate=True)
    add_customers(server.storage.db, PAYMENTS)
    add_cashier(server, "thu2")
    st, user, outbox = offline_station(tmp_path / "counter2.sqlite3", "ST02", "thu2", PAYMENTS)
    try:
        local = [st.collect.collect(user, customer_code(i), 500_000).receipt_no for i in range(1, PAYMENTS + 1)]
        sync = OutboxSync(outbox, PgOutboxApply(server.storage.db, StaticSecret("ST02"), station="ST02"))
        rnd = random.Random(13)
        stops: list[str | None] = []
        duplicates = 0
        pending_at_crash: list[int] = []
        for _ in range(CRASHES):
            if sync.pending_count() == 0:
                break
            down = threading.Event()

            def crash(down: threading.Event = down) -> None:
                time.sleep(rnd.uniform(0.02, 0.25))
                own_cluster.kill()
                down.set()

            killer = threading.Thread(target=crash)
            killer.start()
            while not down.is_set() and sync.pending_count():
                counts = sync.run_once()
                stops.append(counts.stopped_by)
                duplicates += counts.duplicates
            killer.join()
            pending_at_crash.append(sync.pending_count())
            stops.append(sync.run_once().stopped_by)  # the server is down: the cycle stops at once
            own_cluster.start()
        for _ in range(5):  # the server is back: the next cycles finish the queue
            counts = sync.run_once()
            duplicates += counts.duplicates
            if counts.pending == 0:
                break
        print(f"crashes: {len(pending_at_crash)}, pending at each: {pending_at_crash}, cycles: {len(stops)}, duplicates answered: {duplicates}")
        assert any(0 < n < PAYMENTS for n in pending_at_crash)  # the crashes did land mid-upload
        assert "postgres.connection_lost" in stops
        assert set(stops) <= {None, "postgres.connection_lost"}
        assert outbox.set_aside_items() == []  # a connection loss never sets a payment aside
        assert sync.pending_count() == 0
        check = open_counter(url, "ST02")  # a fresh connection (the last crash may have cut the old one)
        try:
            stored = [p.receipt_no for p in check.storage.ledger.payments(station="ST02")]
            assert sorted(stored) == sorted(local) and len(stored) == len(set(stored))  # each exactly once
            rows = check.storage.db.execute_sql("SELECT count(*), max(sequence) FROM outbox_receipt").fetchone()
            assert tuple(rows) == (PAYMENTS, PAYMENTS)
            journal = check.storage.journal
            result = jr.verify_chain(StaticSecret("ST02").secret(), journal.iter_journal("ST02"),
                                     journal.journal_head("ST02")[:3])
            assert result.ok, result
        finally:
            check.close()
    finally:
        st.close()
        server.close()
