"""Run every benchmark in turn (minutes: the 600k-customer data sets are built on first use).

Usage: .venv/bin/python bench/run_all.py [--only NAME ...]
Each script prints its own figures next to the baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = [
    ("cache", ["bench_cache.py"]),
    ("collect", ["bench_collect.py"]),
    ("concurrency", ["concurrency.py", "--procs", "4", "--bills", "500"]),
    ("crash", ["crash_harness.py", "--kills", "300"]),
    ("print", ["bench_print.py"]),
    ("export", ["bench_export.py"]),
    ("ui", ["bench_ui.py"]),
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--only", nargs="*", choices=[n for n, _ in SCRIPTS])
    args = ap.parse_args()
    failed = []
    for name, cmd in SCRIPTS:
        if args.only and name not in args.only:
            continue
        print(f"\n=== {name}: {' '.join(cmd)} ===", flush=True)
        t0 = time.perf_counter()
        rc = subprocess.call([sys.executable, str(HERE / cmd[0]), *cmd[1:]], cwd=HERE.parent)
        print(f"=== {name}: exit {rc} after {time.perf_counter() - t0:.0f} s ===", flush=True)
        if rc:
            failed.append(name)
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
