"""Lookup, search and commit figures of two revisions of this code, measured in the same run.

A restructuring must leave the hot paths as fast as they were (issue 12). This script checks out
the baseline revision in a scratch git worktree, then runs each revision's *own* benchmark scripts
(bench/bench_cache.py for lookup/search, bench/bench_collect.py for the payment commit) in turn,
alternating baseline and current ``--rounds`` times so that a noisy shared machine affects both
alike, and prints the best figure of each and the ratio current / baseline (below 1.00 = faster).

    .venv/bin/python bench/compare_revs.py --rev 244abd9 --customers 600000

Each revision's benchmark builds its own data set from the same generator and seed, so both read
the same customers. Takes ~2-3 minutes per round at 600,000 customers.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: label in bench_cache.py's output -> our name (the figure is the first number with a unit)
CACHE_LINES = {
    "lookup p50 (service)": "lookup p50 ms",
    "lookup p99 (service)": "lookup p99 ms",
    "search p99, all queries and keystrokes": "search p99 ms",
}
COLLECT_WHAT = {
    "store.commit_payment": "store commit",
    "CollectService.collect": "collect",
}


def _cache_figures(tree: Path, customers: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "bench/bench_cache.py", "--customers", str(customers), "--no-xlsx",
         "--repeat", "1"],
        cwd=tree, env=_env(tree), capture_output=True, text=True, check=True,
    ).stdout
    figures: dict[str, float] = {}
    for line in out.splitlines():
        for label, name in CACHE_LINES.items():
            if line.startswith(label):
                m = re.search(r"([0-9.]+) ms", line[len(label):])
                if m:
                    figures[name] = float(m.group(1))
    return figures


def _collect_figures(tree: Path, n: int) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "bench/bench_collect.py", "--n", str(n)],
        cwd=tree, env=_env(tree), capture_output=True, text=True,
    )
    if done.returncode and "{" not in done.stdout:  # exit 1 with figures = a target missed: still figures
        raise SystemExit(f"bench_collect.py failed in {tree} (exit {done.returncode}):\n{done.stderr[-3000:]}")
    out = done.stdout
    doc = json.loads(out[out.index("{"):])
    figures: dict[str, float] = {}
    for row in doc["results"]:
        name = COLLECT_WHAT.get(row["what"])
        if name:
            figures[f"{name} p50 ms"] = row["p50_ms"]
            figures[f"{name} p99 ms"] = row["p99_ms"]
    return figures


def _env(tree: Path) -> dict[str, str]:
    import os

    env = dict(os.environ)
    env["PYTHONPATH"] = str(tree)
    env.pop("CASHIER_HOME", None)
    env.pop("CASHIER_DB", None)
    return env


def _best(runs: list[dict[str, float]]) -> dict[str, float]:
    best: dict[str, float] = {}
    for run in runs:
        for k, v in run.items():
            best[k] = min(v, best.get(k, v))
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rev", default="244abd9", help="baseline revision (default: before issue 12)")
    ap.add_argument("--customers", type=int, default=600_000)
    ap.add_argument("--n", type=int, default=2000, help="payments committed per collect run")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="cashier-rev-") as tmp:
        base = Path(tmp) / "base"
        subprocess.run(["git", "worktree", "add", "--detach", str(base), args.rev], cwd=ROOT,
                       check=True, capture_output=True)
        try:
            runs: dict[str, list[dict[str, float]]] = {"base": [], "head": []}
            for i in range(args.rounds):
                for name, tree in (("base", base), ("head", ROOT)):
                    figures = _cache_figures(tree, args.customers)
                    figures.update(_collect_figures(tree, args.n))
                    runs[name].append(figures)
                    print(f"round {i + 1} {name}: " + ", ".join(f"{k} {v:g}" for k, v in figures.items()),
                          flush=True)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=ROOT,
                           capture_output=True)
    base_best, head_best = _best(runs["base"]), _best(runs["head"])
    head_rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                              capture_output=True, text=True).stdout.strip()
    print(f"\n{args.customers:,} customers, {args.n} payments, best of {args.rounds} rounds")
    print(f"{'figure':<22}{'baseline ' + args.rev:>18}{'current ' + head_rev:>18}{'ratio':>8}")
    for key in base_best:
        b, h = base_best[key], head_best.get(key)
        if h is None:
            print(f"{key:<22}{b:>18.3f}{'missing':>18}")
            continue
        print(f"{key:<22}{b:>18.3f}{h:>18.3f}{h / b:>8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
