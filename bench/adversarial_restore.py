"""Issue 11 §3 as an attacker and a careless manager: every door around the journal and restore.

``doors(run)`` returns one ``(what_tried, held, detail)`` per door; ``run(argv, env=None,
input=None) -> (exit_code, stdout, stderr)`` runs the real CLI in a subprocess. Each door works
on its own copy of one station built here through the CLI (demo extract imported, admin /
manager / cashier, a shift, 5 payments, a backup, 5 more payments).

    python bench/adversarial_restore.py      # one line per door; exit 1 if any door broke

Not a test (it runs ~60 CLI processes, a minute or two); tests/ledger/test_restore_anchor.py
holds the same facts as unit tests.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Adv-pass-2026"
#: bench/adversarial.py prints this module's (what, held, detail) results as they are
JUDGED = True
Run = Callable[..., tuple[int, str, str]]


def default_run(argv: list[str], env: dict | None = None, input: str | None = None) -> tuple[int, str, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "cashier", *argv],
        env=env, input=input, capture_output=True, text=True, cwd=ROOT, timeout=300,
    )
    return proc.returncode, proc.stdout, proc.stderr


class _Station:
    """One station directory (CASHIER_HOME) driven through ``run``."""

    def __init__(self, run: Run, home: Path) -> None:
        self.run_ = run
        self.home = home

    @property
    def db(self) -> Path:
        return self.home / "cashier.sqlite3"

    @property
    def anchor(self) -> Path:
        return self.home / "keys" / "journal.anchor"

    def env(self, user: str | None = None, **extra: str) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CASHIER_")}
        env.update(CASHIER_HOME=str(self.home), CASHIER_DB=str(self.db), QT_QPA_PLATFORM="offscreen",
                   PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""))
        if user:
            env.update(CASHIER_USER=user, CASHIER_PASSWORD=PASSWORD)
        env.update(extra)
        return env

    def run(self, *argv: str, user: str | None = None, **extra: str) -> tuple[int, str, str]:
        return self.run_(["--db", str(self.db), *argv], env=self.env(user, **extra))

    def must(self, *argv: str, user: str | None = None, **extra: str) -> str:
        code, out, err = self.run(*argv, user=user, **extra)
        if code != 0:
            raise RuntimeError(f"set-up step {' '.join(argv)} failed ({code}): {err.strip()[-300:]}")
        return out

    def q(self, sql: str, params=()) -> list:
        con = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True)
        try:
            return con.execute(sql, params).fetchall()
        finally:
            con.close()

    def unpaid_customers(self, n: int) -> list[tuple[str, int]]:
        return [tuple(r) for r in self.q(
            "SELECT customer_code, sum(total) FROM bill WHERE status = 'unpaid' GROUP BY customer_code "
            "ORDER BY customer_code LIMIT ?", (n,))]

    def collect(self, code: str, due: int, user: str = "thu1", **extra: str) -> tuple[int, str, str]:
        return self.run("collect", code, "--tendered", str(due), "--json", user=user, **extra)

    def receipts(self) -> list[str]:
        return [r[0] for r in self.q("SELECT receipt_no FROM payment ORDER BY id")]


def build(run: Run, home: Path) -> tuple[_Station, dict]:
    st = _Station(run, home)
    home.mkdir(parents=True, exist_ok=True)
    extract = home / "extract.csv"
    st.must("demo-data", "--customers", "40", "--out", str(extract))
    st.must("import", str(extract))
    st.must("users", "add", "admin", "--role", "admin", CASHIER_NEW_PASSWORD=PASSWORD)
    st.must("users", "add", "ql", "--role", "manager", "--code", "QL01", user="admin", CASHIER_NEW_PASSWORD=PASSWORD)
    st.must("users", "add", "thu1", "--role", "cashier", "--code", "TN01", user="admin",
            CASHIER_NEW_PASSWORD=PASSWORD)
    st.must("shift", "open", "--float", "1000000", user="thu1")
    custs = st.unpaid_customers(12)
    first, later = [], []
    for code, due in custs[:5]:
        first.append(json.loads(st.must("collect", code, "--tendered", str(due), "--json", user="thu1"))["receipt"])
    backup = Path(st.must("backup", "--out-dir", str(home / "bk"), user="admin").strip().splitlines()[-1])
    for code, due in custs[5:10]:
        later.append(json.loads(st.must("collect", code, "--tendered", str(due), "--json", user="thu1"))["receipt"])
    return st, {"first": first, "later": later, "backup": backup, "custs": custs}


def _copy(base: _Station, facts: dict, to: Path) -> tuple[_Station, dict]:
    shutil.copytree(base.home, to)
    moved = dict(facts)
    moved["backup"] = to / facts["backup"].relative_to(base.home)
    return _Station(base.run_, to), moved


def _door_restore_no_user(st: _Station, f: dict):
    code, _out, err = st.run("restore", str(f["backup"]))
    n = len(st.receipts())
    return "restore an older backup with no user", code != 0 and n == 10, f"exit {code}, {n} payments; {err.strip()[:120]}"


def _door_restore_cashier(st: _Station, f: dict):
    code, _out, err = st.run("restore", str(f["backup"]), "--accept-loss", "--no-replay", user="thu1")
    n = len(st.receipts())
    return "restore with a cashier's password", code != 0 and n == 10, f"exit {code}, {n} payments; {err.strip()[:120]}"


def _door_restore_older(st: _Station, f: dict):
    code, out, err = st.run("restore", str(f["backup"]), user="admin")
    have = set(st.receipts())
    vcode, vout, verr = st.run("verify", user="admin")
    back = all(r in have for r in f["later"])
    refused_listing = code != 0 and all(r in err for r in f["later"]) and len(have) == 10
    held = (code == 0 and back and vcode == 0) or refused_listing
    return ("restore an older backup as admin (later payments back, or refused with the list)", held,
            f"exit {code}, {len(have)} payments, later ones back: {back}, verify exit {vcode}; "
            f"{(out or err).strip().splitlines()[-1][:120] if (out or err).strip() else ''}")


def _door_receipt_reuse(st: _Station, f: dict):
    st.run("restore", str(f["backup"]), user="admin")
    before = set(st.receipts())
    code11, due11 = f["custs"][10]
    c1, out1, err1 = st.collect(code11, due11)
    # and after a restore that accepts losing everything after the backup
    st.run("restore", str(f["backup"]), "--no-replay", "--accept-loss", user="admin")
    code12, due12 = f["custs"][11]
    c2, out2, err2 = st.collect(code12, due12)
    issued = [json.loads(o)["receipt"] for c, o in ((c1, out1), (c2, out2)) if c == 0]
    ever = before | set(f["first"]) | set(f["later"])
    reused = [r for r in issued if r in ever]
    held = len(issued) == 2 and not reused and issued[0] != issued[1]
    return ("receipt number reuse after restore (replayed, then --no-replay --accept-loss)", held,
            f"issued {issued}, reused {reused}; {(err1 + err2).strip()[:120]}")


def _door_second_collection(st: _Station, f: dict):
    code, out, err = st.run("restore", str(f["backup"]), "--no-replay", "--accept-loss", user="admin")
    lost_code, due = f["custs"][5]
    c, o, e = st.collect(lost_code, due)
    status = st.q("SELECT status FROM bill WHERE customer_code = ?", (lost_code,))
    held = code == 0 and c != 0
    return ("collect again a bill whose payment the restore lost (cashier, no manager)", held,
            f"restore exit {code}; collect exit {c}; bill {status}; {(e or o).strip()[:140]}")


def _door_truncate_journal(st: _Station, f: dict):
    old = sqlite3.connect(f"file:{f['backup']}?mode=ro", uri=True)
    head = old.execute("SELECT seq, hash, mac, key_fp FROM journal_head").fetchone()
    old.close()
    con = sqlite3.connect(st.db)
    with con:
        con.execute("DELETE FROM payment_line WHERE payment_id IN (SELECT id FROM payment WHERE journal_seq > ?)",
                    (head[0],))
        con.execute("UPDATE bill SET status = 'unpaid' WHERE status = 'collected' AND id NOT IN "
                    "(SELECT bill_row FROM payment_line WHERE bill_row IS NOT NULL)")
        con.execute("DELETE FROM payment WHERE journal_seq > ?", (head[0],))
        con.execute("DELETE FROM journal_entry WHERE seq > ?", (head[0],))
        con.execute("UPDATE journal_head SET seq = ?, hash = ?, mac = ?, key_fp = ?", head)
    con.close()
    code, out, err = st.run("verify", "--json", user="admin")
    named = all(r in out for r in f["later"])
    return ("delete the last journal rows + copy an old journal_head, then verify", code != 0 and named,
            f"verify exit {code}, names the missing receipts: {named}; {err.strip()[:120]}")


def _door_delete_anchor(st: _Station, f: dict):
    st.anchor.unlink()
    code, _out, err = st.run("verify", user="admin")
    c2, _o2, e2 = st.collect(*f["custs"][10])
    return ("delete the journal anchor file", code != 0 and c2 != 0,
            f"verify exit {code}; collect exit {c2}; {err.strip()[:100]} / {e2.strip()[:80]}")


def _door_edit_anchor(st: _Station, f: dict):
    lines = st.anchor.read_bytes().splitlines(keepends=True)
    i = next(k for k, ln in enumerate(lines) if b'"kind":"payment"' in ln)
    rec = json.loads(lines[i])
    payload = json.loads(rec["payload"])
    payload["total"] += 1_000_000
    rec["payload"] = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    lines[i] = json.dumps(rec, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
    st.anchor.write_bytes(b"".join(lines))
    code, _out, err = st.run("verify", user="admin")
    rc, _ro, rerr = st.run("restore", str(f["backup"]), user="admin")
    return ("edit an amount in the journal anchor", code != 0 and rc != 0,
            f"verify exit {code}, restore exit {rc}; {err.strip()[:100]}")


def _door_copy_old_db_over(st: _Station, f: dict):
    """The careless manager's restore: the backup file copied over the database by hand."""
    for suffix in ("-wal", "-shm"):
        Path(str(st.db) + suffix).unlink(missing_ok=True)
    shutil.copyfile(f["backup"], st.db)
    c, o, e = st.collect(*f["custs"][5])
    vcode, _vo, verr = st.run("verify", user="admin")
    return ("copy an old backup over the database file by hand, then collect a later-paid customer",
            c != 0 and vcode != 0, f"collect exit {c}, verify exit {vcode}; {(e or o).strip()[:120]}")


DOORS = (
    _door_restore_no_user,
    _door_restore_cashier,
    _door_restore_older,
    _door_receipt_reuse,
    _door_second_collection,
    _door_truncate_journal,
    _door_delete_anchor,
    _door_edit_anchor,
    _door_copy_old_db_over,
)


def doors(run: Run = default_run) -> list[tuple[str, bool, str]]:
    results = []
    with tempfile.TemporaryDirectory(prefix="adv-restore-") as tmp:
        base, facts = build(run, Path(tmp) / "base")
        for i, door in enumerate(DOORS):
            st, f = _copy(base, facts, Path(tmp) / f"door{i}")
            try:
                results.append(door(st, f))
            except Exception as exc:  # noqa: BLE001 - a door that crashed the script did not hold
                results.append((door.__name__, False, f"{type(exc).__name__}: {exc}"))
    return results


def main() -> int:
    broken = 0
    for what, held, detail in doors(default_run):
        broken += not held
        print(f"{'HELD  ' if held else 'BROKEN'} {what}: {detail}")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
