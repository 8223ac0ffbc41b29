"""Concurrency: N processes collect the same bills at once on one SQLite file.

    .venv/bin/python bench/concurrency.py --procs 4 --bills 500

Every process logs in as the same cashier (one station, one open shift) and tries to collect
every one of the bills (each with ``--bills ID``), all starting at the same instant, in the same
order (maximum contention) or shuffled (``--shuffle``). Expected: exactly one payment per bill,
receipt numbers gapless, and the only refusals "already collected".
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import random
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from ledger_fixture import PASSWORD, bill_id, check_database, code, create, open_station  # noqa: E402


def worker(db_path: str, n_bills: int, start_at: float, shuffle_seed: int | None, out) -> None:
    from cashier.core.errors import DomainError

    st = open_station(Path(db_path))
    cashier = st.users.login("thu1", PASSWORD)
    order = list(range(1, n_bills + 1))
    if shuffle_seed is not None:
        random.Random(shuffle_seed).shuffle(order)
    outcomes: Counter = Counter()
    receipts = []
    latencies = []
    while time.time() < start_at:
        time.sleep(0.001)
    for i in order:
        t0 = time.perf_counter()
        try:
            p = st.collect.collect(cashier, code(i), 2_000_000, bill_ids=[bill_id(i)])
            receipts.append(p.receipt_no)
            outcomes["ok"] += 1
        except DomainError as exc:
            outcomes[exc.code] += 1
        except Exception as exc:  # anything else is a failure of the test
            outcomes[f"EXCEPTION {type(exc).__name__}: {exc}"] += 1
        latencies.append(time.perf_counter() - t0)
    st.close()
    latencies.sort()
    out.put({
        "outcomes": dict(outcomes),
        "receipts": receipts,
        "p50_ms": latencies[len(latencies) // 2] * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "max_ms": latencies[-1] * 1000,
    })


def run(db_path: Path, procs: int, bills: int, shuffle: bool = False) -> dict:
    create(db_path, bills, bills_per_customer=1)
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    start_at = time.time() + 2.0 + 0.3 * procs  # after every child has imported and logged in
    workers = [
        ctx.Process(target=worker, args=(str(db_path), bills, start_at, (k if shuffle else None), q))
        for k in range(procs)
    ]
    for w in workers:
        w.start()
    results = [q.get(timeout=600) for _ in workers]
    for w in workers:
        w.join()
    elapsed = time.time() - start_at
    outcomes: Counter = Counter()
    for r in results:
        outcomes.update(r["outcomes"])
    all_receipts = [x for r in results for x in r["receipts"]]
    st = open_station(db_path)
    con = st.db.connection()
    paid_bills = con.execute(
        "SELECT count(DISTINCT bill_row), count(*) FROM payment_line WHERE active = 1 AND settles = 1"
    ).fetchone()
    st.close()
    state = check_database(db_path)
    return {
        "processes": procs,
        "bills": bills,
        "attempts": procs * bills,
        "seconds": round(elapsed, 2),
        "outcomes": dict(outcomes),
        "payments": state["payments"],
        "distinct_bills_paid": paid_bills[0],
        "settling_lines": paid_bills[1],
        "receipts_reported_by_workers": len(all_receipts),
        "distinct_receipts": len(set(all_receipts)),
        "per_process_p50_ms": [round(r["p50_ms"], 2) for r in results],
        "per_process_p99_ms": [round(r["p99_ms"], 2) for r in results],
        "per_process_max_ms": [round(r["max_ms"], 1) for r in results],
        "integrity_check": state["integrity_check"],
        "journal_verifies": state["journal_ok"],
        "problems": state["problems"],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--procs", type=int, default=4)
    ap.add_argument("--bills", type=int, default=500)
    ap.add_argument("--shuffle", action="store_true")
    ap.add_argument("--db", type=Path, default=HERE / "out" / "concurrency" / "concurrency.sqlite3")
    args = ap.parse_args(argv)
    args.db.parent.mkdir(parents=True, exist_ok=True)
    result = run(args.db, args.procs, args.bills, args.shuffle)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    allowed = {"ok", "ledger.already_collected"}
    ok = (
        result["payments"] == args.bills
        and result["distinct_bills_paid"] == args.bills
        and set(result["outcomes"]) <= allowed
        and result["outcomes"].get("ok") == args.bills
        and not result["problems"]
    )
    print("PASS" if ok else "FAIL", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
