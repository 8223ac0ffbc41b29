"""Shifts on the station's SQLite database (implements ``services.ports.shifts.ShiftStore``).

One open shift per station is the partial unique index ``shift_one_open``; Z numbers come from
the per-station counter inside the closing transaction (``shift_z_number`` keeps them unique).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from cashier.core.clock import iso, parse_iso
from cashier.core.errors import Conflict
from cashier.core.ledger import Shift, ShiftStatus, ShiftTotals, User
from cashier.db.sqlite.journal import SqliteJournal, next_counter
from cashier.db.sqlite.payment_rows import CASH_PART_SQL, TRANSFER_PART_SQL
from cashier.db.sqlite.rows import row
from cashier.services.ports.shifts import CloseDecision

_SHIFT_SQL = (
    "SELECT s.id, s.station, s.user_id, u.username, s.opened_at, s.opening_float, s.closed_at, s.counts, "
    "s.counted, s.expected, s.variance, s.z_number, s.closed_by, s.approved_by "
    "FROM shift s JOIN app_user u ON u.id = s.user_id"
)


def _shift(r: Any) -> Shift:
    closed_at = r.closed_at
    return Shift(
        id=r.id,
        station=r.station,
        user_id=r.user_id,
        username=r.username,
        opened_at=parse_iso(r.opened_at),
        opening_float=r.opening_float,
        status=ShiftStatus.OPEN if closed_at is None else ShiftStatus.CLOSED,
        closed_at=parse_iso(closed_at) if closed_at else None,
        counts={int(k): int(v) for k, v in json.loads(r.counts).items()} if r.counts else {},
        counted=r.counted,
        expected=r.expected,
        variance=r.variance,
        z_number=r.z_number,
        closed_by=r.closed_by,
        approved_by=r.approved_by,
    )


def _current(conn: sqlite3.Connection, station: str) -> Shift | None:
    r = row(conn, f"{_SHIFT_SQL} WHERE s.station = ? AND s.closed_at IS NULL", (station,))
    return _shift(r) if r else None


def _by_id(conn: sqlite3.Connection, shift_id: int) -> Shift | None:
    r = row(conn, f"{_SHIFT_SQL} WHERE s.id = ?", (shift_id,))
    return _shift(r) if r else None


def shift_totals(conn: sqlite3.Connection, shift_id: int) -> ShiftTotals:
    r = row(
        conn,
        "SELECT count(*) AS payments, "
        f"coalesce(sum({CASH_PART_SQL}), 0) AS cash, coalesce(sum({TRANSFER_PART_SQL}), 0) AS transfer, "
        "(SELECT coalesce(sum(print_count - 1), 0) FROM payment WHERE shift_id = ?1) AS reprints "
        "FROM payment p WHERE shift_id = ?1 AND status = 'active'",
        (shift_id,),
    )
    lines = row(
        conn,
        "SELECT coalesce(sum(CASE WHEN l.kind='bill' AND l.settles=1 THEN 1 END), 0) AS bills, "
        "coalesce(sum(CASE WHEN l.kind='reconnection_fee' THEN l.amount END), 0) AS fees "
        "FROM payment_line l JOIN payment p ON p.id = l.payment_id WHERE p.shift_id = ? AND p.status = 'active'",
        (shift_id,),
    )
    voids = row(
        conn,
        "SELECT count(*) AS n, coalesce(sum(total), 0) AS total FROM payment WHERE shift_id = ? AND status = 'voided'",
        (shift_id,),
    )
    refunds = conn.execute(
        f"SELECT coalesce(sum({CASH_PART_SQL}), 0) FROM void v JOIN payment p ON p.id = v.payment_id "
        "WHERE v.shift_id = ? AND p.shift_id != ? AND p.method = 'cash'",
        (shift_id, shift_id),
    ).fetchone()[0]
    assert r is not None and lines is not None and voids is not None  # aggregates always give a row
    return ShiftTotals(
        payments=r.payments,
        cash_total=r.cash,
        transfer_total=r.transfer,
        reprints=r.reprints,
        bills=lines.bills,
        reconnection_fees=lines.fees,
        voids=voids.n,
        voided_total=voids.total,
        refunds_cash=refunds,
    )


class SqliteShifts:
    def __init__(self, journal: SqliteJournal) -> None:
        self._j = journal

    def open_shift(self, *, station: str, user: User, opening_float: int, ts: datetime) -> Shift:
        t = iso(ts)
        with self._j.tx() as conn:
            cur_open = _current(conn, station)
            if cur_open is not None:
                raise Conflict("shift.already_open", station=station, user=cur_open.username)
            sid = conn.execute(
                "INSERT INTO shift(station, user_id, opened_at, opening_float) VALUES (?,?,?,?)",
                (station, user.id, t, opening_float),
            ).lastrowid
            payload = {"shift": sid, "station": station, "user": user.id, "float": opening_float}
            self._j.append(conn, "shift_open", payload, t)
            return _by_id(conn, int(sid or 0))  # type: ignore[return-value]

    def current_shift(self, station: str) -> Shift | None:
        return _current(self._j.conn(), station)

    def shift(self, shift_id: int) -> Shift | None:
        return _by_id(self._j.conn(), shift_id)

    def last_closed_shift(self, station: str) -> Shift | None:
        r = row(
            self._j.conn(),
            f"{_SHIFT_SQL} WHERE s.station = ? AND s.closed_at IS NOT NULL ORDER BY s.z_number DESC LIMIT 1",
            (station,),
        )
        return _shift(r) if r else None

    def shift_totals(self, shift_id: int) -> ShiftTotals:
        return shift_totals(self._j.conn(), shift_id)

    def close_shift(
        self,
        *,
        shift_id: int,
        closed_by: User,
        counts: Mapping[int, int],
        ts: datetime,
        decide: CloseDecision,
    ) -> Shift:
        t = iso(ts)
        with self._j.tx() as conn:
            shift = _by_id(conn, shift_id)
            if shift is None or shift.status is ShiftStatus.CLOSED:
                raise Conflict("shift.closed", shift=shift_id)
            expected, counted, approver = decide(shift, shift_totals(conn, shift_id))
            variance = counted - expected
            z = next_counter(conn, shift.station, "z")
            counts_json = json.dumps({str(k): v for k, v in sorted(counts.items(), reverse=True)})
            approved_by = approver.id if approver else None
            conn.execute(
                "UPDATE shift SET closed_at = ?, counts = ?, counted = ?, expected = ?, variance = ?, "
                "z_number = ?, closed_by = ?, approved_by = ? WHERE id = ?",
                (t, counts_json, counted, expected, variance, z, closed_by.id, approved_by, shift_id),
            )
            payload = {
                "shift": shift_id, "station": shift.station, "z": z, "counts": json.loads(counts_json),
                "counted": counted, "expected": expected, "variance": variance, "closed_by": closed_by.id,
                "approved_by": approved_by,
            }  # fmt: skip
            self._j.append(conn, "shift_close", payload, t)
            return _by_id(conn, shift_id)  # type: ignore[return-value]
