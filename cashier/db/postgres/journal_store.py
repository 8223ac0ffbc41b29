"""The journal port on the PostgreSQL server: every station's chain readable (the manager's
verify on the server walks each), appends only with this storage's key (its own station's
chain). The server keeps no anchor file: the anchor guards a counter's local SQLite file against
a restore; on the server the chains are the shared record and ``sync_anchor`` has nothing to do.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from cashier.core import journal as jr
from cashier.core.clock import iso
from cashier.db.postgres.pg_base import PgStoreBase
from cashier.db.postgres.rows import password_fingerprint

_ENTRY = "SELECT seq, ts, kind, payload, prev_hash, hash FROM journal_entry"


def _entry(r: tuple) -> jr.Entry:
    return jr.Entry(int(r[0]), r[1], r[2], r[3], r[4], r[5])


class PgJournalStore(PgStoreBase):
    def append_journal(self, station: str, kind: str, payload: dict[str, Any], ts: datetime) -> int:
        with self._tx():
            return self._append(kind, payload, iso(ts), station=station).seq

    def journal_entry(self, station: str, seq: int) -> jr.Entry | None:
        r = self._q1(f"{_ENTRY} WHERE station = %s AND seq = %s", (station, seq))
        return _entry(r) if r else None

    def iter_journal(self, station: str, batch: int = 2000) -> Iterator[jr.Entry]:
        last = 0
        while True:
            rows = self._q(f"{_ENTRY} WHERE station = %s AND seq > %s ORDER BY seq LIMIT %s", (station, last, batch))
            if not rows:
                return
            yield from (_entry(r) for r in rows)
            last = int(rows[-1][0])

    def journal_head(self, station: str) -> tuple[int, str, str, str] | None:
        r = self._q1("SELECT seq, hash, mac, key_fp FROM journal_head WHERE station = %s", (station,))
        return (int(r[0]), r[1], r[2], r[3]) if r else None

    def iter_payment_state(self, station: str, batch: int = 1000) -> Iterator[tuple[tuple, list]]:
        last = 0
        while True:
            rows = self._q("SELECT id, receipt_no, journal_seq, station, shift_id, cashier_id, cashier_username, "
                           "cashier_code, customer_code, customer_name, total, tendered, change_amount, method, "
                           "bank_ref, created_at, status, print_count, transfer_amount FROM payment "
                           "WHERE station = %s AND id > %s ORDER BY id LIMIT %s", (station, last, batch))
            if not rows:
                return
            lines: dict[int, list] = {r[0]: [] for r in rows}
            for pid, kind, bill_id, amount, settles in self._q(
                    "SELECT payment_id, kind, bill_id, amount, settles FROM payment_line WHERE payment_id = ANY(%s) "
                    "ORDER BY payment_id, line_no", (list(lines),)):
                lines[pid].append([kind, bill_id, amount, bool(settles)])
            for r in rows:
                yield tuple(r[1:]), lines[r[0]]
            last = int(rows[-1][0])

    def state_rows(self, station: str) -> dict[str, list[Any]]:
        q = self._q
        baskets = []
        for code, seq, total, tendered, change, bid in q(
                "SELECT code, journal_seq, total, tendered, change_amount, id FROM basket WHERE station = %s "
                "ORDER BY id", (station,)):
            receipts = [r[0] for r in q("SELECT receipt_no FROM payment WHERE basket_id = %s ORDER BY basket_pos",
                                        (bid,))]
            baskets.append((code, seq, total, tendered, change, receipts))
        return {
            "voids": q("SELECT p.receipt_no, v.journal_seq, v.reason, v.voided_by_id, v.approved_by, v.needs_reversal "
                       "FROM void v JOIN payment p ON p.id = v.payment_id WHERE v.station = %s ORDER BY v.id",
                       (station,)),
            "shifts": q("SELECT id, station, user_id, opening_float, closed_at, counted, expected, variance, z_number "
                        "FROM shift WHERE station = %s ORDER BY id", (station,)),
            "users": [(*r[:6], password_fingerprint(r[6])) for r in q(
                "SELECT id, username, role, cashier_code, active, locked, password_hash FROM app_user ORDER BY id")],
            "lost_bills": q("SELECT bill_id, receipt, restore_seq, released_by FROM lost_bill ORDER BY bill_id"),
            "baskets": baskets,
            "collected_without_payment": q(
                "SELECT b.bill_id FROM bill b WHERE b.status = 'collected' AND NOT EXISTS "
                "(SELECT 1 FROM payment_line l WHERE l.bill_row = b.id AND l.active AND l.settles)"),
        }

    def record_restore(self, station: str, payload: dict[str, Any], ts: datetime) -> int:
        t = iso(ts)
        with self._tx():
            entry = self._append("restore", payload, t, station=station)
            for x in payload.get("lost", ()):
                for bill_id in x.get("bills", ()):
                    self._x("INSERT INTO lost_bill (bill_id, receipt, restore_seq, created_at) VALUES (%s, %s, %s, %s) "
                            "ON CONFLICT (bill_id) DO UPDATE SET receipt = excluded.receipt, "
                            "restore_seq = excluded.restore_seq, created_at = excluded.created_at, released_by = NULL, "
                            "released_receipt = NULL, released_at = NULL", (bill_id, x.get("receipt", ""), entry.seq, t))
            return entry.seq

    def sync_anchor(self, *, quiet: bool = False) -> int | None:
        return None  # no anchor file on the server (module docstring)

    def rebuild_anchor(self) -> int:
        return 0
