"""The journal on the station's SQLite database (implements ``services.ports.journal.JournalStore``)
and the write transaction every ledger store uses.

Every money write is ONE ``BEGIN IMMEDIATE`` transaction (:meth:`SqliteJournal.tx`) that takes
the write lock first, re-reads what it depends on, and writes the row(s), the gapless counter
and the journal entry (:meth:`SqliteJournal.append`) together: after a crash either all of it
is there or none of it is. Once the outermost transaction has committed, its entries are
appended to the journal's anchor (a file beside the keys that a database restore does not
reach). One station per database: one chain per database (``station`` is not a key here).
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import peewee

from cashier.core import journal as jr
from cashier.core.clock import iso
from cashier.core.errors import IntegrityError
from cashier.db.journal_anchor import JournalAnchor
from cashier.db.sqlite import verify_rows
from cashier.db.sqlite.rows import stream
from cashier.services.ports.credentials import SecretStore
from cashier.services.ports.journal import PaymentState

log = logging.getLogger(__name__)

#: the anchor may lag the database by this many entries (a failing keys disk) before the store
#: refuses to write more money: past it, nothing new is acknowledged that the anchor does not hold
ANCHOR_MAX_LAG = 100

_ENTRY_COLS = "seq, ts, kind, payload, prev_hash, hash"


def _entry(r: Any | tuple) -> jr.Entry:
    return jr.Entry(seq=r[0], ts=r[1], kind=r[2], payload=r[3], prev_hash=r[4], hash=r[5])


def next_counter(conn: sqlite3.Connection, station: str, name: str) -> int:
    """The station's next value of a gapless counter ('receipt', 'z'); inside the write
    transaction, so a rollback gives the number back."""
    conn.execute(
        "INSERT INTO counter(station, name, value) VALUES (?, ?, 1) "
        "ON CONFLICT(station, name) DO UPDATE SET value = value + 1",
        (station, name),
    )
    return conn.execute("SELECT value FROM counter WHERE station = ? AND name = ?", (station, name)).fetchone()[0]


class SqliteJournal:
    """The hash chain (journal_entry, journal_head), its anchor, and the write transaction."""

    def __init__(self, db: peewee.Database, secrets: SecretStore, *, anchor: JournalAnchor | None = None) -> None:
        self.db = db
        self._secrets = secrets
        self._secret: bytes | None = None
        self._fp: str | None = None
        #: None: a scratch copy (a backup being checked) - no anchor is read or written
        self.anchor = anchor
        self._anchor_pending = False
        self._anchor_may_create = False

    # -- the write transaction ------------------------------------------------------------
    @contextlib.contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (BEGIN IMMEDIATE) yielding the connection; once the outermost one
        has committed, the journal entries it wrote go to the anchor (after the commit is
        durable). Nested: a savepoint."""
        with self.db.atomic("IMMEDIATE"):
            yield self.conn()
        if self._anchor_pending and not self.db.in_transaction():
            self._anchor_pending = False
            self.sync_anchor(quiet=True)

    def conn(self) -> sqlite3.Connection:
        return self.db.connection()

    def secret(self, create: bool = True) -> bytes:
        if self._secret is None:
            self._secret = self._secrets.secret(create)
            self._fp = jr.key_fingerprint(self._secret)
        return self._secret

    def append(self, conn: sqlite3.Connection, kind: str, payload: dict[str, Any], ts: str) -> jr.Entry:
        """Append one entry; the caller holds the write transaction."""
        head = conn.execute("SELECT seq, hash, key_fp FROM journal_head WHERE id = 1").fetchone()
        secret = self.secret(create=head is None)
        if head is None:
            last = conn.execute("SELECT max(seq) FROM journal_entry").fetchone()[0]
            if last:
                raise IntegrityError("journal.head", seq=last)
            seq, prev = 1, jr.GENESIS
        else:
            head_seq, head_hash, key_fp = head
            if key_fp != self._fp:
                raise IntegrityError("journal.wrong_key")
            seq, prev = head_seq + 1, head_hash
        if self.anchor is not None:
            self._check_anchor(conn, self.anchor, seq - 1, prev)
        entry = jr.make_entry(secret, seq, ts, kind, payload, prev)
        conn.execute(
            f"INSERT INTO journal_entry({_ENTRY_COLS}) VALUES (?,?,?,?,?,?)",
            (entry.seq, entry.ts, entry.kind, entry.payload, entry.prev_hash, entry.hash),
        )
        conn.execute(
            "INSERT INTO journal_head(id, seq, hash, mac, key_fp) VALUES (1, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, "
            "mac = excluded.mac, key_fp = excluded.key_fp",
            (entry.seq, entry.hash, jr.head_mac(secret, entry.seq, entry.hash), self._fp),
        )
        return entry

    # -- the anchor -----------------------------------------------------------------------
    def _check_anchor(self, conn: sqlite3.Connection, anchor: JournalAnchor, head_seq: int, head_hash: str) -> None:
        """Before a new entry: the database must not be behind its anchor (rolled back), nor of
        another history; an anchor lagging a little (crash after commit) is healed afterwards."""
        tail = anchor.tail()
        if tail is None:
            if head_seq == 0:
                self._anchor_may_create = True
            else:
                raise IntegrityError("journal.anchor_missing", path=str(anchor.path), seq=head_seq)
        else:
            aseq, ahash = tail
            if aseq < 0:
                raise IntegrityError("journal.anchor_altered", seq="?", detail="last line unreadable")
            if aseq > head_seq:
                raise IntegrityError(
                    "journal.rolled_back", first=head_seq + 1, last=aseq, receipts=self._anchor_receipts(anchor, head_seq)
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

    @staticmethod
    def _anchor_receipts(anchor: JournalAnchor, after: int, limit: int = 20) -> str:
        """The receipts the anchor holds beyond entry ``after`` (for the rollback refusal)."""
        found: list[str] = []
        try:
            for e in anchor.iter_entries():
                if e.seq > after and e.kind == "payment":
                    found.append(json.loads(e.payload).get("receipt", "?"))
        except (OSError, ValueError):
            return "unreadable anchor"
        shown = ", ".join(found[:limit]) + (f" and {len(found) - limit} more" if len(found) > limit else "")
        return shown or "none"

    def _fetch_entries(self, first: int, last: int) -> list[jr.Entry]:
        return [_entry(r) for r in self.conn().execute(
            f"SELECT {_ENTRY_COLS} FROM journal_entry WHERE seq BETWEEN ? AND ? ORDER BY seq", (first, last)
        )]  # fmt: skip

    def sync_anchor(self, *, quiet: bool = False) -> int | None:
        """Bring the anchor up to the committed database (after each commit, at start, in verify).
        Never writes an anchor for a database that is behind it. ``quiet``: a failure is logged
        (the payment is committed; the next write or verify heals or reports)."""
        anchor = self.anchor
        if anchor is None or self.db.in_transaction():
            return None  # inside a transaction the journal may still roll back: never anchor that
        try:
            head = self._head()
            head_seq = head[0] if head else 0
            if not anchor.exists():
                if not (self._anchor_may_create or head_seq == 0):
                    raise IntegrityError("journal.anchor_missing", path=str(anchor.path), seq=head_seq)
                anchor.create()
                self._anchor_may_create = False
            tail = anchor.tail()
            if tail is not None and tail[0] >= head_seq:
                return tail[0]
            return anchor.sync(head_seq, self._fetch_entries)
        except (IntegrityError, OSError) as exc:
            if not quiet:
                raise
            log.error("journal anchor not written: %s", exc)
            return None

    def rebuild_anchor(self) -> int:
        """Admin's anchor-rebuild: write the anchor again from the database journal."""
        if self.anchor is None:
            return 0
        return self.anchor.rebuild(self._iter())

    # -- JournalStore ---------------------------------------------------------------------
    def append_journal(self, station: str, kind: str, payload: dict[str, Any], ts: datetime) -> int:
        with self.tx() as conn:
            return self.append(conn, kind, payload, iso(ts)).seq

    def _iter(self) -> Iterator[jr.Entry]:
        for r in stream(self.conn(), f"SELECT {_ENTRY_COLS} FROM journal_entry ORDER BY seq"):
            yield _entry(r)

    def iter_journal(self, station: str) -> Iterator[jr.Entry]:
        return self._iter()

    def journal_entry(self, station: str, seq: int) -> jr.Entry | None:
        r = self.conn().execute(f"SELECT {_ENTRY_COLS} FROM journal_entry WHERE seq = ?", (seq,)).fetchone()
        return _entry(r) if r else None

    def _head(self) -> tuple[int, str, str, str] | None:
        r = self.conn().execute("SELECT seq, hash, mac, key_fp FROM journal_head WHERE id = 1").fetchone()
        return (r[0], r[1], r[2], r[3]) if r else None

    def journal_head(self, station: str) -> tuple[int, str, str, str] | None:
        return self._head()

    def iter_payment_state(self, station: str) -> Iterator[PaymentState]:
        return verify_rows.iter_payment_state(self.conn())

    def state_rows(self, station: str) -> dict[str, list[Any]]:
        return verify_rows.state_rows(self.conn())

    def record_restore(self, station: str, payload: dict[str, Any], ts: datetime) -> int:
        t = iso(ts)
        with self.tx() as conn:
            entry = self.append(conn, "restore", payload, t)
            for x in payload.get("lost", ()):
                for bill_id in x.get("bills", ()):
                    conn.execute(
                        "INSERT INTO lost_bill(bill_id, receipt, restore_seq, created_at) VALUES (?,?,?,?) "
                        "ON CONFLICT(bill_id) DO UPDATE SET receipt = excluded.receipt, restore_seq = excluded.restore_seq, "
                        "created_at = excluded.created_at, released_by = NULL, released_receipt = NULL, released_at = NULL",
                        (bill_id, x.get("receipt", ""), entry.seq, t),
                    )
            return entry.seq
