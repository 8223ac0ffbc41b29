"""The database side of the end of day (implements ``services.ports.export.ExportStore``).

* :meth:`SqliteExports.pending` - every active payment not yet exported, and every void of an
  already exported payment not yet sent as a reversal, optionally by date / shift / cashier, as
  :class:`~cashier.core.clearing.ClearingRow` (one per bill line).
* :meth:`SqliteExports.record_batch` - THE one way payments are marked exported: in ONE
  IMMEDIATE transaction it marks exactly those payments/voids (an active payment not in a batch;
  a voided, exported payment whose reversal is not in a batch), refusing the whole batch if any
  of them changed since :meth:`pending`, and records the batch and its rows. The service calls
  it only after the files are written and fsynced.
* :meth:`SqliteExports.batch_rows` - the rows of a recorded batch, rebuilt from the ledger
  (re-writing a batch, verifying a file against the station's payments).
* reconciliation writes (bill status, clearing results, refund cases) and the journal head.

Raw SQL throughout: batches of 100,000 rows (DESIGN.md §4: per-row peewee is ~10x slower).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from cashier.core.clearing import (
    CLEARED,
    PAID_ELSEWHERE,
    PAYMENT,
    REVERSAL,
    ClearingResult,
    ClearingRow,
    sort_rows,
)
from cashier.core.clock import parse_iso
from cashier.core.errors import Conflict, NotFound
from cashier.services.ports.export import Pending

_CHUNK = 5000

_PAYMENT_COLS = """
    p.id, p.receipt_no, p.station, p.cashier_code, p.cashier_username, p.customer_unit,
    p.customer_code, p.customer_name, p.customer_address,
    CASE WHEN p.method = 'cash' AND p.transfer_amount * 2 > p.total THEN 'transfer' ELSE p.method END,
    p.created_at,
    l.id, l.bill_row, l.bill_id, l.ky, l.thang, l.nam, l.bill_amount, l.vat, l.bill_total, l.amount
"""


def _split(bill_amount: int, bill_vat: int, bill_total: int, paid: int) -> tuple[int, int, int]:
    """(SO_TIEN, TIEN_GTGT, TONG_TIEN) of what a line paid.

    A line paying the whole bill carries the bill's own amounts. A partial amount is split in
    the bill's proportion (VAT rounded down, the amount before VAT takes the rest) so that
    SO_TIEN + TIEN_GTGT = TONG_TIEN always holds.
    """
    if paid == bill_total:
        return bill_amount, bill_vat, bill_total
    vat = bill_vat * paid // bill_total if bill_total else 0
    return paid - vat, vat, paid


def _row(rec: Sequence[Any], kind: str, point_code: str, void: tuple[int, str] | None = None) -> ClearingRow:
    (pid, receipt, station, cashier_code, username, unit, code, name, address, method, created_at,
     line_id, bill_row, bill_id, ky, thang, nam, bill_amount, vat, bill_total, paid) = rec[:21]
    amount, vat_paid, total = _split(bill_amount, vat, bill_total, paid)
    sign = -1 if kind == REVERSAL else 1
    when = parse_iso(void[1]) if void else parse_iso(created_at)
    return ClearingRow(
        kind=kind,
        unit_code=unit or code[:6],
        customer_code=code,
        bill_id=bill_id,
        ky=ky,
        thang=thang,
        nam=nam,
        amount=sign * amount,
        vat=sign * vat_paid,
        total=sign * total,
        paid_at=when,
        cashier_code=cashier_code or username,
        point_code=point_code or station,
        receipt_no=receipt,
        method=method,
        station=station,
        customer_name=name,
        address=address,
        payment_id=pid,
        void_id=void[0] if void else None,
        bill_ref=line_id,
    )


class SqliteExports:
    def __init__(self, db: Any, *, point_code: str = "") -> None:
        self.db = db
        self.point_code = point_code

    def _q(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return list(self.db.execute_sql(sql, tuple(params)).fetchall())

    # -- selection ------------------------------------------------------------------------
    def pending(
        self,
        *,
        date: str | None = None,
        shift: int | None = None,
        cashier: str | None = None,
        station: str | None = None,
    ) -> Pending:
        where = ["p.exported_batch IS NULL", "p.status = 'active'"]
        params: list[Any] = []
        if station:
            where.append("p.station = ?")
            params.append(station)
        if date:
            where.append("substr(p.created_at, 1, 10) = ?")
            params.append(date)
        if shift is not None:
            where.append("p.shift_id = ?")
            params.append(int(shift))
        if cashier:
            where.append("(p.cashier_username = ? OR p.cashier_code = ?)")
            params += [cashier, cashier]
        cond = " AND ".join(where)
        with self.db.atomic():  # one read snapshot for both selections
            # payments with at least one bill line (a payment of the reconnection fee alone clears
            # nothing in CMIS and stays out of the clearing file)
            pay_ids = [r[0] for r in self._q(
                f"SELECT p.id FROM payment p WHERE {cond} AND EXISTS (SELECT 1 FROM payment_line l "
                "WHERE l.payment_id = p.id AND l.kind = 'bill') ORDER BY p.id", params)]
            recs = self._q(
                f"SELECT {_PAYMENT_COLS} FROM payment p JOIN payment_line l "
                f"ON l.payment_id = p.id AND l.kind = 'bill' WHERE {cond}",
                params,
            )
            vwhere = ["p.exported_batch IS NOT NULL", "p.void_exported_batch IS NULL"]
            vparams: list[Any] = []
            if station:
                vwhere.append("p.station = ?")
                vparams.append(station)
            if date:
                vwhere.append("substr(v.created_at, 1, 10) = ?")
                vparams.append(date)
            if shift is not None:
                vwhere.append("v.shift_id = ?")
                vparams.append(int(shift))
            if cashier:
                vwhere.append("v.voided_by_id IN (SELECT id FROM app_user WHERE username = ? OR cashier_code = ?)")
                vparams += [cashier, cashier]
            vcond = " AND ".join(vwhere)
            vrecs = self._q(
                f"SELECT {_PAYMENT_COLS}, v.id, v.created_at FROM void v JOIN payment p ON p.id = v.payment_id "
                f"JOIN payment_line l ON l.payment_id = p.id AND l.kind = 'bill' WHERE {vcond}",
                vparams,
            )
            void_pay_ids = [
                r[0]
                for r in self._q(f"SELECT p.id FROM void v JOIN payment p ON p.id = v.payment_id WHERE {vcond}", vparams)
            ]
        rows = [_row(r, PAYMENT, self.point_code) for r in recs]
        rows += [_row(r, REVERSAL, self.point_code, (r[21], r[22])) for r in vrecs]
        return Pending(sort_rows(rows), pay_ids, void_pay_ids)

    def next_sequence(self, station: str) -> int:
        rec = self._q("SELECT COALESCE(MAX(sequence), 0) FROM export_batch WHERE station = ?", [station])
        return int(rec[0][0]) + 1

    def journal_head(self, station: str) -> str:
        """One station per database: the database's journal head."""
        try:
            rec = self._q("SELECT seq, hash FROM journal_head ORDER BY id DESC LIMIT 1")
        except Exception:  # noqa: BLE001 - no journal table (ledger not set up): no head
            return ""
        return f"{rec[0][0]}:{rec[0][1]}" if rec else ""

    # -- recording ------------------------------------------------------------------------
    def record_batch(self, batch: dict[str, Any], pending: Pending) -> None:
        """Mark the pending payments/voids exported and record the batch, atomically."""
        bid = batch["batch_id"]
        with self.db.atomic("IMMEDIATE"):
            cur = self.db.cursor()
            marked = 0
            for chunk in _chunks(pending.payment_ids, 50_000):
                cur.execute(
                    "UPDATE payment SET exported_batch = ? WHERE id IN (SELECT value FROM json_each(?)) "
                    "AND exported_batch IS NULL AND status = 'active'",
                    (bid, json.dumps(chunk)),
                )
                marked += cur.rowcount
            if marked != len(pending.payment_ids):
                raise Conflict(
                    "export.changed", detail=f"{len(pending.payment_ids) - marked} payment(s) voided or exported meanwhile"
                )
            marked = 0
            for chunk in _chunks(pending.void_payment_ids, 50_000):
                cur.execute(
                    "UPDATE payment SET void_exported_batch = ? WHERE id IN (SELECT value FROM json_each(?)) "
                    "AND void_exported_batch IS NULL AND exported_batch IS NOT NULL AND status = 'voided'",
                    (bid, json.dumps(chunk)),
                )
                marked += cur.rowcount
            if marked != len(pending.void_payment_ids):
                raise Conflict("export.changed", detail="a reversal was exported meanwhile")
            if self._q("SELECT 1 FROM export_batch WHERE batch_id = ? OR (station = ? AND sequence = ?)",
                       [bid, batch["station"], batch["sequence"]]):
                raise Conflict("export.changed", detail=f"batch {bid} was made by another export meanwhile")
            cur.execute(
                "INSERT INTO export_batch (batch_id, station, sequence, created_at, created_by, filters, profile, "
                "rows, payments, reversals, total_amount, vat, grand_total, first_receipt, last_receipt, "
                "journal_head, files, out_dir, profile_json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    bid, batch["station"], batch["sequence"], batch["created_at"], batch.get("created_by", ""),
                    json.dumps(batch.get("filters", {}), sort_keys=True), batch.get("profile", "default"),
                    batch["rows"], len(pending.payment_ids), len(pending.void_payment_ids),
                    batch["total_amount"], batch["vat"], batch["grand_total"], batch["first_receipt"],
                    batch["last_receipt"], batch["journal_head"], json.dumps(batch.get("files", []), sort_keys=True),
                    batch.get("out_dir", ""), json.dumps(batch.get("profile_json", {}), sort_keys=True, ensure_ascii=False),
                ),
            )
            batch_pk = cur.lastrowid
            cur.executemany(
                "INSERT INTO export_row (batch_id, row_no, kind, payment_id, line_id, void_id, total) "
                "VALUES (?,?,?,?,?,?,?)",
                [(batch_pk, i, r.kind, r.payment_id, r.bill_ref, r.void_id, r.total) for i, r in enumerate(pending.rows, 1)],
            )

    # -- reading batches ------------------------------------------------------------------
    def batch(self, batch_id: str) -> dict[str, Any]:
        cur = self.db.execute_sql("SELECT * FROM export_batch WHERE batch_id = ?", (batch_id,))
        rec = cur.fetchone()
        if rec is None:
            raise NotFound("export.unknown_batch", batch=batch_id)
        data = dict(zip([d[0] for d in cur.description], rec, strict=True))
        data["filters"] = json.loads(data["filters"] or "{}")
        data["files"] = json.loads(data["files"] or "[]")
        data["profile_json"] = json.loads(data.get("profile_json") or "{}")
        return data

    def batches(self) -> list[dict[str, Any]]:
        ids = [r[0] for r in self._q("SELECT batch_id FROM export_batch ORDER BY station, sequence")]
        return [self.batch(b) for b in ids]

    def batch_rows(self, batch_id: str) -> list[ClearingRow]:
        """The rows of a recorded batch in file order, rebuilt from the payments and voids."""
        recs = self._q(
            f"SELECT {_PAYMENT_COLS}, v.id, v.created_at, r.kind FROM export_row r "
            "JOIN export_batch b ON b.id = r.batch_id JOIN payment p ON p.id = r.payment_id "
            "JOIN payment_line l ON l.id = r.line_id LEFT JOIN void v ON v.id = r.void_id "
            "WHERE b.batch_id = ? ORDER BY r.row_no",
            [batch_id],
        )
        return [
            _row(r, r[23], self.point_code, (r[21], r[22]) if r[23] == REVERSAL else None) for r in recs
        ]

    def payment_batches(self) -> list[tuple[str, str | None, str | None, str]]:
        """(receipt, exported batch, reversal batch, status) of every payment (for checks/tests)."""
        return [tuple(r) for r in self._q(
            "SELECT receipt_no, exported_batch, void_exported_batch, status FROM payment ORDER BY id"
        )]

    # -- reconciliation -------------------------------------------------------------------
    def collected_lines(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
        """For (customer code, bill id): the exported, still active payment line that collected it."""
        out: dict[tuple[str, str], dict[str, Any]] = {}
        for chunk in _chunks(list(dict.fromkeys(keys))):
            for code, bill_id in chunk:
                rec = self._q(
                    "SELECT p.id, p.receipt_no, p.customer_name, p.customer_address, p.customer_phone, l.amount, "
                    "l.bill_row, p.exported_batch, p.status FROM payment p JOIN payment_line l ON l.payment_id = p.id "
                    "WHERE p.customer_code = ? AND l.bill_id = ? AND l.kind = 'bill' "
                    "ORDER BY (p.status = 'active') DESC, p.id DESC LIMIT 1",
                    [code, bill_id],
                )
                if rec:
                    r = rec[0]
                    out[(code, bill_id)] = {
                        "payment_id": r[0], "receipt_no": r[1], "name": r[2], "address": r[3], "phone": r[4],
                        "amount": r[5], "bill_row": r[6], "exported_batch": r[7], "status": r[8],
                    }
        return out

    def known_import(self, sha256: str) -> bool:
        return bool(self._q("SELECT 1 FROM clearing_import WHERE file_sha256 = ?", [sha256]))

    def apply_reconciliation(
        self,
        *,
        file_name: str,
        sha256: str,
        ts: str,
        results: Sequence[ClearingResult],
        lines: dict[tuple[str, str], dict[str, Any]],
    ) -> int:
        """Record the results, clear bills, open refund cases - one transaction. Returns import id."""
        counts = {s: sum(1 for r in results if r.status == s) for s in (CLEARED, "refused", PAID_ELSEWHERE)}
        with self.db.atomic("IMMEDIATE"):
            cur = self.db.cursor()
            cur.execute(
                "INSERT INTO clearing_import (file_name, file_sha256, created_at, rows, cleared, refused, "
                "paid_elsewhere) VALUES (?,?,?,?,?,?,?)",
                (file_name, sha256, ts, len(results), counts[CLEARED], counts["refused"], counts[PAID_ELSEWHERE]),
            )
            imp = cur.lastrowid
            for res in results:
                line = lines.get((res.customer_code, res.bill_id))
                cur.execute(
                    "INSERT INTO clearing_result (clearing_import_id, row, customer_code, bill_id, status, reason, "
                    "receipt_no, payment_id) VALUES (?,?,?,?,?,?,?,?)",
                    (imp, res.row, res.customer_code, res.bill_id, res.status, res.reason,
                     res.receipt_no or (line or {}).get("receipt_no", ""), (line or {}).get("payment_id")),
                )
                if line is None:
                    continue
                if res.status == CLEARED:
                    cur.execute(
                        "UPDATE bill SET status = 'cleared', status_changed_at = ? WHERE id = ? AND status = 'collected'",
                        (ts, line["bill_row"]),
                    )
                elif res.status == PAID_ELSEWHERE:
                    cur.execute("UPDATE bill SET double_collection = 1, status_changed_at = ? WHERE id = ?",
                                (ts, line["bill_row"]))
                    cur.execute(
                        "INSERT OR IGNORE INTO refund_case (customer_code, customer_name, customer_address, "
                        "customer_phone, bill_id, receipt_no, amount, reason, created_at, status, clearing_import_id) "
                        "VALUES (?,?,?,?,?,?,?,?,?,'open',?)",
                        (res.customer_code, line["name"], line["address"], line["phone"], res.bill_id,
                         line["receipt_no"], line["amount"], res.reason, ts, imp),
                    )
        return int(imp)

    def refund_cases(self, status: str | None = "open") -> list[dict[str, Any]]:
        sql = ("SELECT customer_code, customer_name, customer_address, customer_phone, bill_id, receipt_no, amount, "
               "reason, created_at, status FROM refund_case")
        params: list[Any] = []
        if status:
            sql += " WHERE status = ?"
            params.append(status)
        keys = ["customer_code", "name", "address", "phone", "bill_id", "receipt_no", "amount", "reason",
                "created_at", "status"]
        return [dict(zip(keys, r, strict=True)) for r in self._q(sql + " ORDER BY id", params)]


def _chunks(items: list, size: int = _CHUNK) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
