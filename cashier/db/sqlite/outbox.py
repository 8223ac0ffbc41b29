"""The outbox on the counter's SQLite ledger (implements ``services.ports.outbox.OutboxStore``).

Every payment committed here carries a client UUID and its place in the station's order (the
receipt counter: ``payment.client_seq``), both unique (migration 4). It waits to upload until
``outbox_state`` has its row: 'uploaded' with the server's answer, or 'set_aside' with the reason
the server refused it (bad data: it never blocks the payments after it; ``retry`` puts it back).
Payments committed before migration 4 have no UUID and are not in the outbox.
"""

from __future__ import annotations

from cashier.db.sqlite import payment_rows as pr
from cashier.db.sqlite.journal import SqliteJournal
from cashier.services.ports.outbox import ApplyResult, OutboxItem, SetAside

_PENDING = (
    "FROM payment p JOIN shift s ON s.id = p.shift_id LEFT JOIN outbox_state o ON o.payment_id = p.id "
    "WHERE p.client_uuid IS NOT NULL AND o.payment_id IS NULL"
)


class SqliteOutbox:
    def __init__(self, journal: SqliteJournal) -> None:
        self._j = journal

    def pending(self) -> list[OutboxItem]:
        conn = self._j.conn()
        rows = conn.execute(
            f"SELECT p.receipt_no, p.client_uuid, p.station, p.client_seq, s.opened_at, s.opening_float {_PENDING} "
            "ORDER BY p.station, p.client_seq"
        ).fetchall()
        items = []
        for receipt, uuid, station, seq, opened_at, opening_float in rows:
            payment = pr.payment_by_receipt(conn, receipt)
            assert payment is not None  # the same connection just listed it
            items.append(OutboxItem(client_uuid=uuid, station=station, sequence=int(seq), payment=payment,
                                    shift_opened_at=opened_at, shift_opening_float=int(opening_float)))
        return items

    def pending_count(self) -> int:
        return int(self._j.conn().execute(f"SELECT count(*) {_PENDING}").fetchone()[0])

    def _payment_id(self, client_uuid: str) -> int:
        r = self._j.conn().execute("SELECT id FROM payment WHERE client_uuid = ?", (client_uuid,)).fetchone()
        if r is None:
            raise KeyError(client_uuid)
        return int(r[0])

    def mark_uploaded(self, item: OutboxItem, result: ApplyResult, ts: str) -> None:
        with self._j.tx() as conn:
            conn.execute(
                "INSERT INTO outbox_state (payment_id, state, at, outcome, server_receipt) "
                "VALUES (?, 'uploaded', ?, ?, ?) ON CONFLICT (payment_id) DO UPDATE SET state = 'uploaded', "
                "at = excluded.at, outcome = excluded.outcome, server_receipt = excluded.server_receipt, "
                "reason_code = NULL, reason = NULL",
                (self._payment_id(item.client_uuid), ts, result.outcome, result.receipt_no),
            )

    def set_aside(self, item: OutboxItem, reason_code: str, reason: str, ts: str) -> None:
        with self._j.tx() as conn:
            conn.execute(
                "INSERT INTO outbox_state (payment_id, state, at, reason_code, reason) VALUES (?, 'set_aside', ?, ?, ?)",
                (self._payment_id(item.client_uuid), ts, reason_code, reason),
            )

    def set_aside_items(self) -> list[SetAside]:
        return [SetAside(client_uuid=r[0], receipt_no=r[1], reason_code=r[2], reason=r[3], at=r[4])
                for r in self._j.conn().execute(
                    "SELECT p.client_uuid, p.receipt_no, o.reason_code, o.reason, o.at FROM outbox_state o "
                    "JOIN payment p ON p.id = o.payment_id WHERE o.state = 'set_aside' ORDER BY p.station, p.client_seq")]

    def retry(self, client_uuid: str) -> bool:
        with self._j.tx() as conn:
            return conn.execute(
                "DELETE FROM outbox_state WHERE state = 'set_aside' AND payment_id = "
                "(SELECT id FROM payment WHERE client_uuid = ?)", (client_uuid,)).rowcount == 1
