"""Storage refusals every adapter can raise instead of a driver error (never a traceback).

``StorageBusy``: the database stayed locked by another writer past the busy timeout (e.g. a
long maintenance step in another process); nothing was changed, try again. ``StorageFull``: the
disk is full; the operation was not applied (its message says what, if anything, was kept).
"""

from __future__ import annotations

from cashier.core.errors import Conflict, DomainError


class StorageBusy(Conflict):
    code = "storage.busy"


class StorageFull(DomainError):
    code = "storage.full"


def busy(what: str = "another writer", what_vi: str = "một thao tác khác đang ghi") -> StorageBusy:
    return StorageBusy("storage.busy", what=what, what_vi=what_vi)


def full(what: str = "write", what_vi: str = "ghi dữ liệu") -> StorageFull:
    return StorageFull("storage.full", what=what, what_vi=what_vi)


