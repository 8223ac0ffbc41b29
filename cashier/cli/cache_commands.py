"""Debt-cache commands: import, lookup, search, demo-data.

    cashier import FILE [--profile NAME] [--accept-missing [N]]
                                                     (--user NAME: the import permission)
    cashier lookup CODE [--all]                     (open: read-only)
    cashier search TEXT [--limit N]                 (open: read-only)
    cashier demo-data --customers N --out FILE [--seed S] [--force]

``--json`` (every command) prints one JSON document on stdout, progress goes to stderr; a
refused file or an unknown/invalid code prints one line on stderr and exits 3, a missing login
or right 4 (see cashier/cli/__init__.py). Only the first import of an empty station (no user
yet) runs without ``--user``.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from cashier.cli.options import add_force, add_out_file, out_file
from cashier.cli.output import print_json
from cashier.core.debt import BillStatus, ImportSummary, Lookup
from cashier.core.money import format_vnd


class _Progress:
    """Progress on stderr: a rewritten line on a terminal, a line per 10% otherwise."""

    PHASES = {"read": "reading", "prepare": "comparing with the cache", "apply": "applying",
              "index": "indexing", "write": "writing"}  # fmt: skip

    def __init__(self, label: str) -> None:
        self.label = label
        self.tty = sys.stderr.isatty()
        self.last_pct = -1
        self.last_t = 0.0
        self.t0 = time.monotonic()

    def __call__(self, done: int, total: int, phase: str) -> None:
        if phase == "done":
            if self.tty:
                sys.stderr.write("\r\033[K")
            return
        now = time.monotonic()
        name = self.PHASES.get(phase, phase)
        pct = int(100 * done / total) if total else -1
        if self.tty:
            if now - self.last_t < 0.2 and pct != 100:
                return
            self.last_t = now
            shown = f"{pct:3d}%" if pct >= 0 else f"{done:,}"
            sys.stderr.write(f"\r{self.label}: {name} {shown}  {now - self.t0:5.1f}s\033[K")
        else:
            step = pct // 10 if pct >= 0 else -1
            if step == self.last_pct and phase == "read":
                return
            self.last_pct = step
            shown = f"{pct}%" if pct >= 0 else f"{done:,}"
            sys.stderr.write(f"{self.label}: {name} {shown} ({now - self.t0:.1f}s)\n")
        sys.stderr.flush()


def register(sub: Any) -> None:
    p = sub.add_parser("import", help="import a CMIS debt extract (xlsx/csv) into the cache")
    p.add_argument("file", help="the extract (.xlsx or .csv)")
    p.add_argument("--profile", help="column profile name (resources/profiles/NAME.json) or a .json path")
    p.add_argument(
        "--accept-missing", nargs="?", type=int, const=-1, default=None, metavar="N",
        help="go ahead although more unpaid bills than the setting allows (default 2%% of the "
        "units' unpaid bills) are missing from the file and become paid elsewhere; with N: at "
        "most N of them",
    )  # fmt: skip
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("lookup", help="a customer and their unpaid bills, by customer or card code")
    p.add_argument("code")
    p.add_argument("--all", action="store_true", help="also list bills already cleared in CMIS")
    p.set_defaults(handler=cmd_lookup)

    p = sub.add_parser("search", help="find customers by code prefix, name or address")
    p.add_argument("text", nargs="+")
    p.add_argument("--limit", type=int, default=20)
    p.set_defaults(handler=cmd_search)

    p = sub.add_parser("demo-data", help="write a realistic demo extract (csv or xlsx)")
    p.add_argument("--customers", type=int, required=True)
    add_out_file(p, "the extract (.csv or .xlsx)", example="demo.xlsx", required=True)
    p.add_argument("--seed", type=int, default=1)
    add_force(p)
    p.set_defaults(handler=cmd_demo_data)


# -- import -----------------------------------------------------------------------------------
def summary_json(s: ImportSummary) -> dict[str, Any]:
    return {
        "customers": s.customers,
        "bills": s.bills,
        "rejected": [
            {"row": r.row, "reason": r.reason, "column": r.column, "value": r.value, "reason_vi": r.text("vi")}
            for r in s.rejected
        ],
        "warnings": list(s.warnings),
        "total_due": s.total_due,
        "new_bills": s.new_bills,
        "updated_bills": s.updated_bills,
        "paid_elsewhere": s.paid_elsewhere,
        "conflicts": s.conflicts,
        "duplicates": s.duplicates,
        "rows_read": s.rows_read,
        "file": s.file,
        "profile": s.profile,
        "report": s.report_path,
        "batch_id": s.batch_id,
        "seconds": s.seconds,
    }


def cmd_import(args: Any, station: Any) -> int:
    progress = _Progress(f"import {args.file}")
    from cashier.cli.auth import login

    # without --user only the first import of an empty station (no user yet) runs
    actor = login(args, station, required=False)
    accept = getattr(args, "accept_missing", None)
    summary = station.cache.import_extract(
        args.file, args.profile, progress=progress, actor=actor,
        accept_missing=True if accept == -1 else accept,
    )  # fmt: skip
    if args.json:
        print_json(args, summary_json(summary))
        return 0
    print(
        f"Imported {args.file} ({summary.profile}): {summary.customers:,} customers, "
        f"{summary.bills:,} bills ({summary.new_bills:,} new), total due {format_vnd(summary.total_due)}, "
        f"{summary.seconds:.1f}s"
    )
    if summary.paid_elsewhere or summary.conflicts:
        print(f"  paid elsewhere: {summary.paid_elsewhere:,}; possible double collections: {summary.conflicts:,}")
    for w in summary.warnings:
        print(f"  note: {w}")
    if summary.rejected:
        print(f"  {len(summary.rejected):,} rows rejected (report: {summary.report_path}):")
        for r in summary.rejected[:20]:
            print(f"    row {r.row}: {r.reason}")
        if len(summary.rejected) > 20:
            print(f"    ... {len(summary.rejected) - 20:,} more in the report")
    return 0


# -- lookup -----------------------------------------------------------------------------------
def _shown_bills(lk: Lookup, all_bills: bool) -> tuple:
    """Bills a lookup shows: every bill except those already cleared in CMIS (unpaid, collected
    here with their receipt, paid elsewhere); ``--all`` adds the cleared ones."""
    if all_bills:
        return lk.bills
    return tuple(b for b in lk.bills if b.status != BillStatus.CLEARED)


def lookup_json(lk: Lookup, all_bills: bool = False) -> dict[str, Any]:
    c = lk.customer
    bills = _shown_bills(lk, all_bills)
    return {
        "customer": {
            "code": c.code,
            "name": c.name,
            "address": c.address,
            "phone": c.phone,
            "unit_code": c.unit_code,
            "book": c.book,
            "book_pos": c.book_pos,
            "card_code": c.card_code,
            "disconnected": c.disconnected,
        },
        "bills": [
            {
                "bill_id": b.bill_id,
                "ky": b.ky,
                "thang": b.thang,
                "nam": b.nam,
                "kwh": b.kwh,
                "amount": b.amount,
                "vat": b.vat,
                "total": b.total,
                "status": str(b.status),
                "series": b.series,
                "number": b.number,
                "reading_start": b.reading_start,
                "reading_end": b.reading_end,
                "tiers": [[t.kwh, t.price, t.amount] for t in b.tiers],
                "double_collection": b.double_collection,
                "receipt": b.receipt,
            }
            for b in bills
        ],
        "total_due": lk.total_due,
    }


def cmd_lookup(args: Any, station: Any) -> int:
    lk = station.cache.lookup(args.code)
    if args.json:
        print_json(args, lookup_json(lk, args.all))
        return 0
    c = lk.customer
    print(f"{c.code}  {c.name}")
    print(f"  {c.address}")
    extra = [f"book {c.book}/{c.book_pos}"] + ([f"phone {c.phone}"] if c.phone else [])
    if c.disconnected:
        extra.append("DISCONNECTED for debt")
    print("  " + ", ".join(extra))
    for b in _shown_bills(lk, args.all):
        flag = "" if b.status == BillStatus.UNPAID else f"  [{b.status}{' receipt ' + b.receipt if b.receipt else ''}]"
        dbl = "  [POSSIBLE DOUBLE COLLECTION]" if b.double_collection else ""
        print(f"  {b.period:<14} {b.bill_id:<12} {b.kwh:>6} kWh {format_vnd(b.total):>14}{flag}{dbl}")
    print(f"  total due: {format_vnd(lk.total_due)} ({len(lk.unpaid)} unpaid bills)")
    return 0


# -- search -----------------------------------------------------------------------------------
def cmd_search(args: Any, station: Any) -> int:
    text = " ".join(args.text)
    hits = station.cache.search(text, args.limit)
    if args.json:
        out = [
            {
                "code": h.code,
                "name": h.name,
                "address": h.address,
                "book": h.book,
                "total_due": h.total_due,
                "unpaid_bills": h.unpaid_bills,
            }
            for h in hits
        ]
        print_json(args, out)
        return 0
    if not hits:
        print(f"no customer matches {text!r}")
        return 0
    for h in hits:
        book = f"  [{h.book}]" if h.book else ""
        print(f"{h.code}  {h.name:<28} {format_vnd(h.total_due):>14}{book}  {h.address}")
    return 0


# -- demo data --------------------------------------------------------------------------------
def cmd_demo_data(args: Any, station: Any) -> int:
    from cashier.core.errors import InvalidInput
    from cashier.export.extract_writer import write_demo_extract
    from cashier.services.output_paths import atomic_path, check_output

    if args.customers <= 0:
        raise InvalidInput("invalid_input", detail="--customers must be a positive number")
    if not str(args.out).lower().endswith((".csv", ".xlsx")):
        raise InvalidInput("invalid_input", detail="--out must end in .csv or .xlsx")
    t0 = time.monotonic()
    progress = _Progress(f"demo-data {args.out}")
    out = check_output(out_file(args), station.protected_paths, force=args.force)
    with atomic_path(out, overwrite=args.force) as tmp:
        rows = write_demo_extract(tmp, args.customers, args.seed, progress=progress)
    progress(1, 1, "done")
    if args.json:
        print_json(args, {"file": str(out), "customers": args.customers, "bills": rows,
                          "seconds": round(time.monotonic() - t0, 3)})
        return 0
    print(
        f"wrote {args.out}: {args.customers:,} customers, {rows:,} bills ({time.monotonic() - t0:.1f}s)",
        file=sys.stderr,
    )
    return 0
