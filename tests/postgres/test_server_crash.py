"""The server crashing under a counter (``pg_ctl stop -m immediate`` at random moments, then
started again): every payment the counter acknowledged is on the server after recovery, an
attempt cut off mid-commit is retried with its idempotency key and never collected twice,
receipt numbers stay gapless and the station's journal verifies. (The outage outbox, collecting
while the server is down, is a later step of issue 13: here the counter waits and retries.)"""

from __future__ import annotations

import random
import threading
import time

import pytest
from pg_helpers import StaticSecret, add_cashier, add_customers, customer_code, open_counter
from postgres_cluster import PostgresCluster

from cashier.core import journal as jr
from cashier.core.errors import DomainError

CUSTOMERS = 300
CRASHES = 15


@pytest.fixture
def own_cluster():
    cluster = PostgresCluster().start()  # its own server: the session's one is not killed
    yield cluster
    cluster.remove()


@pytest.mark.slow
def test_acknowledged_payments_survive_server_crashes(own_cluster):
    url = own_cluster.create_database("crash")
    counter = open_counter(url, "ST01", migrate=True)
    add_customers(counter.storage.db, CUSTOMERS)
    add_cashier(counter, "thu1")
    user = counter.users.login("thu1", "counter-pw-1")
    counter.shifts.open_shift(user, 0)
    acknowledged: dict[int, str] = {}
    refusals: list[str] = []
    done = threading.Event()

    def collect_all() -> None:
        for i in range(1, CUSTOMERS + 1):
            while True:
                try:
                    p = counter.collect.collect(user, customer_code(i), 500_000, idempotency_key=f"crash-{i}")
                except DomainError as exc:
                    refusals.append(exc.code)
                    time.sleep(0.05)  # the server is down or recovering: try the same payment again
                    continue
                acknowledged[i] = p.receipt_no
                break
        done.set()

    worker = threading.Thread(target=collect_all, daemon=True)
    worker.start()
    rnd = random.Random(13)
    # crash at random points of the run (after the k-th acknowledged payment, then a random few
    # ms into the next commits), so every crash lands while the counter is collecting
    for threshold in sorted(rnd.sample(range(5, CUSTOMERS - 5), CRASHES)):
        deadline = time.monotonic() + 60
        while len(acknowledged) < threshold:
            assert time.monotonic() < deadline, "the counter stopped collecting"
            time.sleep(0.001)
        time.sleep(rnd.uniform(0.0, 0.01))
        own_cluster.kill()
        time.sleep(rnd.uniform(0.0, 0.1))
        own_cluster.start()
    worker.join(timeout=240)
    assert done.is_set(), "the counter did not finish after the server came back"
    assert set(refusals) <= {"postgres.connection_lost"}, set(refusals)  # one clear error, nothing else
    assert len(acknowledged) == CUSTOMERS

    check = open_counter(url, "ST01")
    try:
        stored = {p.customer.code: p.receipt_no for p in check.storage.ledger.payments()}
        assert len(stored) == CUSTOMERS == len(check.storage.ledger.payments())  # none twice
        assert all(stored[customer_code(i)] == r for i, r in acknowledged.items())  # none lost
        numbers = sorted(int(r.split("-")[1]) for r in stored.values())
        assert numbers == list(range(1, CUSTOMERS + 1))  # gapless
        journal = check.storage.journal
        result = jr.verify_chain(StaticSecret("ST01").secret(), journal.iter_journal("ST01"),
                                 journal.journal_head("ST01")[:3])
        assert result.ok, result
    finally:
        check.close()
        counter.close()
