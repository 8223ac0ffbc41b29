"""End-of-day commands: export, verify-export, reconcile, report, backup, restore, export-key.

``cashier export [--date D] [--shift S] [--cashier C] [--out-dir DIR] [--format xlsx|csv|both]``
``cashier export --rewrite BATCH [--out-dir DIR]`` writes a recorded batch again (same bytes)
``cashier verify-export FILE [--key PUBLIC.pem]``  (exit 6 when the file is refused)
``cashier reconcile FILE``
``cashier report day [--date D] --out FILE [--force]``  (xlsx; .txt printable text; .csv unpaid list)
``cashier backup [--out-dir DIR]`` / ``cashier export-key --out FILE [--force]``
``cashier restore FILE --user ADMIN [--accept-loss] [--no-replay]`` (docs/recovery.md)
``cashier anchor-rebuild --user ADMIN`` (only when the journal anchor is missing or damaged)

``--out FILE`` is the one file written, ``--out-dir DIR`` the folder files go into
(cashier/cli/options.py); every command takes ``--json`` (one JSON document on stdout).

export, reconcile, report and export-key act as the logged-in ``--user`` (the services check the
permission; docs/ledger.md). Outputs never overwrite the database, keys/ or backups/, nor an
existing file without ``--force`` (cashier/services/output_paths.py).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from cashier.cli import EXIT_INTEGRITY
from cashier.cli.auth import login
from cashier.cli.options import (
    add_date,
    add_force,
    add_out_dir,
    add_out_file,
    add_shift,
    out_dir,
    out_file,
)
from cashier.cli.output import print_json
from cashier.core.money import format_number


def _progress(msg: str) -> None:
    print(f"cashier: {msg}", file=sys.stderr)


def cmd_export(args: argparse.Namespace, station: Any) -> int:
    if args.rewrite:
        files = station.export.rewrite(args.rewrite, out_dir(args), actor=login(args, station))
        if args.json:
            print_json(args, {"batch_id": args.rewrite, "files": files})
        else:
            print("\n".join(files))
        return 0
    result = station.export.export(
        date=args.date,
        shift=args.shift,
        cashier=args.cashier,
        out_dir=out_dir(args),
        fmt=args.format,
        actor=login(args, station),
        progress=None if args.json else _progress,
    )
    if args.json:
        print_json(args, result.as_dict())
    elif result.batch_id is None:
        print(result.message)
    else:
        print(result.message)
        for f in result.files:
            print(f"  {f}")
        print(f"  rows {result.rows} (payments {result.payments}, reversals {result.reversals}); "
              f"SO_TIEN {format_number(result.total_amount)}, VAT {format_number(result.vat)}, "
              f"total {format_number(result.grand_total)}; receipts {result.first_receipt}..{result.last_receipt}")
        if result.backup:
            print(f"  backup {result.backup}")
    return 0


def cmd_verify_export(args: argparse.Namespace, station: Any) -> int:
    report = station.export.verify(Path(args.file), Path(args.key) if args.key else None)
    if args.json:
        print_json(args, report.as_dict())
    elif report.ok:
        print(f"{report.file}: OK (batch {report.batch_id}, {report.rows} rows; "
              + ", ".join(f"{k} ok" for k, v in report.checks.items() if v) + ")")
    else:
        print(f"cashier: {report.file}: REFUSED", file=sys.stderr)
        for p in report.problems:
            print(f"  {p}", file=sys.stderr)
    return 0 if report.ok else EXIT_INTEGRITY


def cmd_reconcile(args: argparse.Namespace, station: Any) -> int:
    report = station.export.reconcile(Path(args.file), actor=login(args, station))
    if args.json:
        print_json(args, report.as_dict())
        return 0
    print(f"{report.file}: {report.rows} rows, {report.cleared} cleared, {len(report.refused)} refused, "
          f"{len(report.refund_cases)} double collection(s)")
    for r in report.refused:
        print(f"  refused row {r['row']}: {r['customer_code']} {r['bill_id']} (receipt {r['receipt_no']}): {r['reason']}")
    for c in report.refund_cases:
        print(f"  REFUND {c['customer_code']} {c['name']}, {c['address']}, tel {c['phone']}: bill {c['bill_id']} "
              f"receipt {c['receipt_no']} {format_number(c['amount'])} đ")
    return 0


def cmd_report(args: argparse.Namespace, station: Any) -> int:
    path = station.reports.day_report(args.date, out_file(args), actor=login(args, station), force=args.force)
    if args.json:
        print_json(args, {"report": args.report, "file": str(path)})
    else:
        print(path)
    return 0


def cmd_backup(args: argparse.Namespace, station: Any) -> int:
    folder = out_dir(args)  # a file given as the folder: refused before the password is asked
    path = station.backups.backup_as(login(args, station), folder)
    if args.json:
        print_json(args, {"backup": str(path)})
    else:
        print(path)
    return 0


def cmd_restore(args: argparse.Namespace, station: Any) -> int:
    from cashier.core.errors import IntegrityError
    from cashier.services.backup_service import describe_lost

    admin, backup_login = None, None
    if station.live_database_ok():
        admin = login(args, station, required=False)  # the service refuses no user (except a new station)
    else:  # a damaged database: nobody can log in to it; the admin is checked against the backup
        import os

        from cashier.cli.auth import secret

        name = getattr(args, "user", None) or os.environ.get("CASHIER_USER")
        if name:
            backup_login = (name, secret("CASHIER_PASSWORD", f"Password for {name}: "))
        print("the database cannot be read: the admin is checked against the backup's users", file=sys.stderr)
    try:
        result = station.backups.restore(
            Path(args.file), actor=admin, accept_loss=args.accept_loss, replay=not args.no_replay,
            backup_login=backup_login,
        )
    except IntegrityError as exc:
        lost = exc.params.get("lost") if exc.code == "backup.loss" else None
        if lost:
            if args.json:
                print_json(args, {"restored": False, "lost": lost})
            else:
                print(f"refused: {len(lost)} journalled event(s) would be lost:", file=sys.stderr)
                for item in lost:
                    print(f"  {describe_lost(item)}", file=sys.stderr)
        raise
    if args.json:
        print_json(args, {"restored": True, **result.as_dict()})
        return 0
    print(f"restored from {result.restored_from}; the replaced database is kept at {result.kept_aside} "
          f"({result.journal}); journal entry #{result.journal_seq}")
    if result.replayed:
        print(f"brought back from the journal anchor: {len(result.replayed)} payment(s): "
              + ", ".join(result.replayed))
    for item in result.lost:
        print(f"LOST (accepted): {describe_lost(item)}")
    for note in result.notes:
        print(f"note: {note}")
    return 0


def cmd_anchor_rebuild(args: argparse.Namespace, station: Any) -> int:
    admin = login(args, station)
    seq = station.backups.rebuild_anchor(actor=admin)
    if args.json:
        print_json(args, {"anchor": str(station.journal_anchor.path), "entries": seq})
        return 0
    print(f"journal anchor {station.journal_anchor.path} rebuilt from the database (entries 1..#{seq}; "
          "the rebuild is journalled)")
    return 0


def cmd_export_key(args: argparse.Namespace, station: Any) -> int:
    out = station.export.write_public_key(out_file(args), actor=login(args, station), force=args.force)
    if args.json:
        print_json(args, {"file": str(out), "station": station.station_code})
        return 0
    print(f"{out} (Ed25519 public key of station {station.station_code})")
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("export", help="end-of-day clearing file for CMIS (new batch of everything not yet exported)")
    add_date(p, "only payments of this day")
    add_shift(p, "only payments of this shift")
    p.add_argument("--cashier", metavar="USER", help="only payments of this cashier (user name or code)")
    add_out_dir(p, "exports/ beside the database")
    p.add_argument("--format", choices=["xlsx", "csv", "both"], default="both")
    p.add_argument("--rewrite", metavar="BATCH", help="write a recorded batch again (byte-identical)")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("verify-export", help="check a clearing file: hash, signature, control totals, journal")
    p.add_argument("file", help="the xlsx/csv file (or its .manifest.json)")
    p.add_argument("--key", metavar="PUBLIC.pem", help="the station's public key (default: this station's key)")
    p.set_defaults(handler=cmd_verify_export)

    p = sub.add_parser("reconcile", help="import CMIS's clearing result (cleared / refused / paid elsewhere)")
    p.add_argument("file")
    p.set_defaults(handler=cmd_reconcile)

    p = sub.add_parser("report", help="write a report: day (a shift's X/Z report: cashier shift report)")
    rsub = p.add_subparsers(dest="report", metavar="REPORT", required=True)
    d = rsub.add_parser("day", help="the day: by cashier, method and hour; shifts and their Z; voids; debt by "
                        "book; reconnection orders; unpaid customers")
    add_date(d, "the day (default: today)")
    add_out_file(d, ".xlsx (with charts), .txt (printable) or .csv (unpaid customers, for SMS)",
                 example="day.xlsx", required=True)
    add_force(d)
    d.set_defaults(handler=cmd_report)

    p = sub.add_parser("backup", help="online backup of the database (SQLite backup API)")
    add_out_dir(p, "backups/ beside the database, with retention")
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser(
        "restore",
        help="restore a backup (admin; checks it, brings back from the journal anchor what came after it)",
    )
    p.add_argument("file")
    p.add_argument("--accept-loss", action="store_true",
                   help="restore even though the listed journalled events cannot be brought back")
    p.add_argument("--no-replay", action="store_true",
                   help="restore exactly the backup (everything after it is lost: needs --accept-loss)")
    p.set_defaults(handler=cmd_restore)

    p = sub.add_parser("anchor-rebuild",
                       help="admin: write the journal anchor again from the database (when it is missing)")
    p.set_defaults(handler=cmd_anchor_rebuild)

    p = sub.add_parser("export-key", help="write the station's public signing key (PEM) for the power company")
    add_out_file(p, "the public key (PEM)", example="station.pem", required=True)
    add_force(p)
    p.set_defaults(handler=cmd_export_key)
