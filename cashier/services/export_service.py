"""End of day: export batches (the clearing file for CMIS), verify-export, reconciliation.

Order of an export (so that a failure never leaves payments marked without files):

1. select what is pending (payments not yet exported, voids of exported payments);
2. write every file and its signed manifest under temporary names, fsync (``stage``);
3. record the batch and mark its payments exported in ONE transaction (``record_batch``), which
   refuses if any selected payment changed meanwhile (then the files are discarded and the
   export is retried once);
4. rename the files into place (``publish``); then an online backup when a backup service is
   wired (``after_export``).
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from cashier.core.clearing import (
    CLEARED,
    CONTROL_KEYS,
    FIELD_TYPES,
    PAID_ELSEWHERE,
    PAYMENT,
    REFUSED,
    REVERSAL,
    ClearingProfile,
    ClearingResult,
    Column,
    ReconcileProfile,
    control_for,
)
from cashier.core.clock import Clock, SystemClock, iso, to_vn
from cashier.core.errors import Conflict, FileRefused, InvalidInput, NotFound
from cashier.core.ledger import Permission, User
from cashier.core.money import format_number
from cashier.services.guard import Guard, trusting_guard
from cashier.services.output_paths import (
    ProtectedPaths,
    atomic_write_bytes,
    check_output,
    check_output_dir,
)
from cashier.services.ports.export import ClearingWriter, ExportStore, ResultReader

log = logging.getLogger(__name__)


FORMATS = {"xlsx": ("xlsx",), "csv": ("csv",), "both": ("xlsx", "csv")}


@dataclass
class ExportResult:
    batch_id: str | None
    sequence: int | None = None
    files: list[str] = field(default_factory=list)
    rows: int = 0
    payments: int = 0
    reversals: int = 0
    total_amount: int = 0
    vat: int = 0
    grand_total: int = 0
    first_receipt: str = ""
    last_receipt: str = ""
    flagged: int = 0
    backup: str | None = None
    message: str = ""

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Finding:
    where: str  # "row 5, column TONG_TIEN", "file", "manifest", "control block"...
    detail: str
    row: int | None = None
    column: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"where": self.where, "detail": self.detail, "row": self.row, "column": self.column}

    def __str__(self) -> str:
        return f"{self.where}: {self.detail}"


@dataclass
class VerifyReport:
    file: str
    ok: bool = False
    batch_id: str = ""
    rows: int = 0
    checks: dict[str, bool | None] = field(default_factory=dict)
    problems: list[Finding] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "ok": self.ok,
            "batch_id": self.batch_id,
            "rows": self.rows,
            "checks": self.checks,
            "problems": [p.as_dict() for p in self.problems],
        }


@dataclass
class ReconcileReport:
    file: str
    rows: int = 0
    cleared: int = 0
    refused: list[dict[str, Any]] = field(default_factory=list)
    refund_cases: list[dict[str, Any]] = field(default_factory=list)
    import_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _check_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date().isoformat()
    except ValueError:
        raise InvalidInput("export.date", value=value) from None


class ExportService:
    def __init__(
        self,
        store: ExportStore,
        writer: ClearingWriter,
        profile: ClearingProfile,
        *,
        station: str,
        default_dir: Path,
        clock: Clock | None = None,
        reconcile_profile: ReconcileProfile | None = None,
        result_reader: ResultReader | None = None,
        after_export: Callable[[str], str | None] | None = None,
        journal_check: Callable[[], tuple[bool, str]] | None = None,
        journal_record: Callable[[str, dict], int] | None = None,
        guard: Guard | None = None,
        protected: ProtectedPaths | None = None,
    ) -> None:
        #: the permission check (the station wires UsersService.require; see services/guard.py)
        self.guard = guard or trusting_guard
        #: what no output may overwrite (database, keys/, backups/)
        self.protected = protected or ProtectedPaths(None)
        self.store = store
        self.writer = writer
        self.profile = profile
        self.station = station
        self.default_dir = Path(default_dir)
        self.clock = clock or SystemClock()
        self.reconcile_profile = reconcile_profile or ReconcileProfile.from_dict(None)
        self.result_reader = result_reader
        self.after_export = after_export
        self.journal_check = journal_check
        self.journal_record = journal_record

    # -- export ---------------------------------------------------------------------------
    def export(
        self,
        *,
        date: str | None = None,
        shift: int | None = None,
        cashier: str | None = None,
        out_dir: Path | None = None,
        fmt: str = "both",
        user: str = "",
        progress: Callable[[str], None] | None = None,
        actor: User | None = None,
    ) -> ExportResult:
        """A new batch of everything not yet exported (optionally one date / shift / cashier).

        ``actor``: the logged-in user (needs the export permission; recorded as the batch's
        ``created_by``). ``user`` is only used by a service built without a guard (tests).
        """
        actor = self.guard(actor, Permission.EXPORT)
        if actor is not None:
            user = actor.username
        if fmt not in FORMATS:
            raise InvalidInput("export.format", format=fmt)
        date = _check_date(date)
        out = check_output_dir(Path(out_dir) if out_dir else self.default_dir, self.protected)
        for attempt in (1, 2):
            try:
                return self._export_once(date, shift, cashier, out, FORMATS[fmt], user, progress)
            except Conflict as exc:
                if exc.code != "export.changed" or attempt == 2:
                    raise
                log.info("payments changed during the export; retrying once")
        raise AssertionError("unreachable")

    def _export_once(self, date, shift, cashier, out: Path, formats, user, progress) -> ExportResult:
        say = progress or (lambda _msg: None)
        say("selecting payments")
        pending = self.store.pending(date=date, shift=shift, cashier=cashier, station=self.station)
        if not pending.rows and not pending.payment_ids:
            return ExportResult(batch_id=None, message="nothing to export: every payment is already in a batch")
        now = to_vn(self.clock.now()).replace(microsecond=0)
        sequence = self.store.next_sequence(self.station)
        batch_id = f"{self.station}-{now:%Y%m%d}-{sequence:04d}"
        control = control_for(
            pending.rows,
            batch_id=batch_id,
            station=self.station,
            journal_head=self.store.journal_head(self.station),
            sequence=sequence,
            created_at=iso(now),
        )
        stem = self.profile.file_stem.format(station=self.station, date=f"{now:%Y%m%d}", sequence=sequence)
        say(f"writing {len(pending.rows)} rows")
        staged = self.writer.stage(out, stem, pending.rows, control, self.profile, formats, now)
        batch = {
            **control.as_dict(),
            "created_by": user,
            "filters": {"date": date, "shift": shift, "cashier": cashier},
            "profile": self.profile.name,
            "profile_json": self.profile.to_dict(),
            "files": staged.files,
            "out_dir": str(out),
        }
        try:
            say("recording the batch")
            self.store.record_batch(batch, pending)
        except BaseException:
            staged.discard()
            raise
        paths = staged.publish()
        if self.journal_record is not None:
            try:
                self.journal_record("export", {"batch": batch_id, "rows": control.rows,
                                               "grand_total": control.grand_total, "files": staged.files})
            except Exception as exc:  # noqa: BLE001 - the batch stands; the audit entry failure is logged
                log.error("could not journal export %s: %s", batch_id, exc)
        result = ExportResult(
            batch_id=batch_id,
            sequence=sequence,
            files=[str(p) for p in paths],
            rows=control.rows,
            payments=sum(1 for r in pending.rows if r.kind == PAYMENT),
            reversals=sum(1 for r in pending.rows if r.kind == REVERSAL),
            total_amount=control.total_amount,
            vat=control.vat,
            grand_total=control.grand_total,
            first_receipt=control.first_receipt,
            last_receipt=control.last_receipt,
            flagged=max((int(f.get("flagged", 0)) for f in staged.files), default=0),
            message=f"batch {batch_id}: {control.rows} rows, total {format_number(control.grand_total)} đ",
        )
        if self.after_export is not None:
            say("backing up")
            try:
                result.backup = self.after_export(batch_id)
            except Exception as exc:  # noqa: BLE001 - the export stands; the backup failure is reported
                log.error("backup after export %s failed: %s", batch_id, exc)
                result.message += f" (backup failed: {exc})"
        return result

    def rewrite(self, batch_id: str, out_dir: Path | None = None, *, actor: User | None = None) -> list[str]:
        """Write a recorded batch's files again (byte-identical to the first time)."""
        self.guard(actor, Permission.EXPORT)
        if out_dir is not None:
            out_dir = check_output_dir(out_dir, self.protected)
        batch = self.store.batch(batch_id)
        rows = self.store.batch_rows(batch_id)
        control = self._control_of(batch, rows)
        when = datetime.fromisoformat(batch["created_at"])
        kinds = [f["kind"] for f in batch["files"]] or ["xlsx", "csv"]
        stem = Path(batch["files"][0]["name"]).stem if batch["files"] else batch_id
        profile = self._batch_profile(batch)
        staged = self.writer.stage(Path(out_dir or batch["out_dir"]), stem, rows, control, profile, kinds, when)
        return [str(p) for p in staged.publish()]

    def _control_of(self, batch: dict[str, Any], rows):
        return control_for(
            rows,
            batch_id=batch["batch_id"],
            station=batch["station"],
            journal_head=batch["journal_head"],
            sequence=batch["sequence"],
            created_at=batch["created_at"],
        )

    def batches(self) -> list[dict[str, Any]]:
        return self.store.batches()

    def public_key_pem(self) -> bytes:
        return self.writer.public_key_pem()

    def write_public_key(self, out: Path, *, actor: User | None = None, force: bool = False) -> Path:
        """Write the station's public signing key (PEM) at ``out`` for the power company (export
        permission). Never onto the database, a key or a backup; an existing file only with
        ``force``; written atomically."""
        self.guard(actor, Permission.EXPORT)
        path = check_output(out, self.protected, force=force)
        return atomic_write_bytes(path, self.public_key_pem(), overwrite=force)

    # -- verify ---------------------------------------------------------------------------
    def verify(self, path: Path, public_key_file: Path | None = None) -> VerifyReport:
        data_file = self.writer.data_file_for(Path(path))
        report = VerifyReport(file=str(data_file))
        manifest = self.writer.read_manifest(data_file)
        control = manifest.get("control")
        if not isinstance(control, dict):
            control = {}
        report.batch_id = str(control.get("batch_id", ""))
        add = report.problems.append

        sig = self.writer.signature_ok(manifest, public_key_file)
        report.checks["signature"] = sig
        if not sig:
            add(Finding("manifest", "the signature does not match this station's key (manifest altered or foreign)"))
        digest, size = self.writer.digest(data_file)
        report.checks["sha256"] = digest == manifest.get("sha256")
        try:
            expected_size = int(manifest.get("size") or 0)
        except (TypeError, ValueError):
            expected_size = -1
            add(Finding("manifest", "the signed size is not a number"))
        if expected_size < 0:
            pass
        elif size < expected_size:
            add(Finding("file", f"truncated: {size} of {expected_size} bytes"))
        elif size > expected_size:
            add(Finding("file", f"{size - expected_size} bytes longer than signed ({expected_size})"))
        elif not report.checks["sha256"]:
            add(Finding("file", "content differs from the signed SHA-256"))

        batch_id = report.batch_id
        try:
            batch = self.store.batch(batch_id) if batch_id else None
        except NotFound:  # a batch of another station or database
            batch = None
        profile = self._batch_profile(batch) if batch else self._profile_of(manifest)
        try:
            back = self.writer.read_back(data_file, profile)
        except FileRefused as exc:
            add(Finding("file", str(exc)))
            report.checks["readable"] = False
            return self._finish(report)
        report.checks["readable"] = True
        report.rows = len(back.rows)
        header = profile.header()
        if back.header[: len(header)] != header or len(back.header) != len(header):
            for i in range(max(len(header), len(back.header))):
                exp = header[i] if i < len(header) else "(none)"
                got = back.header[i] if i < len(back.header) else "(none)"
                if exp != got:
                    add(Finding(f"row 1, column {i + 1}", f"header {got!r} where {exp!r} was written", 1, exp))
        # control totals: the rows against the signed control block (and the xlsx control sheet)
        report.checks["control"] = self._check_control(back, control, add, profile)
        if back.control is not None:
            for key in CONTROL_KEYS:
                if key in control and back.control.get(key) != control[key]:
                    add(Finding(f"control sheet, {key}", f"{back.control.get(key)!r} but {control[key]!r} was signed"))
                    report.checks["control"] = False
        # rows against the station's own payments
        if batch is not None:
            expected = self.writer.expected_cells(self.store.batch_rows(batch_id), profile)
            before = len(report.problems)
            self._diff(expected, back.rows, profile, add)
            report.checks["station_rows"] = len(report.problems) == before
            if batch.get("journal_head") != control.get("journal_head"):
                add(Finding("control block", "journal head differs from the one recorded with the batch"))
                report.checks["station_rows"] = False
        else:
            report.checks["station_rows"] = None
        if self.journal_check is not None:
            ok, message = self.journal_check()
            report.checks["journal"] = ok
            if not ok:
                add(Finding("journal", message))
        return self._finish(report)

    @staticmethod
    def _finish(report: VerifyReport) -> VerifyReport:
        report.ok = not report.problems and all(v is not False for v in report.checks.values())
        return report

    def _batch_profile(self, batch: dict[str, Any]) -> ClearingProfile:
        """The profile a recorded batch was written with (the station's when not recorded)."""
        data = batch.get("profile_json")
        return ClearingProfile.from_dict(data, data.get("name", "batch")) if data else self.profile

    def _profile_of(self, manifest: dict[str, Any]) -> ClearingProfile:
        """The profile the file was written with: the station's, with the signed column list."""
        cols = manifest.get("columns")
        try:
            columns = tuple(Column(str(f), str(h)) for f, h in cols) if cols else self.profile.columns
        except (TypeError, ValueError):
            return self.profile
        if columns == self.profile.columns or any(c.field not in FIELD_TYPES for c in columns):
            return self.profile
        return replace(self.profile, columns=columns)

    def _check_control(self, back, control: dict[str, Any], add, profile: ClearingProfile) -> bool:
        fields = [c.field for c in profile.columns]
        idx = {f: fields.index(f) for f in ("amount", "vat", "total", "receipt_no") if f in fields}
        ok = True
        sums = {"amount": 0, "vat": 0, "total": 0}
        for n, row in enumerate(back.rows, start=2):
            for f in sums:
                if f not in idx:
                    continue
                value = row[idx[f]] if idx[f] < len(row) else None
                if isinstance(value, int) and not isinstance(value, bool):
                    sums[f] += value
                else:
                    name = profile.columns[idx[f]].header
                    add(Finding(f"row {n}, column {name}", f"{value!r} is not a whole number", n, name))
                    ok = False
        checks: list[tuple[str, object]] = [("rows", len(back.rows)), ("total_amount", sums["amount"]), ("vat", sums["vat"]),
                  ("grand_total", sums["total"])]
        if "receipt_no" in idx and back.rows:
            first, last = back.rows[0], back.rows[-1]
            checks += [("first_receipt", first[idx["receipt_no"]] if idx["receipt_no"] < len(first) else None),
                       ("last_receipt", last[idx["receipt_no"]] if idx["receipt_no"] < len(last) else None)]
        for key, actual in checks:
            if key in control and control[key] != actual:
                add(Finding("control block", f"{key} is {control[key]!r} but the rows give {actual!r}"))
                ok = False
        return ok

    def _diff(self, expected: Sequence[Sequence[Any]], actual: Sequence[Sequence[Any]], profile, add) -> None:
        """Name every changed cell, missing row and added row (rows aligned by content)."""
        exp_keys = [_key(r) for r in expected]
        act_keys = [_key(r) for r in actual]
        sm = difflib.SequenceMatcher(None, exp_keys, act_keys, autojunk=False)
        limit = 50
        found = 0

        def emit(f: Finding) -> None:
            nonlocal found
            found += 1
            if found <= limit:
                add(f)
            elif found == limit + 1:
                add(Finding("file", "more differences not listed"))

        header = profile.header()
        receipt_col = [c.field for c in profile.columns].index("receipt_no")
        for op, i1, i2, j1, j2 in sm.get_opcodes():
            if op == "equal":
                continue
            if op == "replace" and (i2 - i1) == (j2 - j1):
                for k in range(i2 - i1):
                    e, a = expected[i1 + k], actual[j1 + k]
                    for c, name in enumerate(header):
                        ev = e[c] if c < len(e) else None
                        av = a[c] if c < len(a) else None
                        if not _same(ev, av):
                            n = j1 + k + 2
                            emit(Finding(f"row {n}, column {name}", f"{_show(av)} where {_show(ev)} was exported", n, name))
                    if len(a) > len(header) and any(v not in ("", None) for v in a[len(header):]):
                        n = j1 + k + 2
                        emit(Finding(f"row {n}", "has cells beyond the last column", n))
                continue
            for k in range(i1, i2):
                rec = expected[k]
                emit(Finding(f"row {j1 + 2}", f"row {k + 2} of the batch (receipt {rec[receipt_col]}) is missing", j1 + 2))
            for k in range(j1, j2):
                rec = actual[k]
                receipt = rec[receipt_col] if receipt_col < len(rec) else "?"
                emit(Finding(f"row {k + 2}", f"added: not in the batch (receipt {receipt!r})", k + 2))

    # -- reconciliation -------------------------------------------------------------------
    def reconcile(self, path: Path, *, actor: User | None = None) -> ReconcileReport:
        """Apply CMIS's clearing result (needs the reconcile permission)."""
        self.guard(actor, Permission.RECONCILE)
        if self.result_reader is None:
            raise FileRefused("file_refused", detail="no reader for clearing results is configured")
        path = Path(path)
        sha, results = self.result_reader(path, self.reconcile_profile)
        if self.store.known_import(sha):
            raise Conflict("reconcile.already", file=path.name)
        lines = self.store.collected_lines((r.customer_code, r.bill_id) for r in results)
        unknown = [r for r in results if (r.customer_code, r.bill_id) not in lines
                   or lines[(r.customer_code, r.bill_id)]["exported_batch"] is None]
        if unknown:
            first = unknown[0]
            raise FileRefused("reconcile.unknown_bills", file=path.name, count=len(unknown), row=first.row,
                              code=first.customer_code, bill=first.bill_id)
        now = iso(self.clock.now())
        import_id = self.store.apply_reconciliation(file_name=path.name, sha256=sha, ts=now, results=results,
                                                    lines=lines)
        report = ReconcileReport(file=str(path), rows=len(results), import_id=import_id)
        report.cleared = sum(1 for r in results if r.status == CLEARED)
        report.refused = [
            {"row": r.row, "customer_code": r.customer_code, "bill_id": r.bill_id, "reason": r.reason,
             "receipt_no": lines[(r.customer_code, r.bill_id)]["receipt_no"]}
            for r in results if r.status == REFUSED
        ]
        wanted = {(r.customer_code, r.bill_id) for r in results if r.status == PAID_ELSEWHERE}
        report.refund_cases = [c for c in self.store.refund_cases(None)
                               if (c["customer_code"], c["bill_id"]) in wanted]
        return report

    def refund_cases(self) -> list[dict[str, Any]]:
        return self.store.refund_cases("open")


def _key(row: Sequence[Any]) -> tuple:
    return tuple((type(v).__name__, v) if isinstance(v, int | str) else ("other", repr(v)) for v in row)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return type(a) is type(b) and a == b


def _show(v: Any) -> str:
    if v is None or v == "":
        return "an empty cell"
    if isinstance(v, int):
        return f"number {v}"
    if isinstance(v, float):
        return f"number {v!r}"
    return f"text {v!r}"


__all__ = ["ClearingResult", "ExportResult", "ExportService", "Finding", "ReconcileReport", "VerifyReport"]
