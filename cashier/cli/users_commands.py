"""Station users: ``cashier users add|list|passwd|lock|unlock``.

Who acts: the global ``--user NAME`` (password ``$CASHIER_PASSWORD`` or a prompt; the first
user, an admin, needs none). New passwords come from ``$CASHIER_NEW_PASSWORD`` or a prompt (asked
twice), never from the command line (cashier/cli/auth.py). ``--json``: the user record(s).
"""

from __future__ import annotations

import argparse
from typing import Any

from cashier.cli.auth import login, secret
from cashier.cli.output import print_json
from cashier.core.ledger import Role


def user_dict(u: Any) -> dict[str, Any]:
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


def _done(args: argparse.Namespace, user: Any, line: str) -> int:
    if args.json:
        print_json(args, user_dict(user))
    else:
        print(line)
    return 0


def cmd_users_add(args: argparse.Namespace, station: Any) -> int:
    actor = None
    if station.users.has_users():
        actor = login(args, station)
    password = secret("CASHIER_NEW_PASSWORD", f"New password for {args.name}: ", confirm=True)
    user = station.users.add_user(
        args.name, password, args.role, full_name=args.full_name or "", cashier_code=args.code or "", actor=actor
    )
    return _done(args, user, f"added {user.username} ({user.role.value})")


def cmd_users_list(args: argparse.Namespace, station: Any) -> int:
    actor = login(args, station)
    users = station.users.list_users(actor)
    if args.json:
        print_json(args, [user_dict(u) for u in users])
        return 0
    for u in users:
        state = "locked" if u.locked else ("disabled" if not u.active else "")
        if u.locked_until is not None:
            state = f"locked until {u.locked_until:%H:%M}"
        print(f"{u.username:<16} {u.role.value:<8} {u.cashier_code:<8} {u.full_name}  {state}".rstrip())
    return 0


def cmd_users_passwd(args: argparse.Namespace, station: Any) -> int:
    actor = login(args, station)
    name = args.name or actor.username
    password = secret("CASHIER_NEW_PASSWORD", f"New password for {name}: ", confirm=True)
    station.users.change_password(name, password, actor=actor)
    if args.json:
        print_json(args, {"username": name, "password_changed": True})
    else:
        print(f"password changed for {name}")
    return 0


def cmd_users_lock(args: argparse.Namespace, station: Any) -> int:
    user = station.users.lock(args.name, actor=login(args, station))
    return _done(args, user, f"locked {user.username}")


def cmd_users_unlock(args: argparse.Namespace, station: Any) -> int:
    user = station.users.unlock(args.name, actor=login(args, station))
    return _done(args, user, f"unlocked {user.username}")


def register(sub: Any) -> None:
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
