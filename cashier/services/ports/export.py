"""Ports of the end of day: the storage side of the clearing export and reconciliation
(:class:`ExportStore`), the clearing file writer (:class:`ClearingWriter`,
``cashier.export.clearing_exporter.ClearingExporter``) and CMIS's result reader
(:class:`ResultReader`, ``cashier.export.reconcile_reader``).

Marking payments exported has ONE way: :meth:`ExportStore.record_batch`, which marks exactly
the payments and voids :meth:`ExportStore.pending` selected, on the condition that each is still
what it was (an active payment not in a batch; a voided, exported payment whose reversal is not
in a batch) - or refuses the whole batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from cashier.core.clearing import (
    ClearingProfile,
    ClearingResult,
    ClearingRow,
    ControlBlock,
    ReconcileProfile,
)


@dataclass
class Pending:
    """What a new batch would contain."""

    rows: list[ClearingRow]
    payment_ids: list[int] = field(default_factory=list)  # payments to mark exported
    void_payment_ids: list[int] = field(default_factory=list)  # voided payments to mark reversed


class ExportStore(Protocol):
    def pending(
        self,
        *,
        date: str | None = None,
        shift: int | None = None,
        cashier: str | None = None,
        station: str | None = None,
    ) -> Pending:
        """Every active payment with a bill line not yet in a batch (one PAYMENT row per bill
        line), and every void of an exported payment whose reversal is not yet in a batch (one
        REVERSAL row per line), optionally of one day / shift / cashier (username or code) /
        station; rows in file order (``cashier.core.clearing.sort_rows``). One read snapshot."""
        ...

    def next_sequence(self, station: str) -> int:
        """The station's next batch sequence number (1 for the first)."""
        ...

    def journal_head(self, station: str) -> str:
        """'seq:hash' of the station's journal head ('' when there is none), for the batch's
        control block."""
        ...

    def record_batch(self, batch: dict[str, Any], pending: Pending) -> None:
        """Mark ``pending``'s payments exported and its voids reversed in batch
        ``batch['batch_id']`` and record the batch and its rows - ONE transaction. Raises
        Conflict ``export.changed`` (nothing marked) when any payment was voided or exported
        meanwhile, a reversal was exported meanwhile, or the batch id or (station, sequence)
        exists. ``batch`` keys: batch_id, station, sequence, created_at, created_by, filters,
        profile, rows, total_amount, vat, grand_total, first_receipt, last_receipt,
        journal_head, files, out_dir, profile_json."""
        ...

    def batch(self, batch_id: str) -> dict[str, Any]:
        """A recorded batch (the keys of :meth:`record_batch`, plus payments and reversals).
        Raises NotFound ``export.unknown_batch``."""
        ...

    def batches(self) -> list[dict[str, Any]]:
        """Every batch, by station and sequence."""
        ...

    def batch_rows(self, batch_id: str) -> list[ClearingRow]:
        """The rows of a recorded batch in file order, rebuilt from the payments and voids."""
        ...

    def payment_batches(self) -> list[tuple[str, str | None, str | None, str]]:
        """(receipt, exported batch, reversal batch, status) of every payment, by id."""
        ...

    def collected_lines(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
        """For (customer code, bill id): the payment line that collected it (active first), as
        {payment_id, receipt_no, name, address, phone, amount, bill_row, exported_batch,
        status}."""
        ...

    def known_import(self, sha256: str) -> bool:
        """Whether a clearing result file with this digest was applied already."""
        ...

    def apply_reconciliation(
        self,
        *,
        file_name: str,
        sha256: str,
        ts: str,
        results: Sequence[ClearingResult],
        lines: dict[tuple[str, str], dict[str, Any]],
    ) -> int:
        """Record CMIS's results, mark cleared bills, flag double collections and open refund
        cases - ONE transaction; returns the import's id."""
        ...

    def refund_cases(self, status: str | None = "open") -> list[dict[str, Any]]:
        """Refund cases (all with ``status`` None), each {customer_code, name, address, phone,
        bill_id, receipt_no, amount, reason, created_at, status}."""
        ...


class StagedFiles(Protocol):
    files: list[dict[str, Any]]

    def publish(self) -> list[Path]: ...

    def discard(self) -> None: ...


class ReadBackLike(Protocol):
    kind: str
    header: list[str]
    rows: list[list[Any]]
    control: dict[str, Any] | None


class ClearingWriter(Protocol):
    def stage(
        self,
        out_dir: Path,
        stem: str,
        rows: Sequence[ClearingRow],
        control: ControlBlock,
        profile: ClearingProfile,
        formats: Sequence[str],
        when: datetime,
    ) -> StagedFiles: ...

    def data_file_for(self, path: Path) -> Path: ...

    def read_manifest(self, data_file: Path) -> dict[str, Any]: ...

    def signature_ok(self, manifest: dict[str, Any], public_key_file: Path | None = None) -> bool: ...

    def digest(self, data_file: Path) -> tuple[str, int]: ...

    def read_back(self, data_file: Path, profile: ClearingProfile) -> ReadBackLike: ...

    def expected_cells(self, rows: Sequence[ClearingRow], profile: ClearingProfile) -> list[list[str | int]]: ...

    def public_key_pem(self) -> bytes: ...

    def key_fingerprint(self) -> str: ...


class ResultReader(Protocol):
    def __call__(self, path: Path, profile: ReconcileProfile) -> tuple[str, list[ClearingResult]]:
        """(sha256 of the file, results); raises FileRefused for a file it will not read."""
        ...
