"""Voids, reprints and print outcomes on the PostgreSQL server (the PaymentChangeStore port).

A void is ONE transaction: the payment row locked ``FOR UPDATE`` (two managers voiding the same
receipt at two counters: the second one is refused ``ledger.already_voided``), its lines
inactive, its settled bills unpaid again, its open reconnection order cancelled, the void row and
the journal entry in the payment's station's chain (the journal key is that station's: a void of
another counter's payment is refused ``journal.wrong_key`` and is made at that counter).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from cashier.core.clock import iso, parse_iso
from cashier.core.errors import Conflict, NotFound
from cashier.core.ledger import Payment, PaymentStatus, User, Void
from cashier.db.postgres.pg_base import PgStoreBase


class PgChangeMixin(PgStoreBase):
    #: provided by PgPaymentMixin (the ledger store mixes both)
    payment: Callable[[str], Payment | None]

    def void_payment(self, *, receipt_no: str, reason: str, user: User, approved_by: User | None,
                     shift_id: int | None, ts: datetime) -> Void:
        t = iso(ts)
        with self._tx():
            p = self._q1("SELECT id, status, exported_batch, journal_seq, station FROM payment WHERE receipt_no = %s "
                         "FOR UPDATE", (receipt_no,))
            if p is None:
                raise NotFound("ledger.receipt_unknown", receipt=receipt_no)
            pid, status, exported, pseq, station = p
            if status == PaymentStatus.VOIDED.value:
                raise Conflict("ledger.already_voided", receipt=receipt_no)
            needs_reversal = exported is not None
            self._x("UPDATE payment SET status = 'voided' WHERE id = %s", (pid,))
            self._x("UPDATE bill SET status = 'unpaid', status_changed_at = %s WHERE id IN (SELECT bill_row FROM "
                    "payment_line WHERE payment_id = %s AND kind = 'bill' AND settles) "
                    "AND status IN ('collected', 'cleared')", (t, pid))
            self._x("UPDATE payment_line SET active = FALSE WHERE payment_id = %s", (pid,))
            self._x("UPDATE reconnection_order SET status = 'cancelled' WHERE payment_id = %s AND status = 'open'",
                    (pid,))
            entry = self._append("void", {"receipt": receipt_no, "payment_seq": pseq, "reason": reason,
                                          "by": user.id, "approved_by": approved_by.id if approved_by else None,
                                          "shift": shift_id, "needs_reversal": needs_reversal}, t, station=station)
            self._x("INSERT INTO void (payment_id, reason, voided_by_id, approved_by, created_at, shift_id, station, "
                    "journal_seq, needs_reversal) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    (pid, reason, user.id, approved_by.id if approved_by else None, t, shift_id, station, entry.seq,
                     needs_reversal))
        return Void(receipt_no=receipt_no, reason=reason, voided_by=user.id,
                    voided_by_name=user.full_name or user.username,
                    approved_by=approved_by.id if approved_by else None, created_at=ts, shift_id=shift_id,
                    journal_seq=entry.seq, needs_reversal=needs_reversal)

    def voids(self, *, not_exported: bool = False, station: str | None = None) -> list[Void]:
        where, params = [], []
        if not_exported:
            where.append("v.needs_reversal AND p.void_exported_batch IS NULL")
        if station:
            where.append("p.station = %s")
            params.append(station)
        sql = ("SELECT v.id, p.receipt_no, v.reason, v.voided_by_id, coalesce(nullif(u.full_name, ''), u.username), "
               "v.approved_by, v.created_at, v.shift_id, v.journal_seq, v.needs_reversal, p.void_exported_batch "
               "FROM void v JOIN payment p ON p.id = v.payment_id JOIN app_user u ON u.id = v.voided_by_id")
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [
            Void(id=r[0], receipt_no=r[1], reason=r[2], voided_by=r[3], voided_by_name=r[4], approved_by=r[5],
                 created_at=parse_iso(r[6]), shift_id=r[7], journal_seq=r[8], needs_reversal=bool(r[9]),
                 reversal_batch=r[10])
            for r in self._q(sql + " ORDER BY v.id", params)
        ]

    def reprint(self, *, receipt_no: str, user: User, approved_by: User | None, ts: datetime) -> Payment:
        t = iso(ts)
        with self._tx():
            r = self._q1("UPDATE payment SET print_count = print_count + 1, printed = NULL WHERE receipt_no = %s "
                         "RETURNING print_count, station", (receipt_no,))
            if r is None:
                raise NotFound("ledger.receipt_unknown", receipt=receipt_no)
            self._append("reprint", {"receipt": receipt_no, "print_count": r[0], "by": user.id,
                                     "approved_by": approved_by.id if approved_by else None}, t, station=r[1])
            return self.payment(receipt_no)  # type: ignore[return-value]

    def record_print(self, receipt_no: str, ok: bool) -> None:
        with self._tx():
            if self._x("UPDATE payment SET printed = %s WHERE receipt_no = %s", (bool(ok), receipt_no)) != 1:
                raise NotFound("ledger.receipt_unknown", receipt=receipt_no)
