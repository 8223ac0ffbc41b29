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

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from cashier.core.clearing import (
    CLEARED,
    PAID_ELSEWHERE,
    PAYMENT,
    REFUSED,
    REVERSAL,
    ClearingProfile,
    ClearingResult,
    ReconcileProfile,
    control_for,
)
from cashier.core.clock import Clock, SystemClock, iso, to_vn
from cashier.core.errors import Conflict, FileRefused, InvalidInput
from cashier.core.ledger import Permission, User
from cashier.core.money import format_number
from cashier.services.export_verify import ExportVerifier, Finding, VerifyReport
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
        self.verifier = ExportVerifier(store, writer, profile, journal_check)

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
        """Check an exported file against its signed manifest, the batch and the journal
        (:class:`cashier.services.export_verify.ExportVerifier`)."""
        return self.verifier.verify(path, public_key_file)

    def _batch_profile(self, batch: dict[str, Any]) -> ClearingProfile:
        return self.verifier.batch_profile(batch)

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


__all__ = ["ClearingResult", "ExportResult", "ExportService", "Finding", "ReconcileReport", "VerifyReport"]
