"""Customer search on the PostgreSQL server (pg_trgm over the folded text) against SQLite's FTS5
search, the same customers and the same queries in the same run.

    .venv/bin/python bench/bench_pg_search.py --customers 100000 [--rounds 5] [--url postgresql://...]

Without ``--url`` a throwaway cluster is started (tests/postgres_cluster.py) and removed at exit.
Both caches are filled by the station's own import (``CacheService.import_rows``: COPY on the
server, the one-transaction first load on SQLite) from ``core.demo_data.generate_rows``; each
import's seconds are printed, and a bare COPY of the same rows (the floor). Then, alternating backend by backend, every query of the set runs
``--rounds`` times through ``CacheService.search`` (what the counter window calls: candidates page,
ranking, what is due) and through the store's ``candidates`` alone. The queries are made from the
data: common surnames and "surname middle" pairs ("nguyen van"), a word being typed ("nguyen v",
"ngu van"), full names, a given name with its surname in any order, an address word, a code
prefix. Printed: p50/p99 per backend and the ratio PostgreSQL / SQLite, and p99 per query kind.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for p in (ROOT, ROOT / "tests"):
    sys.path.insert(0, str(p))


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(len(s) * p))]


def queries(rows: list[list], n: int, seed: int) -> list[tuple[str, str]]:
    from cashier.core.vntext import fold

    rnd = random.Random(seed)
    out: list[tuple[str, str]] = [("common", q) for q in ("nguyen van", "tran thi", "le", "nguyen", "pham van")]
    for _ in range(n):
        r = rnd.choice(rows)
        words = fold(str(r[2])).split()
        addr = [w for w in fold(str(r[3])).split() if len(w) > 3 and not w.isdigit()]
        out += [
            ("full name", " ".join(words)),
            ("typing", " ".join(words[:-1] + [words[-1][:1]])),
            ("prefixes", " ".join(w[:3] for w in words[:2])),
            ("any order", f"{words[-1]} {words[0]}"),
            ("address", rnd.choice(addr) if addr else words[0]),
            ("code prefix", str(r[1])[:10]),
        ]
    return out


def fill(station, rows: list[list]) -> float:
    from cashier.core.demo_data import DEMO_FIELDS

    t0 = time.perf_counter()
    station.cache.import_rows([list(DEMO_FIELDS), *rows], name="bench")
    return time.perf_counter() - t0


def bare_copy(url: str, rows: list[list]) -> float:
    """The floor: a bare COPY of the same rows (all columns text) into a table without indexes,
    committed, on the same server."""
    import psycopg

    from cashier.core.demo_data import DEMO_FIELDS

    with psycopg.connect(url) as conn:
        cols = ", ".join(f"c{i} TEXT" for i in range(len(DEMO_FIELDS)))
        conn.execute(f"CREATE TABLE bench_bare ({cols})")
        conn.commit()
        t0 = time.perf_counter()
        with conn.cursor().copy("COPY bench_bare FROM STDIN") as copy:
            for r in rows:
                copy.write_row([None if v is None else str(v) for v in r])
        conn.commit()
        took = time.perf_counter() - t0
        conn.execute("DROP TABLE bench_bare")
        conn.commit()
    return took


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--customers", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--queries", type=int, default=30, help="customers the data-made queries come from")
    ap.add_argument("--url", help="an existing server database (its owner's login); default: a throwaway cluster")
    args = ap.parse_args()

    import os

    from cashier.app import Station
    from cashier.cli.server_commands import init_server
    from cashier.core.demo_data import generate_rows

    home = Path(tempfile.mkdtemp(prefix="bench-pg-search-"))
    os.environ["CASHIER_HOME"] = str(home)
    url = args.url
    if url is None:
        from postgres_cluster import shared_cluster

        url = shared_cluster().create_database(f"bench_search_{os.getpid()}")
    init_server(url, [])
    rows = [list(r) for r in generate_rows(args.customers, 7)]
    sqlite = Station(home / "bench.sqlite3")
    pg = Station(url, station="BENCH")
    print(f"{args.customers} customers, {len(rows)} bills")
    t_sqlite, t_pg = fill(sqlite, rows), fill(pg, rows)
    print(f"import: sqlite {t_sqlite:.1f} s, postgresql (COPY) {t_pg:.1f} s, ratio {t_pg / t_sqlite:.2f}")
    t_bare = bare_copy(url, rows)
    print(f"bare COPY of the same rows (no index, text columns): {t_bare:.1f} s; import / bare {t_pg / t_bare:.1f}")
    qs = queries(rows, args.queries, 11)
    del rows
    backends = {"sqlite": sqlite, "postgresql": pg}
    for st in backends.values():  # warm the caches once
        for _, q in qs:
            st.cache.search(q)
    times: dict[tuple[str, str], list[float]] = {}
    kinds: dict[tuple[str, str], list[float]] = {}
    for _ in range(args.rounds):
        for name, st in backends.items():
            for kind, q in qs:
                t0 = time.perf_counter()
                st.cache.search(q)
                t1 = time.perf_counter()
                st.cache_store.candidates(q, 100)
                t2 = time.perf_counter()
                times.setdefault((name, "service"), []).append(t1 - t0)
                times.setdefault((name, "candidates"), []).append(t2 - t1)
                kinds.setdefault((name, kind), []).append(t1 - t0)
    print(f"\n{len(qs)} queries x {args.rounds} rounds (ms)")
    print(f"{'what':<26}{'sqlite p50':>11}{'p99':>9}{'pg p50':>9}{'p99':>9}{'ratio p50':>11}{'p99':>7}")
    for what in ("service", "candidates"):
        s, p = [1000 * v for v in times[("sqlite", what)]], [1000 * v for v in times[("postgresql", what)]]
        s50, s99, p50, p99 = statistics.median(s), pct(s, 0.99), statistics.median(p), pct(p, 0.99)
        print(f"{'search (' + what + ')':<26}{s50:>11.2f}{s99:>9.2f}{p50:>9.2f}{p99:>9.2f}{p50 / s50:>11.2f}"
              f"{p99 / s99:>7.2f}")
    print("\np99 per query kind (service, ms)")
    for kind in dict.fromkeys(k for k, _ in qs):
        s, p = [1000 * v for v in kinds[("sqlite", kind)]], [1000 * v for v in kinds[("postgresql", kind)]]
        print(f"  {kind:<14} sqlite {pct(s, 0.99):8.2f}   postgresql {pct(p, 0.99):8.2f}   "
              f"ratio {pct(p, 0.99) / pct(s, 0.99):6.2f}")
    for st in backends.values():
        st.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
