"""Who acts on the command line: ``--user NAME`` (or ``$CASHIER_USER``) with the password from
``$CASHIER_PASSWORD`` or a prompt on a terminal, never from the command line; a manager's
override with ``--manager NAME`` (``$CASHIER_MANAGER_PASSWORD`` or a prompt). A name without a
password is refused (exit 4): the services check every permission against the logged-in user.
"""

from __future__ import annotations

import getpass
import os
import sys

from cashier.core.errors import AuthenticationFailed, InvalidInput
from cashier.core.ledger import Permission


def secret(var: str, prompt: str, *, confirm: bool = False) -> str:
    value = os.environ.get(var)
    if value is not None:
        return value
    if not sys.stdin or not sys.stdin.isatty():
        raise AuthenticationFailed("cli.no_password", var=var)
    value = getpass.getpass(prompt)
    if confirm and getpass.getpass("Again: ") != value:
        raise InvalidInput("cli.password_mismatch")
    return value


def login(args, station, *, required: bool = True):
    """The logged-in user (name + password), or None when no name is given and not ``required``
    (the service then refuses, except for the first import of an empty station)."""
    name = getattr(args, "user", None) or os.environ.get("CASHIER_USER")
    if not name:
        if required:
            raise AuthenticationFailed("cli.need_user")
        return None
    password = secret("CASHIER_PASSWORD", f"Password for {name}: ")
    return station.users.login(name, password)


def approval(args, station, user, permission: Permission, reason: str = ""):
    """A manager's one-time override for ``user`` (``--manager NAME``), or None."""
    name = getattr(args, "manager", None)
    if not name:
        return None
    password = secret("CASHIER_MANAGER_PASSWORD", f"Password for manager {name}: ")
    return station.users.authorise(name, password, permission, user, reason)
