"""Try every door of issue 11 §1-§2 against a scratch station, through real subprocesses.

    python bench/adversarial.py [--quick] [--keep] [--home DIR]

A scratch CASHIER_HOME gets a station with an admin, a manager (``ql``), a cashier (``thu1``),
three customers, an open shift and one payment. Then each door is tried with
``python -m cashier --db DB ...``: every command that changes money, data or settings with no
user, a wrong password, an unknown user, a name without a password and the cashier's own
password; every output pointed at the database, its -wal/-shm/-journal, keys/, backups/, an
existing file, a symlink to the database, a relative and an upper-case spelling; the global
options before, after and between the command words. One line per door:

    HELD   rc=4   export: no --user
    BROKEN rc=0   report day --out DB: ...

and the exit status is 1 when any door is broken (0 otherwise). ``--quick`` tries one door of each
kind (the CI subset: tests/security/test_adversarial_script.py).

Adding door groups (e.g. ``bench/adversarial_restore.py``): a module ``adversarial_<name>.py``
beside this file that defines

    def doors(run: Runner) -> Iterable[Door]

is imported and its doors tried after ours. ``Door(what, argv, password=None, held=(codes...),
check=None, env=None, quick=False)``: ``argv`` is given to ``python -m cashier --db DB``;
``password`` goes in ``$CASHIER_PASSWORD``; the door HELD when the exit code is in ``held`` and
``check(result)`` (if given) returns True, and nothing on stderr looks like a traceback.
``run`` is the :class:`Runner`: ``run.home``, ``run.db``, ``run.passwords`` (user -> password),
``run(argv, password=None, env=None) -> Result(rc, out, err)`` to prepare state, and
``run.fingerprint()`` (a digest of the money and settings tables) to compare before/after. A
module may define ``quick_doors(run)`` for the ``--quick`` subset (else doors marked
``quick=True`` are used). Import ``Door``/``Result`` from ``adversarial`` (this file).

A module that builds its own stations (``bench/adversarial_restore.py``: restore and the journal
anchor need a station per door) sets ``JUDGED = True``; its ``doors()`` then returns
``(what, held, detail)`` tuples that are printed as they are, in ``--quick`` runs too.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PASSWORDS = {"admin": "admin-pw-1", "ql": "manager-pw-1", "thu1": "cashier-pw-1"}
#: name prefix of the users made to take the wrong-password tries (one per command), by role user
WRONG_PASSWORD_VICTIMS = {"admin": "adw", "ql": "qlw", "thu1": "thw"}
VICTIM_ROLES = {"admin": "admin", "ql": "manager", "thu1": "cashier"}
EXIT_REFUSED, EXIT_AUTH = 3, 4

#: how the files our outputs write begin (xlsx/zip, PEM, csv with BOM, text report)
OUTPUT_MAGIC = (b"PK", b"-----BEGIN", b"\xef\xbb\xbf", "BÁO CÁO".encode())

#: tables whose content money and settings depend on (a refused door must not change them)
FINGERPRINT_TABLES = ("payment", "payment_line", "void", "bill", "export_batch", "export_row", "setting",
                      "clearing_import", "clearing_result", "shift", "import_batch", "reconnection_order")


@dataclass
class Result:
    rc: int
    out: str
    err: str


@dataclass
class Door:
    what: str
    argv: list[str]
    password: str | None = None
    held: tuple[int, ...] = (EXIT_AUTH,)
    check: Callable[[Result], bool] | None = None
    env: dict[str, str] | None = None
    quick: bool = False


class Runner:
    def __init__(self, home: Path) -> None:
        self.home = home
        self.db = home / "cashier.sqlite3"
        self.passwords = dict(PASSWORDS)
        #: fingerprint() taken just before the door being tried
        self.before = ""

    def __call__(self, argv: list[str], password: str | None = None, env: dict[str, str] | None = None) -> Result:
        e = {k: v for k, v in os.environ.items() if not k.startswith("CASHIER_")}
        e.update(PYTHONPATH=str(ROOT), CASHIER_HOME=str(self.home))
        if password is not None:
            e["CASHIER_PASSWORD"] = password
        e.update(env or {})
        r = subprocess.run([sys.executable, "-m", "cashier", "--db", str(self.db), *argv], capture_output=True,
                           text=True, env=e, stdin=subprocess.DEVNULL, timeout=300, check=False)
        return Result(r.returncode, r.stdout, r.stderr)

    def fingerprint(self) -> str:
        con = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True)
        try:
            h = hashlib.sha256()
            for table in FINGERPRINT_TABLES:
                try:
                    rows = con.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall()
                except sqlite3.Error:
                    continue
                h.update(repr((table, rows)).encode())
            return h.hexdigest()
        finally:
            con.close()

    def database_ok(self) -> bool:
        con = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True)
        try:
            return con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        except sqlite3.Error:
            return False
        finally:
            con.close()

    def file_digest(self, path: Path) -> str | None:
        try:
            return hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            return None


def seed(home: Path) -> None:
    """The scratch station (in this process: users, customers, a shift and a payment)."""
    os.environ["CASHIER_HOME"] = str(home)
    os.environ.pop("CASHIER_KEYS", None)
    os.environ.pop("CASHIER_DB", None)
    from cashier.app import Station
    from cashier.db.ledger_crypto import Argon2Hasher

    # cheap hashes for the scratch users (their parameters travel in the hash: the subprocesses
    # verify them cheaply too); this harness tries doors, it does not measure hashing
    st = Station(home / "cashier.sqlite3", hasher=Argon2Hasher.fast_for_tests())
    try:
        st.users.add_user("admin", PASSWORDS["admin"], "admin", full_name="Quản Trị")
        admin = st.users.login("admin", PASSWORDS["admin"])
        st.users.add_user("ql", PASSWORDS["ql"], "manager", full_name="Quản Lý", cashier_code="QL01", actor=admin)
        st.users.add_user("thu1", PASSWORDS["thu1"], "cashier", full_name="Lê Thị Thu", cashier_code="TN01",
                          actor=admin)
        rows = [["MA_KHANG", "TEN_KHANG", "DIA_CHI", "ID_HDON", "KY", "THANG", "NAM", "TONG_TIEN"]]
        rows += [[f"PC12AA{i:07d}", f"Nguyễn Văn {i}", f"{i} Lê Lợi", f"HD{i}", "1", "10", "2026", str(100_000 + i)]
                 for i in range(1, 4)]
        for i in range(len(_changing_commands(Runner(home)))):
            for who, prefix in WRONG_PASSWORD_VICTIMS.items():
                st.users.add_user(f"{prefix}{i}", f"victim-pw-{i}", VICTIM_ROLES[who], actor=admin)
        try:
            st.cache.import_rows(rows, name="seed", actor=admin)
        except TypeError:  # a build from before issue 11 (to count its broken doors)
            st.cache.import_rows(rows, name="seed")
        thu = st.users.login("thu1", PASSWORDS["thu1"])
        st.shifts.open_shift(thu, 500_000)
        st.collect.collect(thu, "PC12AA0000001", 200_000)
    finally:
        st.close()
    (home / "extract.csv").write_text(
        "MA_KHANG,TEN_KHANG,DIA_CHI,ID_HDON,KY,THANG,NAM,TONG_TIEN\n"
        "PC12AA0000009,Trần Văn B,1 Lê Lợi,HD9,1,10,2026,50000\n", encoding="utf-8")
    (home / "result.csv").write_text("MA_KHANG,ID_HDON,TRANG_THAI\n", encoding="utf-8")
    (home / "existing.txt").write_text("keep me\n", encoding="utf-8")
    (home / "backups").mkdir(exist_ok=True)


# -- §1: every door that changes money, data or settings ---------------------------------------


def _changing_commands(run: Runner) -> list[tuple[str, list[str], str]]:
    """(name, argv, the least role that may) of the commands that change something."""
    h = run.home
    return [
        ("import", ["import", str(h / "extract.csv")], "ql"),
        ("export", ["export", "--out-dir", str(h / "out")], "ql"),
        ("export --rewrite", ["export", "--rewrite", "ST01-20260101-0001", "--out-dir", str(h / "again")], "ql"),
        ("reconcile", ["reconcile", str(h / "result.csv")], "ql"),
        ("report day", ["report", "day", "--out", str(h / "r.xlsx")], "ql"),
        ("printer-config --mode", ["printer-config", "--mode", "ascii"], "admin"),
        ("drawer", ["drawer"], "ql"),
        ("export-key", ["export-key", "--out", str(h / "k.pem")], "ql"),
        ("users add", ["users", "add", "eve", "--role", "admin"], "admin"),
        ("users lock", ["users", "lock", "ql"], "admin"),
        ("void", ["void", "ST01-0000001", "--reason", "x"], "ql"),
        ("reprint", ["reprint", "ST01-0000001"], "ql"),
        ("collect", ["collect", "PC12AA0000002", "--tendered", "200000"], "thu1"),
        ("shift open", ["shift", "open", "--float", "0"], "thu1"),
        ("reconnections --done", ["reconnections", "--done", "1"], "ql"),
    ]


def unchanged(run: Runner) -> Callable[[Result], bool]:
    """The money and settings tables are as they were just before the door was tried."""
    return lambda _r: run.fingerprint() == run.before


def auth_doors(run: Runner) -> Iterable[Door]:
    same = unchanged(run)
    for i, (name, argv, least) in enumerate(_changing_commands(run)):
        new_pw = {"CASHIER_NEW_PASSWORD": "eve-pw-123"}
        # wrong passwords go to a user of the same role made for it (real users would get locked)
        victim = f"{WRONG_PASSWORD_VICTIMS[least]}{i}"
        yield Door(f"{name}: no --user", argv, check=same, env=new_pw, quick=name == "export")
        yield Door(f"{name}: wrong password ({least}'s role)", [*argv, "--user", victim], password="wrong-password",
                   check=same, env=new_pw, quick=name == "report day")
        yield Door(f"{name}: unknown user", [*argv, "--user", "mallory"], password="whatever-1", check=same, env=new_pw)
        yield Door(f"{name}: --user without a password", ["--user", least, *argv], check=same, env=new_pw,
                   quick=name == "export")
        if least != "thu1":
            yield Door(f"{name}: a cashier's own password", [*argv, "--user", "thu1"], password=PASSWORDS["thu1"],
                       check=same, env=new_pw, quick=name == "import")
        if least == "admin":
            yield Door(f"{name}: a manager's own password", [*argv, "--user", "ql"], password=PASSWORDS["ql"],
                       check=same, env=new_pw)


# -- §2: outputs that must never land on the database, a key, a backup or an existing file ------------


def output_doors(run: Runner) -> Iterable[Door]:
    db, h = run.db, run.home
    keys = h / "keys"
    files = sorted(p for p in keys.glob("*") if p.is_file())
    key = next((p for p in files if "journal" in p.name), files[0] if files else keys / "journal.key")
    (h / "link.xlsx").unlink(missing_ok=True)
    (h / "link.xlsx").symlink_to(db)
    targets = [
        ("the database", db, True),
        ("its -wal", db.with_name(db.name + "-wal"), False),
        ("its -shm", db.with_name(db.name + "-shm"), False),
        ("its -journal", db.with_name(db.name + "-journal"), False),
        ("its name in capitals", db.with_name(db.name.upper()), False),
        ("a symlink to it", h / "link.xlsx", False),
        ("a relative spelling", Path(os.path.relpath(db, Path.cwd())).parent / "." / db.name, False),
        (f"keys/{key.name}", key, True),
        ("a new file in keys/", keys / "new.pem", False),
        ("a file in backups/", h / "backups" / "day.xlsx", False),
        ("an existing file (no --force)", h / "existing.txt", True),
    ]
    makers = [
        ("report day --out", lambda t: ["--user", "ql", "report", "day", "--out", str(t)], PASSWORDS["ql"]),
        ("export-key --out", lambda t: ["--user", "ql", "export-key", "--out", str(t)], PASSWORDS["ql"]),
        ("demo-data --out", lambda t: ["demo-data", "--customers", "3", "--out", str(t)], None),
    ]
    for label, target, quick in targets:
        force = [] if "existing" in label else ["--force"]
        # the database and its -wal/-shm change on every open (checkpoints, a login's rehash):
        # there the door held when none of them became one of our outputs and the data is intact
        live = label in ("the database", "its -wal", "its -shm", "a symlink to it", "a relative spelling")
        for mname, make, pw in makers:
            before = run.file_digest(target)

            def same(_r, target=target, before=before, live=live) -> bool:
                if live:
                    files = [run.db.with_name(run.db.name + sfx) for sfx in ("", "-wal", "-shm")]
                    clean = all(not f.exists() or not f.read_bytes()[:16].startswith(OUTPUT_MAGIC) for f in files)
                    return clean and run.database_ok() and run.fingerprint() == run.before
                return run.file_digest(target) == before and run.fingerprint() == run.before

            yield Door(f"{mname} {label}", [*make(target), *force], password=pw, held=(EXIT_REFUSED,), check=same,
                       quick=quick and mname == "report day --out")
    for label, folder in (("keys/", keys), ("backups/", h / "backups")):
        yield Door(f"export --out-dir {label}", ["--user", "ql", "export", "--out-dir", str(folder)], password=PASSWORDS["ql"],
                   held=(EXIT_REFUSED,), check=unchanged(run), quick=label == "keys/")


# -- global options: one definition, before or after the command -----------------------------------


def option_doors(run: Runner) -> Iterable[Door]:
    h = run.home
    for where, argv in (
        ("before", ["--user", "ql", "--json", "report", "day", "--out", str(h / "opt-before.txt")]),
        ("after", ["report", "day", "--out", str(h / "opt-after.txt"), "--user", "ql", "--json"]),
        ("between", ["report", "--user", "ql", "day", "--out", str(h / "opt-between.txt")]),
    ):
        out = h / f"opt-{where}.txt"
        yield Door(f"global --user {where} the command works", argv, password=PASSWORDS["ql"], held=(0,),
                   check=lambda _r, out=out: out.exists(), quick=where == "before")
    import json

    def is_json(r: Result) -> bool:
        try:
            return isinstance(json.loads(r.out), list)
        except ValueError:
            return False

    yield Door("global --json before search is not overwritten", ["--json", "search", "nguyen"], held=(0,),
               check=is_json, quick=True)
    yield Door("later --user wins (cashier then manager)",
               ["--user", "thu1", "report", "day", "--out", str(h / "opt-later.txt"), "--user", "ql"],
               password=PASSWORDS["ql"], held=(0,))


OUR_GROUPS = (auth_doors, output_doors, option_doors)


def extra_groups(quick: bool) -> list[Callable[[Runner], Iterable[Door]]]:
    """doors()/quick_doors() of bench/adversarial_*.py modules (e.g. adversarial_restore)."""
    groups = []
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    for path in sorted(HERE.glob("adversarial_*.py")):
        module = importlib.import_module(path.stem)
        if getattr(module, "JUDGED", False):
            groups.append(_judged(module))
            continue
        fn = getattr(module, "quick_doors", None) if quick else None
        if fn is None:
            fn = getattr(module, "doors", None)
            if fn is not None and quick:
                groups.append(lambda run, fn=fn: (d for d in fn(run) if d.quick))
                continue
        if fn is not None:
            groups.append(fn)
    return groups


def _judged(module) -> Callable[[Runner], Iterable[tuple[str, bool, str]]]:
    def group(run: Runner) -> Iterable[tuple[str, bool, str]]:
        return module.doors()

    group.judged = True  # type: ignore[attr-defined]
    return group


def looks_like_traceback(text: str) -> bool:
    return "Traceback (most recent call last)" in text or "Exception ignored" in text


def try_doors(run: Runner, groups, *, quick: bool, out=print) -> int:
    broken = 0
    for group in groups:
        if getattr(group, "judged", False):
            for what, held, detail in group(run):
                broken += not held
                out(f"{'HELD  ' if held else 'BROKEN'} rc=-   {what}: {detail}")
            continue
        for door in group(run):
            if quick and not door.quick and group in OUR_GROUPS:
                continue
            run.before = run.fingerprint()
            r = run(door.argv, password=door.password, env=door.env)
            held = r.rc in door.held and not looks_like_traceback(r.err) and (door.check is None or door.check(r))
            broken += not held
            why = "" if held else f"  [stderr: {r.err.strip()[-200:]!r}]"
            out(f"{'HELD  ' if held else 'BROKEN'} rc={r.rc:<3} {door.what}{why}")
    return broken


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="one door of each kind (CI)")
    ap.add_argument("--keep", action="store_true", help="keep the scratch CASHIER_HOME")
    ap.add_argument("--home", help="scratch folder to use (must not exist or be empty)")
    args = ap.parse_args(argv)
    home = Path(args.home) if args.home else Path(tempfile.mkdtemp(prefix="cashier-adversarial-"))
    home.mkdir(parents=True, exist_ok=True)
    try:
        seed(home)
        run = Runner(home)
        groups = [*OUR_GROUPS, *extra_groups(args.quick)]
        broken = try_doors(run, groups, quick=args.quick)
        print(f"{'BROKEN' if broken else 'ALL HELD'}: {broken} door(s) broken; scratch home {home}"
              + ("" if args.keep else " (removed)"))
        return 1 if broken else 0
    finally:
        if not args.keep:
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
