"""The permission guard every service calls before a use case that changes money, data or
settings (or writes a report).

The station wires :meth:`cashier.services.users.UsersService.require` (acting user re-read from
the store, its role checked against the one matrix in :mod:`cashier.core.ledger`, ``None``
refused except for the very first import of an empty station). A service built without a guard
(a unit test of its inner workings) uses :func:`trusting_guard`: it still checks a given user's
role, but it has no store to re-read users from; ``cashier.app.Station`` never builds one so.
"""

from __future__ import annotations

from typing import Protocol

from cashier.core.ledger import Permission, User


class Guard(Protocol):
    def __call__(self, actor: User | None, permission: Permission | str, *, bootstrap: bool = False) -> User | None: ...


def trusting_guard(actor: User | None, permission: Permission | str, *, bootstrap: bool = False) -> User | None:
    if actor is not None:
        actor.require(permission)
    return actor
