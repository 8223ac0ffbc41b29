"""The server side of the outbox (implements ``services.ports.outbox.OutboxServer``): one payment
a counter collected on its local ledger while the server was down, applied in ONE transaction.

Idempotent by the database, not by code alone: ``outbox_receipt`` is keyed by the payment's
client UUID and unique per (station, sequence), and the row is written in the same transaction
as the payment, its lines, the bills' status, the journal entry (this station's chain on the
server) and the station's last applied sequence (``outbox_station``: the tracking pattern). A
re-send (the answer was lost with the connection) finds the row and gets the same answer; two
sends racing queue on an advisory lock of the UUID (and, should that ever be bypassed, the
loser's transaction fails on a key and reads the winner's answer).

A bill another counter already collected (the customer's bills are locked ``FOR UPDATE`` and
read as they are now; the partial unique index ``payment_line_one_settling`` is the last line of
defence: a refusal there re-runs the apply once, which then sees the collision): the payment is
still recorded (the cash is in this counter's drawer), its line for that bill inactive, and an
open ``refund_case`` (the reconciliation's table) names the bill, the receipt and the amount
owed back. The payment keeps its receipt number (the customer holds the paper); a receipt
number the station already used on the server is refused ``outbox.receipt_taken``.

The counter's offline shift becomes one server shift per (station, local shift), recorded closed
(it was counted at the counter) in ``outbox_shift``; the cashier is found by user name.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import peewee

from cashier.core import journal as jr
from cashier.core.clock import SystemClock, iso
from cashier.core.errors import Conflict, NotFound
from cashier.core.ledger import LineKind
from cashier.core.messages import Message, render
from cashier.db.debt_rows import tiers_text as _tiers_text
from cashier.db.postgres.pg_base import PgStoreBase, constraint_of
from cashier.db.postgres.rows import payment_payload
from cashier.services.ports.outbox import APPLIED, REFUND_CASE, ApplyResult, OutboxItem

_UPLOADING = Message("outbox.step.uploading")  # what a lost connection was doing


class PgOutboxApply(PgStoreBase):
    def apply(self, item: OutboxItem) -> ApplyResult:
        for attempt in (1, 2):
            try:
                with self._tx(_UPLOADING.code):
                    return self._apply(item)
            except peewee.IntegrityError as exc:
                name = constraint_of(exc)
                if name == "payment_line_one_settling" and attempt == 1:
                    continue  # another counter got in between: the second run sees its payment
                prior = self._prior(item)  # whichever key refused it, a racing twin may have won
                if prior is not None:
                    return prior
                if name == "payment_station_receipt":
                    raise Conflict("outbox.receipt_taken", receipt=item.payment.receipt_no,
                                   station=item.station) from exc
                raise Conflict("outbox.refused", receipt=item.payment.receipt_no, detail=str(exc)) from exc
        raise AssertionError("unreachable")  # pragma: no cover

    def last_sequence(self, station: str) -> int:
        r = self._q1("SELECT last_sequence FROM outbox_station WHERE station = %s", (station,))
        return int(r[0]) if r else 0

    def _prior(self, item: OutboxItem) -> ApplyResult | None:
        r = self._q1("SELECT client_uuid::text, outcome, receipt_no, refund_bills FROM outbox_receipt "
                     "WHERE client_uuid = %s OR (station = %s AND sequence = %s) "
                     "ORDER BY (client_uuid = %s) DESC LIMIT 1",
                     (item.client_uuid, item.station, item.sequence, item.client_uuid))
        if r is None:
            return None
        if r[0] != item.client_uuid:
            raise Conflict("outbox.sequence_reused", station=item.station, sequence=item.sequence, receipt=r[2])
        return ApplyResult(outcome=r[1], receipt_no=r[2], refund_bills=tuple(json.loads(r[3])), duplicate=True)

    def _apply(self, item: OutboxItem) -> ApplyResult:
        # two uploads of one payment (two sync threads, a re-send while the first still runs)
        # queue here; the second then finds the first's row
        self._q1("SELECT pg_advisory_xact_lock(hashtext(%s))", (item.client_uuid,))
        prior = self._prior(item)
        if prior is not None:
            return prior
        p = item.payment
        if item.station != self.station or p.station != item.station:
            raise Conflict("outbox.wrong_station", station=item.station, here=self.station)
        user = self._q1("SELECT id FROM app_user WHERE username = %s", (p.cashier_username,))
        if user is None:
            raise NotFound("outbox.unknown_cashier", username=p.cashier_username, receipt=p.receipt_no)
        customer = self._q1("SELECT id FROM customer WHERE code = %s", (p.customer.code,))
        if customer is None:
            raise NotFound("outbox.unknown_customer", code=p.customer.code, receipt=p.receipt_no)
        bills = {r[1]: r for r in self._q(
            "SELECT b.id, b.bill_id, b.status, (SELECT q.receipt_no FROM payment_line l JOIN payment q "
            "ON q.id = l.payment_id WHERE l.bill_row = b.id AND l.active AND l.settles) "
            "FROM bill b WHERE b.customer_id = %s ORDER BY b.id FOR UPDATE OF b", (customer[0],))}
        bill_lines = [ln for ln in p.lines if ln.kind is LineKind.BILL]
        unknown = [ln.bill_id for ln in bill_lines if ln.bill_id not in bills]
        if unknown:
            raise NotFound("outbox.unknown_bill", bill=unknown[0], code=p.customer.code, receipt=p.receipt_no)
        # collected twice: the bill has another live settling payment, or is no longer unpaid
        twice = {ln.bill_id: bills[ln.bill_id][3] or bills[ln.bill_id][2] for ln in bill_lines
                 if bills[ln.bill_id][3] is not None or bills[ln.bill_id][2] != "unpaid"}
        t = iso(p.created_at)
        now = iso(SystemClock().now())
        shift_id = self._server_shift(item, int(user[0]), now)
        stored = replace(p, shift_id=shift_id, cashier_id=int(user[0]), idempotency_key=None)
        payload: dict[str, Any] = {**payment_payload(stored), "client_uuid": item.client_uuid,
                                   "outbox_sequence": item.sequence, "local_journal_seq": p.journal_seq}
        if twice:
            payload["refund_bills"] = sorted(twice)
        entry = self._append("payment", payload, t, station=item.station)
        verification = jr.verification_code(self.secret(), entry.hash)
        c = p.customer
        pid = int(self._q1(
            "INSERT INTO payment (receipt_no, station, shift_id, cashier_id, cashier_username, cashier_name, "
            "cashier_code, customer_code, customer_name, customer_address, customer_book, customer_book_pos, "
            "customer_phone, customer_unit, total, tendered, change_amount, method, bank_ref, created_at, status, "
            "print_count, printed, journal_seq, verification, transfer_amount) VALUES "
            "(%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,'active',%s,%s,%s,%s,%s) RETURNING id",
            (p.receipt_no, p.station, shift_id, user[0], p.cashier_username, p.cashier_name, p.cashier_code,
             c.code, c.name, c.address, c.book, c.book_pos, c.phone, c.unit_code, p.total, p.tendered, p.change,
             p.method.value, p.bank_ref, t, p.print_count, p.printed, entry.seq, verification,
             p.transfer_amount))[0])  # type: ignore[index]
        for i, ln in enumerate(p.lines, 1):
            row = bills[ln.bill_id][0] if ln.kind is LineKind.BILL else None
            self._x("INSERT INTO payment_line (payment_id, line_no, kind, bill_row, bill_id, ky, thang, nam, kwh, "
                    "bill_amount, vat, bill_total, series, number, reading_start, reading_end, tiers, amount, "
                    "settles, active) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                    (pid, i, ln.kind.value, row, ln.bill_id, ln.ky, ln.thang, ln.nam, ln.kwh, ln.bill_amount, ln.vat,
                     ln.bill_total, ln.series, ln.number, ln.reading_start, ln.reading_end, _tiers_text(ln.tiers),
                     ln.amount, bool(ln.settles), ln.bill_id not in twice))
        settled = [bills[ln.bill_id][0] for ln in bill_lines if ln.settles and ln.bill_id not in twice]
        if settled and self._x("UPDATE bill SET status = 'collected', status_changed_at = %s "
                               "WHERE id = ANY(%s) AND status = 'unpaid'", (t, settled)) != len(settled):
            raise Conflict("ledger.already_collected", bill=",".join(sorted(twice)) or "?", receipt="?")
        for ln in bill_lines:
            if ln.bill_id in twice:
                reason = render("outbox.collected_twice", "vi", {"other": twice[ln.bill_id]})
                self._x("INSERT INTO refund_case (customer_code, customer_name, customer_address, customer_phone, "
                        "bill_id, receipt_no, amount, reason, created_at, status) "
                        "VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,'open') ON CONFLICT (receipt_no, bill_id) DO NOTHING",
                        (c.code, c.name, c.address, c.phone, ln.bill_id, p.receipt_no, ln.amount, reason, now))
        outcome = REFUND_CASE if twice else APPLIED
        refund_bills = tuple(sorted(twice))
        self._x("INSERT INTO outbox_receipt (client_uuid, station, sequence, receipt_no, payment_id, outcome, "
                "refund_bills, applied_at) VALUES (%s,%s,%s,%s,%s,%s,%s,%s)",
                (item.client_uuid, item.station, item.sequence, p.receipt_no, pid, outcome,
                 json.dumps(list(refund_bills)), now))
        self._x("INSERT INTO outbox_station (station, last_sequence, updated_at) VALUES (%s, %s, %s) "
                "ON CONFLICT (station) DO UPDATE SET last_sequence = greatest(outbox_station.last_sequence, "
                "excluded.last_sequence), updated_at = excluded.updated_at", (item.station, item.sequence, now))
        return ApplyResult(outcome=outcome, receipt_no=p.receipt_no, refund_bills=refund_bills)

    def _server_shift(self, item: OutboxItem, user_id: int, now: str) -> int:
        """The server shift holding this offline shift's payments (made on its first payment)."""
        local = item.payment.shift_id
        r = self._q1("SELECT shift_id FROM outbox_shift WHERE station = %s AND local_shift_id = %s",
                     (item.station, local))
        if r is not None:
            return int(r[0])
        sid = int(self._q1("INSERT INTO shift (station, user_id, opened_at, opening_float, closed_at) "
                           "VALUES (%s, %s, %s, %s, %s) RETURNING id",
                           (item.station, user_id, item.shift_opened_at, item.shift_opening_float, now))[0])  # type: ignore[index]
        self._x("INSERT INTO outbox_shift (station, local_shift_id, shift_id) VALUES (%s, %s, %s)",
                (item.station, local, sid))
        return sid
