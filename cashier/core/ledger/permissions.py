"""Roles, permissions and users: the one role matrix every check (service, store, UI) reads.

:func:`role_matrix_markdown` makes the table docs/ledger.md shows from :data:`PERMISSIONS` and
:data:`PERMISSION_USES`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from cashier.core.errors import PermissionDenied


class Role(StrEnum):
    CASHIER = "cashier"
    MANAGER = "manager"
    ADMIN = "admin"


class Permission(StrEnum):
    COLLECT = "collect"
    OPEN_SHIFT = "open_shift"
    PARTIAL_PAYMENT = "partial_payment"
    REPRINT = "reprint"
    VOID = "void"
    CLOSE_SHIFT_VARIANCE = "close_shift_variance"  # close with a variance over the limit
    CLOSE_OTHERS_SHIFT = "close_others_shift"
    VIEW_REPORTS = "view_reports"  # every shift's reports, every receipt
    IMPORT = "import"
    EXPORT = "export"
    AUTHORISE = "authorise"  # give an override to a cashier
    MANAGE_USERS = "manage_users"
    SETTINGS = "settings"
    VERIFY = "verify"
    RECONCILE = "reconcile"  # apply CMIS's clearing result (bill states change)
    OPEN_DRAWER = "open_drawer"  # open the cash drawer outside a cash payment ("no sale")
    BACKUP = "backup"
    RESTORE = "restore"  # put a backup in place of the database (admin)
    COLLECT_LOST = "collect_lost"  # collect a bill whose payment a restore lost (manager)


#: Vietnamese names of the actions, for refusals shown to cashiers.
PERMISSION_VI: dict[Permission, str] = {
    Permission.COLLECT: "thu tiền",
    Permission.OPEN_SHIFT: "mở ca",
    Permission.PARTIAL_PAYMENT: "thu một phần hóa đơn",
    Permission.REPRINT: "in lại biên nhận",
    Permission.VOID: "hủy biên nhận",
    Permission.CLOSE_SHIFT_VARIANCE: "đóng ca khi lệch tiền quá giới hạn",
    Permission.CLOSE_OTHERS_SHIFT: "đóng ca của người khác",
    Permission.VIEW_REPORTS: "xem báo cáo",
    Permission.IMPORT: "nhập dữ liệu nợ",
    Permission.EXPORT: "xuất tệp gạch nợ",
    Permission.AUTHORISE: "duyệt thay",
    Permission.MANAGE_USERS: "quản lý người dùng",
    Permission.SETTINGS: "thay đổi cấu hình",
    Permission.VERIFY: "kiểm tra nhật ký",
    Permission.RECONCILE: "đối soát kết quả gạch nợ",
    Permission.OPEN_DRAWER: "mở ngăn kéo tiền",
    Permission.BACKUP: "sao lưu dữ liệu",
    Permission.RESTORE: "khôi phục bản sao lưu",
    Permission.COLLECT_LOST: "thu hóa đơn có biên nhận bị mất khi khôi phục",
}

_CASHIER = frozenset({Permission.COLLECT, Permission.OPEN_SHIFT, Permission.VERIFY})
_MANAGER = _CASHIER | {
    Permission.PARTIAL_PAYMENT,
    Permission.REPRINT,
    Permission.VOID,
    Permission.CLOSE_SHIFT_VARIANCE,
    Permission.CLOSE_OTHERS_SHIFT,
    Permission.VIEW_REPORTS,
    Permission.IMPORT,
    Permission.EXPORT,
    Permission.AUTHORISE,
    Permission.RECONCILE,
    Permission.OPEN_DRAWER,
    Permission.BACKUP,
    Permission.COLLECT_LOST,
}
_ADMIN = _MANAGER | {Permission.MANAGE_USERS, Permission.SETTINGS, Permission.RESTORE}

PERMISSIONS: Mapping[Role, frozenset[Permission]] = {
    Role.CASHIER: _CASHIER,
    Role.MANAGER: frozenset(_MANAGER),
    Role.ADMIN: frozenset(_ADMIN),
}


def has_permission(role: Role | str, permission: Permission | str) -> bool:
    return Permission(permission) in PERMISSIONS[Role(role)]


#: What each permission guards (the role matrix in docs/ledger.md is made from this and PERMISSIONS).
PERMISSION_USES: dict[Permission, str] = {
    Permission.COLLECT: "`collect`, the counter's payment",
    Permission.OPEN_SHIFT: "`shift open`, `shift close` (own shift, variance within the limit)",
    Permission.VERIFY: "journal checks from the window (the CLI's `verify` is open, read-only)",
    Permission.PARTIAL_PAYMENT: "`collect --partial` (or a cashier with `--manager`)",
    Permission.REPRINT: "`reprint` (or a cashier with `--manager`)",
    Permission.VOID: "`void` (or a cashier with `--manager`)",
    Permission.CLOSE_SHIFT_VARIANCE: "`shift close` over the variance limit (or `--manager`)",
    Permission.CLOSE_OTHERS_SHIFT: "closing another cashier's shift",
    Permission.VIEW_REPORTS: "`report day`, `shift report --shift`, every receipt, `users list`",
    Permission.IMPORT: "`import` (on a station with no user yet, the first imports need none)",
    Permission.EXPORT: "`export`, `export --rewrite`, `export-key`",
    Permission.AUTHORISE: "giving a `--manager` override",
    Permission.RECONCILE: "`reconcile` (CMIS's clearing result)",
    Permission.OPEN_DRAWER: "`drawer` (opening the drawer outside a cash payment)",
    Permission.BACKUP: "`backup` (a backup asked for by a person; the one after an export comes with the export)",
    Permission.MANAGE_USERS: "`users add/lock/unlock/passwd NAME` (the first admin of an empty station needs no user)",
    Permission.SETTINGS: "`printer-config` with a change, the window's settings",
    Permission.RESTORE: "`restore`, `anchor-rebuild` (docs/recovery.md)",
    Permission.COLLECT_LOST: "`collect --manager` of a bill whose payment a restore lost",
}


def role_matrix_markdown() -> str:
    """The role matrix as a Markdown table (docs/ledger.md shows exactly this)."""
    roles = (Role.CASHIER, Role.MANAGER, Role.ADMIN)
    lines = ["| permission | " + " | ".join(r.value for r in roles) + " | guards |",
             "|---|" + "---|" * len(roles) + "---|"]
    for perm in Permission:
        marks = " | ".join("yes" if perm in PERMISSIONS[r] else "-" for r in roles)
        lines.append(f"| {perm.value} | {marks} | {PERMISSION_USES[perm]} |")
    return "\n".join(lines)


def minimum_role(permission: Permission | str) -> Role:
    for role in (Role.CASHIER, Role.MANAGER, Role.ADMIN):
        if Permission(permission) in PERMISSIONS[role]:
            return role
    return Role.ADMIN


@dataclass(frozen=True, slots=True)
class User:
    """A station user as the services see it (never carries the password hash)."""

    id: int
    username: str
    full_name: str
    role: Role
    cashier_code: str = ""  # MA_TNGAN
    active: bool = True
    locked: bool = False  # locked by an admin
    locked_until: datetime | None = None  # locked after repeated failures
    failed_attempts: int = 0
    created_at: datetime | None = None

    def can(self, permission: Permission | str) -> bool:
        return self.active and has_permission(self.role, permission)

    def require(self, permission: Permission | str) -> None:
        if not self.can(permission):
            perm = Permission(permission)
            raise PermissionDenied(
                "ledger.permission",
                user=self.username,
                role=self.role.value,
                action=perm.value,
                action_vi=PERMISSION_VI[perm],
            )


@dataclass(frozen=True, slots=True)
class Approval:
    """A manager's authorisation of one action for a cashier (recorded as an override)."""

    approver: User
    permission: Permission
    for_user_id: int
    override_id: int
    reason: str = ""
