"""Cashier shifts: ``cashier shift open|close|report`` (X and Z reports).

The acting cashier is the global ``--user``; a manager authorising a variance at close gives
``--manager NAME`` (cashier/cli/auth.py). ``--json``: the shift, or the report's fields.
"""

from __future__ import annotations

import argparse
from typing import Any

from cashier.cli.auth import approval, login
from cashier.cli.options import add_shift
from cashier.cli.output import print_json
from cashier.core.ledger import Permission, parse_denominations
from cashier.core.money import format_number


def print_report(report: Any) -> None:
    d = report.as_dict()
    title = f"Z report no. {d['z_number']}" if report.kind == "Z" else "X report (shift still open)"
    print(f"{title} - station {d['station']}, shift {d['shift']}, {d['cashier_name']} ({d['cashier']})")
    print(f"  opened {d['opened_at']}" + (f", closed {d['closed_at']}" if d["closed_at"] else ""))
    rows = [
        ("opening float", d["opening_float"]),
        ("cash collected", d["cash_total"]),
        ("transfers", d["transfer_total"]),
        ("reconnection fees", d["reconnection_fees"]),
        ("refunds (voids of earlier shifts)", d["refunds_cash"]),
        ("expected cash", d["expected_cash"]),
    ]
    if d["counted"] is not None:
        rows += [("counted cash", d["counted"]), ("variance", d["variance"])]
    print(f"  payments {d['payments']}, bills {d['bills']}, voids {d['voids']} "
          f"({format_number(d['voided_total'])} đ), reprints {d['reprints']}")
    for label, value in rows:
        print(f"  {label:<34} {format_number(value):>15} đ")
    if d["counts"]:
        print("  count: " + ", ".join(f"{format_number(int(k))}x{v}" for k, v in d["counts"].items()))


def _show(args: argparse.Namespace, report: Any) -> int:
    if args.json:
        print_json(args, report.as_dict())
    else:
        print_report(report)
    return 0


def cmd_shift_open(args: argparse.Namespace, station: Any) -> int:
    user = login(args, station)
    shift = station.shifts.open_shift(user, args.float)
    if args.json:
        print_json(args, {"shift": shift.id, "station": shift.station, "cashier": user.username,
                          "opening_float": shift.opening_float})
        return 0
    print(f"shift {shift.id} open at station {shift.station} for {user.username}, "
          f"float {format_number(shift.opening_float)} đ")
    return 0


def cmd_shift_close(args: argparse.Namespace, station: Any) -> int:
    user = login(args, station)
    counts = parse_denominations(args.count)
    override = approval(args, station, user, Permission.CLOSE_SHIFT_VARIANCE, "shift close variance")
    return _show(args, station.shifts.close_shift(user, counts, override))


def cmd_shift_report(args: argparse.Namespace, station: Any) -> int:
    user = login(args, station)
    if args.shift is not None:
        report = station.shifts.report(user, args.shift)
    elif station.shifts.current_shift() is not None:
        report = station.shifts.x_report(user)
    else:
        report = station.shifts.last_z_report(user)
    return _show(args, report)


def register(sub: Any) -> None:
    shift = sub.add_parser("shift", help="open/close a cashier shift, X/Z reports")
    ssub = shift.add_subparsers(dest="shift_command", metavar="ACTION", required=True)
    p = ssub.add_parser("open", help="open a shift with an opening float")
    p.add_argument("--float", required=True, metavar="N", help="opening float in đồng")
    p.set_defaults(handler=cmd_shift_open)
    p = ssub.add_parser("close", help="close the shift with the cash count (Z report)")
    p.add_argument("--count", required=True, metavar="COUNT", help='e.g. "500000x3,200000x1,10000x4"')
    p.set_defaults(handler=cmd_shift_close)
    p = ssub.add_parser("report", help="X report of the open shift (or the last Z report)")
    add_shift(p, "a given shift (Z report when closed)")
    p.set_defaults(handler=cmd_shift_report)
