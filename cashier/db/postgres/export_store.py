"""The end of day on the PostgreSQL server (the ExportStore port): what a new clearing batch
would contain, marking it exported, the recorded batches, and CMIS's clearing results.

One collection point, several counters: ``pending(station=...)`` selects one counter's rows, or
every counter's (``station`` None: the collection point's one batch, each row still naming its
station and receipt). ``record_batch`` is ONE transaction that marks exactly the rows it was
given (``UPDATE ... WHERE exported_batch IS NULL``): two exports racing (two counters, or a
counter and the manager) cannot both take a payment: the second finds fewer rows than it selected
and is refused ``export.changed`` with nothing marked, and ``export_row``'s UNIQUE (line, kind)
refuses a line twice whatever the code does. Rows are built as on SQLite (db/export_store.py),
so the clearing files are byte-identical whichever backend holds the ledger.

The reconciliation writes ``clearing_import``/``clearing_result``, which ``server init`` gives
the counters' role read-only: it runs with the manager's (owner's) login on the server.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from peewee import PostgresqlDatabase

from cashier.core.clearing import (
    CLEARED,
    PAID_ELSEWHERE,
    PAYMENT,
    REVERSAL,
    ClearingResult,
    ClearingRow,
    sort_rows,
)
from cashier.core.errors import Conflict, NotFound
from cashier.db.sqlite.exports import _PAYMENT_COLS as PAYMENT_LINE_COLS
from cashier.db.sqlite.exports import _row as clearing_row
from cashier.services.ports.export import Pending

_BATCH_COLS = ("batch_id", "station", "sequence", "created_at", "created_by", "filters", "profile", "profile_json",
               "rows", "payments", "reversals", "total_amount", "vat", "grand_total", "first_receipt", "last_receipt",
               "journal_head", "files", "out_dir")


class PgExportStore:
    def __init__(self, db: PostgresqlDatabase, *, point_code: str = "") -> None:
        self.db = db
        self.point_code = point_code

    def _q(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return list(self.db.execute_sql(sql, tuple(params)).fetchall())

    # -- selection ------------------------------------------------------------------------
    def pending(self, *, date: str | None = None, shift: int | None = None, cashier: str | None = None,
                station: str | None = None) -> Pending:
        where, params = ["p.exported_batch IS NULL", "p.status = 'active'"], list[Any]()
        vwhere, vparams = ["p.exported_batch IS NOT NULL", "p.void_exported_batch IS NULL"], list[Any]()
        if date:
            where.append("substr(p.created_at, 1, 10) = %s")
            params.append(date)
            vwhere.append("substr(v.created_at, 1, 10) = %s")
            vparams.append(date)
        if shift is not None:
            where.append("p.shift_id = %s")
            params.append(int(shift))
            vwhere.append("v.shift_id = %s")
            vparams.append(int(shift))
        if cashier:
            where.append("(p.cashier_username = %s OR p.cashier_code = %s)")
            params += [cashier, cashier]
            vwhere.append("v.voided_by_id IN (SELECT id FROM app_user WHERE username = %s OR cashier_code = %s)")
            vparams += [cashier, cashier]
        if station:
            where.append("p.station = %s")
            params.append(station)
            vwhere.append("p.station = %s")
            vparams.append(station)
        cond, vcond = " AND ".join(where), " AND ".join(vwhere)
        with self.db.atomic():
            self.db.execute_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")  # one snapshot for all
            pay_ids = [r[0] for r in self._q(
                f"SELECT p.id FROM payment p WHERE {cond} AND EXISTS (SELECT 1 FROM payment_line l "
                "WHERE l.payment_id = p.id AND l.kind = 'bill') ORDER BY p.id", params)]
            recs = self._q(f"SELECT {PAYMENT_LINE_COLS} FROM payment p JOIN payment_line l "
                           f"ON l.payment_id = p.id AND l.kind = 'bill' AND l.active WHERE {cond}", params)
            vrecs = self._q(f"SELECT {PAYMENT_LINE_COLS}, v.id, v.created_at FROM void v JOIN payment p "
                            f"ON p.id = v.payment_id JOIN payment_line l ON l.payment_id = p.id AND l.kind = 'bill' "
                            f"WHERE {vcond}", vparams)
            void_pay_ids = [r[0] for r in self._q(
                f"SELECT p.id FROM void v JOIN payment p ON p.id = v.payment_id WHERE {vcond} ORDER BY p.id", vparams)]
        # an uploaded offline payment's line for a bill collected twice is inactive (its refund
        # case, db/postgres/outbox_apply.py): it is never sent to CMIS as a clearing
        rows = [clearing_row(r, PAYMENT, self.point_code) for r in recs]
        rows += [clearing_row(r, REVERSAL, self.point_code, (r[21], r[22])) for r in vrecs]
        return Pending(sort_rows(rows), pay_ids, void_pay_ids)

    def next_sequence(self, station: str) -> int:
        return int(self._q("SELECT coalesce(max(sequence), 0) FROM export_batch WHERE station = %s",
                           [station])[0][0]) + 1

    def journal_head(self, station: str) -> str:
        rec = self._q("SELECT seq, hash FROM journal_head WHERE station = %s", [station])
        return f"{rec[0][0]}:{rec[0][1]}" if rec else ""

    # -- recording ------------------------------------------------------------------------
    def record_batch(self, batch: dict[str, Any], pending: Pending) -> None:
        bid = batch["batch_id"]
        with self.db.atomic():
            marked = self.db.execute_sql(
                "UPDATE payment SET exported_batch = %s WHERE id = ANY(%s) AND exported_batch IS NULL "
                "AND status = 'active'", (bid, list(pending.payment_ids))).rowcount
            if marked != len(pending.payment_ids):
                raise Conflict("export.changed",
                               detail=f"{len(pending.payment_ids) - marked} payment(s) voided or exported meanwhile")
            marked = self.db.execute_sql(
                "UPDATE payment SET void_exported_batch = %s WHERE id = ANY(%s) AND void_exported_batch IS NULL "
                "AND exported_batch IS NOT NULL AND status = 'voided'", (bid, list(pending.void_payment_ids))).rowcount
            if marked != len(pending.void_payment_ids):
                raise Conflict("export.changed", detail="a reversal was exported meanwhile")
            if self._q("SELECT 1 FROM export_batch WHERE batch_id = %s OR (station = %s AND sequence = %s)",
                       [bid, batch["station"], batch["sequence"]]):
                raise Conflict("export.changed", detail=f"batch {bid} was made by another export meanwhile")
            pk = self._q(
                "INSERT INTO export_batch (batch_id, station, sequence, created_at, created_by, filters, profile, "
                "rows, payments, reversals, total_amount, vat, grand_total, first_receipt, last_receipt, journal_head, "
                "files, out_dir, profile_json) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) "
                "RETURNING id",
                (bid, batch["station"], batch["sequence"], batch["created_at"], batch.get("created_by", ""),
                 json.dumps(batch.get("filters", {}), sort_keys=True), batch.get("profile", "default"), batch["rows"],
                 len(pending.payment_ids), len(pending.void_payment_ids), batch["total_amount"], batch["vat"],
                 batch["grand_total"], batch["first_receipt"], batch["last_receipt"], batch["journal_head"],
                 json.dumps(batch.get("files", []), sort_keys=True), batch.get("out_dir", ""),
                 json.dumps(batch.get("profile_json", {}), sort_keys=True, ensure_ascii=False)))[0][0]
            rows = [(pk, i, r.kind, r.payment_id, r.bill_ref, r.void_id, r.total) for i, r in enumerate(pending.rows, 1)]
            for start in range(0, len(rows), 1000):
                chunk = rows[start:start + 1000]
                self.db.execute_sql("INSERT INTO export_row (batch_id, row_no, kind, payment_id, line_id, void_id, "
                                    "total) VALUES " + ", ".join(["(%s,%s,%s,%s,%s,%s,%s)"] * len(chunk)),
                                    [v for row in chunk for v in row])

    # -- reading batches ------------------------------------------------------------------
    def batch(self, batch_id: str) -> dict[str, Any]:
        rec = self._q(f"SELECT {', '.join(_BATCH_COLS)} FROM export_batch WHERE batch_id = %s", [batch_id])
        if not rec:
            raise NotFound("export.unknown_batch", batch=batch_id)
        data = dict(zip(_BATCH_COLS, rec[0], strict=True))
        data["filters"] = json.loads(data["filters"] or "{}")
        data["files"] = json.loads(data["files"] or "[]")
        data["profile_json"] = json.loads(data.get("profile_json") or "{}")
        return data

    def batches(self) -> list[dict[str, Any]]:
        return [self.batch(r[0]) for r in self._q("SELECT batch_id FROM export_batch ORDER BY station, sequence")]

    def batch_rows(self, batch_id: str) -> list[ClearingRow]:
        recs = self._q(
            f"SELECT {PAYMENT_LINE_COLS}, v.id, v.created_at, r.kind FROM export_row r "
            "JOIN export_batch b ON b.id = r.batch_id JOIN payment p ON p.id = r.payment_id "
            "JOIN payment_line l ON l.id = r.line_id LEFT JOIN void v ON v.id = r.void_id "
            "WHERE b.batch_id = %s ORDER BY r.row_no", [batch_id])
        return [clearing_row(r, r[23], self.point_code, (r[21], r[22]) if r[23] == REVERSAL else None) for r in recs]

    def payment_batches(self) -> list[tuple[str, str | None, str | None, str]]:
        return [(r[0], r[1], r[2], r[3]) for r in self._q(
            "SELECT receipt_no, exported_batch, void_exported_batch, status FROM payment ORDER BY id")]

    # -- reconciliation -------------------------------------------------------------------
    def collected_lines(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
        out: dict[tuple[str, str], dict[str, Any]] = {}
        names = ("payment_id", "receipt_no", "name", "address", "phone", "amount", "bill_row", "exported_batch",
                 "status")
        for code, bill_id in dict.fromkeys(keys):
            rec = self._q(
                "SELECT p.id, p.receipt_no, p.customer_name, p.customer_address, p.customer_phone, l.amount, "
                "l.bill_row, p.exported_batch, p.status FROM payment p JOIN payment_line l ON l.payment_id = p.id "
                "WHERE p.customer_code = %s AND l.bill_id = %s AND l.kind = 'bill' "
                "ORDER BY (p.status = 'active') DESC, p.id DESC LIMIT 1", [code, bill_id])
            if rec:
                out[(code, bill_id)] = dict(zip(names, rec[0], strict=True))
        return out

    def known_import(self, sha256: str) -> bool:
        return bool(self._q("SELECT 1 FROM clearing_import WHERE file_sha256 = %s", [sha256]))

    def apply_reconciliation(self, *, file_name: str, sha256: str, ts: str, results: Sequence[ClearingResult],
                             lines: dict[tuple[str, str], dict[str, Any]]) -> int:
        counts = {s: sum(1 for r in results if r.status == s) for s in (CLEARED, "refused", PAID_ELSEWHERE)}
        with self.db.atomic():
            imp = int(self._q(
                "INSERT INTO clearing_import (file_name, file_sha256, created_at, rows, cleared, refused, "
                "paid_elsewhere) VALUES (%s,%s,%s,%s,%s,%s,%s) RETURNING id",
                (file_name, sha256, ts, len(results), counts[CLEARED], counts["refused"], counts[PAID_ELSEWHERE]))[0][0])
            for res in results:
                line = lines.get((res.customer_code, res.bill_id))
                self.db.execute_sql(
                    "INSERT INTO clearing_result (clearing_import_id, row, customer_code, bill_id, status, reason, "
                    "receipt_no, payment_id) VALUES (%s,%s,%s,%s,%s,%s,%s,%s)",
                    (imp, res.row, res.customer_code, res.bill_id, res.status, res.reason,
                     res.receipt_no or (line or {}).get("receipt_no", ""), (line or {}).get("payment_id")))
                if line is None:
                    continue
                if res.status == CLEARED:
                    self.db.execute_sql("UPDATE bill SET status = 'cleared', status_changed_at = %s WHERE id = %s "
                                        "AND status = 'collected'", (ts, line["bill_row"]))
                elif res.status == PAID_ELSEWHERE:
                    self.db.execute_sql("UPDATE bill SET double_collection = TRUE, status_changed_at = %s "
                                        "WHERE id = %s", (ts, line["bill_row"]))
                    self.db.execute_sql(
                        "INSERT INTO refund_case (customer_code, customer_name, customer_address, customer_phone, "
                        "bill_id, receipt_no, amount, reason, created_at, status, clearing_import_id) "
                        "VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,'open',%s) ON CONFLICT (receipt_no, bill_id) DO NOTHING",
                        (res.customer_code, line["name"], line["address"], line["phone"], res.bill_id,
                         line["receipt_no"], line["amount"], res.reason, ts, imp))
        return imp

    def refund_cases(self, status: str | None = "open") -> list[dict[str, Any]]:
        sql = ("SELECT customer_code, customer_name, customer_address, customer_phone, bill_id, receipt_no, amount, "
               "reason, created_at, status FROM refund_case")
        params: list[Any] = []
        if status:
            sql += " WHERE status = %s"
            params.append(status)
        keys = ("customer_code", "name", "address", "phone", "bill_id", "receipt_no", "amount", "reason",
                "created_at", "status")
        return [dict(zip(keys, r, strict=True)) for r in self._q(sql + " ORDER BY id", params)]
