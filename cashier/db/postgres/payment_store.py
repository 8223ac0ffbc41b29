"""Customers, bills and payments on the PostgreSQL server, shared by every counter.

``commit_payment`` is ONE transaction: it locks the customer's bill rows (``FOR UPDATE``, in id
order: two counters on the same customer queue, never deadlock; a wait past the connection's
``lock_timeout``, connection.LOCK_TIMEOUT, is ``storage.busy``), re-reads the bills as they are
*now* (another counter may have just collected them: the planner then refuses with that
counter's receipt number), allocates this station's next
gapless receipt number (its ``counter`` row), appends the entry to this station's journal chain,
and writes the payment, its lines, the bills' status and any reconnection order. After a crash
either all of it is on the server or none of it.

The partial unique index ``payment_line_one_settling`` is the last line of defence: should two
transactions ever get past the re-read (a code path that does not lock), the second one's line
insert fails and becomes the same ``ledger.already_collected`` refusal SQLite gives.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime

import peewee

from cashier.core import journal as jr
from cashier.core.clock import iso, parse_iso
from cashier.core.debt import Bill, BillStatus, Customer
from cashier.core.errors import Conflict, NotFound
from cashier.core.ledger import (
    CustomerSnapshot,
    LineKind,
    OrderStatus,
    Payment,
    PaymentLine,
    PaymentPlan,
    PaymentRequest,
    ReconnectionOrder,
    Shift,
    User,
)
from cashier.db.debt_rows import tiers as _tiers
from cashier.db.debt_rows import tiers_text as _tiers_text
from cashier.db.postgres.pg_base import PgStoreBase, constraint_of
from cashier.db.postgres.rows import LINE_COLS, PAYMENT_COLS, payment_payload
from cashier.db.postgres.rows import line as _line
from cashier.db.postgres.rows import payment as _payment

Planner = Callable[[Customer, Sequence[Bill], Mapping[str, int], bool], PaymentPlan]


class PgPaymentMixin(PgStoreBase):
    # -- customers and bills --------------------------------------------------------------
    def _customer_and_bills(self, code: str, *, lock: bool = False) -> tuple[Customer, list[Bill]] | None:
        c = self._q1("SELECT id, code, name, address, unit_code, phone, book, book_pos, disconnected "
                     "FROM customer WHERE code = %s", (code,))
        if c is None:
            return None
        customer = Customer(id=c[0], code=c[1], name=c[2], address=c[3], unit_code=c[4], phone=c[5], book=c[6],
                            book_pos=c[7], disconnected=bool(c[8]))
        if lock:  # other counters' payments on this customer wait here; then the read below is fresh
            self._q("SELECT id FROM bill WHERE customer_id = %s ORDER BY id FOR UPDATE", (c[0],))
        rows = self._q(
            "SELECT b.id, b.bill_id, b.ky, b.thang, b.nam, b.kwh, b.amount, b.vat, b.total, b.status, "
            "b.series, b.number, b.reading_start, b.reading_end, b.tiers, b.double_collection, "
            "(SELECT p.receipt_no FROM payment_line l JOIN payment p ON p.id = l.payment_id "
            " WHERE l.bill_row = b.id AND l.active AND l.settles) "
            "FROM bill b WHERE b.customer_id = %s ORDER BY b.nam, b.thang, b.ky, b.bill_id", (c[0],))
        bills = [
            Bill(customer_code=customer.code, id=r[0], bill_id=r[1], ky=r[2], thang=r[3], nam=r[4], kwh=r[5] or 0,
                 amount=r[6], vat=r[7], total=r[8], status=BillStatus(r[9]), series=r[10] or "",
                 number=r[11] or "", reading_start=r[12], reading_end=r[13], tiers=_tiers(r[14]),
                 double_collection=bool(r[15]), receipt=r[16])
            for r in rows
        ]
        return customer, bills

    def customer_with_bills(self, code: str) -> tuple[Customer, list[Bill]] | None:
        return self._customer_and_bills(code)

    def partial_paid(self, customer_code: str) -> dict[str, int]:
        return {r[0]: int(r[1]) for r in self._q(
            "SELECT b.bill_id, sum(l.amount) FROM payment_line l JOIN bill b ON b.id = l.bill_row "
            "WHERE b.customer_code = %s AND l.active AND NOT l.settles GROUP BY b.bill_id", (customer_code,))}

    def receipts_for_bills(self, bill_rows: Sequence[int]) -> dict[int, str]:
        if not bill_rows:
            return {}
        return dict(self._q("SELECT l.bill_row, p.receipt_no FROM payment_line l JOIN payment p ON p.id = l.payment_id "
                            "WHERE l.active AND l.settles AND l.bill_row = ANY(%s)", (list(bill_rows),)))

    # -- payments -------------------------------------------------------------------------
    def find_by_key(self, key: str) -> tuple[Payment, str] | None:
        r = self._q1("SELECT receipt_no, request_fp FROM payment WHERE idempotency_key = %s", (key,))
        if r is None:
            return None
        return self.payment(r[0]), r[1]  # type: ignore[return-value]

    def commit_payment(self, *, request: PaymentRequest, planner: Planner, shift: Shift, cashier: User,
                       ts: datetime, approval_id: int | None = None, release_lost_by: User | None = None) -> Payment:
        fp = json.dumps(request.fingerprint(), sort_keys=True)
        key = request.idempotency_key
        try:
            with self._tx("storage.step.collecting"):
                return self._commit(request, planner, shift, cashier, ts, fp, approval_id, release_lost_by)
        except peewee.IntegrityError as exc:
            name = constraint_of(exc)
            if name == "payment_idempotency_key_key" and key is not None:
                prior = self.find_by_key(key)
                if prior is not None:
                    return prior[0]
            if name == "payment_line_one_settling":
                raise self._already_collected(request) from exc
            raise Conflict("ledger.db_refused", detail=str(exc)) from exc

    def _already_collected(self, request: PaymentRequest) -> Conflict:
        """The refusal after the unique index decided: which bill, and the receipt that has it."""
        found = self._q("SELECT b.bill_id, p.receipt_no FROM bill b JOIN payment_line l ON l.bill_row = b.id "
                        "AND l.active AND l.settles JOIN payment p ON p.id = l.payment_id "
                        "WHERE b.customer_code = %s ORDER BY b.nam, b.thang, b.ky", (request.customer_code,))
        wanted = [r for r in found if request.bill_ids is None or r[0] in request.bill_ids]
        bill, receipt = wanted[0] if wanted else (",".join(request.bill_ids or ()) or "?", "?")
        return Conflict("ledger.already_collected", bill=bill, receipt=receipt)

    def _commit(self, request: PaymentRequest, planner: Planner, shift: Shift, cashier: User, ts: datetime,
                fp: str, approval_id: int | None, release_lost_by: User | None) -> Payment:
        t = iso(ts)
        key = request.idempotency_key
        if key is not None:
            prior = self._q1("SELECT receipt_no, request_fp FROM payment WHERE idempotency_key = %s", (key,))
            if prior is not None:
                if prior[1] != fp:
                    raise Conflict("ledger.key_reused", key=key, receipt=prior[0])
                return self.payment(prior[0])  # type: ignore[return-value]
        srow = self._q1("SELECT closed_at FROM shift WHERE id = %s FOR SHARE", (shift.id,))
        if srow is None or srow[0] is not None:
            raise Conflict("shift.closed", shift=shift.id)
        found = self._customer_and_bills(request.customer_code, lock=True)
        if found is None:
            raise NotFound("ledger.unknown_customer", code=request.customer_code)
        customer, bills = found
        paid = self.partial_paid(customer.code) if bills else {}
        order_open = self._q1("SELECT 1 FROM reconnection_order WHERE customer_code = %s AND status = 'open' LIMIT 1",
                              (customer.code,)) is not None
        plan = planner(customer, bills, paid, order_open)
        station = shift.station
        n = int(self._q1("INSERT INTO counter (station, name, value) VALUES (%s, 'receipt', 1) "
                         "ON CONFLICT (station, name) DO UPDATE SET value = counter.value + 1 RETURNING value",
                         (station,))[0])  # type: ignore[index]
        receipt = f"{station}-{n:07d}"
        payment = Payment(
            receipt_no=receipt, station=station, shift_id=shift.id, cashier_id=cashier.id,
            cashier_username=cashier.username, cashier_name=cashier.full_name, cashier_code=cashier.cashier_code,
            customer=CustomerSnapshot.of(customer), lines=plan.lines, total=plan.total, tendered=plan.tendered,
            change=plan.change, method=request.method, bank_ref=request.bank_ref, created_at=ts,
            idempotency_key=key, transfer_amount=plan.transfer_amount,
        )
        payload = payment_payload(payment)
        if approval_id is not None:
            payload["override"] = approval_id
        bill_ids = [ln.bill_id for ln in plan.lines if ln.kind is LineKind.BILL]
        lost = self._q("SELECT bill_id, receipt, restore_seq FROM lost_bill WHERE released_by IS NULL "
                       "AND bill_id = ANY(%s) ORDER BY bill_id", (bill_ids,)) if bill_ids else []
        if lost:
            if release_lost_by is None:
                raise Conflict("ledger.lost_bill", bill=lost[0][0], receipt=lost[0][1], seq=lost[0][2])
            payload["released_lost"] = [r[0] for r in lost]
            payload["released_by"] = release_lost_by.id
        entry = self._append("payment", payload, t, station=station)
        if lost and release_lost_by is not None:
            self._x("UPDATE lost_bill SET released_by = %s, released_receipt = %s, released_at = %s "
                    "WHERE bill_id = ANY(%s)", (release_lost_by.id, receipt, t, [r[0] for r in lost]))
        verification = jr.verification_code(self.secret(), entry.hash)
        c = payment.customer
        pid = int(self._q1(
            "INSERT INTO payment (receipt_no, station, shift_id, cashier_id, cashier_username, cashier_name, "
            "cashier_code, customer_code, customer_name, customer_address, customer_book, customer_book_pos, "
            "customer_phone, customer_unit, total, tendered, change_amount, method, bank_ref, created_at, status, "
            "print_count, printed, journal_seq, verification, idempotency_key, request_fp, transfer_amount) VALUES "
            "(%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,'active',1,NULL,%s,%s,%s,%s,%s) RETURNING id",
            (receipt, station, shift.id, cashier.id, cashier.username, cashier.full_name, cashier.cashier_code,
             c.code, c.name, c.address, c.book, c.book_pos, c.phone, c.unit_code, plan.total, plan.tendered,
             plan.change, request.method.value, request.bank_ref, t, entry.seq, verification, key, fp,
             plan.transfer_amount))[0])  # type: ignore[index]
        rows = [(pid, i, ln.kind.value, ln.bill_row, ln.bill_id, ln.ky, ln.thang, ln.nam, ln.kwh, ln.bill_amount,
                 ln.vat, ln.bill_total, ln.series, ln.number, ln.reading_start, ln.reading_end, _tiers_text(ln.tiers),
                 ln.amount, bool(ln.settles)) for i, ln in enumerate(plan.lines, 1)]
        self._x("INSERT INTO payment_line (payment_id, line_no, kind, bill_row, bill_id, ky, thang, nam, kwh, "
                "bill_amount, vat, bill_total, series, number, reading_start, reading_end, tiers, amount, settles) "
                "VALUES " + ", ".join(["(%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)"] * len(rows)),
                [v for row in rows for v in row])
        settled = [ln.bill_row for ln in plan.lines if ln.kind is LineKind.BILL and ln.settles]
        if settled and self._x("UPDATE bill SET status = 'collected', status_changed_at = %s "
                               "WHERE id = ANY(%s) AND status = 'unpaid'", (t, settled)) != len(settled):
            raise Conflict("ledger.already_collected", bill=",".join(bill_ids), receipt="?")
        if plan.reconnection:
            fee = sum(ln.amount for ln in plan.lines if ln.kind is LineKind.RECONNECTION_FEE)
            self._x("INSERT INTO reconnection_order (customer_id, customer_code, customer_name, customer_address, "
                    "customer_book, customer_book_pos, customer_phone, payment_id, fee, created_at, cashier_name, "
                    "cashier_code, status) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,'open')",
                    (customer.id, c.code, c.name, c.address, c.book, c.book_pos, c.phone, pid, fee, t,
                     cashier.full_name, cashier.cashier_code))
        return replace(payment, id=pid, journal_seq=entry.seq, verification=verification)

    def payment(self, receipt_no: str) -> Payment | None:
        r = self._q1(f"SELECT {PAYMENT_COLS} FROM payment p LEFT JOIN void v ON v.payment_id = p.id "
                     "WHERE p.receipt_no = %s", (receipt_no,))
        if r is None:
            return None
        lines = self._q(f"SELECT {LINE_COLS} FROM payment_line WHERE payment_id = %s ORDER BY line_no", (r[0],))
        return _payment(r, [_line(x) for x in lines])

    def payments(self, *, date: str | None = None, shift_id: int | None = None, not_exported: bool = False,
                 status: str | None = None, station: str | None = None) -> list[Payment]:
        """Payments of every counter (``station``: of one), in commit order."""
        where: list[str] = []
        params: list = []
        if date:  # 'YYYY-MM-DD' (Vietnam time): a range, so the created_at index is used
            where.append("p.created_at >= %s AND p.created_at < %s")
            params += [f"{date}T", f"{date}U"]
        if shift_id is not None:
            where.append("p.shift_id = %s")
            params.append(shift_id)
        if not_exported:
            where.append("p.exported_batch IS NULL AND p.status = 'active'")
        if status:
            where.append("p.status = %s")
            params.append(status)
        if station:
            where.append("p.station = %s")
            params.append(station)
        sql = f"SELECT {PAYMENT_COLS} FROM payment p LEFT JOIN void v ON v.payment_id = p.id"
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self._q(sql + " ORDER BY p.id", params)
        by_payment: dict[int, list[PaymentLine]] = {r[0]: [] for r in rows}
        if rows:
            for x in self._q(f"SELECT {LINE_COLS} FROM payment_line WHERE payment_id = ANY(%s) "
                             "ORDER BY payment_id, line_no", (list(by_payment),)):
                by_payment[x[0]].append(_line(x))
        return [_payment(r, by_payment[r[0]]) for r in rows]

    # -- reconnection orders --------------------------------------------------------------
    def reconnection_orders(self, status: str | None = None, *, station: str | None = None) -> list[ReconnectionOrder]:
        sql = ("SELECT o.id, o.customer_code, o.customer_name, o.customer_address, o.customer_book, "
               "o.customer_book_pos, o.customer_phone, p.receipt_no, o.fee, o.created_at, o.cashier_name, "
               "o.cashier_code, o.status FROM reconnection_order o JOIN payment p ON p.id = o.payment_id")
        where, params = [], []
        if status:
            where.append("o.status = %s")
            params.append(status)
        if station:
            where.append("p.station = %s")
            params.append(station)
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [
            ReconnectionOrder(
                id=r[0], customer=CustomerSnapshot(code=r[1], name=r[2], address=r[3], book=r[4], book_pos=r[5],
                                                   phone=r[6]),
                receipt_no=r[7], fee=r[8], created_at=parse_iso(r[9]), cashier_name=r[10], cashier_code=r[11],
                status=OrderStatus(r[12]),
            )
            for r in self._q(sql + " ORDER BY o.id", params)
        ]

    def set_order_status(self, order_id: int, status: str, *, user: User, ts: datetime) -> None:
        t = iso(ts)
        value = OrderStatus(status).value
        with self._tx():
            r = self._q1("UPDATE reconnection_order o SET status = %s FROM payment p WHERE o.id = %s "
                         "AND p.id = o.payment_id RETURNING p.station", (value, order_id))
            if r is None:
                raise NotFound("order.unknown", order=order_id)
            self._append("order", {"order": order_id, "status": status, "by": user.id}, t, station=r[0])
