"""Users and shifts on the PostgreSQL server (the LedgerStore's user and shift methods).

Users are the collection point's (one ``app_user`` table: a cashier may work at any counter);
shifts are per station (``shift_one_open``: one open shift per station, whatever two PCs do;
Z numbers from the station's gapless ``counter`` row, unique per station). Every write appends
its entry to this station's journal chain in the same transaction, as on SQLite.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime

import peewee

from cashier.core.clock import iso
from cashier.core.errors import Conflict, NotFound, PermissionDenied
from cashier.core.ledger import Role, Shift, ShiftStatus, ShiftTotals, User
from cashier.db.postgres.pg_base import PgStoreBase, constraint_of
from cashier.db.postgres.rows import (
    CASH_PART_SQL,
    SHIFT_COLS,
    TRANSFER_PART_SQL,
    USER_COLS,
    password_fingerprint,
)
from cashier.db.postgres.rows import shift as _shift
from cashier.db.postgres.rows import user as _user

_UPDATABLE = {"full_name", "role", "cashier_code", "password_hash", "active", "locked", "locked_until",
              "failed_attempts"}


def user_payload(u: User, event: str, actor_id: int | None, pw_hash: str = "", **extra: object) -> dict:
    return {"pw": password_fingerprint(pw_hash), "event": event, "user": u.id, "username": u.username,
            "role": u.role.value, "code": u.cashier_code, "active": u.active, "locked": u.locked,
            "by": actor_id, **extra}


class PgPeopleMixin(PgStoreBase):
    # -- users ----------------------------------------------------------------------------
    def _user_row(self, user_id: int) -> User:
        row = self._q1(f"SELECT {USER_COLS} FROM app_user WHERE id = %s", (user_id,))
        if row is None:
            raise NotFound("users.unknown", username=str(user_id))
        return _user(row)

    def count_users(self) -> int:
        return int(self._q1("SELECT count(*) FROM app_user")[0])  # type: ignore[index]

    def add_user(self, *, station: str | None = None, username: str, full_name: str, role: Role, cashier_code: str, password_hash: str,
                 actor: User | None, ts: datetime, only_if_empty: bool = False) -> User:
        t = iso(ts)
        try:
            with self._tx():
                if only_if_empty:
                    # the first user of an empty server: one at a time across counters
                    self._x("LOCK TABLE app_user IN SHARE ROW EXCLUSIVE MODE")
                    if self._q1("SELECT count(*) FROM app_user")[0]:  # type: ignore[index]
                        raise PermissionDenied("users.not_first")
                row = self._q1(
                    "INSERT INTO app_user (username, full_name, role, cashier_code, password_hash, created_at, "
                    f"updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING {USER_COLS}",
                    (username, full_name, role.value, cashier_code, password_hash, t, t))
                user = _user(row)  # type: ignore[arg-type]  # INSERT ... RETURNING: one row
                self._append("user", user_payload(user, "add", actor.id if actor else None, password_hash), t,
                             station=station)
        except peewee.IntegrityError as exc:
            if constraint_of(exc) == "app_user_username_key":
                raise Conflict("users.exists", username=username) from exc
            raise
        return user

    def user_by_name(self, username: str) -> tuple[User, str] | None:
        r = self._q1(f"SELECT {USER_COLS}, password_hash FROM app_user WHERE username = %s", (username,))
        return (_user(r), r[10]) if r else None

    def user_by_id(self, user_id: int) -> User | None:
        r = self._q1(f"SELECT {USER_COLS} FROM app_user WHERE id = %s", (user_id,))
        return _user(r) if r else None

    def list_users(self) -> list[User]:
        return [_user(r) for r in self._q(f"SELECT {USER_COLS} FROM app_user ORDER BY username")]

    def login_failed(self, user_id: int, ts: datetime, lock_until: datetime | None, *, station: str | None = None,
                     restart: bool = False) -> User:
        t = iso(ts)
        with self._tx():
            self._x("UPDATE app_user SET failed_attempts = CASE WHEN %s THEN 1 ELSE failed_attempts + 1 END, "
                    "locked_until = CASE WHEN %s THEN NULL ELSE locked_until END, updated_at = %s WHERE id = %s",
                    (restart, restart, t, user_id))
            if lock_until is not None:
                self._x("UPDATE app_user SET locked_until = %s WHERE id = %s", (iso(lock_until), user_id))
            user = self._user_row(user_id)
            if lock_until is not None:
                pw = self._q1("SELECT password_hash FROM app_user WHERE id = %s", (user_id,))[0]  # type: ignore[index]
                self._append("user", user_payload(user, "locked_failures", None, pw, until=iso(lock_until)), t,
                             station=station)
        return user

    def login_succeeded(self, user_id: int, new_hash: str | None, ts: datetime | None = None, *,
                        station: str | None = None) -> None:
        with self._tx():
            self._x("UPDATE app_user SET failed_attempts = 0, locked_until = NULL WHERE id = %s "
                    "AND (failed_attempts <> 0 OR locked_until IS NOT NULL)", (user_id,))
            if new_hash:
                self._x("UPDATE app_user SET password_hash = %s WHERE id = %s", (new_hash, user_id))
                user = self._user_row(user_id)
                t = iso(ts) if ts else user.created_at.isoformat() if user.created_at else ""
                self._append("user", user_payload(user, "rehash", user_id, new_hash), t, station=station)

    def update_user(self, user_id: int, *, station: str | None = None, actor: User, ts: datetime, event: str,
                    **changes: object) -> User:
        bad = set(changes) - _UPDATABLE
        if bad:
            raise ValueError(f"cannot update {sorted(bad)}")
        t = iso(ts)
        with self._tx():
            self._user_row(user_id)
            for col, value in changes.items():
                if isinstance(value, Role):
                    value = value.value
                elif isinstance(value, datetime):
                    value = iso(value)
                self._x(f"UPDATE app_user SET {col} = %s, updated_at = %s WHERE id = %s", (value, t, user_id))
            pw = self._q1("SELECT password_hash FROM app_user WHERE id = %s", (user_id,))[0]  # type: ignore[index]
            user = self._user_row(user_id)
            self._append("user", user_payload(user, event, actor.id, pw), t, station=station)
        return user

    def add_override(self, *, station: str | None = None, permission: str, approver: User, for_user: User, reason: str, ts: datetime) -> int:
        t = iso(ts)
        with self._tx():
            oid = int(self._q1(
                "INSERT INTO override (permission, approver_id, for_user_id, reason, created_at, station, journal_seq) "
                "VALUES (%s, %s, %s, %s, %s, %s, 0) RETURNING id",
                (permission, approver.id, for_user.id, reason, t, station or self.station))[0])  # type: ignore[index]
            entry = self._append("override", {"override": oid, "permission": permission, "approver": approver.id,
                                              "approver_username": approver.username, "for_user": for_user.id,
                                              "reason": reason}, t, station=station)
            self._x("UPDATE override SET journal_seq = %s WHERE id = %s", (entry.seq, oid))
        return oid

    # -- shifts ---------------------------------------------------------------------------
    def _shift_where(self, where: str, params: tuple, tail: str = "") -> Shift | None:
        r = self._q1(f"SELECT {SHIFT_COLS} FROM shift s JOIN app_user u ON u.id = s.user_id WHERE {where} {tail}",
                     params)
        return _shift(r) if r else None

    def open_shift(self, *, station: str, user: User, opening_float: int, ts: datetime) -> Shift:
        t = iso(ts)
        try:
            with self._tx():
                sid = int(self._q1("INSERT INTO shift (station, user_id, opened_at, opening_float) "
                                   "VALUES (%s, %s, %s, %s) RETURNING id",
                                   (station, user.id, t, opening_float))[0])  # type: ignore[index]
                self._append("shift_open", {"shift": sid, "station": station, "user": user.id,
                                            "float": opening_float}, t, station=station)
        except peewee.IntegrityError as exc:
            if constraint_of(exc) != "shift_one_open":
                raise
            cur = self.current_shift(station)
            raise Conflict("shift.already_open", station=station, user=cur.username if cur else "?") from exc
        return self.shift(sid)  # type: ignore[return-value]

    def current_shift(self, station: str) -> Shift | None:
        return self._shift_where("s.station = %s AND s.closed_at IS NULL", (station,))

    def shift(self, shift_id: int) -> Shift | None:
        return self._shift_where("s.id = %s", (shift_id,))

    def last_closed_shift(self, station: str) -> Shift | None:
        return self._shift_where("s.station = %s AND s.closed_at IS NOT NULL", (station,),
                                 "ORDER BY s.z_number DESC LIMIT 1")

    def shift_totals(self, shift_id: int) -> ShiftTotals:
        r = self._q1(f"SELECT count(*), coalesce(sum({CASH_PART_SQL}), 0), coalesce(sum({TRANSFER_PART_SQL}), 0), "
                     "(SELECT coalesce(sum(print_count - 1), 0) FROM payment WHERE shift_id = %s) "
                     "FROM payment p WHERE shift_id = %s AND status = 'active'", (shift_id, shift_id))
        lines = self._q1("SELECT count(*) FILTER (WHERE l.kind = 'bill' AND l.settles), "
                         "coalesce(sum(l.amount) FILTER (WHERE l.kind = 'reconnection_fee'), 0) "
                         "FROM payment_line l JOIN payment p ON p.id = l.payment_id "
                         "WHERE p.shift_id = %s AND p.status = 'active'", (shift_id,))
        voids = self._q1("SELECT count(*), coalesce(sum(total), 0) FROM payment WHERE shift_id = %s "
                         "AND status = 'voided'", (shift_id,))
        refunds = self._q1(f"SELECT coalesce(sum({CASH_PART_SQL}), 0) FROM void v JOIN payment p ON p.id = v.payment_id "
                           "WHERE v.shift_id = %s AND p.shift_id <> %s AND p.method = 'cash'", (shift_id, shift_id))
        assert r and lines and voids and refunds
        return ShiftTotals(payments=int(r[0]), cash_total=int(r[1]), transfer_total=int(r[2]), reprints=int(r[3]),
                           bills=int(lines[0]), reconnection_fees=int(lines[1]), voids=int(voids[0]),
                           voided_total=int(voids[1]), refunds_cash=int(refunds[0]))

    def close_shift(self, *, shift_id: int, closed_by: User, counts: Mapping[int, int], ts: datetime,
                    decide: Callable[[Shift, ShiftTotals], tuple[int, int, User | None]]) -> Shift:
        t = iso(ts)
        with self._tx():
            locked = self._q1("SELECT id FROM shift WHERE id = %s AND closed_at IS NULL FOR UPDATE", (shift_id,))
            shift = self.shift(shift_id)
            if locked is None or shift is None or shift.status is ShiftStatus.CLOSED:
                raise Conflict("shift.closed", shift=shift_id)
            totals = self.shift_totals(shift_id)
            expected, counted, approver = decide(shift, totals)
            variance = counted - expected
            z = int(self._q1("INSERT INTO counter (station, name, value) VALUES (%s, 'z', 1) ON CONFLICT (station, name) "
                             "DO UPDATE SET value = counter.value + 1 RETURNING value", (shift.station,))[0])  # type: ignore[index]
            counts_json = json.dumps({str(k): v for k, v in sorted(counts.items(), reverse=True)})
            self._x("UPDATE shift SET closed_at = %s, counts = %s, counted = %s, expected = %s, variance = %s, "
                    "z_number = %s, closed_by = %s, approved_by = %s WHERE id = %s",
                    (t, counts_json, counted, expected, variance, z, closed_by.id,
                     approver.id if approver else None, shift_id))
            self._append("shift_close", {"shift": shift_id, "station": shift.station, "z": z,
                                         "counts": json.loads(counts_json), "counted": counted, "expected": expected,
                                         "variance": variance, "closed_by": closed_by.id,
                                         "approved_by": approver.id if approver else None}, t, station=shift.station)
        return self.shift(shift_id)  # type: ignore[return-value]
