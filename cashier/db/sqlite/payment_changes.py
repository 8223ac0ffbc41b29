"""Voids, reprints and print outcomes on the station's SQLite database (implements
``services.ports.payment_changes.PaymentChangeStore``); each journalled change is one
transaction with its journal entry."""

from __future__ import annotations

from datetime import datetime

from cashier.core.clock import iso, parse_iso
from cashier.core.errors import Conflict, NotFound
from cashier.core.ledger import Payment, PaymentStatus, User, Void
from cashier.db.sqlite.journal import SqliteJournal
from cashier.db.sqlite.payment_rows import payment_by_receipt
from cashier.db.sqlite.rows import row, rows


class SqlitePaymentChanges:
    def __init__(self, journal: SqliteJournal) -> None:
        self._j = journal

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
        approver = approved_by.id if approved_by else None
        with self._j.tx() as conn:
            p = row(conn, "SELECT id, status, exported_batch, journal_seq FROM payment WHERE receipt_no = ?", (receipt_no,))
            if p is None:
                raise NotFound("ledger.receipt_unknown", receipt=receipt_no)
            pid = p.id
            if p.status == PaymentStatus.VOIDED:
                raise Conflict("ledger.already_voided", receipt=receipt_no)
            needs_reversal = p.exported_batch is not None
            conn.execute("UPDATE payment SET status = 'voided' WHERE id = ?", (pid,))
            bills = conn.execute(
                "SELECT bill_row FROM payment_line WHERE payment_id = ? AND kind = 'bill' AND settles = 1", (pid,)
            ).fetchall()
            conn.execute("UPDATE payment_line SET active = 0 WHERE payment_id = ?", (pid,))
            for (bill_row,) in bills:
                conn.execute(
                    "UPDATE bill SET status = 'unpaid', status_changed_at = ? "
                    "WHERE id = ? AND status IN ('collected', 'cleared')",
                    (t, bill_row),
                )
            conn.execute(
                "UPDATE reconnection_order SET status = 'cancelled' WHERE payment_id = ? AND status = 'open'", (pid,)
            )
            payload = {
                "receipt": receipt_no, "payment_seq": p.journal_seq, "reason": reason, "by": user.id,
                "approved_by": approver, "shift": shift_id, "needs_reversal": needs_reversal,
            }  # fmt: skip
            entry = self._j.append(conn, "void", payload, t)
            conn.execute(
                "INSERT INTO void(payment_id, reason, voided_by_id, approved_by, created_at, shift_id, "
                "journal_seq, needs_reversal) VALUES (?,?,?,?,?,?,?,?)",
                (pid, reason, user.id, approver, t, shift_id, entry.seq, int(needs_reversal)),
            )
        return Void(
            receipt_no=receipt_no,
            reason=reason,
            voided_by=user.id,
            voided_by_name=user.full_name or user.username,
            approved_by=approver,
            created_at=ts,
            shift_id=shift_id,
            journal_seq=entry.seq,
            needs_reversal=needs_reversal,
        )

    def voids(self, *, not_exported: bool = False, station: str | None = None) -> list[Void]:
        sql = (
            "SELECT v.id, p.receipt_no, v.reason, v.voided_by_id, coalesce(nullif(u.full_name, ''), u.username) AS by_name, "
            "v.approved_by, v.created_at, v.shift_id, v.journal_seq, v.needs_reversal, p.void_exported_batch "
            "FROM void v JOIN payment p ON p.id = v.payment_id JOIN app_user u ON u.id = v.voided_by_id"
        )
        where, params = [], []
        if not_exported:
            where.append("v.needs_reversal = 1 AND p.void_exported_batch IS NULL")
        if station:
            where.append("p.station = ?")
            params.append(station)
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [
            Void(
                id=r.id, receipt_no=r.receipt_no, reason=r.reason, voided_by=r.voided_by_id,
                voided_by_name=r.by_name, approved_by=r.approved_by, created_at=parse_iso(r.created_at),
                shift_id=r.shift_id, journal_seq=r.journal_seq, needs_reversal=bool(r.needs_reversal),
                reversal_batch=r.void_exported_batch,
            )
            for r in rows(self._j.conn(), sql + " ORDER BY v.id", params)
        ]  # fmt: skip

    def reprint(self, *, receipt_no: str, user: User, approved_by: User | None, ts: datetime) -> Payment:
        with self._j.tx() as conn:
            r = conn.execute("SELECT print_count FROM payment WHERE receipt_no = ?", (receipt_no,)).fetchone()
            if r is None:
                raise NotFound("ledger.receipt_unknown", receipt=receipt_no)
            count = r[0] + 1
            conn.execute("UPDATE payment SET print_count = ?, printed = NULL WHERE receipt_no = ?", (count, receipt_no))
            payload = {
                "receipt": receipt_no, "print_count": count, "by": user.id,
                "approved_by": approved_by.id if approved_by else None,
            }  # fmt: skip
            self._j.append(conn, "reprint", payload, iso(ts))
            return payment_by_receipt(conn, receipt_no)  # type: ignore[return-value]

    def record_print(self, receipt_no: str, ok: bool) -> None:
        with self._j.tx() as conn:
            cur = conn.execute("UPDATE payment SET printed = ? WHERE receipt_no = ?", (int(bool(ok)), receipt_no))
            if cur.rowcount != 1:
                raise NotFound("ledger.receipt_unknown", receipt=receipt_no)
