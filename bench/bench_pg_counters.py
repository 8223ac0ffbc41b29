"""Several counters on one PostgreSQL server: payments/s and the commit's p50/p99 with 1 and 4
counters, against the SQLite single-counter commit measured in the same run.

    .venv/bin/python bench/bench_pg_counters.py --n 500 [--url postgresql://...]

Without ``--url`` a throwaway cluster is started (tests/postgres_cluster.py: initdb + pg_ctl on
localhost, fsync and synchronous_commit on, as production) and removed afterwards. Measured:

* ``raw psycopg INSERT+COMMIT``: one single-row insert and commit over the same connection kind
  (the floor a payment's round trips and the WAL flush cost);
* ``postgres, 1 counter``: ``CollectService.collect`` (what the counter window calls) on the
  PostgreSQL ledger store: the one transaction with the bill lock, the re-read, the receipt
  counter, the journal entry and the rows; ``--n`` customers of 2 bills;
* ``postgres, 4 counters``: 4 processes (ST01-ST04), each collecting its own ``--n`` customers at
  once (a collection point's normal load: different customers), wall-clock payments/s;
* ``sqlite, 1 counter``: the same ``CollectService.collect`` on the station's SQLite file
  (WAL + synchronous=FULL) on this machine's disk, same customers and bills.

The ratios are PostgreSQL / SQLite for p50 and p99 of the single-counter commit.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for p in (ROOT, ROOT / "tests", ROOT / "tests" / "postgres", HERE):
    sys.path.insert(0, str(p))

TENDERED = 3_000_000


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(len(s) * p))]


def summary(name: str, seconds: list[float], wall: float | None = None) -> dict:
    ms = [v * 1000 for v in seconds]
    row = {"what": name, "n": len(ms), "p50_ms": round(statistics.median(ms), 3),
           "p99_ms": round(pct(ms, 0.99), 3), "max_ms": round(max(ms), 3)}
    row["payments_per_s"] = round(len(ms) / (wall if wall is not None else sum(seconds)), 1)
    return row


def raw_baseline(url: str, n: int) -> list[float]:
    import psycopg

    out = []
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS bench_t (id BIGSERIAL PRIMARY KEY, receipt TEXT, total BIGINT)")
        for i in range(n):
            t0 = time.perf_counter()
            with conn.transaction():
                conn.execute("INSERT INTO bench_t (receipt, total) VALUES (%s, %s)", (f"R{i}", i))
            out.append(time.perf_counter() - t0)
        conn.execute("DROP TABLE bench_t")
    return out


def fresh_database(url: str, name: str) -> str:
    """A new empty database ``name`` on the server of ``url`` (dropped first); its URL."""
    import psycopg
    from psycopg import sql

    from cashier.db.postgres.connection import with_database

    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return with_database(url, name)


def setup_server(url: str, customers: int, counters: int) -> None:
    from pg_helpers import add_cashier, add_customers, open_counter

    c = open_counter(url, "ST01", migrate=True)
    try:
        add_customers(c.storage.db, customers)
        c.storage.ledger.set_setting("ledger.max_change", 0)  # round tenders, as bench_collect
        for k in range(1, counters + 1):
            add_cashier(c, f"thu{k}")
    finally:
        c.close()


def run_counters(url: str, blocks: list[list[int]]) -> tuple[list[float], float]:
    from counter_worker import run_counter

    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Manager().Barrier(len(blocks))
    with ProcessPoolExecutor(len(blocks), mp_context=ctx) as pool:
        futures = [pool.submit(run_counter, url, f"ST{k:02d}", f"thu{k}", block, barrier, TENDERED)
                   for k, block in enumerate(blocks, 1)]
        results = [f.result(timeout=1800) for f in futures]
    bad = [r for out, _ in results for r in out if r[0] != "ok"]
    if bad:
        raise SystemExit(f"unexpected refusals: {bad[:3]}")
    return [r[3] for out, _ in results for r in out], max(w for _, w in results)


def sqlite_single(n: int, folder: Path) -> list[float]:
    from ledger_fixture import PASSWORD, code, create, open_station

    db_path = folder / "bench.sqlite3"
    create(db_path, n, bills_per_customer=2)
    st = open_station(db_path)
    try:
        cashier = st.users.login("thu1", PASSWORD)
        out = []
        for i in range(1, n + 1):
            t0 = time.perf_counter()
            st.collect.collect(cashier, code(i), TENDERED)
            out.append(time.perf_counter() - t0)
        return out
    finally:
        st.close()


def run(url: str | None, n: int) -> dict:
    cluster = None
    if url is None:
        from postgres_cluster import PostgresCluster

        cluster = PostgresCluster().start()
        url = cluster.admin_url
    try:
        url1 = fresh_database(url, "cashier_bench_one")
        raw = raw_baseline(url1, n)
        setup_server(url1, n, 1)
        one, one_wall = run_counters(url1, [list(range(1, n + 1))])
        url4 = fresh_database(url, "cashier_bench_four")
        setup_server(url4, 4 * n, 4)
        four, four_wall = run_counters(url4, [list(range(k * n + 1, (k + 1) * n + 1)) for k in range(4)])
        with tempfile.TemporaryDirectory() as tmp:
            lite = sqlite_single(n, Path(tmp))
        server = "throwaway localhost cluster" if cluster else "given --url"
    finally:
        if cluster is not None:
            cluster.remove()
    rows = [summary("raw psycopg INSERT+COMMIT", raw), summary("postgres, 1 counter: collect", one, one_wall),
            summary("postgres, 4 counters: collect", four, four_wall), summary("sqlite, 1 counter: collect", lite)]
    pg1, sq = rows[1], rows[3]
    return {
        "server": server,
        "bills_per_payment": 2,
        "results": rows,
        "postgres_1_vs_sqlite_p50": round(pg1["p50_ms"] / sq["p50_ms"], 2),
        "postgres_1_vs_sqlite_p99": round(pg1["p99_ms"] / sq["p99_ms"], 2),
        "postgres_4_vs_1_throughput": round(rows[2]["payments_per_s"] / pg1["payments_per_s"], 2),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=500, help="payments per counter")
    ap.add_argument("--url", help="an existing server (a login allowed to create databases: two bench "
                    "databases are made on it)")
    args = ap.parse_args(argv)
    print(json.dumps(run(args.url, args.n), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
