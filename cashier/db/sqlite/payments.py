"""Payments and baskets on the station's SQLite database (implements
``services.ports.payments.PaymentStore``).

The counter's hot path: raw SQL on the peewee connection (DESIGN.md §4: peewee p99 2.4 ms vs
raw 0.8 ms). ``commit_payment`` is ONE ``BEGIN IMMEDIATE`` transaction (see journal.py) that
re-reads the customer's bills under the write lock, takes the station's next receipt number
and writes the payment, its lines, the bills' status and the journal entry together; the
partial unique index ``payment_line_one_settling`` is the last line of defence against a bill
settled twice. ``commit_basket`` is ONE transaction too: the basket row, each customer's
payment through ``commit_payment`` (a savepoint inside it), then the basket's journal entry -
any refusal leaves nothing (no payment, no journal entry, no receipt number used).
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime

import peewee

from cashier.core import journal as jr
from cashier.core.basket import BasketInfo, BasketResult, basket_code, check_totals, refusal
from cashier.core.clock import iso
from cashier.core.debt import Bill, Customer
from cashier.core.errors import Conflict, DomainError, NotFound
from cashier.core.ledger import CustomerSnapshot, LineKind, Payment, PaymentRequest, Shift, User
from cashier.core.messages import Message
from cashier.db.debt_rows import tiers_text
from cashier.db.journal_payloads import basket_payload, payment_payload
from cashier.db.sqlite import errors as sqlite_errors
from cashier.db.sqlite import payment_rows as pr
from cashier.db.sqlite.journal import SqliteJournal, next_counter
from cashier.db.sqlite.rows import row
from cashier.services.ports.payments import Planner

_SQLITE_INTEGRITY = (sqlite3.IntegrityError, peewee.IntegrityError)
_PAID_SQL = (
    "SELECT b.bill_id, sum(l.amount) FROM payment_line l JOIN bill b ON b.id = l.bill_row "
    "WHERE b.{col} = ? AND l.active = 1 AND l.settles = 0 GROUP BY b.bill_id"
)


class SqlitePayments:
    def __init__(self, journal: SqliteJournal) -> None:
        self._j = journal

    # -- lookups --------------------------------------------------------------------------
    def customer_with_bills(self, code: str) -> tuple[Customer, list[Bill]] | None:
        return pr.customer_and_bills(self._j.conn(), code)

    def partial_paid(self, customer_code: str) -> dict[str, int]:
        return dict(self._j.conn().execute(_PAID_SQL.format(col="customer_code"), (customer_code,)).fetchall())

    def find_by_key(self, key: str) -> tuple[Payment, str] | None:
        conn = self._j.conn()
        r = row(conn, "SELECT receipt_no, request_fp FROM payment WHERE idempotency_key = ?", (key,))
        if r is None:
            return None
        return pr.payment_by_receipt(conn, r.receipt_no), r.request_fp  # type: ignore[return-value]

    def payment(self, receipt_no: str) -> Payment | None:
        return pr.payment_by_receipt(self._j.conn(), receipt_no)

    def payments(
        self,
        *,
        date: str | None = None,
        shift_id: int | None = None,
        not_exported: bool = False,
        status: str | None = None,
        station: str | None = None,
    ) -> list[Payment]:
        where: list[str] = []
        params: list[object] = []
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
        if station:
            where.append("p.station = ?")
            params.append(station)
        return pr.payments_where(self._j.conn(), where, params)

    def basket_of(self, receipt_no: str) -> BasketInfo | None:
        r = self._j.conn().execute(
            "SELECT b.code FROM payment p JOIN basket b ON b.id = p.basket_id WHERE p.receipt_no = ?", (receipt_no,)
        ).fetchone()
        return self._basket_info(r[0]) if r else None

    def _basket_info(self, code: str) -> BasketInfo | None:
        conn = self._j.conn()
        r = row(conn, "SELECT id, code, total, tendered, change_amount, journal_seq FROM basket WHERE code = ?", (code,))
        if r is None:
            return None
        receipts = tuple(x[0] for x in conn.execute(
            "SELECT receipt_no FROM payment WHERE basket_id = ? ORDER BY basket_pos", (r.id,)))  # fmt: skip
        return BasketInfo(code=r.code, total=r.total, tendered=r.tendered, change=r.change_amount,
                          receipts=receipts, journal_seq=r.journal_seq or 0, id=r.id)  # fmt: skip

    def basket(self, code: str) -> BasketResult | None:
        info = self._basket_info(code)
        if info is None:
            return None
        payments = tuple(p for p in (self.payment(r) for r in info.receipts) if p is not None)
        return BasketResult(basket=info, payments=payments)

    # -- commit_payment -------------------------------------------------------------------
    def commit_payment(
        self,
        *,
        request: PaymentRequest,
        planner: Planner,
        shift: Shift,
        cashier: User,
        ts: datetime,
        approval_id: int | None = None,
        release_lost_by: User | None = None,
    ) -> Payment:
        fp = json.dumps(request.fingerprint(), sort_keys=True)
        key = request.idempotency_key
        try:
            with self._j.tx() as conn:
                if key is not None:
                    prior = conn.execute(
                        "SELECT receipt_no, request_fp FROM payment WHERE idempotency_key = ?", (key,)
                    ).fetchone()
                    if prior is not None:
                        if prior[1] != fp:
                            raise Conflict("ledger.key_reused", key=key, receipt=prior[0])
                        return pr.payment_by_receipt(conn, prior[0])  # type: ignore[return-value]
                return self._commit(conn, request, planner, shift, cashier, ts, fp, approval_id, release_lost_by)
        except _SQLITE_INTEGRITY as exc:
            # the unique indexes are the last line of defence (the re-checks normally answer)
            msg = str(exc)
            if "idempotency_key" in msg and key is not None:
                found = self.find_by_key(key)
                if found is not None:
                    return found[0]
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

    def _commit(
        self,
        conn: sqlite3.Connection,
        request: PaymentRequest,
        planner: Planner,
        shift: Shift,
        cashier: User,
        ts: datetime,
        fp: str,
        approval_id: int | None,
        release_lost_by: User | None,
    ) -> Payment:
        """The body of commit_payment, inside its transaction."""
        t = iso(ts)
        srow = conn.execute("SELECT closed_at FROM shift WHERE id = ?", (shift.id,)).fetchone()
        if srow is None or srow[0] is not None:
            raise Conflict("shift.closed", shift=shift.id)
        found = pr.customer_and_bills(conn, request.customer_code)
        if found is None:
            raise NotFound("ledger.unknown_customer", code=request.customer_code)
        customer, bills = found
        paid = dict(conn.execute(_PAID_SQL.format(col="customer_id"), (customer.id,)).fetchall()) if bills else {}
        order_open = conn.execute(
            "SELECT 1 FROM reconnection_order WHERE customer_code = ? AND status = 'open' LIMIT 1", (customer.code,)
        ).fetchone() is not None  # fmt: skip
        plan = planner(customer, bills, paid, order_open)
        station = shift.station
        seq = next_counter(conn, station, "receipt")
        receipt = f"{station}-{seq:07d}"
        payment = Payment(
            receipt_no=receipt, station=station, shift_id=shift.id, cashier_id=cashier.id,
            cashier_username=cashier.username, cashier_name=cashier.full_name, cashier_code=cashier.cashier_code,
            customer=CustomerSnapshot.of(customer), lines=plan.lines, total=plan.total, tendered=plan.tendered,
            change=plan.change, method=request.method, bank_ref=request.bank_ref, created_at=ts,
            idempotency_key=request.idempotency_key, transfer_amount=plan.transfer_amount,
        )  # fmt: skip
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
        entry = self._j.append(conn, "payment", payload, t)
        if lost and release_lost_by is not None:
            marks = ",".join("?" * len(lost))
            conn.execute(
                f"UPDATE lost_bill SET released_by = ?, released_receipt = ?, released_at = ? WHERE bill_id IN ({marks})",
                (release_lost_by.id, receipt, t, *[r[0] for r in lost]),
            )
        verification = jr.verification_code(self._j.secret(), entry.hash)
        c = payment.customer
        pid = conn.execute(
            "INSERT INTO payment(receipt_no, station, shift_id, cashier_id, cashier_username, "
            "cashier_name, cashier_code, customer_code, customer_name, customer_address, "
            "customer_book, customer_book_pos, customer_phone, customer_unit, total, tendered, "
            "change_amount, method, bank_ref, created_at, status, print_count, printed, "
            "journal_seq, verification, idempotency_key, request_fp, transfer_amount, client_uuid, client_seq) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'active',1,NULL,?,?,?,?,?,?,?)",
            (receipt, station, shift.id, cashier.id, cashier.username, cashier.full_name,
             cashier.cashier_code, c.code, c.name, c.address, c.book, c.book_pos, c.phone,
             c.unit_code, plan.total, plan.tendered, plan.change, request.method.value,
             request.bank_ref, t, entry.seq, verification, request.idempotency_key, fp, plan.transfer_amount,
             str(uuid.uuid4()), seq),  # the outbox's identity and order (issue 13: sqlite/outbox.py)
        ).lastrowid  # fmt: skip
        for i, ln in enumerate(plan.lines, 1):
            conn.execute(
                "INSERT INTO payment_line(payment_id, line_no, kind, bill_row, bill_id, ky, thang, "
                "nam, kwh, bill_amount, vat, bill_total, series, number, reading_start, "
                "reading_end, tiers, amount, settles, active) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1)",
                (pid, i, ln.kind.value, ln.bill_row, ln.bill_id, ln.ky, ln.thang, ln.nam, ln.kwh,
                 ln.bill_amount, ln.vat, ln.bill_total, ln.series, ln.number, ln.reading_start,
                 ln.reading_end, tiers_text(ln.tiers), ln.amount, int(ln.settles)),
            )  # fmt: skip
            if ln.kind is LineKind.BILL and ln.settles:
                upd = conn.execute(
                    "UPDATE bill SET status = 'collected', status_changed_at = ? WHERE id = ? AND status = 'unpaid'",
                    (t, ln.bill_row),
                )
                if upd.rowcount != 1:
                    raise Conflict("ledger.already_collected", bill=ln.bill_id, receipt="?")
        if plan.reconnection:
            fee = sum(ln.amount for ln in plan.lines if ln.kind is LineKind.RECONNECTION_FEE)
            conn.execute(
                "INSERT INTO reconnection_order(customer_id, customer_code, customer_name, "
                "customer_address, customer_book, customer_book_pos, customer_phone, payment_id, "
                "fee, created_at, cashier_name, cashier_code, status) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,'open')",
                (customer.id, c.code, c.name, c.address, c.book, c.book_pos, c.phone, pid, fee, t,
                 cashier.full_name, cashier.cashier_code),
            )  # fmt: skip
        return replace(payment, id=pid, journal_seq=entry.seq, verification=verification)

    @staticmethod
    def _lost_bills(conn: sqlite3.Connection, bill_ids: Sequence[str]) -> list[tuple[str, str, int]]:
        if not bill_ids:
            return []
        marks = ",".join("?" * len(bill_ids))
        return conn.execute(
            f"SELECT bill_id, receipt, restore_seq FROM lost_bill WHERE released_by IS NULL AND bill_id IN ({marks})",
            list(bill_ids),
        ).fetchall()

    # -- commit_basket --------------------------------------------------------------------
    def commit_basket(
        self,
        *,
        requests: Sequence[tuple[PaymentRequest, Planner]],
        settle: Callable[[int], int],
        tendered: int,
        shift: Shift,
        cashier: User,
        ts: datetime,
        idempotency_key: str | None = None,
        fingerprint: str = "",
        release_lost_by: User | None = None,
    ) -> BasketResult:
        t = iso(ts)
        with self._j.tx() as conn:
            if idempotency_key is not None:
                prior = conn.execute(
                    "SELECT code, request_fp FROM basket WHERE idempotency_key = ?", (idempotency_key,)
                ).fetchone()
                if prior is not None:
                    if prior[1] != fingerprint:
                        raise Conflict("basket.key_reused", key=idempotency_key, basket=prior[0])
                    return self.basket(prior[0])  # type: ignore[return-value]
            size = len(requests)
            # the row first (its id links the payments); code, total and change are set below
            bid = conn.execute(
                "INSERT INTO basket(code, station, shift_id, cashier_id, created_at, size, total, tendered, "
                "change_amount, idempotency_key, request_fp) VALUES (?,?,?,?,?,?,?,?,0,?,?)",
                ("pending", shift.station, shift.id, cashier.id, t, size, tendered, tendered, idempotency_key,
                 fingerprint),
            ).lastrowid  # fmt: skip
            payments: list[Payment] = []
            for pos, (req, planner) in enumerate(requests, 1):
                try:
                    p = self.commit_payment(
                        request=req, planner=planner, shift=shift, cashier=cashier, ts=ts,
                        release_lost_by=release_lost_by,
                    )  # fmt: skip
                except DomainError as exc:
                    raise refusal(exc, req.customer_code, pos, size) from exc
                try:
                    conn.execute(
                        "UPDATE payment SET basket_id = ?, basket_pos = ? WHERE receipt_no = ?", (bid, pos, p.receipt_no)
                    )
                except sqlite3.IntegrityError as exc:  # the index: the same customer twice
                    raise refusal(
                        Conflict("basket.duplicate_customer", code=req.customer_code, position=pos),
                        req.customer_code, pos, size,
                    ) from exc  # fmt: skip
                payments.append(p)
            total = sum(p.total for p in payments)
            change = settle(total)
            info = BasketInfo(
                code=basket_code(payments[0].receipt_no), total=total, tendered=tendered, change=change,
                receipts=tuple(p.receipt_no for p in payments), id=bid,
            )  # fmt: skip
            check_totals(info, payments)
            payload = basket_payload(info, station=shift.station, shift_id=shift.id, cashier_id=cashier.id,
                                     created_at=t, customers=[p.customer.code for p in payments])  # fmt: skip
            entry = self._j.append(conn, "basket", payload, t)
            conn.execute(
                "UPDATE basket SET code = ?, total = ?, change_amount = ?, journal_seq = ? WHERE id = ?",
                (info.code, total, change, entry.seq, bid),
            )
        return BasketResult(basket=replace(info, journal_seq=entry.seq), payments=tuple(payments))
