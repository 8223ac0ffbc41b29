"""``cashier collect CODE1 CODE2 ... --tendered N``: one payer, several customers (thu gộp).

Several codes make a basket: every unpaid bill of each customer (and the reconnection fee when
due), one tender for the whole basket, one change, one receipt per customer, all committed in one
transaction or none (services/basket_collect.py). Partial, split and bank-transfer payments are
taken one customer at a time.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from cashier.cli.auth import login as _login
from cashier.cli.output import print_json
from cashier.core.errors import InvalidInput
from cashier.core.money import format_number, parse_amount

#: options of ``collect`` that apply to one customer only
_SINGLE_ONLY = (("bills", "--bills"), ("partial", "--partial"), ("transfer", "--transfer"), ("ref", "--ref"),
                ("manager", "--manager"))


def cmd_collect_basket(args: argparse.Namespace, station: Any) -> int:
    for dest, flag in _SINGLE_ONLY:
        if getattr(args, dest, None):
            raise InvalidInput("invalid_input", detail=f"{flag} takes one customer code (a basket collects everything due)")
    if args.method != "cash":
        raise InvalidInput("invalid_input", detail="a basket is paid in cash (--method cash)")
    user = _login(args, station)
    entries = [station.collect.preview_basket_entry(code) for code in args.code]
    result = station.collect.collect_basket(user, entries, parse_amount(args.tendered), idempotency_key=args.key)
    b = result.basket
    if args.print:
        from cashier.cli.ledger_commands import _print_receipt

        for p in result.payments:  # the drawer opens with the first receipt only
            _print_receipt(station, p.receipt_no, kick_drawer=p.receipt_no == b.receipts[0])
    if args.json:
        print_json(args, {**b.as_dict(), "payments": [
            {"receipt": p.receipt_no, "customer": p.customer.code, "bills": p.bill_ids, "total": p.total,
             "verification": p.verification} for p in result.payments]})
        return 0
    print(f"basket {b.code}: {b.size} customers, total {format_number(b.total)} đ, "
          f"tendered {format_number(b.tendered)} đ, change {format_number(b.change)} đ")
    for p in result.payments:
        print(f"  receipt {p.receipt_no}: {len(p.bill_ids)} bill(s) of {p.customer.code}, "
              f"total {format_number(p.total)} đ, verification {p.verification_display}")
    if any(p.reconnection_fee for p in result.payments):
        print("reconnection fee paid: reconnection order(s) raised", file=sys.stderr)
    return 0
