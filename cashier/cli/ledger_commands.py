"""Ledger commands: collect, receipts, void, reprint, verify, verify-receipt, reconnections
(users: users_commands.py; shifts: shift_commands.py).

Who acts: the global ``--user NAME`` (or ``$CASHIER_USER``); the password comes from
``$CASHIER_PASSWORD`` or an interactive prompt, never from the command line. A manager
authorising a cashier's action gives ``--manager NAME`` (password ``$CASHIER_MANAGER_PASSWORD``
or a prompt); see cashier/cli/auth.py. ``--json``: the payment(s), the void, the check.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from cashier.cli.auth import approval as _approval
from cashier.cli.auth import login as _login
from cashier.cli.basket_commands import cmd_collect_basket
from cashier.cli.options import add_date, add_print
from cashier.cli.output import print_json
from cashier.core.errors import IntegrityError
from cashier.core.ledger import Permission
from cashier.core.money import format_number, parse_amount

# -- helpers ----------------------------------------------------------------------------------


def _payment_row(p: Any) -> dict[str, Any]:
    return {
        "receipt": p.receipt_no,
        "customer": p.customer.code,
        "customer_name": p.customer.name,
        "bills": p.bill_ids,
        "total": p.total,
        "method": p.method.value,
        "status": p.status.value,
        "print_count": p.print_count,
        "created_at": p.created_at.isoformat(),
        "cashier": p.cashier_username,
        "journal_seq": p.journal_seq,
    }


def _print_receipt(station: Any, receipt_no: str, *, kick_drawer: bool) -> None:
    """--print: send the receipt to the configured printer (the printing service records whether
    it came out). The payment stands either way; a failed print is reported on stderr."""
    result = station.printing.print_receipt(receipt_no, kick_drawer=kick_drawer)
    if getattr(result, "ok", True) is False:
        print(f"cashier: receipt {receipt_no} recorded but NOT printed: {getattr(result, 'error', '')}",
              file=sys.stderr)


# -- collect, receipts, void, reprint ------------------------------------------------------------


def cmd_collect(args: argparse.Namespace, station: Any) -> int:
    if len(args.code) > 1:  # one payer, several customers (basket_commands.py)
        return cmd_collect_basket(args, station)
    args.code = args.code[0]
    user = _login(args, station)
    bills = [b for b in args.bills.split(",") if b.strip()] if args.bills else None
    approval = None
    if args.partial is not None:
        approval = _approval(args, station, user, Permission.PARTIAL_PAYMENT, f"partial payment {args.code}")
    elif getattr(args, "manager", None):  # a bill whose payment a restore lost (docs/recovery.md)
        approval = _approval(args, station, user, Permission.COLLECT_LOST, f"collect again {args.code}")
    payment = station.collect.collect(
        user,
        args.code,
        parse_amount(args.tendered),
        bill_ids=bills,
        method=args.method,
        bank_ref=args.ref or "",
        partial_amount=parse_amount(args.partial) if args.partial is not None else None,
        idempotency_key=args.key,
        approval=approval,
        transfer_amount=parse_amount(args.transfer) if args.transfer is not None else 0,
    )
    result = {
        "receipt": payment.receipt_no,
        "bills": payment.bill_ids,
        "total": payment.total,
        "tendered": payment.tendered,
        "change": payment.change,
        "verification": payment.verification,
    }
    if payment.is_split:
        result.update(cash=payment.cash_part, transfer=payment.transfer_part, bank_ref=payment.bank_ref)
    if args.print:
        _print_receipt(station, payment.receipt_no, kick_drawer=payment.method.value == "cash")
    if args.json:
        print_json(args, result)
    else:
        print(f"receipt {payment.receipt_no}: {len(payment.bill_ids)} bill(s) of {payment.customer.code}, "
              f"total {format_number(payment.total)} đ, tendered {format_number(payment.tendered)} đ, "
              f"change {format_number(payment.change)} đ, verification {payment.verification_display}")
        if payment.is_split:
            print(f"split: cash {format_number(payment.cash_part)} đ (given {format_number(payment.cash_tendered)} đ), "
                  f"bank transfer {format_number(payment.transfer_part)} đ, ref {payment.bank_ref}")
        if payment.reconnection_fee:
            print(f"reconnection fee {format_number(payment.reconnection_fee)} đ: reconnection order raised")
    return 0


def cmd_receipts(args: argparse.Namespace, station: Any) -> int:
    user = _login(args, station)
    payments = station.collect.receipts(user, args.date)
    if args.json:
        print_json(args, [_payment_row(p) for p in payments])
        return 0
    for p in payments:
        print(f"{p.receipt_no}  {p.created_at:%Y-%m-%d %H:%M}  {p.customer.code}  "
              f"{format_number(p.total):>12} đ  {p.method.value:<8} {p.status.value:<7} "
              f"printed x{p.print_count}  bills {','.join(p.bill_ids)}")
    print(f"{len(payments)} receipt(s)", file=sys.stderr)
    return 0


def cmd_void(args: argparse.Namespace, station: Any) -> int:
    user = _login(args, station)
    approval = _approval(args, station, user, Permission.VOID, f"void {args.receipt}: {args.reason}")
    void = station.collect.void(args.receipt, args.reason, user, approval)
    if args.json:
        print_json(args, {"receipt": void.receipt_no, "voided": True, "needs_reversal": void.needs_reversal})
        return 0
    extra = " (already exported: goes out as a reversal in the next export)" if void.needs_reversal else ""
    print(f"voided {void.receipt_no}{extra}")
    return 0


def cmd_reprint(args: argparse.Namespace, station: Any) -> int:
    user = _login(args, station)
    approval = _approval(args, station, user, Permission.REPRINT, f"reprint {args.receipt}")
    payment = station.collect.reprint(args.receipt, user, approval)
    if args.print:
        _print_receipt(station, payment.receipt_no, kick_drawer=False)
    else:
        print(f"print it with: cashier print-receipt {payment.receipt_no} (or reprint --print)", file=sys.stderr)
    if args.json:
        print_json(args, {**_payment_row(payment), "copy_label": payment.copy_label})
    else:
        print(f"{payment.receipt_no}: {payment.copy_label}")
    return 0


# -- journal and orders -------------------------------------------------------------------------


def cmd_verify(args: argparse.Namespace, station: Any) -> int:
    result = station.journal.verify()
    if args.json:
        print_json(args, result.as_dict())
    if not result.ok:
        if result.missing and not args.json:  # a rollback found against the journal anchor
            print(f"missing journal entries: {', '.join(f'#{n}' for n in result.missing['seqs'])}")
            print(f"missing receipts: {', '.join(result.missing['receipts']) or 'none'}")
        raise IntegrityError("integrity_error", detail=result.problem.message if result.problem else "?")
    if not args.json:
        anchored = f", anchor at #{result.anchor_seq}" if result.anchor_seq is not None else ""
        print(f"journal OK: {result.checked} entries, last #{result.last_seq}{anchored}")
    return 0


def cmd_verify_receipt(args: argparse.Namespace, station: Any) -> int:
    check = station.journal.verify_receipt(args.receipt, args.code)
    if args.json:
        print_json(args, {"receipt": args.receipt, "ok": check.ok, "message": check.message})
    if not check.ok:
        raise IntegrityError("integrity_error", detail=check.message)
    if not args.json:
        print(check.message)
    return 0


def cmd_reconnections(args: argparse.Namespace, station: Any) -> int:
    if args.done is not None or args.cancel is not None:
        user = _login(args, station)
        order_id, status = (args.done, "done") if args.done is not None else (args.cancel, "cancelled")
        station.collect.set_order_status(user, order_id, status)
        if args.json:
            print_json(args, {"order": order_id, "status": status})
        else:
            print(f"reconnection order #{order_id}: {status}")
        return 0
    orders = station.collect.reconnection_orders(None if args.all else "open")
    rows = [
        {
            "order": o.id,
            "customer": o.customer.code,
            "name": o.customer.name,
            "address": o.customer.address,
            "book": o.customer.book,
            "phone": o.customer.phone,
            "receipt": o.receipt_no,
            "fee": o.fee,
            "created_at": o.created_at.isoformat(),
            "cashier": o.cashier_name,
            "status": o.status.value,
        }
        for o in orders
    ]
    if args.json:
        print_json(args, rows)
        return 0
    for r in rows:
        print(f"#{r['order']} {r['created_at'][:16]} {r['customer']} {r['name']} - {r['address']} "
              f"(book {r['book']}) receipt {r['receipt']} fee {format_number(r['fee'])} đ {r['status']}")
    print(f"{len(rows)} order(s)", file=sys.stderr)
    return 0


# -- registration -------------------------------------------------------------------------------


def register(sub: Any) -> None:
    p = sub.add_parser("collect", help="take a payment for a customer's unpaid bills")
    p.add_argument("code", nargs="+", help="customer code (MA_KHANG); several: one basket (thu gộp)")
    p.add_argument("--tendered", required=True, metavar="N", help="money given by the customer (đồng)")
    p.add_argument("--bills", metavar="ID,...", help="only these bills (oldest first; default: all)")
    p.add_argument("--method", choices=["cash", "transfer"], default="cash")
    p.add_argument("--ref", metavar="R", help="bank reference (transfer, or the transfer part)")
    p.add_argument("--transfer", metavar="AMOUNT",
                   help="split payment: this much by bank transfer (--ref), --tendered is then the cash")
    p.add_argument("--partial", metavar="AMOUNT", help="pay only this much on the one selected bill")
    p.add_argument("--key", metavar="KEY", help="idempotency key: retrying the same key never pays twice")
    add_print(p, "print the receipt (and open the drawer for cash)")
    p.set_defaults(handler=cmd_collect)

    p = sub.add_parser("receipts", help="list payments (receipt, customer, bills, total, status, prints)")
    add_date(p, "only payments of this day (default: all)")
    p.set_defaults(handler=cmd_receipts)

    p = sub.add_parser("void", help="void a payment (manager, or --manager authorising)")
    p.add_argument("receipt")
    p.add_argument("--reason", required=True)
    p.set_defaults(handler=cmd_void)

    p = sub.add_parser("reprint", help='reprint a receipt ("BẢN SAO - In lần N")')
    p.add_argument("receipt")
    add_print(p, "send the copy to the printer now")
    p.set_defaults(handler=cmd_reprint)

    p = sub.add_parser("verify", help="verify the tamper-evident journal against the database")
    p.set_defaults(handler=cmd_verify)

    p = sub.add_parser("verify-receipt", help="check a printed receipt's verification code")
    p.add_argument("receipt")
    p.add_argument("code")
    p.set_defaults(handler=cmd_verify_receipt)

    p = sub.add_parser("reconnections", help="reconnection orders (lệnh đóng điện) for the field crew")
    p.add_argument("--all", action="store_true", help="also done/cancelled orders")
    p.add_argument("--done", type=int, metavar="ID", help="mark an order done (a manager's --user)")
    p.add_argument("--cancel", type=int, metavar="ID", help="cancel an order (a manager's --user)")
    p.set_defaults(handler=cmd_reconnections)

