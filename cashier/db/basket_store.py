"""Baskets ("thu gộp", one payer for several customers) on the ledger's SQLite database.

:class:`BasketStoreMixin` is part of ``SqliteLedgerStore``. ``commit_basket`` is ONE write
transaction (BEGIN IMMEDIATE): the basket row, each customer's payment through the store's own
``commit_payment`` (a savepoint inside the transaction: rows, lines, bills collected, receipt
counter, journal entry), then the basket's own journal entry. Any refusal or crash on any
customer leaves nothing: no payment, no journal entry, no receipt number used.

Schema (migration 3, :func:`add_basket_tables`): ``basket`` holds the one tender and change
(CHECK change = tendered - total >= 0); ``payment.basket_id``/``basket_pos`` link each payment;
a unique index refuses the same customer twice in a basket whatever the code does.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

from cashier.core.basket import BasketInfo, BasketResult, basket_code, check_totals, refusal
from cashier.core.clock import iso
from cashier.core.debt import Bill, Customer
from cashier.core.errors import Conflict, DomainError
from cashier.core.ledger import Payment, PaymentPlan, PaymentRequest, Shift, User

Planner = Callable[[Customer, Sequence[Bill], Mapping[str, int], bool], PaymentPlan]

BASKET_DDL = (
    "CREATE TABLE IF NOT EXISTS basket ("
    "id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, station TEXT NOT NULL, "
    "shift_id INTEGER NOT NULL REFERENCES shift(id), cashier_id INTEGER NOT NULL REFERENCES app_user(id), "
    "created_at TEXT NOT NULL, size INTEGER NOT NULL CHECK (size >= 2), "
    "total INTEGER NOT NULL CHECK (total > 0), tendered INTEGER NOT NULL, "
    "change_amount INTEGER NOT NULL CHECK (change_amount >= 0 AND change_amount = tendered - total), "
    "journal_seq INTEGER UNIQUE, idempotency_key TEXT UNIQUE, request_fp TEXT)",
    "CREATE UNIQUE INDEX IF NOT EXISTS payment_basket_customer ON payment (basket_id, customer_code) "
    "WHERE basket_id IS NOT NULL",
    "CREATE UNIQUE INDEX IF NOT EXISTS payment_basket_pos ON payment (basket_id, basket_pos) "
    "WHERE basket_id IS NOT NULL",
)


def add_basket_tables(conn: sqlite3.Connection) -> None:
    """Migration 3 (idempotent): the ``basket`` table, ``payment.basket_id`` and ``basket_pos``."""
    cols = {r[1] for r in conn.execute("PRAGMA table_info(payment)").fetchall()}
    if not cols:
        return
    conn.execute(BASKET_DDL[0])
    if "basket_id" not in cols:
        conn.execute("ALTER TABLE payment ADD COLUMN basket_id INTEGER REFERENCES basket(id)")
    if "basket_pos" not in cols:
        conn.execute("ALTER TABLE payment ADD COLUMN basket_pos INTEGER")
    for stmt in BASKET_DDL[1:]:
        conn.execute(stmt)


def basket_payload(b: BasketInfo, *, station: str, shift_id: int, cashier_id: int, created_at: str,
                   customers: Sequence[str]) -> dict:
    """The journal payload of a basket (written after its payments' entries)."""
    return {
        "basket": b.code,
        "station": station,
        "shift": shift_id,
        "cashier": cashier_id,
        "receipts": list(b.receipts),
        "customers": list(customers),
        "total": b.total,
        "tendered": b.tendered,
        "change": b.change,
        "created_at": created_at,
    }


class BasketStoreMixin:
    """``commit_basket`` and the basket lookups (mixed into ``SqliteLedgerStore``)."""

    # provided by SqliteLedgerStore
    _tx: Callable
    _conn: Callable[[], sqlite3.Connection]
    _append: Callable
    commit_payment: Callable[..., Payment]
    payment: Callable[[str], Payment | None]

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
        """All the basket's payments and the basket, or nothing. ``settle(total)`` returns the
        change of the one tender (raises when short); each ``planner`` plans one customer's
        payment as paid exactly (tendered = total, change 0) and refuses a changed amount."""
        t = iso(ts)
        with self._tx():
            conn = self._conn()
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
                ("pending", shift.station, shift.id, cashier.id, t, size,
                 tendered, tendered, idempotency_key, fingerprint),
            ).lastrowid
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
                        "UPDATE payment SET basket_id = ?, basket_pos = ? WHERE receipt_no = ?",
                        (bid, pos, p.receipt_no),
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
            entry = self._append(
                conn, "basket",
                basket_payload(info, station=shift.station, shift_id=shift.id, cashier_id=cashier.id,
                               created_at=t, customers=[p.customer.code for p in payments]),
                t,
            )  # fmt: skip
            conn.execute(
                "UPDATE basket SET code = ?, total = ?, change_amount = ?, journal_seq = ? WHERE id = ?",
                (info.code, total, change, entry.seq, bid),
            )
        return BasketResult(
            basket=BasketInfo(**{**_fields(info), "journal_seq": entry.seq}), payments=tuple(payments)
        )

    def basket_of(self, receipt_no: str) -> BasketInfo | None:
        """The basket a receipt belongs to (None: an ordinary payment)."""
        row = self._conn().execute(
            "SELECT b.code FROM payment p JOIN basket b ON b.id = p.basket_id WHERE p.receipt_no = ?",
            (receipt_no,),
        ).fetchone()
        return self._basket_info(row[0]) if row else None

    def _basket_info(self, code: str) -> BasketInfo | None:
        conn = self._conn()
        r = conn.execute(
            "SELECT id, code, total, tendered, change_amount, journal_seq FROM basket WHERE code = ?", (code,)
        ).fetchone()
        if r is None:
            return None
        receipts = tuple(
            x[0] for x in conn.execute(
                "SELECT receipt_no FROM payment WHERE basket_id = ? ORDER BY basket_pos", (r[0],)
            )
        )  # fmt: skip
        return BasketInfo(code=r[1], total=r[2], tendered=r[3], change=r[4], receipts=receipts,
                          journal_seq=r[5] or 0, id=r[0])

    def basket(self, code: str) -> BasketResult | None:
        info = self._basket_info(code)
        if info is None:
            return None
        payments = tuple(p for p in (self.payment(r) for r in info.receipts) if p is not None)
        return BasketResult(basket=info, payments=payments)

    def basket_rows(self) -> list[tuple]:
        """(code, journal_seq, total, tendered, change, [receipts]) of every basket (verify)."""
        conn = self._conn()
        out = []
        for bid, code, seq, total, tendered, change in conn.execute(
            "SELECT id, code, journal_seq, total, tendered, change_amount FROM basket ORDER BY id"
        ).fetchall():
            receipts = [x[0] for x in conn.execute(
                "SELECT receipt_no FROM payment WHERE basket_id = ? ORDER BY basket_pos", (bid,))]
            out.append((code, seq, total, tendered, change, receipts))
        return out


def _fields(info: BasketInfo) -> dict:
    return {k: getattr(info, k) for k in ("code", "total", "tendered", "change", "receipts", "id")}

