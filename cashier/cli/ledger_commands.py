"""Ledger commands: users, shifts, collect, receipts, void, reprint, verify, reconnections.

Who acts: the global ``--user NAME`` (or ``$CASHIER_USER``); the password comes from
``$CASHIER_PASSWORD`` or an interactive prompt, never from the command line. A manager
authorising a cashier's action gives ``--manager NAME`` (password ``$CASHIER_MANAGER_PASSWORD``
or a prompt); see cashier/cli/auth.py. New passwords come from ``$CASHIER_NEW_PASSWORD`` or a
prompt (asked twice).
"""

from __future__ import annotations

import json
import sys

from cashier.cli.auth import approval as _approval
from cashier.cli.auth import login as _login
from cashier.cli.auth import secret as _secret
from cashier.cli.basket_commands import cmd_collect_basket
from cashier.core.errors import IntegrityError
from cashier.core.ledger import Permission, Role, parse_denominations
from cashier.core.money import format_number, parse_amount

# -- helpers ----------------------------------------------------------------------------------


def _out(obj) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


def _user_dict(u) -> dict:
    return {
        "username": u.username,
        "full_name": u.full_name,
        "role": u.role.value,
        "code": u.cashier_code,
        "active": u.active,
        "locked": u.locked,
        "locked_until": u.locked_until.isoformat() if u.locked_until else None,
        "failed_attempts": u.failed_attempts,
    }


def _payment_row(p) -> dict:
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


def _print_receipt(station, receipt_no: str, *, kick_drawer: bool) -> None:
    """--print: send the receipt to the configured printer (the printing service records whether
    it came out). The payment stands either way; a failed print is reported on stderr."""
    result = station.printing.print_receipt(receipt_no, kick_drawer=kick_drawer)
    if getattr(result, "ok", True) is False:
        print(f"cashier: receipt {receipt_no} recorded but NOT printed: {getattr(result, 'error', '')}",
              file=sys.stderr)


# -- users ------------------------------------------------------------------------------------


def cmd_users_add(args, station) -> int:
    actor = None
    if station.users.has_users():
        actor = _login(args, station)
    password = _secret("CASHIER_NEW_PASSWORD", f"New password for {args.name}: ", confirm=True)
    user = station.users.add_user(
        args.name, password, args.role, full_name=args.full_name or "", cashier_code=args.code or "", actor=actor
    )
    print(f"added {user.username} ({user.role.value})")
    return 0


def cmd_users_list(args, station) -> int:
    actor = _login(args, station)
    users = station.users.list_users(actor)
    if args.json:
        _out([_user_dict(u) for u in users])
        return 0
    for u in users:
        state = "locked" if u.locked else ("disabled" if not u.active else "")
        if u.locked_until is not None:
            state = f"locked until {u.locked_until:%H:%M}"
        print(f"{u.username:<16} {u.role.value:<8} {u.cashier_code:<8} {u.full_name}  {state}".rstrip())
    return 0


def cmd_users_passwd(args, station) -> int:
    actor = _login(args, station)
    name = args.name or actor.username
    password = _secret("CASHIER_NEW_PASSWORD", f"New password for {name}: ", confirm=True)
    station.users.change_password(name, password, actor=actor)
    print(f"password changed for {name}")
    return 0


def cmd_users_lock(args, station) -> int:
    actor = _login(args, station)
    user = station.users.lock(args.name, actor=actor)
    print(f"locked {user.username}")
    return 0


def cmd_users_unlock(args, station) -> int:
    actor = _login(args, station)
    user = station.users.unlock(args.name, actor=actor)
    print(f"unlocked {user.username}")
    return 0


# -- shifts -----------------------------------------------------------------------------------


def _print_report(report) -> None:
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


def cmd_shift_open(args, station) -> int:
    user = _login(args, station)
    shift = station.shifts.open_shift(user, args.float)
    print(f"shift {shift.id} open at station {shift.station} for {user.username}, "
          f"float {format_number(shift.opening_float)} đ")
    return 0


def cmd_shift_close(args, station) -> int:
    user = _login(args, station)
    counts = parse_denominations(args.count)
    approval = _approval(args, station, user, Permission.CLOSE_SHIFT_VARIANCE, "shift close variance")
    report = station.shifts.close_shift(user, counts, approval)
    if args.json:
        _out(report.as_dict())
    else:
        _print_report(report)
    return 0


def cmd_shift_report(args, station) -> int:
    user = _login(args, station)
    if args.shift is not None:
        report = station.shifts.report(user, args.shift)
    elif station.shifts.current_shift() is not None:
        report = station.shifts.x_report(user)
    else:
        report = station.shifts.last_z_report(user)
    if args.json:
        _out(report.as_dict())
    else:
        _print_report(report)
    return 0


# -- collect, receipts, void, reprint ------------------------------------------------------------


def cmd_collect(args, station) -> int:
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
        _out(result)
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


def cmd_receipts(args, station) -> int:
    user = _login(args, station)
    payments = station.collect.receipts(user, args.date)
    if args.json:
        _out([_payment_row(p) for p in payments])
        return 0
    for p in payments:
        print(f"{p.receipt_no}  {p.created_at:%Y-%m-%d %H:%M}  {p.customer.code}  "
              f"{format_number(p.total):>12} đ  {p.method.value:<8} {p.status.value:<7} "
              f"printed x{p.print_count}  bills {','.join(p.bill_ids)}")
    print(f"{len(payments)} receipt(s)", file=sys.stderr)
    return 0


def cmd_void(args, station) -> int:
    user = _login(args, station)
    approval = _approval(args, station, user, Permission.VOID, f"void {args.receipt}: {args.reason}")
    void = station.collect.void(args.receipt, args.reason, user, approval)
    extra = " (already exported: goes out as a reversal in the next export)" if void.needs_reversal else ""
    print(f"voided {void.receipt_no}{extra}")
    return 0


def cmd_reprint(args, station) -> int:
    user = _login(args, station)
    approval = _approval(args, station, user, Permission.REPRINT, f"reprint {args.receipt}")
    payment = station.collect.reprint(args.receipt, user, approval)
    if args.print:
        _print_receipt(station, payment.receipt_no, kick_drawer=False)
    else:
        print(f"print it with: cashier print-receipt {payment.receipt_no} (or reprint --print)", file=sys.stderr)
    if args.json:
        _out({**_payment_row(payment), "copy_label": payment.copy_label})
    else:
        print(f"{payment.receipt_no}: {payment.copy_label}")
    return 0


# -- journal and orders -------------------------------------------------------------------------


def cmd_verify(args, station) -> int:
    result = station.journal.verify()
    if args.json:
        _out(result.as_dict())
    if not result.ok:
        if result.missing and not args.json:  # a rollback found against the journal anchor
            print(f"missing journal entries: {', '.join(f'#{n}' for n in result.missing['seqs'])}")
            print(f"missing receipts: {', '.join(result.missing['receipts']) or 'none'}")
        raise IntegrityError("integrity_error", detail=result.problem.message if result.problem else "?")
    if not args.json:
        anchored = f", anchor at #{result.anchor_seq}" if result.anchor_seq is not None else ""
        print(f"journal OK: {result.checked} entries, last #{result.last_seq}{anchored}")
    return 0


def cmd_verify_receipt(args, station) -> int:
    check = station.journal.verify_receipt(args.receipt, args.code)
    if not check.ok:
        raise IntegrityError("integrity_error", detail=check.message)
    print(check.message)
    return 0


def cmd_reconnections(args, station) -> int:
    if args.done is not None or args.cancel is not None:
        user = _login(args, station)
        order_id, status = (args.done, "done") if args.done is not None else (args.cancel, "cancelled")
        station.collect.set_order_status(user, order_id, status)
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
        _out(rows)
        return 0
    for r in rows:
        print(f"#{r['order']} {r['created_at'][:16]} {r['customer']} {r['name']} - {r['address']} "
              f"(book {r['book']}) receipt {r['receipt']} fee {format_number(r['fee'])} đ {r['status']}")
    print(f"{len(rows)} order(s)", file=sys.stderr)
    return 0


# -- registration -------------------------------------------------------------------------------


def register_commands(sub) -> None:  # noqa: C901 - a flat list of parsers
    users = sub.add_parser("users", help="station users (cashier, manager, admin)")
    usub = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    p = usub.add_parser("add", help="add a user (the first one, an admin, needs no --user)")
    p.add_argument("name")
    p.add_argument("--role", required=True, choices=[r.value for r in Role])
    p.add_argument("--full-name", dest="full_name")
    p.add_argument("--code", help="cashier code (MA_TNGAN)")
    p.set_defaults(handler=cmd_users_add)
    p = usub.add_parser("list", help="list users")
    p.set_defaults(handler=cmd_users_list)
    p = usub.add_parser("passwd", help="change a password (your own, or anyone's as admin)")
    p.add_argument("name", nargs="?")
    p.set_defaults(handler=cmd_users_passwd)
    for action, handler in (("lock", cmd_users_lock), ("unlock", cmd_users_unlock)):
        p = usub.add_parser(action, help=f"{action} a user")
        p.add_argument("name")
        p.set_defaults(handler=handler)

    shift = sub.add_parser("shift", help="open/close a cashier shift, X/Z reports")
    ssub = shift.add_subparsers(dest="shift_command", metavar="ACTION", required=True)
    p = ssub.add_parser("open", help="open a shift with an opening float")
    p.add_argument("--float", required=True, metavar="N", help="opening float in đồng")
    p.set_defaults(handler=cmd_shift_open)
    p = ssub.add_parser("close", help="close the shift with the cash count (Z report)")
    p.add_argument("--count", required=True, metavar="COUNT", help='e.g. "500000x3,200000x1,10000x4"')
    p.set_defaults(handler=cmd_shift_close)
    p = ssub.add_parser("report", help="X report of the open shift (or the last Z report)")
    p.add_argument("--shift", type=int, metavar="ID", help="a given shift (Z report when closed)")
    p.set_defaults(handler=cmd_shift_report)

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
    p.add_argument("--print", action="store_true", help="print the receipt (and open the drawer for cash)")
    p.set_defaults(handler=cmd_collect)

    p = sub.add_parser("receipts", help="list payments (receipt, customer, bills, total, status, prints)")
    p.add_argument("--date", metavar="YYYY-MM-DD")
    p.set_defaults(handler=cmd_receipts)

    p = sub.add_parser("void", help="void a payment (manager, or --manager authorising)")
    p.add_argument("receipt")
    p.add_argument("--reason", required=True)
    p.set_defaults(handler=cmd_void)

    p = sub.add_parser("reprint", help='reprint a receipt ("BẢN SAO - In lần N")')
    p.add_argument("receipt")
    p.add_argument("--print", action="store_true", help="send the copy to the printer now")
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


def register(sub) -> None:
    register_commands(sub)
