"""Collections during the morning import (issue 11 §5).

    .venv/bin/python bench/bench_import_collect.py [--customers 600000] [--scenario next-day]
        [--baseline-rev 4490554] [--cli-every 5]

A station with `--customers` customers (first load of a demo extract), users and an open shift.
Then the next extract is imported (`cashier import ... --accept-missing`, its own process) while
another process - a cashier's counter with its own connection - collects one customer every
second through the service (lookup + collect), and every `--cli-every`-th time runs a real
`cashier collect` command instead. Each collection's start (seconds after the import started),
its time and its outcome are printed next to the import's progress, for:

* this code: the refresh staged in its own file and applied in short transactions;
* the baseline: the same import with the code at `--baseline-rev` (`git archive`), one
  transaction for the whole import, on a copy of the same database.

Scenarios (the second extract): `next-day` (1.5% of the bills gone - paid elsewhere overnight
- 0.5% with changed amounts, the rest identical), `next-month` (every bill of every customer
changed: the heaviest refresh), `same` (the identical file). Goal: every collection during the
import under 1 s, none refused; the import's time vs the baseline's (ratio).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

PASSWORD = "bench-pass"

_COLLECTOR = r"""
import json, os, subprocess, sys, time
sys.path.insert(0, os.environ["BENCH_SRC"])
from cashier.app import Station
from cashier.db.ledger_crypto import Argon2Hasher
db, codes_file, go, stop, out = sys.argv[1:6]
cli_every = int(sys.argv[6])
st = Station(db, hasher=Argon2Hasher.fast_for_tests())
user = st.users.login("thu1", os.environ["BENCH_PASSWORD"])
codes = json.load(open(codes_file))
st.cache.lookup(codes[-1])  # warm up (first query of each connection)
st.collect.preview(codes[-1])
while not os.path.exists(go):
    time.sleep(0.01)
t0 = float(open(go).read())
i = 0
with open(out, "w") as fh:
    while not os.path.exists(stop) and i < len(codes):
        code = codes[i]
        i += 1
        start = time.time()
        rec = {"t": round(start - t0, 2), "code": code}
        if cli_every and i % cli_every == 0:
            lk = st.cache.lookup(code)
            env = dict(os.environ, CASHIER_PASSWORD=os.environ["BENCH_PASSWORD"], PYTHONPATH=os.environ["BENCH_SRC"])
            p = subprocess.run([sys.executable, "-m", "cashier", "--db", db, "collect", code,
                                "--tendered", str(lk.total_due), "--user", "thu1"],
                               env=env, capture_output=True, text=True)
            rec.update(kind="cli", ok=p.returncode == 0, seconds=round(time.time() - start, 3),
                       msg=(p.stderr.strip().splitlines() or [""])[-1][:160], traceback="Traceback" in p.stderr)
        else:
            try:
                lk = st.cache.lookup(code)
                t1 = time.time()
                st.collect.collect(user, code, lk.total_due)
                rec.update(kind="service", ok=True, seconds=round(time.time() - start, 3),
                           commit=round(time.time() - t1, 3))
            except Exception as exc:
                rec.update(kind="service", ok=False, seconds=round(time.time() - start, 3),
                           msg=f"{type(exc).__name__}: {exc}"[:160])
        fh.write(json.dumps(rec) + "\n")
        fh.flush()
        time.sleep(max(0.0, 1.0 - (time.time() - start)))
"""


def write_csv(path: Path, rows) -> None:
    from cashier.core.demo_data import DEMO_FIELDS
    from cashier.export.extract_writer import write_table

    write_table(path, list(DEMO_FIELDS), rows)


def day2_rows(customers: int, scenario: str):
    from cashier.core.demo_data import bill_amounts, generate_rows

    if scenario == "next-month":
        yield from generate_rows(customers, 1, month=11)
        return
    for row in generate_rows(customers, 1):
        h = zlib.crc32(str(row[7]).encode()) % 1000
        if scenario == "next-day" and h < 15:
            continue  # paid elsewhere overnight
        if scenario == "next-day" and h < 20:
            kwh = int(row[11]) + 7
            amount, vat, total, _tiers = bill_amounts(kwh)
            row = list(row)
            row[11], row[12], row[13], row[14], row[18] = kwh, amount, vat, total, int(row[17]) + kwh
            row[19] = ""  # (no tier detail: the amounts alone changed)
        yield row


def build_template(work: Path, customers: int, scenario: str) -> tuple[Path, Path, list[str]]:
    from cashier.app import Station
    from cashier.core.demo_data import generate_rows
    from cashier.db.ledger_crypto import Argon2Hasher

    day1, day2 = work / f"day1-{customers}.csv", work / f"day2-{customers}-{scenario}.csv"
    if not day1.exists():
        write_csv(day1, generate_rows(customers, 1))
    if not day2.exists():
        write_csv(day2, day2_rows(customers, scenario))
    tpl = work / f"template-{customers}.sqlite3"
    if not tpl.exists():
        st = Station(work / "building.sqlite3", hasher=Argon2Hasher.fast_for_tests())
        t = time.perf_counter()
        st.cache.import_extract(day1)
        print(f"first load of {customers:,} customers: {time.perf_counter() - t:.1f} s", flush=True)
        st.users.add_user("admin", PASSWORD, "admin", full_name="Admin")
        admin = st.users.login("admin", PASSWORD)
        st.users.add_user("thu1", PASSWORD, "cashier", full_name="Lê Thị Thu", cashier_code="TN01", actor=admin)
        st.storage.settings.set("ledger.max_change", 0)
        st.shifts.open_shift(st.users.login("thu1", PASSWORD), 1_000_000)
        st.close()
        con = __import__("sqlite3").connect(work / "building.sqlite3")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
        shutil.move(work / "building.sqlite3", tpl)
        keys = work / "keys"
        if keys.exists():
            shutil.rmtree(work / "template-keys", ignore_errors=True)
            shutil.copytree(keys, work / "template-keys")
    # customers whose bills are unpaid in both files (every 997th, spread over the units)
    import sqlite3

    con = sqlite3.connect(tpl)
    codes = [r[0] for r in con.execute(
        "SELECT DISTINCT customer_code FROM bill WHERE status = 'unpaid' AND id % 997 = 0 ORDER BY id"
    )]  # fmt: skip
    con.close()
    return tpl, day2, codes


def run_solo(name: str, src: Path, tpl: Path, day2: Path, work: Path, accept: bool) -> float:
    """The same import with no collections going on (the import's own time)."""
    run = work / f"solo-{name}"
    shutil.rmtree(run, ignore_errors=True)
    run.mkdir()
    db = run / "cashier.sqlite3"
    shutil.copy(tpl, db)
    if (work / "template-keys").exists():
        shutil.copytree(work / "template-keys", run / "keys")
    env = dict(os.environ, PYTHONPATH=str(src), CASHIER_HOME=str(run))
    env.pop("CASHIER_DB", None)
    cmd = [sys.executable, "-m", "cashier", "--db", str(db), "import", str(day2), "--json"]
    if accept:
        cmd.append("--accept-missing")
    t0 = time.time()
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=src)
    seconds = time.time() - t0
    if p.returncode:
        print(f"[solo {name}] import failed: {p.stderr[-400:]}")
    shutil.rmtree(run, ignore_errors=True)
    return seconds


def run_variant(name: str, src: Path, tpl: Path, day2: Path, codes: list[str], work: Path,
                cli_every: int, accept: bool) -> dict:  # fmt: skip
    run = work / f"run-{name}"
    shutil.rmtree(run, ignore_errors=True)
    run.mkdir()
    db = run / "cashier.sqlite3"
    shutil.copy(tpl, db)
    if (work / "template-keys").exists():
        shutil.copytree(work / "template-keys", run / "keys")
    env = dict(os.environ, BENCH_SRC=str(src), BENCH_PASSWORD=PASSWORD, PYTHONPATH=str(src),
               CASHIER_HOME=str(run))  # fmt: skip
    env.pop("CASHIER_DB", None)
    codes_file, go, stop, out = run / "codes.json", run / "go", run / "stop", run / "collects.jsonl"
    codes_file.write_text(json.dumps(codes))
    collector = subprocess.Popen(
        [sys.executable, "-c", _COLLECTOR, str(db), str(codes_file), str(go), str(stop), str(out), str(cli_every)],
        env=env, cwd=src,  # (python -m / -c put the working directory first on sys.path)
    )  # fmt: skip
    time.sleep(3)  # the collector logs in
    cmd = [sys.executable, "-m", "cashier", "-v", "--db", str(db), "import", str(day2), "--json"]
    if accept:
        cmd.append("--accept-missing")
    t0 = time.time()
    go.write_text(repr(t0))
    imp = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=src)
    seconds = time.time() - t0
    time.sleep(2.5)  # two more collections after the import
    stop.write_text("1")
    collector.wait(timeout=60)
    recs = [json.loads(line) for line in out.read_text().splitlines()]
    summary = {}
    if imp.returncode == 0:
        summary = json.loads(imp.stdout)
    else:
        print(f"[{name}] import failed: {imp.stderr[-600:]}")
    phases: dict[str, list[float]] = {}
    for m in re.finditer(r": (reading|comparing with the cache|applying)\b.*?\((\d+\.\d)s\)", imp.stderr):
        phases.setdefault(m.group(1), []).append(float(m.group(2)))
    locked = re.search(r"applied in \d+ short transactions: .*", imp.stderr)
    return {"locked": locked.group(0) if locked else "", "name": name, "seconds": seconds, "rc": imp.returncode, "summary": summary, "collects": recs,
            "phases": {k: (min(v), max(v)) for k, v in phases.items()}}  # fmt: skip


def report(v: dict) -> None:
    print(f"\n== {v['name']}: import {v['seconds']:.1f} s (rc {v['rc']}; paid elsewhere "
          f"{v['summary'].get('paid_elsewhere', '?')}, new bills {v['summary'].get('new_bills', '?')})")  # fmt: skip
    if v["locked"]:
        print(f"   {v['locked']}")
    print("   import progress (first/last report, s): "
          + ", ".join(f"{k} {a:.1f}-{b:.1f}" for k, (a, b) in v["phases"].items()))
    print("   t (s after import start)  kind     time     result   (cli: wall time of a `cashier collect` process, start-up included)")
    for r in v["collects"]:
        during = "during" if r["t"] < v["seconds"] else "after "
        res = "ok" if r["ok"] else f"REFUSED {r.get('msg', '')}"
        if r.get("traceback"):
            res += " (TRACEBACK)"
        print(f"   {r['t']:7.2f} {during}          {r['kind']:8s} {r['seconds'] * 1000:7.0f} ms  {res}")
    during = [r for r in v["collects"] if r["t"] < v["seconds"]]
    svc = [r["seconds"] for r in during if r["kind"] == "service" and r["ok"]]
    refused = [r for r in during if not r["ok"]]
    if svc:
        print(f"   during the import: {len(during)} collections, {len(refused)} refused; service "
              f"p50 {statistics.median(svc) * 1000:.0f} ms, max {max(svc) * 1000:.0f} ms; "
              f"over 1 s: {sum(1 for r in during if r['seconds'] >= 1.0 and r['kind'] == 'service')}")  # fmt: skip
    v["during"], v["refused"] = len(during), len(refused)
    v["max_service"] = max(svc) if svc else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--customers", type=int, default=600_000)
    ap.add_argument("--scenario", choices=["next-day", "next-month", "same"], default="next-day")
    ap.add_argument("--baseline-rev", default="4490554", help="git revision of the one-transaction import")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--cli-every", type=int, default=5, help="every Nth collection is a real `cashier collect`")
    ap.add_argument("--work", default=str(ROOT / "bench" / "out" / "import-collect"))
    ap.add_argument("--solo", action="store_true", help="also time each import alone (no collections)")
    args = ap.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    tpl, day2, codes = build_template(work, args.customers, args.scenario)
    print(f"{len(codes)} customers to collect; day 2 file {day2.name}", flush=True)
    results = [run_variant("this code", ROOT, tpl, day2, codes, work, args.cli_every, True)]
    solo = {}
    if args.solo:
        solo["this code"] = run_solo("this code", ROOT, tpl, day2, work, True)
    if not args.no_baseline:
        base = Path(tempfile.mkdtemp(prefix="baseline-src-"))
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.baseline_rev], capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(base)], input=archive.stdout, check=True)
        results.append(run_variant(f"baseline {args.baseline_rev}", base, tpl, day2, codes, work, args.cli_every, False))
        if args.solo:
            solo["baseline"] = run_solo("baseline", base, tpl, day2, work, False)
        shutil.rmtree(base, ignore_errors=True)
    for v in results:
        report(v)
    if len(results) == 2:
        new, old = results
        print(f"\nimport time: {new['seconds']:.1f} s vs baseline {old['seconds']:.1f} s -> "
              f"{new['seconds'] / old['seconds']:.2f}x")  # fmt: skip
        if len(solo) == 2:
            print(f"import alone (no collections): {solo['this code']:.1f} s vs baseline {solo['baseline']:.1f} s "
                  f"-> {solo['this code'] / solo['baseline']:.2f}x")  # fmt: skip
        print(f"collections during the import: {new['during']} ({new['refused']} refused, slowest service "
              f"{(new['max_service'] or 0) * 1000:.0f} ms) vs baseline {old['during']} ({old['refused']} refused)")  # fmt: skip


if __name__ == "__main__":
    main()
