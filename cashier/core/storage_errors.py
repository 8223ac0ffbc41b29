"""Storage refusals every adapter can raise instead of a driver error (never a traceback).

``StorageBusy``: the database stayed locked by another writer past the busy timeout (e.g. a
long maintenance step in another process); nothing was changed, try again. ``StorageFull``: the
disk is full; the operation was not applied (its message says what, if anything, was kept).
"""

from __future__ import annotations

from cashier.core.errors import Conflict, DomainError
from cashier.core.messages import Message


class StorageBusy(Conflict):
    code = "storage.busy"


class StorageFull(DomainError):
    code = "storage.full"


def busy(what: Message = Message("storage.step.another_writer")) -> StorageBusy:
    """The database is locked while doing ``what`` (a ``storage.step.*`` message)."""
    return StorageBusy("storage.busy", what=what)


def full(what: Message = Message("storage.step.writing")) -> StorageFull:
    """The disk is full while doing ``what`` (a ``storage.step.*`` message)."""
    return StorageFull("storage.full", what=what)


