"""Storage refusals every adapter can raise instead of a driver error (never a traceback).

``StorageBusy``: the database stayed locked by another writer past the busy timeout (e.g. a
long maintenance step in another process); nothing was changed, try again. ``StorageFull``: the
disk is full; the operation was not applied (its message says what, if anything, was kept).
"""

from __future__ import annotations

from cashier.core.errors import Conflict, DomainError
from cashier.core.messages import register

register(
    {
        "storage.busy": (
            "The station database is busy ({what}): nothing was changed, try again in a moment",
            "Cơ sở dữ liệu đang bận ({what_vi}): chưa thay đổi gì, vui lòng thử lại sau giây lát",
        ),
        "storage.full": (
            "The disk is full ({what}): nothing was changed; free some disk space and try again",
            "Ổ đĩa đã đầy ({what_vi}): chưa thay đổi gì; hãy giải phóng dung lượng rồi thử lại",
        ),
    }
)


class StorageBusy(Conflict):
    code = "storage.busy"


class StorageFull(DomainError):
    code = "storage.full"


def busy(what: str = "another writer", what_vi: str = "một thao tác khác đang ghi") -> StorageBusy:
    return StorageBusy("storage.busy", what=what, what_vi=what_vi)


def full(what: str = "write", what_vi: str = "ghi dữ liệu") -> StorageFull:
    return StorageFull("storage.full", what=what, what_vi=what_vi)


register(
    {
        "import.already_running": (
            "Another import (batch {batch}) is running on this station: wait for it to finish",
            "Đang có một lần nhập dữ liệu khác (lô {batch}) trên máy này: vui lòng chờ nó hoàn tất",
        ),
        "import.disk_low": (
            "Not enough free disk space to apply the import ({free_mb} MB free in {folder}, "
            "{need_mb} MB needed): nothing was changed",
            "Không đủ dung lượng đĩa để áp dụng dữ liệu nhập (còn {free_mb} MB trong {folder}, "
            "cần {need_mb} MB): chưa thay đổi gì",
        ),
        "import.full_applying": (
            "The disk filled up while the import was being applied: it stopped between two "
            "customers and will be finished at the next start once disk space is freed",
            "Ổ đĩa đầy khi đang áp dụng dữ liệu nhập: việc nhập dừng giữa hai khách hàng và sẽ "
            "được hoàn tất ở lần mở máy sau khi đã giải phóng dung lượng",
        ),
        "import.busy_applying": (
            "The database stayed busy while the import was being applied: it will be finished "
            "at the next start",
            "Cơ sở dữ liệu bận khi đang áp dụng dữ liệu nhập: việc nhập sẽ được hoàn tất ở lần mở máy sau",
        ),
    }
)
