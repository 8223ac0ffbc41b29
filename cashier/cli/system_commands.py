"""System commands: ``cashier selftest`` and ``cashier info``.

``cashier selftest [--json]`` proves that an install works without a customer at the counter:
every module imports, Qt loads (offscreen) with its plugins and the translations, the bundled
resources are there, a temporary database opens, the bundled sample extract imports, a lookup and
a search find the sample customer, a receipt renders in each print mode, and the real data
directory is writable. Each step is reported with ok/failed/skipped, its time in ms and a detail;
the exit code is 1 when any step failed. The temporary database lives in a temporary directory
that is removed afterwards: the station's own data is never touched (only probed for write
access).

``cashier info [--json]`` prints the version and where this install keeps things (program,
resources, data directory, database, keys, logs) — the first thing a technician asks for.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sqlite3
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cashier
from cashier import paths
from cashier.cli.output import print_json
from cashier.cli.selftest_steps import SelfTestContext
from cashier.services.selftest import StepResult, run_steps


def register(sub: Any) -> None:
    p = sub.add_parser(
        "selftest",
        help="check that this install works (modules, Qt, resources, database, import, lookup, "
        "search, receipts in every print mode)",
    )
    p.add_argument(
        "--keep", action="store_true", help="keep the temporary directory (its path is printed)"
    )
    p.set_defaults(handler=cmd_selftest)

    p = sub.add_parser("info", help="version and where this install keeps its files")
    p.set_defaults(handler=cmd_info)


# -- info -------------------------------------------------------------------------------------


def install_info(db_path: Path) -> dict[str, Any]:
    return {
        "version": cashier.__version__,
        "frozen": bool(getattr(sys, "frozen", False)),
        "executable": sys.executable,
        "python": sys.version.split()[0],
        "sqlite": sqlite3.sqlite_version,
        "resources_dir": str(paths.resources_dir()),
        "data_dir": str(db_path.parent),
        "database": str(db_path),
        "database_exists": db_path.exists(),
        "keys_dir": str(paths.keys_dir(db_path)),
        "backups_dir": str(paths.backups_dir(db_path)),
        "log_dir": str(paths.log_dir()),
        "cashier_home": os.environ.get("CASHIER_HOME", ""),
    }


def cmd_info(args: argparse.Namespace, station: Any) -> int:
    info = install_info(Path(station.db_path))
    if args.json:
        print_json(args, info)
    else:
        width = max(len(k) for k in info)
        for key, value in info.items():
            print(f"{key:<{width}}  {value}")
    return 0


# -- selftest ---------------------------------------------------------------------------------


def cmd_selftest(args: argparse.Namespace, station: Any) -> int:
    def progress(result: StepResult) -> None:
        if not args.json:
            print(f"{result.status.upper():7} {result.name:<20} {result.ms:8.1f} ms  {result.detail}")
            sys.stdout.flush()

    with _isolated_tempdir(keep=args.keep) as tmp:
        ctx = SelfTestContext(
            tmp=tmp, real_db=Path(station.db_path), printer_url=station.printer_url_override
        )
        try:
            report = run_steps(
                ctx.steps(),
                version=cashier.__version__,
                frozen=bool(getattr(sys, "frozen", False)),
                on_result=progress,
            )
        finally:
            ctx.close()
    if args.json:
        print_json(args, report.as_dict())
    else:
        verdict = "ALL OK" if report.ok else f"{len(report.failed)} FAILED"
        print(
            f"cashier {report.version} self-test: {verdict} "
            f"({len(report.steps)} steps, {report.total_ms:.0f} ms)"
        )
        if args.keep:
            print(f"temporary files kept in {tmp}")
    return 0 if report.ok else 1


@contextlib.contextmanager
def _isolated_tempdir(*, keep: bool) -> Iterator[Path]:
    """A temporary directory; keys and the escpos capability cache point into it meanwhile."""
    tmp = Path(tempfile.mkdtemp(prefix="cashier-selftest-"))
    saved = {k: os.environ.get(k) for k in ("CASHIER_KEYS", "ESCPOS_CAPABILITIES_PICKLE_DIR")}
    os.environ["CASHIER_KEYS"] = str(tmp / "keys")
    if "escpos" not in sys.modules:
        os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", str(tmp))
    try:
        yield tmp
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        if not keep:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)
