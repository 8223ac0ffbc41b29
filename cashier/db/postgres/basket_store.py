"""Baskets ("thu gộp": one payer, several customers, one tender, one change) on the PostgreSQL
server: ``commit_basket`` is ONE transaction, the basket row, each customer's payment through
``commit_payment`` (a savepoint inside it: its bill lock, receipt number and journal entry), then
the basket's own journal entry. A refusal on any customer leaves nothing: no payment, no journal
entry, no receipt number used (the station's counter row rolls back with the rest). The same
schema and rules as on SQLite (db/basket_store.py): the unique index refuses the same customer
twice in a basket whatever the code does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

import peewee

from cashier.core.basket import BasketInfo, BasketResult, basket_code, check_totals, refusal
from cashier.core.clock import iso
from cashier.core.errors import Conflict, DomainError
from cashier.core.ledger import Payment, PaymentRequest, Shift, User
from cashier.db.journal_payloads import basket_payload
from cashier.db.postgres.payment_store import Planner
from cashier.db.postgres.pg_base import PgStoreBase


class PgBasketMixin(PgStoreBase):
    #: provided by PgPaymentMixin (the ledger store mixes both)
    commit_payment: Callable[..., Payment]
    payment: Callable[[str], Payment | None]

    def commit_basket(self, *, requests: Sequence[tuple[PaymentRequest, Planner]], settle: Callable[[int], int],
                      tendered: int, shift: Shift, cashier: User, ts: datetime, idempotency_key: str | None = None,
                      fingerprint: str = "", release_lost_by: User | None = None) -> BasketResult:
        t = iso(ts)
        with self._tx("storage.step.collecting"):
            if idempotency_key is not None:
                prior = self._q1("SELECT code, request_fp FROM basket WHERE idempotency_key = %s", (idempotency_key,))
                if prior is not None:
                    if prior[1] != fingerprint:
                        raise Conflict("basket.key_reused", key=idempotency_key, basket=prior[0])
                    return self.basket(prior[0])  # type: ignore[return-value]
            size = len(requests)
            # the row first (its id links the payments); code, total and change are set below
            bid = int(self._q1(
                "INSERT INTO basket (code, station, shift_id, cashier_id, created_at, size, total, tendered, "
                "change_amount, idempotency_key, request_fp) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, 0, %s, %s) "
                "RETURNING id", ("pending-" + shift.station + "-" + t, shift.station, shift.id, cashier.id, t, size,
                                 tendered, tendered, idempotency_key, fingerprint))[0])  # type: ignore[index]
            payments: list[Payment] = []
            for pos, (req, planner) in enumerate(requests, 1):
                try:
                    p = self.commit_payment(request=req, planner=planner, shift=shift, cashier=cashier, ts=ts,
                                            release_lost_by=release_lost_by)
                except DomainError as exc:
                    raise refusal(exc, req.customer_code, pos, size) from exc
                try:
                    with self.db.atomic():
                        self._x("UPDATE payment SET basket_id = %s, basket_pos = %s WHERE station = %s "
                                "AND receipt_no = %s", (bid, pos, p.station, p.receipt_no))
                except peewee.IntegrityError as exc:  # the index: the same customer twice
                    raise refusal(Conflict("basket.duplicate_customer", code=req.customer_code, position=pos),
                                  req.customer_code, pos, size) from exc
                payments.append(p)
            total = sum(p.total for p in payments)
            change = settle(total)
            info = BasketInfo(code=basket_code(payments[0].receipt_no), total=total, tendered=tendered, change=change,
                              receipts=tuple(p.receipt_no for p in payments), id=bid)
            check_totals(info, payments)
            entry = self._append("basket", basket_payload(info, station=shift.station, shift_id=shift.id,
                                                          cashier_id=cashier.id, created_at=t,
                                                          customers=[p.customer.code for p in payments]),
                                 t, station=shift.station)
            self._x("UPDATE basket SET code = %s, total = %s, change_amount = %s, journal_seq = %s WHERE id = %s",
                    (info.code, total, change, entry.seq, bid))
        return BasketResult(basket=BasketInfo(code=info.code, total=total, tendered=tendered, change=change,
                                              receipts=info.receipts, id=bid, journal_seq=entry.seq),
                            payments=tuple(payments))

    def basket_of(self, receipt_no: str) -> BasketInfo | None:
        row = self._q1("SELECT b.code FROM payment p JOIN basket b ON b.id = p.basket_id WHERE p.receipt_no = %s",
                       (receipt_no,))
        return self._basket_info(row[0]) if row else None

    def _basket_info(self, code: str) -> BasketInfo | None:
        r = self._q1("SELECT id, code, total, tendered, change_amount, journal_seq FROM basket WHERE code = %s", (code,))
        if r is None:
            return None
        receipts = tuple(x[0] for x in self._q("SELECT receipt_no FROM payment WHERE basket_id = %s "
                                               "ORDER BY basket_pos", (r[0],)))
        return BasketInfo(code=r[1], total=r[2], tendered=r[3], change=r[4], receipts=receipts,
                          journal_seq=r[5] or 0, id=r[0])

    def basket(self, code: str) -> BasketResult | None:
        info = self._basket_info(code)
        if info is None:
            return None
        payments = tuple(p for p in (self.payment(r) for r in info.receipts) if p is not None)
        return BasketResult(basket=info, payments=payments)
