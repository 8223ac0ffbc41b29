"""Port of the users aggregate (cashiers, managers, admins) and manager overrides.

Users are shared by every station of a database; ``station`` on a write names the station whose
journal chain records the change (each write is ONE transaction with its journal entry; the
journal payload carries a fingerprint of the password hash, never the hash).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from cashier.core.ledger import Role, User


class UserStore(Protocol):
    def count_users(self) -> int: ...

    def add_user(
        self,
        *,
        station: str,
        username: str,
        full_name: str,
        role: Role,
        cashier_code: str,
        password_hash: str,
        actor: User | None,
        ts: datetime,
        only_if_empty: bool = False,
    ) -> User:
        """Add an active, unlocked user (journalled ``user``/``add``).

        Raises Conflict ``users.exists`` (username taken: the unique constraint decides) and,
        with ``only_if_empty``, PermissionDenied ``users.not_first`` when a user exists already
        (checked under the write lock: two first-admin setups cannot both win)."""
        ...

    def user_by_name(self, username: str) -> tuple[User, str] | None:
        """(user, password hash) or None."""
        ...

    def user_by_id(self, user_id: int) -> User | None: ...

    def list_users(self) -> list[User]:
        """Every user, by username."""
        ...

    def login_failed(
        self, user_id: int, ts: datetime, lock_until: datetime | None, *, station: str, restart: bool = False
    ) -> User:
        """Count one failed login (``restart``: the count starts again at 1 after an expired
        lock); with ``lock_until`` also lock the user until then (journalled
        ``locked_failures``). One transaction; returns the user as now stored."""
        ...

    def login_succeeded(self, user_id: int, new_hash: str | None, ts: datetime, *, station: str) -> None:
        """Reset the failure count and lock; with ``new_hash`` store the re-hashed password
        (journalled ``rehash``). One transaction."""
        ...

    def update_user(
        self, user_id: int, *, station: str, actor: User, ts: datetime, event: str, **changes: Any
    ) -> User:
        """Change columns of a user and journal ``event`` - one transaction. Allowed keys:
        full_name, role, cashier_code, password_hash, active, locked, locked_until,
        failed_attempts (another key: ValueError, a programming error). Raises NotFound
        ``users.unknown``."""
        ...

    def add_override(
        self, *, station: str, permission: str, approver: User, for_user: User, reason: str, ts: datetime
    ) -> int:
        """Record a manager's approval of one action (journalled ``override``); returns its id."""
        ...
