"""Issue 13, "must show": 4 counter processes (ST01-ST04) collecting the same 500 customers in
different orders against one (throwaway) PostgreSQL server: exactly 500 payments, each bill
collected once, every refusal a clear Conflict message, receipt numbers gapless per station and
every station's journal chain verifying on the server."""

from __future__ import annotations

import multiprocessing
import random
import re
from concurrent.futures import ProcessPoolExecutor

import pytest
from counter_worker import run_counter
from pg_helpers import StaticSecret, add_cashier, add_customers, open_counter

from cashier.cli.server_commands import init_server
from cashier.core import journal as jr

CUSTOMERS = 500
STATIONS = ["ST01", "ST02", "ST03", "ST04"]


def orders(n: int) -> list[list[int]]:
    ids = list(range(1, n + 1))
    shuffled = ids[:]
    random.Random(13).shuffle(shuffled)
    interleaved = ids[1::2] + ids[0::2]
    return [ids, ids[::-1], shuffled, interleaved]


@pytest.mark.slow
def test_four_counters_collect_500_customers_each_bill_once(pg_url):
    setup = open_counter(pg_url, "ST01", migrate=True)
    try:
        add_customers(setup.storage.db, CUSTOMERS)
        for n in range(1, 5):
            add_cashier(setup, f"thu{n}")
    finally:
        setup.close()
    # each counter process logs in with its own role: the rights server init gives suffice
    report = init_server(pg_url, STATIONS, reset_passwords=True)
    urls = {c["station"]: c["url"] for c in report["counters"]}

    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Manager().Barrier(len(STATIONS))
    with ProcessPoolExecutor(len(STATIONS), mp_context=ctx) as pool:
        futures = [pool.submit(run_counter, urls[st], st, f"thu{n}", order, barrier)
                   for n, (st, order) in enumerate(zip(STATIONS, orders(CUSTOMERS), strict=True), 1)]
        results = {st: f.result(timeout=600)[0] for st, f in zip(STATIONS, futures, strict=True)}

    outcomes = [r for st in STATIONS for r in results[st]]
    errors = [r for r in outcomes if r[0] == "error"]
    assert errors == []
    ok = [r for r in outcomes if r[0] == "ok"]
    refused = [r for r in outcomes if r[0] == "refused"]
    assert len(ok) == CUSTOMERS and len(refused) == 3 * CUSTOMERS, refused[:3]
    assert sorted(r[1] for r in ok) == list(range(1, CUSTOMERS + 1))  # each customer once
    # every refusal is the clear "nothing left to collect" or "already collected (receipt ...)"
    assert {r[2] for r in refused} <= {"ledger.no_bills", "ledger.already_collected"}
    for r in refused:
        assert re.match(r"^(Customer PC12BB\d{7} has no unpaid bill|Bill .+ was already collected)", r[3]), r

    # receipts gapless per station; every counter took part
    per_station: dict[str, list[int]] = {}
    for r in ok:
        st, n = r[2].split("-")
        per_station.setdefault(st, []).append(int(n))
    assert set(per_station) == set(STATIONS)
    for numbers in per_station.values():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))

    check = open_counter(pg_url, "ST01")
    try:
        db = check.storage.db
        bills = db.execute_sql("SELECT count(*), count(*) FILTER (WHERE status = 'collected') FROM bill").fetchone()
        assert bills == (2 * CUSTOMERS, 2 * CUSTOMERS)
        lines = db.execute_sql("SELECT bill_row, count(*) FROM payment_line WHERE active AND settles "
                               "GROUP BY bill_row HAVING count(*) <> 1").fetchall()
        assert lines == []
        assert db.execute_sql("SELECT count(*) FROM payment").fetchone()[0] == CUSTOMERS
        for st in STATIONS:
            journal = check.storage.journal
            head = journal.journal_head(st)
            result = jr.verify_chain(StaticSecret(st).secret(), journal.iter_journal(st), head[:3])
            assert result.ok, (st, result)
            payments = sum(1 for e in journal.iter_journal(st) if e.kind == "payment")
            assert payments == len(per_station[st])
    finally:
        check.close()
