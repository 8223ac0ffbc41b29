"""Ports (typing.Protocol) of the end-of-day services; cashier/db and cashier/export implement them.

* :class:`ExportStore` - ``cashier.db.export_store.SqliteExportStore``
* :class:`ClearingWriter` - ``cashier.export.clearing_exporter.ClearingExporter``
* :class:`ResultReader` - ``cashier.export.reconcile_reader`` (CMIS's clearing result)
* :class:`BackupStore` - ``cashier.db.backup_store.SqliteBackups``
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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


class PendingLike(Protocol):
    rows: list[ClearingRow]
    payment_ids: list[int]
    void_payment_ids: list[int]


class ExportStore(Protocol):
    def pending(self, *, date: str | None = None, shift: int | None = None, cashier: str | None = None) -> Any: ...

    def next_sequence(self, station: str) -> int: ...

    def journal_head(self) -> str: ...

    def record_batch(self, batch: dict[str, Any], pending: Any) -> None: ...

    def batch(self, batch_id: str) -> dict[str, Any]: ...

    def batches(self) -> list[dict[str, Any]]: ...

    def batch_rows(self, batch_id: str) -> list[ClearingRow]: ...

    def collected_lines(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]: ...

    def known_import(self, sha256: str) -> bool: ...

    def apply_reconciliation(
        self,
        *,
        file_name: str,
        sha256: str,
        ts: str,
        results: Sequence[ClearingResult],
        lines: dict[tuple[str, str], dict[str, Any]],
    ) -> int: ...

    def refund_cases(self, status: str | None = "open") -> list[dict[str, Any]]: ...


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


class BackupStore(Protocol):
    def backup_to(self, target: Path) -> None: ...

    def check_file(self, path: Path) -> list[str]:
        """Problems of a backup file (integrity_check, not a station database...); [] = ok."""
        ...

    def restore_from(self, source: Path, keep_aside: Path) -> None: ...
