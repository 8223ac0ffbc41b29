"""SQLite implementation of ``services.ledger_ports.LedgerStore``.

Every money write is ONE ``db.atomic("IMMEDIATE")`` transaction that takes the write lock first,
re-reads what it depends on, and writes the row(s), the gapless counter and the journal entry
together: after a crash either all of it is there or none of it is. The hot path (a payment)
uses raw SQL on the peewee connection (DESIGN.md §4: peewee p99 2.4 ms vs raw 0.8 ms).
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

import peewee

from cashier.core import journal as jr
from cashier.core.clock import iso, parse_iso
from cashier.core.debt import Bill, BillStatus, Customer, TierLine
from cashier.core.errors import Conflict, IntegrityError, NotFound, PermissionDenied
from cashier.core.ledger import (
    CustomerSnapshot,
    LedgerSettings,
    LineKind,
    Method,
    OrderStatus,
    Payment,
    PaymentLine,
    PaymentPlan,
    PaymentRequest,
    PaymentStatus,
    ReconnectionOrder,
    Role,
    Shift,
    ShiftStatus,
    ShiftTotals,
    User,
    Void,
)
from cashier.core.messages import Message
from cashier.db import sqlite_errors
from cashier.db.basket_store import BasketStoreMixin

_USER_COLS = (
    "id, username, full_name, role, cashier_code, active, locked, locked_until, "
    "failed_attempts, created_at"
)
_PAYMENT_COLS = (
    "p.id, p.receipt_no, p.station, p.shift_id, p.cashier_id, p.cashier_username, p.cashier_name, "
    "p.cashier_code, p.customer_code, p.customer_name, p.customer_address, p.customer_book, "
    "p.customer_book_pos, p.customer_phone, p.customer_unit, p.total, p.tendered, "
    "p.change_amount, p.method, p.bank_ref, p.created_at, p.status, p.print_count, p.printed, "
    "p.journal_seq, p.verification, p.idempotency_key, p.exported_batch, "
    "p.void_exported_batch, v.created_at, v.reason, p.transfer_amount"
)
#: the cash drawer's and the bank's part of a payment ``p`` (a split payment is method 'cash')
CASH_PART_SQL = "(CASE WHEN p.method = 'cash' THEN p.total - p.transfer_amount ELSE 0 END)"
TRANSFER_PART_SQL = "(CASE WHEN p.method = 'transfer' THEN p.total ELSE p.transfer_amount END)"
_LINE_COLS = (
    "payment_id, kind, bill_row, bill_id, ky, thang, nam, kwh, bill_amount, vat, bill_total, "
    "series, number, reading_start, reading_end, tiers, amount, settles"
)
_SHIFT_COLS = (
    "s.id, s.station, s.user_id, u.username, s.opened_at, s.opening_float, s.closed_at, s.counts, "
    "s.counted, s.expected, s.variance, s.z_number, s.closed_by, s.approved_by"
)

_SQLITE_INTEGRITY = (sqlite3.IntegrityError, peewee.IntegrityError)

log = logging.getLogger(__name__)

#: the anchor may lag the database by this many entries (a failing keys disk) before the store
#: refuses to write more money: past it, nothing new is acknowledged that the anchor does not hold
ANCHOR_MAX_LAG = 100


def _user(row) -> User:
    return User(
        id=row[0],
        username=row[1],
        full_name=row[2],
        role=Role(row[3]),
        cashier_code=row[4],
        active=bool(row[5]),
        locked=bool(row[6]),
        locked_until=parse_iso(row[7]) if row[7] else None,
        failed_attempts=row[8],
        created_at=parse_iso(row[9]) if row[9] else None,
    )


def _tiers(text: str | None) -> tuple[TierLine, ...]:
    if not text:
        return ()
    try:
        return tuple(TierLine(int(a), int(b), int(c)) for a, b, c in json.loads(text))
    except (ValueError, TypeError):
        return ()


def _tiers_text(tiers: Sequence[TierLine]) -> str | None:
    return json.dumps([[t.kwh, t.price, t.amount] for t in tiers]) if tiers else None


def _line(row) -> PaymentLine:
    return PaymentLine(
        kind=LineKind(row[1]),
        bill_row=row[2],
        bill_id=row[3],
        ky=row[4],
        thang=row[5],
        nam=row[6],
        kwh=row[7],
        bill_amount=row[8],
        vat=row[9],
        bill_total=row[10],
        series=row[11],
        number=row[12],
        reading_start=row[13],
        reading_end=row[14],
        tiers=_tiers(row[15]),
        amount=row[16],
        settles=bool(row[17]),
    )


def _payment(row, lines: Sequence[PaymentLine]) -> Payment:
    return Payment(
        id=row[0],
        receipt_no=row[1],
        station=row[2],
        shift_id=row[3],
        cashier_id=row[4],
        cashier_username=row[5],
        cashier_name=row[6],
        cashier_code=row[7],
        customer=CustomerSnapshot(
            code=row[8],
            name=row[9],
            address=row[10],
            book=row[11],
            book_pos=row[12],
            phone=row[13],
            unit_code=row[14],
        ),
        total=row[15],
        tendered=row[16],
        change=row[17],
        method=Method(row[18]),
        bank_ref=row[19],
        created_at=parse_iso(row[20]),
        status=PaymentStatus(row[21]),
        print_count=row[22],
        printed=None if row[23] is None else bool(row[23]),
        journal_seq=row[24],
        verification=row[25],
        idempotency_key=row[26],
        export_batch=row[27],
        void_export_batch=row[28],
        voided_at=parse_iso(row[29]) if row[29] else None,
        void_reason=row[30] or "",
        transfer_amount=row[31] or 0,
        lines=tuple(lines),
    )


def _shift(row) -> Shift:
    return Shift(
        id=row[0],
        station=row[1],
        user_id=row[2],
        username=row[3],
        opened_at=parse_iso(row[4]),
        opening_float=row[5],
        status=ShiftStatus.OPEN if row[6] is None else ShiftStatus.CLOSED,
        closed_at=parse_iso(row[6]) if row[6] else None,
        counts={int(k): int(v) for k, v in json.loads(row[7]).items()} if row[7] else {},
        counted=row[8],
        expected=row[9],
        variance=row[10],
        z_number=row[11],
        closed_by=row[12],
        approved_by=row[13],
    )


def password_fingerprint(password_hash: str) -> str:
    """Journalled instead of the hash itself: swapping a hash in the database is detected."""
    import hashlib

    return hashlib.sha256(password_hash.encode()).hexdigest()[:16] if password_hash else ""


def payment_payload(p: Payment) -> dict:
    """The journal payload of a payment (what verify compares the payment row against)."""
    return {
        "receipt": p.receipt_no,
        "station": p.station,
        "shift": p.shift_id,
        "cashier": p.cashier_id,
        "cashier_username": p.cashier_username,
        "cashier_code": p.cashier_code,
        "customer": p.customer.code,
        "customer_name": p.customer.name,
        "lines": [[ln.kind.value, ln.bill_id, ln.amount, ln.settles] for ln in p.lines],
        "total": p.total,
        "tendered": p.tendered,
        "change": p.change,
        "method": p.method.value,
        "bank_ref": p.bank_ref,
        "created_at": iso(p.created_at),
        # a split payment's bank-transfer part (absent otherwise: older entries verify unchanged)
        **({"transfer": p.transfer_amount} if p.transfer_amount else {}),
    }


class SqliteLedgerStore(BasketStoreMixin):
    """The ledger on the station's SQLite database (peewee connection, raw SQL)."""

    def __init__(self, db: peewee.Database, secrets, *, station: str | None = None, anchor=None) -> None:
        self.db = db
        self._secrets = secrets  # services.ledger_ports.SecretStore
        self._station_override = station
        self._secret: bytes | None = None
        self._fp: str | None = None
        #: db.journal_anchor.JournalAnchor (None: a scratch copy, e.g. a backup being checked)
        self.anchor = anchor
        self._anchor_pending = False
        self._anchor_may_create = False

    @contextlib.contextmanager
    def _tx(self):
        """A write transaction (BEGIN IMMEDIATE); once the outermost one has committed, the
        journal entries it wrote are appended to the anchor (after the commit is durable)."""
        with self.db.atomic("IMMEDIATE"):
            yield
        if self._anchor_pending and not self.db.in_transaction():
            self._anchor_pending = False
            self.sync_anchor(quiet=True)

    # -- plumbing -------------------------------------------------------------------------
    def _conn(self) -> sqlite3.Connection:
        return self.db.connection()

    def _q(self, sql: str, params: Sequence = ()) -> list:
        return self._conn().execute(sql, params).fetchall()

    def _q1(self, sql: str, params: Sequence = ()):
        return self._conn().execute(sql, params).fetchone()

    def secret(self, create: bool = True) -> bytes:
        if self._secret is None:
            self._secret = self._secrets.secret(create)
            self._fp = jr.key_fingerprint(self._secret)
        return self._secret

    _SETTING_KEYS = (
        "ledger.station", "station.code", "ledger.reconnection_fee", "ledger.variance_limit",
        "ledger.max_change", "ledger.max_failed_logins", "ledger.lockout_minutes",
        "ledger.min_password_length",
    )

    def settings(self) -> LedgerSettings:
        """The ledger's settings (one query; read each time so a change made elsewhere counts)."""
        d = LedgerSettings()
        marks = ",".join("?" * len(self._SETTING_KEYS))
        values = {}
        for key, raw in self._q(f'SELECT key, value FROM "setting" WHERE key IN ({marks})', self._SETTING_KEYS):
            try:
                values[key] = json.loads(raw)
            except ValueError:
                values[key] = raw

        def num(key: str, default: int) -> int:
            try:
                return int(values.get(key, default))
            except (TypeError, ValueError):
                return default

        station = self._station_override or values.get("ledger.station") or values.get("station.code") or d.station
        return LedgerSettings(
            station=str(station),
            reconnection_fee=num("ledger.reconnection_fee", d.reconnection_fee),
            variance_limit=num("ledger.variance_limit", d.variance_limit),
            max_change=num("ledger.max_change", d.max_change),
            max_failed_logins=num("ledger.max_failed_logins", d.max_failed_logins),
            lockout_minutes=num("ledger.lockout_minutes", d.lockout_minutes),
            min_password_length=num("ledger.min_password_length", d.min_password_length),
        )

    def set_setting(self, key: str, value) -> None:
        with self._tx():
            self._conn().execute(
                'INSERT INTO "setting"(key, value) VALUES (?, ?) '
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value)),
            )

    # -- journal --------------------------------------------------------------------------
    def _append(self, conn: sqlite3.Connection, kind: str, payload: dict, ts: str) -> jr.Entry:
        """Append one entry; the caller holds the write transaction."""
        head = conn.execute("SELECT seq, hash, key_fp FROM journal_head WHERE id = 1").fetchone()
        secret = self.secret(create=head is None)
        if head is None:
            last = conn.execute("SELECT max(seq) FROM journal_entry").fetchone()[0]
            if last:
                raise IntegrityError("journal.head", seq=last)
            seq, prev = 1, jr.GENESIS
        else:
            if head[2] != self._fp:
                raise IntegrityError("journal.wrong_key")
            seq, prev = head[0] + 1, head[1]
        if self.anchor is not None:
            self._check_anchor(conn, seq - 1, prev)
        entry = jr.make_entry(secret, seq, ts, kind, payload, prev)
        conn.execute(
            "INSERT INTO journal_entry(seq, ts, kind, payload, prev_hash, hash) VALUES (?,?,?,?,?,?)",
            (entry.seq, entry.ts, entry.kind, entry.payload, entry.prev_hash, entry.hash),
        )
        conn.execute(
            "INSERT INTO journal_head(id, seq, hash, mac, key_fp) VALUES (1, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, "
            "mac = excluded.mac, key_fp = excluded.key_fp",
            (entry.seq, entry.hash, jr.head_mac(secret, entry.seq, entry.hash), self._fp),
        )
        return entry

    def _check_anchor(self, conn: sqlite3.Connection, head_seq: int, head_hash: str) -> None:
        """Before a new entry: the database must not be behind its anchor (rolled back), nor of
        another history; an anchor lagging a little (crash after commit) is healed afterwards."""
        tail = self.anchor.tail()
        if tail is None:
            if head_seq == 0:
                self._anchor_may_create = True
            else:
                raise IntegrityError("journal.anchor_missing", path=str(self.anchor.path), seq=head_seq)
        else:
            aseq, ahash = tail
            if aseq < 0:
                raise IntegrityError("journal.anchor_altered", seq="?", detail="last line unreadable")
            if aseq > head_seq:
                raise IntegrityError(
                    "journal.rolled_back", first=head_seq + 1, last=aseq, receipts=self._anchor_receipts(head_seq)
                )
            if aseq == head_seq and ahash != head_hash:
                raise IntegrityError("journal.anchor_fork", seq=aseq)
            if aseq < head_seq:
                if head_seq - aseq > ANCHOR_MAX_LAG:
                    raise IntegrityError("journal.anchor_behind", seq=aseq + 1, detail="anchor not writable?")
                if aseq > 0:
                    row = conn.execute("SELECT hash FROM journal_entry WHERE seq = ?", (aseq,)).fetchone()
                    if row is None or row[0] != ahash:
                        raise IntegrityError("journal.anchor_fork", seq=aseq)
        self._anchor_pending = True

    def _anchor_receipts(self, after: int, limit: int = 20) -> str:
        """The receipts the anchor holds beyond entry ``after`` (for the rollback refusal)."""
        found: list[str] = []
        try:
            for e in self.anchor.iter_entries():
                if e.seq > after and e.kind == "payment":
                    found.append(json.loads(e.payload).get("receipt", "?"))
        except (OSError, ValueError):
            return "unreadable anchor"
        shown = ", ".join(found[:limit]) + (f" and {len(found) - limit} more" if len(found) > limit else "")
        return shown or "none"

    def fetch_entries(self, first: int, last: int) -> list[jr.Entry]:
        rows = self._q(
            "SELECT seq, ts, kind, payload, prev_hash, hash FROM journal_entry WHERE seq BETWEEN ? AND ? "
            "ORDER BY seq",
            (first, last),
        )
        return [jr.Entry(*r) for r in rows]

    def sync_anchor(self, *, quiet: bool = False) -> int | None:
        """Bring the anchor up to the committed database (after each commit, at start, in verify).
        Never writes an anchor for a database that is behind it. ``quiet``: a failure is logged
        (the payment is committed; the next write or verify heals or reports)."""
        if self.anchor is None or self.db.in_transaction():
            return None  # inside a transaction the journal may still roll back: never anchor that
        try:
            head = self.journal_head()
            head_seq = head[0] if head else 0
            if not self.anchor.exists():
                if not (self._anchor_may_create or head_seq == 0):
                    raise IntegrityError("journal.anchor_missing", path=str(self.anchor.path), seq=head_seq)
                self.anchor.create()
                self._anchor_may_create = False
            tail = self.anchor.tail()
            if tail is not None and tail[0] >= head_seq:
                return tail[0]
            return self.anchor.sync(head_seq, self.fetch_entries)
        except (IntegrityError, OSError) as exc:
            if not quiet:
                raise
            log.error("journal anchor not written: %s", exc)
            return None

    def rebuild_anchor(self) -> int:
        """Admin's anchor-rebuild: write the anchor again from the database journal."""
        return self.anchor.rebuild(self.iter_journal())

    def append_journal(self, kind: str, payload: dict, ts: datetime) -> int:
        with self._tx():
            return self._append(self._conn(), kind, payload, iso(ts)).seq

    def journal_entries(self) -> list[jr.Entry]:
        rows = self._q("SELECT seq, ts, kind, payload, prev_hash, hash FROM journal_entry ORDER BY seq")
        return [jr.Entry(*r) for r in rows]

    def iter_journal(self, batch: int = 2000):
        """Entries in seq order, streamed (verify reads journals of any length)."""
        cur = self._conn().execute("SELECT seq, ts, kind, payload, prev_hash, hash FROM journal_entry ORDER BY seq")
        while rows := cur.fetchmany(batch):
            for r in rows:
                yield jr.Entry(*r)

    def iter_payment_state(self, batch: int = 1000):
        """(payment row, [lines]) in id order, streamed, for verify's cross-check.

        Row: receipt_no, journal_seq, station, shift_id, cashier_id, cashier_username,
        cashier_code, customer_code, customer_name, total, tendered, change_amount, method,
        bank_ref, created_at, status, print_count, transfer_amount; line: [kind, bill_id, amount,
        settles].
        """
        conn = self._conn()
        last = 0
        while True:
            rows = conn.execute(
                "SELECT id, receipt_no, journal_seq, station, shift_id, cashier_id, cashier_username, "
                "cashier_code, customer_code, customer_name, total, tendered, change_amount, method, "
                "bank_ref, created_at, status, print_count, transfer_amount FROM payment WHERE id > ? "
                "ORDER BY id LIMIT ?",
                (last, batch),
            ).fetchall()
            if not rows:
                return
            lines: dict[int, list] = {r[0]: [] for r in rows}
            for pid, kind, bill_id, amount, settles in conn.execute(
                "SELECT payment_id, kind, bill_id, amount, settles FROM payment_line "
                "WHERE payment_id BETWEEN ? AND ? ORDER BY payment_id, line_no",
                (rows[0][0], rows[-1][0]),
            ):
                if pid in lines:
                    lines[pid].append([kind, bill_id, amount, bool(settles)])
            for r in rows:
                yield r[1:], lines[r[0]]
            last = rows[-1][0]

    def journal_entry(self, seq: int) -> jr.Entry | None:
        r = self._q1(
            "SELECT seq, ts, kind, payload, prev_hash, hash FROM journal_entry WHERE seq = ?", (seq,)
        )
        return jr.Entry(*r) if r else None

    def journal_head(self) -> tuple[int, str, str, str] | None:
        r = self._q1("SELECT seq, hash, mac, key_fp FROM journal_head WHERE id = 1")
        return tuple(r) if r else None  # type: ignore[return-value]

    def key_fingerprint(self) -> str:
        self.secret()
        return self._fp or ""

    # -- users ----------------------------------------------------------------------------
    def count_users(self) -> int:
        return self._q1("SELECT count(*) FROM app_user")[0]

    @staticmethod
    def _user_payload(u: User, event: str, actor_id: int | None, pw_hash: str = "", **extra) -> dict:
        return {
            "pw": password_fingerprint(pw_hash),
            "event": event,
            "user": u.id,
            "username": u.username,
            "role": u.role.value,
            "code": u.cashier_code,
            "active": u.active,
            "locked": u.locked,
            "by": actor_id,
            **extra,
        }

    def add_user(
        self,
        *,
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
        with self._tx():
            conn = self._conn()
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
            user = _user(
                conn.execute(f"SELECT {_USER_COLS} FROM app_user WHERE id = ?", (cur.lastrowid,)).fetchone()
            )
            self._append(
                conn, "user", self._user_payload(user, "add", actor.id if actor else None, password_hash), t
            )
        return user

    def user_by_name(self, username: str) -> tuple[User, str] | None:
        r = self._q1(f"SELECT {_USER_COLS}, password_hash FROM app_user WHERE username = ?", (username,))
        return (_user(r), r[10]) if r else None

    def user_by_id(self, user_id: int) -> User | None:
        r = self._q1(f"SELECT {_USER_COLS} FROM app_user WHERE id = ?", (user_id,))
        return _user(r) if r else None

    def list_users(self) -> list[User]:
        return [_user(r) for r in self._q(f"SELECT {_USER_COLS} FROM app_user ORDER BY username")]

    def login_failed(self, user_id: int, ts: datetime, lock_until: datetime | None, *, restart: bool = False) -> User:
        """Count a failure (``restart``: the count starts again after an expired lock); with
        ``lock_until`` also lock (journalled)."""
        t = iso(ts)
        with self._tx():
            conn = self._conn()
            conn.execute(
                "UPDATE app_user SET failed_attempts = CASE WHEN ? THEN 1 ELSE failed_attempts + 1 END, "
                "locked_until = CASE WHEN ? THEN NULL ELSE locked_until END, updated_at = ? WHERE id = ?",
                (int(restart), int(restart), t, user_id),
            )
            if lock_until is not None:
                conn.execute(
                    "UPDATE app_user SET locked_until = ? WHERE id = ?", (iso(lock_until), user_id)
                )
            user = _user(conn.execute(f"SELECT {_USER_COLS} FROM app_user WHERE id = ?", (user_id,)).fetchone())
            if lock_until is not None:
                pw = conn.execute("SELECT password_hash FROM app_user WHERE id = ?", (user_id,)).fetchone()[0]
                self._append(
                    conn,
                    "user",
                    self._user_payload(user, "locked_failures", None, pw, until=iso(lock_until)),
                    t,
                )
        return user

    def login_succeeded(self, user_id: int, new_hash: str | None, ts: datetime | None = None) -> None:
        with self._tx():
            conn = self._conn()
            conn.execute(
                "UPDATE app_user SET failed_attempts = 0, locked_until = NULL WHERE id = ? "
                "AND (failed_attempts != 0 OR locked_until IS NOT NULL)",
                (user_id,),
            )
            if new_hash:
                conn.execute("UPDATE app_user SET password_hash = ? WHERE id = ?", (new_hash, user_id))
                user = _user(conn.execute(f"SELECT {_USER_COLS} FROM app_user WHERE id = ?", (user_id,)).fetchone())
                t = iso(ts) if ts else user.created_at.isoformat() if user.created_at else ""
                self._append(conn, "user", self._user_payload(user, "rehash", user_id, new_hash), t)

    _UPDATABLE = {"full_name", "role", "cashier_code", "password_hash", "active", "locked", "locked_until", "failed_attempts"}

    def update_user(self, user_id: int, *, actor: User, ts: datetime, event: str, **changes) -> User:
        bad = set(changes) - self._UPDATABLE
        if bad:
            raise ValueError(f"cannot update {sorted(bad)}")
        t = iso(ts)
        with self._tx():
            conn = self._conn()
            if conn.execute("SELECT 1 FROM app_user WHERE id = ?", (user_id,)).fetchone() is None:
                raise NotFound("users.unknown", username=str(user_id))
            for col, value in changes.items():
                if isinstance(value, Role):
                    value = value.value
                elif isinstance(value, datetime):
                    value = iso(value)
                conn.execute(f"UPDATE app_user SET {col} = ?, updated_at = ? WHERE id = ?", (value, t, user_id))
            row = conn.execute(f"SELECT {_USER_COLS}, password_hash FROM app_user WHERE id = ?", (user_id,)).fetchone()
            user = _user(row)
            self._append(conn, "user", self._user_payload(user, event, actor.id, row[10]), t)
        return user

    def add_override(
        self, *, permission: str, approver: User, for_user: User, reason: str, ts: datetime
    ) -> int:
        t = iso(ts)
        with self._tx():
            conn = self._conn()
            seq_row = conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM journal_entry").fetchone()
            cur = conn.execute(
                "INSERT INTO override(permission, approver_id, for_user_id, reason, created_at, journal_seq) "
                "VALUES (?,?,?,?,?,?)",
                (permission, approver.id, for_user.id, reason, t, seq_row[0]),
            )
            oid = cur.lastrowid
            entry = self._append(
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

    # -- shifts ---------------------------------------------------------------------------
    def open_shift(self, *, station: str, user: User, opening_float: int, ts: datetime) -> Shift:
        t = iso(ts)
        with self._tx():
            conn = self._conn()
            cur_open = self._current_shift(conn, station)
            if cur_open is not None:
                raise Conflict("shift.already_open", station=station, user=cur_open.username)
            cur = conn.execute(
                "INSERT INTO shift(station, user_id, opened_at, opening_float) VALUES (?,?,?,?)",
                (station, user.id, t, opening_float),
            )
            sid = cur.lastrowid
            self._append(
                conn,
                "shift_open",
                {"shift": sid, "station": station, "user": user.id, "float": opening_float},
                t,
            )
            return self._shift_by_id(conn, sid)  # type: ignore[return-value]

    @staticmethod
    def _current_shift(conn, station: str) -> Shift | None:
        r = conn.execute(
            f"SELECT {_SHIFT_COLS} FROM shift s JOIN app_user u ON u.id = s.user_id "
            "WHERE s.station = ? AND s.closed_at IS NULL",
            (station,),
        ).fetchone()
        return _shift(r) if r else None

    @staticmethod
    def _shift_by_id(conn, shift_id: int) -> Shift | None:
        r = conn.execute(
            f"SELECT {_SHIFT_COLS} FROM shift s JOIN app_user u ON u.id = s.user_id WHERE s.id = ?",
            (shift_id,),
        ).fetchone()
        return _shift(r) if r else None

    def current_shift(self, station: str) -> Shift | None:
        return self._current_shift(self._conn(), station)

    def shift(self, shift_id: int) -> Shift | None:
        return self._shift_by_id(self._conn(), shift_id)

    def last_closed_shift(self, station: str) -> Shift | None:
        r = self._q1(
            f"SELECT {_SHIFT_COLS} FROM shift s JOIN app_user u ON u.id = s.user_id "
            "WHERE s.station = ? AND s.closed_at IS NOT NULL ORDER BY s.z_number DESC LIMIT 1",
            (station,),
        )
        return _shift(r) if r else None

    def _shift_totals(self, conn, shift_id: int) -> ShiftTotals:
        r = conn.execute(
            "SELECT count(*), "
            f"coalesce(sum({CASH_PART_SQL}), 0), "
            f"coalesce(sum({TRANSFER_PART_SQL}), 0), "
            "(SELECT coalesce(sum(print_count - 1), 0) FROM payment WHERE shift_id = ?1) "
            "FROM payment p WHERE shift_id = ?1 AND status = 'active'",
            (shift_id,),
        ).fetchone()
        lines = conn.execute(
            "SELECT coalesce(sum(CASE WHEN l.kind='bill' AND l.settles=1 THEN 1 END), 0), "
            "coalesce(sum(CASE WHEN l.kind='reconnection_fee' THEN l.amount END), 0) "
            "FROM payment_line l JOIN payment p ON p.id = l.payment_id "
            "WHERE p.shift_id = ? AND p.status = 'active'",
            (shift_id,),
        ).fetchone()
        voids = conn.execute(
            "SELECT count(*), coalesce(sum(total), 0) FROM payment WHERE shift_id = ? AND status = 'voided'",
            (shift_id,),
        ).fetchone()
        refunds = conn.execute(
            f"SELECT coalesce(sum({CASH_PART_SQL}), 0) FROM void v JOIN payment p ON p.id = v.payment_id "
            "WHERE v.shift_id = ? AND p.shift_id != ? AND p.method = 'cash'",
            (shift_id, shift_id),
        ).fetchone()
        return ShiftTotals(
            payments=r[0],
            cash_total=r[1],
            transfer_total=r[2],
            reprints=r[3],
            bills=lines[0],
            reconnection_fees=lines[1],
            voids=voids[0],
            voided_total=voids[1],
            refunds_cash=refunds[0],
        )

    def shift_totals(self, shift_id: int) -> ShiftTotals:
        return self._shift_totals(self._conn(), shift_id)

    def close_shift(
        self,
        *,
        shift_id: int,
        closed_by: User,
        counts: Mapping[int, int],
        ts: datetime,
        decide: Callable[[Shift, ShiftTotals], tuple[int, int, User | None]],
    ) -> Shift:
        """Close ``shift_id``. ``decide(shift, totals)`` runs under the write lock and returns
        (expected, counted, approver) or raises (variance over the limit without a manager)."""
        t = iso(ts)
        with self._tx():
            conn = self._conn()
            shift = self._shift_by_id(conn, shift_id)
            if shift is None or shift.status is ShiftStatus.CLOSED:
                raise Conflict("shift.closed", shift=shift_id)
            totals = self._shift_totals(conn, shift_id)
            expected, counted, approver = decide(shift, totals)
            variance = counted - expected
            conn.execute(
                "INSERT INTO counter(station, name, value) VALUES (?, 'z', 1) "
                "ON CONFLICT(station, name) DO UPDATE SET value = value + 1",
                (shift.station,),
            )
            z = conn.execute(
                "SELECT value FROM counter WHERE station = ? AND name = 'z'", (shift.station,)
            ).fetchone()[0]
            counts_json = json.dumps({str(k): v for k, v in sorted(counts.items(), reverse=True)})
            conn.execute(
                "UPDATE shift SET closed_at = ?, counts = ?, counted = ?, expected = ?, variance = ?, "
                "z_number = ?, closed_by = ?, approved_by = ? WHERE id = ?",
                (t, counts_json, counted, expected, variance, z, closed_by.id,
                 approver.id if approver else None, shift_id),
            )
            self._append(
                conn,
                "shift_close",
                {
                    "shift": shift_id,
                    "station": shift.station,
                    "z": z,
                    "counts": json.loads(counts_json),
                    "counted": counted,
                    "expected": expected,
                    "variance": variance,
                    "closed_by": closed_by.id,
                    "approved_by": approver.id if approver else None,
                },
                t,
            )
            return self._shift_by_id(conn, shift_id)  # type: ignore[return-value]

    # -- customers and bills --------------------------------------------------------------
    @staticmethod
    def _customer_and_bills(conn, code: str) -> tuple[Customer, list[Bill]] | None:
        c = conn.execute(
            "SELECT id, code, name, address, unit_code, phone, book, book_pos, disconnected "
            "FROM customer WHERE code = ?",
            (code,),
        ).fetchone()
        if c is None:
            return None
        customer = Customer(
            id=c[0], code=c[1], name=c[2], address=c[3], unit_code=c[4], phone=c[5], book=c[6],
            book_pos=c[7], disconnected=bool(c[8]),
        )
        rows = conn.execute(
            "SELECT b.id, b.bill_id, b.ky, b.thang, b.nam, b.kwh, b.amount, b.vat, b.total, b.status, "
            "b.series, b.number, b.reading_start, b.reading_end, b.tiers, b.double_collection, "
            "(SELECT p.receipt_no FROM payment_line l JOIN payment p ON p.id = l.payment_id "
            " WHERE l.bill_row = b.id AND l.active = 1 AND l.settles = 1) "
            "FROM bill b WHERE b.customer_id = ? ORDER BY b.nam, b.thang, b.ky, b.bill_id",
            (c[0],),
        ).fetchall()
        bills = [
            Bill(
                customer_code=customer.code, id=r[0], bill_id=r[1], ky=r[2], thang=r[3], nam=r[4],
                kwh=r[5] or 0, amount=r[6], vat=r[7], total=r[8], status=BillStatus(r[9]),
                series=r[10] or "", number=r[11] or "", reading_start=r[12], reading_end=r[13],
                tiers=_tiers(r[14]), double_collection=bool(r[15]), receipt=r[16],
            )
            for r in rows
        ]
        return customer, bills

    def customer_with_bills(self, code: str) -> tuple[Customer, list[Bill]] | None:
        return self._customer_and_bills(self._conn(), code)

    def partial_paid(self, customer_code: str) -> dict[str, int]:
        """bill id (ID_HDON) -> amount already paid on it by active partial payments."""
        return dict(
            self._q(
                "SELECT b.bill_id, sum(l.amount) FROM payment_line l JOIN bill b ON b.id = l.bill_row "
                "WHERE b.customer_code = ? AND l.active = 1 AND l.settles = 0 GROUP BY b.bill_id",
                (customer_code,),
            )
        )

    def receipts_for_bills(self, bill_rows: Sequence[int]) -> dict[int, str]:
        """bill.id -> receipt number of its active settling payment (for lookups)."""
        if not bill_rows:
            return {}
        marks = ",".join("?" * len(bill_rows))
        rows = self._q(
            "SELECT l.bill_row, p.receipt_no FROM payment_line l JOIN payment p ON p.id = l.payment_id "
            f"WHERE l.active = 1 AND l.settles = 1 AND l.bill_row IN ({marks})",
            list(bill_rows),
        )
        return dict(rows)

    # -- payments -------------------------------------------------------------------------
    def find_by_key(self, key: str) -> tuple[Payment, str] | None:
        r = self._q1("SELECT receipt_no, request_fp FROM payment WHERE idempotency_key = ?", (key,))
        if r is None:
            return None
        return self.payment(r[0]), r[1]  # type: ignore[return-value]

    def commit_payment(
        self,
        *,
        request: PaymentRequest,
        planner: Callable[[Customer, Sequence[Bill], Mapping[str, int], bool], PaymentPlan],
        shift: Shift,
        cashier: User,
        ts: datetime,
        approval_id: int | None = None,
        release_lost_by: User | None = None,
    ) -> Payment:
        """``release_lost_by``: the manager letting a bill whose payment a restore lost be
        collected again (without one such a bill is refused, ``ledger.lost_bill``)."""
        t = iso(ts)
        fp = json.dumps(request.fingerprint(), sort_keys=True)
        key = request.idempotency_key
        try:
            with self._tx():
                conn = self._conn()
                if key is not None:
                    prior = conn.execute(
                        "SELECT receipt_no, request_fp FROM payment WHERE idempotency_key = ?", (key,)
                    ).fetchone()
                    if prior is not None:
                        if prior[1] != fp:
                            raise Conflict("ledger.key_reused", key=key, receipt=prior[0])
                        receipt = prior[0]
                        return self._payment_by_receipt(conn, receipt)  # type: ignore[return-value]
                srow = conn.execute("SELECT closed_at FROM shift WHERE id = ?", (shift.id,)).fetchone()
                if srow is None or srow[0] is not None:
                    raise Conflict("shift.closed", shift=shift.id)
                found = self._customer_and_bills(conn, request.customer_code)
                if found is None:
                    raise NotFound("ledger.unknown_customer", code=request.customer_code)
                customer, bills = found
                paid = {}
                if bills:
                    paid = dict(
                        conn.execute(
                            "SELECT b.bill_id, sum(l.amount) FROM payment_line l JOIN bill b ON b.id = l.bill_row "
                            "WHERE b.customer_id = ? AND l.active = 1 AND l.settles = 0 GROUP BY b.bill_id",
                            (customer.id,),
                        ).fetchall()
                    )
                order_open = (
                    conn.execute(
                        "SELECT 1 FROM reconnection_order WHERE customer_code = ? AND status = 'open' LIMIT 1",
                        (customer.code,),
                    ).fetchone()
                    is not None
                )
                plan = planner(customer, bills, paid, order_open)
                station = shift.station
                conn.execute(
                    "INSERT INTO counter(station, name, value) VALUES (?, 'receipt', 1) "
                    "ON CONFLICT(station, name) DO UPDATE SET value = value + 1",
                    (station,),
                )
                n = conn.execute(
                    "SELECT value FROM counter WHERE station = ? AND name = 'receipt'", (station,)
                ).fetchone()[0]
                receipt = f"{station}-{n:07d}"
                payment = Payment(
                    receipt_no=receipt,
                    station=station,
                    shift_id=shift.id,
                    cashier_id=cashier.id,
                    cashier_username=cashier.username,
                    cashier_name=cashier.full_name,
                    cashier_code=cashier.cashier_code,
                    customer=CustomerSnapshot.of(customer),
                    lines=plan.lines,
                    total=plan.total,
                    tendered=plan.tendered,
                    change=plan.change,
                    method=request.method,
                    bank_ref=request.bank_ref,
                    created_at=ts,
                    idempotency_key=key,
                    transfer_amount=plan.transfer_amount,
                )
                payload = payment_payload(payment)
                if approval_id is not None:
                    payload["override"] = approval_id
                lost = self._lost_bills(conn, [ln.bill_id for ln in plan.lines if ln.kind is LineKind.BILL])
                if lost:
                    if release_lost_by is None:
                        bill, lost_receipt, restore_seq = lost[0]
                        raise Conflict("ledger.lost_bill", bill=bill, receipt=lost_receipt, seq=restore_seq)
                    payload["released_lost"] = [r[0] for r in lost]
                    payload["released_by"] = release_lost_by.id
                entry = self._append(conn, "payment", payload, t)
                if lost:
                    marks = ",".join("?" * len(lost))
                    conn.execute(
                        "UPDATE lost_bill SET released_by = ?, released_receipt = ?, released_at = ? "
                        f"WHERE bill_id IN ({marks})",
                        (release_lost_by.id, receipt, t, *[r[0] for r in lost]),
                    )
                verification = jr.verification_code(self.secret(), entry.hash)
                c = payment.customer
                cur = conn.execute(
                    "INSERT INTO payment(receipt_no, station, shift_id, cashier_id, cashier_username, "
                    "cashier_name, cashier_code, customer_code, customer_name, customer_address, "
                    "customer_book, customer_book_pos, customer_phone, customer_unit, total, tendered, "
                    "change_amount, method, bank_ref, created_at, status, print_count, printed, "
                    "journal_seq, verification, idempotency_key, request_fp, transfer_amount) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'active',1,NULL,?,?,?,?,?)",
                    (receipt, station, shift.id, cashier.id, cashier.username, cashier.full_name,
                     cashier.cashier_code, c.code, c.name, c.address, c.book, c.book_pos, c.phone,
                     c.unit_code, plan.total, plan.tendered, plan.change, request.method.value,
                     request.bank_ref, t, entry.seq, verification, key, fp, plan.transfer_amount),
                )
                pid = cur.lastrowid
                for i, ln in enumerate(plan.lines, 1):
                    conn.execute(
                        "INSERT INTO payment_line(payment_id, line_no, kind, bill_row, bill_id, ky, thang, "
                        "nam, kwh, bill_amount, vat, bill_total, series, number, reading_start, "
                        "reading_end, tiers, amount, settles, active) "
                        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1)",
                        (pid, i, ln.kind.value, ln.bill_row, ln.bill_id, ln.ky, ln.thang, ln.nam, ln.kwh,
                         ln.bill_amount, ln.vat, ln.bill_total, ln.series, ln.number, ln.reading_start,
                         ln.reading_end, _tiers_text(ln.tiers), ln.amount, int(ln.settles)),
                    )
                    if ln.kind is LineKind.BILL and ln.settles:
                        upd = conn.execute(
                            "UPDATE bill SET status = 'collected', status_changed_at = ? "
                            "WHERE id = ? AND status = 'unpaid'",
                            (t, ln.bill_row),
                        )
                        if upd.rowcount != 1:
                            raise Conflict("ledger.already_collected", bill=ln.bill_id, receipt="?")
                if plan.reconnection:
                    fee = sum(ln.amount for ln in plan.lines if ln.kind is LineKind.RECONNECTION_FEE)
                    conn.execute(
                        "INSERT INTO reconnection_order(customer_id, customer_code, customer_name, "
                        "customer_address, customer_book, customer_book_pos, customer_phone, payment_id, "
                        "fee, created_at, cashier_name, cashier_code, status) "
                        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,'open')",
                        (customer.id, c.code, c.name, c.address, c.book, c.book_pos, c.phone, pid, fee, t,
                         cashier.full_name, cashier.cashier_code),
                    )
        except _SQLITE_INTEGRITY as exc:
            # The unique index is the last line of defence (the re-check above normally answers)
            msg = str(exc)
            if "idempotency_key" in msg and key is not None:
                prior = self.find_by_key(key)
                if prior is not None:
                    return prior[0]
            if "payment_line.bill_row" in msg:
                raise Conflict(
                    "ledger.already_collected", bill=",".join(request.bill_ids or ()) or "?", receipt="?"
                ) from exc
            raise Conflict("ledger.db_refused", detail=msg) from exc
        except (sqlite3.OperationalError, peewee.OperationalError) as exc:
            # locked past the busy timeout / disk full: a clear refusal, nothing was recorded
            err = sqlite_errors.translate(exc, Message("storage.step.collecting"))
            if err is None:
                raise
            raise err from exc
        return _replace_payment(payment, id=pid, journal_seq=entry.seq, verification=verification)

    @staticmethod
    def _lost_bills(conn, bill_ids: Sequence[str]) -> list[tuple[str, str, int]]:
        if not bill_ids:
            return []
        marks = ",".join("?" * len(bill_ids))
        return conn.execute(
            f"SELECT bill_id, receipt, restore_seq FROM lost_bill WHERE released_by IS NULL AND bill_id IN ({marks})",
            list(bill_ids),
        ).fetchall()

    def lost_bills(self) -> list[tuple[str, str, int, int | None, str | None]]:
        """(bill id, lost receipt, restore seq, released by, released receipt) of every bill a restore lost."""
        return self._q(
            "SELECT bill_id, receipt, restore_seq, released_by, released_receipt FROM lost_bill ORDER BY bill_id"
        )

    def record_restore(self, payload: dict, ts: datetime) -> int:
        """The restore's journal entry and, in the same transaction, its lost bills."""
        t = iso(ts)
        with self._tx():
            conn = self._conn()
            entry = self._append(conn, "restore", payload, t)
            for x in payload.get("lost", ()):
                for bill_id in x.get("bills", ()):
                    conn.execute(
                        "INSERT INTO lost_bill(bill_id, receipt, restore_seq, created_at) VALUES (?,?,?,?) "
                        "ON CONFLICT(bill_id) DO UPDATE SET receipt = excluded.receipt, restore_seq = excluded.restore_seq, "
                        "created_at = excluded.created_at, released_by = NULL, released_receipt = NULL, released_at = NULL",
                        (bill_id, x.get("receipt", ""), entry.seq, t),
                    )
            return entry.seq

    def _payment_by_receipt(self, conn, receipt_no: str) -> Payment | None:
        r = conn.execute(
            f"SELECT {_PAYMENT_COLS} FROM payment p LEFT JOIN void v ON v.payment_id = p.id "
            "WHERE p.receipt_no = ?",
            (receipt_no,),
        ).fetchone()
        if r is None:
            return None
        lines = conn.execute(
            f"SELECT {_LINE_COLS} FROM payment_line WHERE payment_id = ? ORDER BY line_no", (r[0],)
        ).fetchall()
        return _payment(r, [_line(x) for x in lines])

    def payment(self, receipt_no: str) -> Payment | None:
        return self._payment_by_receipt(self._conn(), receipt_no)

    def payments(
        self,
        *,
        date: str | None = None,
        shift_id: int | None = None,
        not_exported: bool = False,
        status: str | None = None,
    ) -> list[Payment]:
        where, params = [], []
        if date:  # 'YYYY-MM-DD' (Vietnam time): a range, so the created_at index is used
            where.append("p.created_at >= ? AND p.created_at < ?")
            params += [f"{date}T", f"{date}U"]
        if shift_id is not None:
            where.append("p.shift_id = ?")
            params.append(shift_id)
        if not_exported:
            where.append("p.exported_batch IS NULL AND p.status = 'active'")
        if status:
            where.append("p.status = ?")
            params.append(status)
        sql = f"SELECT {_PAYMENT_COLS} FROM payment p LEFT JOIN void v ON v.payment_id = p.id"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY p.id"
        conn = self._conn()
        rows = conn.execute(sql, params).fetchall()
        if not rows:
            return []
        by_payment: dict[int, list[PaymentLine]] = {r[0]: [] for r in rows}
        ids = list(by_payment)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for x in conn.execute(
                f"SELECT {_LINE_COLS} FROM payment_line WHERE payment_id IN ({marks}) ORDER BY payment_id, line_no",
                chunk,
            ):
                by_payment[x[0]].append(_line(x))
        return [_payment(r, by_payment[r[0]]) for r in rows]

    def mark_exported(self, receipt_nos: Sequence[str], batch: str) -> int:
        """For the export: payments that went out in clearing batch ``batch``."""
        with self._tx():
            n = 0
            for r in receipt_nos:
                n += self._conn().execute(
                    "UPDATE payment SET exported_batch = ? WHERE receipt_no = ? AND exported_batch IS NULL",
                    (batch, r),
                ).rowcount
            return n

    def mark_void_exported(self, receipt_nos: Sequence[str], batch: str) -> int:
        """For the export: voids of exported payments that went out as reversals in ``batch``."""
        with self._tx():
            n = 0
            for r in receipt_nos:
                n += self._conn().execute(
                    "UPDATE payment SET void_exported_batch = ? WHERE receipt_no = ? AND status = 'voided' "
                    "AND exported_batch IS NOT NULL AND void_exported_batch IS NULL",
                    (batch, r),
                ).rowcount
            return n

    # -- voids ----------------------------------------------------------------------------
    def void_payment(
        self,
        *,
        receipt_no: str,
        reason: str,
        user: User,
        approved_by: User | None,
        shift_id: int | None,
        ts: datetime,
    ) -> Void:
        t = iso(ts)
        with self._tx():
            conn = self._conn()
            p = conn.execute(
                "SELECT id, status, exported_batch, journal_seq FROM payment WHERE receipt_no = ?",
                (receipt_no,),
            ).fetchone()
            if p is None:
                raise NotFound("ledger.receipt_unknown", receipt=receipt_no)
            pid, status, exported, pseq = p
            if status == PaymentStatus.VOIDED:
                raise Conflict("ledger.already_voided", receipt=receipt_no)
            needs_reversal = exported is not None
            conn.execute("UPDATE payment SET status = 'voided' WHERE id = ?", (pid,))
            bills = conn.execute(
                "SELECT bill_row FROM payment_line WHERE payment_id = ? AND kind = 'bill' AND settles = 1",
                (pid,),
            ).fetchall()
            conn.execute("UPDATE payment_line SET active = 0 WHERE payment_id = ?", (pid,))
            for (bill_row,) in bills:
                conn.execute(
                    "UPDATE bill SET status = 'unpaid', status_changed_at = ? "
                    "WHERE id = ? AND status IN ('collected', 'cleared')",
                    (t, bill_row),
                )
            conn.execute(
                "UPDATE reconnection_order SET status = 'cancelled' WHERE payment_id = ? AND status = 'open'",
                (pid,),
            )
            entry = self._append(
                conn,
                "void",
                {
                    "receipt": receipt_no,
                    "payment_seq": pseq,
                    "reason": reason,
                    "by": user.id,
                    "approved_by": approved_by.id if approved_by else None,
                    "shift": shift_id,
                    "needs_reversal": needs_reversal,
                },
                t,
            )
            conn.execute(
                "INSERT INTO void(payment_id, reason, voided_by_id, approved_by, created_at, shift_id, "
                "journal_seq, needs_reversal) VALUES (?,?,?,?,?,?,?,?)",
                (pid, reason, user.id, approved_by.id if approved_by else None, t, shift_id, entry.seq,
                 int(needs_reversal)),
            )
        return Void(
            receipt_no=receipt_no,
            reason=reason,
            voided_by=user.id,
            voided_by_name=user.full_name or user.username,
            approved_by=approved_by.id if approved_by else None,
            created_at=ts,
            shift_id=shift_id,
            journal_seq=entry.seq,
            needs_reversal=needs_reversal,
        )

    def voids(self, *, not_exported: bool = False) -> list[Void]:
        sql = (
            "SELECT v.id, p.receipt_no, v.reason, v.voided_by_id, coalesce(nullif(u.full_name, ''), u.username), "
            "v.approved_by, v.created_at, v.shift_id, v.journal_seq, v.needs_reversal, p.void_exported_batch "
            "FROM void v JOIN payment p ON p.id = v.payment_id JOIN app_user u ON u.id = v.voided_by_id"
        )
        if not_exported:
            sql += " WHERE v.needs_reversal = 1 AND p.void_exported_batch IS NULL"
        sql += " ORDER BY v.id"
        return [
            Void(
                id=r[0], receipt_no=r[1], reason=r[2], voided_by=r[3], voided_by_name=r[4],
                approved_by=r[5], created_at=parse_iso(r[6]), shift_id=r[7], journal_seq=r[8],
                needs_reversal=bool(r[9]), reversal_batch=r[10],
            )
            for r in self._q(sql)
        ]

    # -- printing -------------------------------------------------------------------------
    def reprint(self, *, receipt_no: str, user: User, approved_by: User | None, ts: datetime) -> Payment:
        t = iso(ts)
        with self._tx():
            conn = self._conn()
            r = conn.execute(
                "SELECT print_count FROM payment WHERE receipt_no = ?", (receipt_no,)
            ).fetchone()
            if r is None:
                raise NotFound("ledger.receipt_unknown", receipt=receipt_no)
            count = r[0] + 1
            conn.execute(
                "UPDATE payment SET print_count = ?, printed = NULL WHERE receipt_no = ?", (count, receipt_no)
            )
            self._append(
                conn,
                "reprint",
                {
                    "receipt": receipt_no,
                    "print_count": count,
                    "by": user.id,
                    "approved_by": approved_by.id if approved_by else None,
                },
                t,
            )
            return self._payment_by_receipt(conn, receipt_no)  # type: ignore[return-value]

    def record_print(self, receipt_no: str, ok: bool) -> None:
        with self._tx():
            cur = self._conn().execute(
                "UPDATE payment SET printed = ? WHERE receipt_no = ?", (int(bool(ok)), receipt_no)
            )
            if cur.rowcount != 1:
                raise NotFound("ledger.receipt_unknown", receipt=receipt_no)

    # -- reconnection orders --------------------------------------------------------------
    def reconnection_orders(self, status: str | None = None) -> list[ReconnectionOrder]:
        sql = (
            "SELECT o.id, o.customer_code, o.customer_name, o.customer_address, o.customer_book, "
            "o.customer_book_pos, o.customer_phone, p.receipt_no, o.fee, o.created_at, o.cashier_name, "
            "o.cashier_code, o.status FROM reconnection_order o JOIN payment p ON p.id = o.payment_id"
        )
        params: list = []
        if status:
            sql += " WHERE o.status = ?"
            params.append(status)
        sql += " ORDER BY o.id"
        return [
            ReconnectionOrder(
                id=r[0],
                customer=CustomerSnapshot(code=r[1], name=r[2], address=r[3], book=r[4], book_pos=r[5], phone=r[6]),
                receipt_no=r[7],
                fee=r[8],
                created_at=parse_iso(r[9]),
                cashier_name=r[10],
                cashier_code=r[11],
                status=OrderStatus(r[12]),
            )
            for r in self._q(sql, params)
        ]

    def set_order_status(self, order_id: int, status: str, *, user: User, ts: datetime) -> None:
        t = iso(ts)
        with self._tx():
            conn = self._conn()
            cur = conn.execute(
                "UPDATE reconnection_order SET status = ? WHERE id = ?", (OrderStatus(status).value, order_id)
            )
            if cur.rowcount != 1:
                raise NotFound("order.unknown", order=order_id)
            self._append(conn, "order", {"order": order_id, "status": status, "by": user.id}, t)

    # -- verification support -------------------------------------------------------------
    def state_rows(self) -> dict:
        """Rows that verify cross-checks against the journal."""
        q = self._q
        return {
            "voids": q(
                "SELECT p.receipt_no, v.journal_seq, v.reason, v.voided_by_id, v.approved_by, v.needs_reversal "
                "FROM void v JOIN payment p ON p.id = v.payment_id ORDER BY v.id"
            ),
            "shifts": q(
                "SELECT id, station, user_id, opening_float, closed_at, counted, expected, variance, "
                "z_number FROM shift ORDER BY id"
            ),
            "users": [
                (*r[:6], password_fingerprint(r[6]))
                for r in q("SELECT id, username, role, cashier_code, active, locked, password_hash "
                           "FROM app_user ORDER BY id")
            ],
            "lost_bills": q("SELECT bill_id, receipt, restore_seq, released_by FROM lost_bill"),
            "baskets": self.basket_rows(),
            "collected_without_payment": q(
                "SELECT b.bill_id FROM bill b WHERE b.status = 'collected' AND NOT EXISTS "
                "(SELECT 1 FROM payment_line l WHERE l.bill_row = b.id AND l.active = 1 AND l.settles = 1)"
            ),
        }


def _replace_payment(p: Payment, **changes) -> Payment:
    from dataclasses import replace

    return replace(p, **changes)
