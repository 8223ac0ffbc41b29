"""Users and manager overrides on the station's SQLite database (implements
``services.ports.users.UserStore``); each write is one transaction with its journal entry."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from cashier.core.clock import iso, parse_iso
from cashier.core.errors import Conflict, NotFound, PermissionDenied
from cashier.core.ledger import Role, User
from cashier.db.journal_payloads import user_payload
from cashier.db.sqlite.journal import SqliteJournal
from cashier.db.sqlite.rows import row, rows

_USER_COLS = (
    "id, username, full_name, role, cashier_code, active, locked, locked_until, "
    "failed_attempts, created_at, password_hash"
)
_UPDATABLE = {"full_name", "role", "cashier_code", "password_hash", "active", "locked", "locked_until", "failed_attempts"}


def _user(r: Any) -> User:
    return User(
        id=r.id,
        username=r.username,
        full_name=r.full_name,
        role=Role(r.role),
        cashier_code=r.cashier_code,
        active=bool(r.active),
        locked=bool(r.locked),
        locked_until=parse_iso(r.locked_until) if r.locked_until else None,
        failed_attempts=r.failed_attempts,
        created_at=parse_iso(r.created_at) if r.created_at else None,
    )


def _by_id(conn: sqlite3.Connection, user_id: int) -> Any | None:
    return row(conn, f"SELECT {_USER_COLS} FROM app_user WHERE id = ?", (user_id,))


class SqliteUsers:
    def __init__(self, journal: SqliteJournal) -> None:
        self._j = journal

    def count_users(self) -> int:
        return self._j.conn().execute("SELECT count(*) FROM app_user").fetchone()[0]

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
        t = iso(ts)
        with self._j.tx() as conn:
            if only_if_empty and conn.execute("SELECT count(*) FROM app_user").fetchone()[0]:
                raise PermissionDenied("users.not_first")
            if conn.execute("SELECT 1 FROM app_user WHERE username = ?", (username,)).fetchone():
                raise Conflict("users.exists", username=username)
            cur = conn.execute(
                "INSERT INTO app_user(username, full_name, role, cashier_code, password_hash, "
                "active, locked, locked_until, failed_attempts, created_at, updated_at) "
                "VALUES (?,?,?,?,?,1,0,NULL,0,?,?)",
                (username, full_name, role.value, cashier_code, password_hash, t, t),
            )
            user = _user(_by_id(conn, int(cur.lastrowid or 0)))
            self._j.append(conn, "user", user_payload(user, "add", actor.id if actor else None, password_hash), t)
        return user

    def user_by_name(self, username: str) -> tuple[User, str] | None:
        r = row(self._j.conn(), f"SELECT {_USER_COLS} FROM app_user WHERE username = ?", (username,))
        return (_user(r), r.password_hash) if r else None

    def user_by_id(self, user_id: int) -> User | None:
        r = _by_id(self._j.conn(), user_id)
        return _user(r) if r else None

    def list_users(self) -> list[User]:
        return [_user(r) for r in rows(self._j.conn(), f"SELECT {_USER_COLS} FROM app_user ORDER BY username")]

    def login_failed(
        self, user_id: int, ts: datetime, lock_until: datetime | None, *, station: str, restart: bool = False
    ) -> User:
        t = iso(ts)
        with self._j.tx() as conn:
            conn.execute(
                "UPDATE app_user SET failed_attempts = CASE WHEN ? THEN 1 ELSE failed_attempts + 1 END, "
                "locked_until = CASE WHEN ? THEN NULL ELSE locked_until END, updated_at = ? WHERE id = ?",
                (int(restart), int(restart), t, user_id),
            )
            if lock_until is not None:
                conn.execute("UPDATE app_user SET locked_until = ? WHERE id = ?", (iso(lock_until), user_id))
            r = _by_id(conn, user_id)
            if r is None:
                raise NotFound("users.unknown", username=str(user_id))
            user = _user(r)
            if lock_until is not None:
                payload = user_payload(user, "locked_failures", None, r.password_hash, until=iso(lock_until))
                self._j.append(conn, "user", payload, t)
        return user

    def login_succeeded(self, user_id: int, new_hash: str | None, ts: datetime, *, station: str) -> None:
        with self._j.tx() as conn:
            conn.execute(
                "UPDATE app_user SET failed_attempts = 0, locked_until = NULL WHERE id = ? "
                "AND (failed_attempts != 0 OR locked_until IS NOT NULL)",
                (user_id,),
            )
            if new_hash:
                conn.execute("UPDATE app_user SET password_hash = ? WHERE id = ?", (new_hash, user_id))
                r = _by_id(conn, user_id)
                if r is not None:
                    self._j.append(conn, "user", user_payload(_user(r), "rehash", user_id, new_hash), iso(ts))

    def update_user(
        self, user_id: int, *, station: str, actor: User, ts: datetime, event: str, **changes: Any
    ) -> User:
        bad = set(changes) - _UPDATABLE
        if bad:
            raise ValueError(f"cannot update {sorted(bad)}")
        t = iso(ts)
        with self._j.tx() as conn:
            if conn.execute("SELECT 1 FROM app_user WHERE id = ?", (user_id,)).fetchone() is None:
                raise NotFound("users.unknown", username=str(user_id))
            for col, value in changes.items():
                if isinstance(value, Role):
                    value = value.value
                elif isinstance(value, datetime):
                    value = iso(value)
                conn.execute(f"UPDATE app_user SET {col} = ?, updated_at = ? WHERE id = ?", (value, t, user_id))
            r = _by_id(conn, user_id)
            assert r is not None  # checked above, in the same transaction
            user = _user(r)
            self._j.append(conn, "user", user_payload(user, event, actor.id, r.password_hash), t)
        return user

    def add_override(
        self, *, station: str, permission: str, approver: User, for_user: User, reason: str, ts: datetime
    ) -> int:
        t = iso(ts)
        with self._j.tx() as conn:
            next_seq = conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM journal_entry").fetchone()[0]
            cur = conn.execute(
                "INSERT INTO override(permission, approver_id, for_user_id, reason, created_at, journal_seq) "
                "VALUES (?,?,?,?,?,?)",
                (permission, approver.id, for_user.id, reason, t, next_seq),
            )
            oid = int(cur.lastrowid or 0)
            entry = self._j.append(
                conn,
                "override",
                {
                    "override": oid,
                    "permission": permission,
                    "approver": approver.id,
                    "approver_username": approver.username,
                    "for_user": for_user.id,
                    "reason": reason,
                },
                t,
            )
            conn.execute("UPDATE override SET journal_seq = ? WHERE id = ?", (entry.seq, oid))
        return oid
