"""Cost of the journal anchor on the payment commit (issue 11 §3): ``commit_payment`` with the
anchor (SQLite commit, then one fsynced append to keys/journal.anchor) against the same store
with no anchor, interleaved payment by payment on two stations on the same disk.

    .venv/bin/python bench/bench_anchor_commit.py --n 1000

Prints p50/p99 of both and the ratio anchored/unanchored. Not run in CI.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_collect import summary  # noqa: E402
from ledger_fixture import PASSWORD, code, create, open_station  # noqa: E402


def run(out: Path, n: int) -> dict:
    from cashier.core.ledger import PaymentRequest, validate_request

    stations = {}
    for name in ("anchored", "unanchored"):
        db = out / name / "cashier.sqlite3"
        db.parent.mkdir(parents=True, exist_ok=True)
        create(db, n, bills_per_customer=2)
        st = open_station(db)
        if name == "unanchored":
            st.storage.journal.anchor = None  # the store as it was before the anchor
            st.journal.anchor = None
        stations[name] = (st, st.users.login("thu1", PASSWORD), st.shifts.current_shift(), [])
    for i in range(1, n + 1):
        for st, cashier, shift, times in stations.values():
            req = validate_request(PaymentRequest(customer_code=code(i), tendered=3_000_000))
            planner = st.collect._planner(req, 0)
            t0 = time.perf_counter()
            st.storage.payments.commit_payment(request=req, planner=planner, shift=shift, cashier=cashier,
                                           ts=st.collect.clock.now())
            times.append(time.perf_counter() - t0)
    rows = {}
    for name, (st, _c, _s, times) in stations.items():
        rows[name] = summary(f"commit_payment ({name})", times)
        rows[name]["journal_verifies"] = st.journal.verify().ok
        st.close()
    a, u = rows["anchored"], rows["unanchored"]
    return {
        "results": [u, a],
        "p50_ratio_anchored_to_unanchored": round(a["p50_ms"] / u["p50_ms"], 2),
        "p99_ratio_anchored_to_unanchored": round(a["p99_ms"] / u["p99_ms"], 2),
        "anchor_bytes": (out / "anchored" / "keys" / "journal.anchor").stat().st_size,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--out", type=Path, default=HERE / "out" / "anchor")
    args = ap.parse_args(argv)
    print(json.dumps(run(args.out, args.n), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
