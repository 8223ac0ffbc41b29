"""Writes a batch's files safely (implements ``services.ports.export.ClearingWriter``).

:meth:`ClearingExporter.stage` writes every file and its signed manifest under temporary names
in the target directory and fsyncs them; nothing has a final name yet. The service then records
the batch in the database (marking payments exported) and only after that commit calls
:meth:`Staged.publish`, which renames the files into place and fsyncs the directory. If writing
fails (directory not writable, disk full) the temporaries are removed and nothing is marked.
If the machine stops between the commit and the rename, ``cashier export --rewrite BATCH``
writes the same bytes again (the files are reproducible).
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from cashier.core.clearing import ClearingProfile, ClearingRow, ControlBlock
from cashier.core.digest import file_digest
from cashier.core.errors import DomainError, FileRefused
from cashier.export import signing
from cashier.export.clearing_file import (
    ReadBack,
    flags_for,
    read_clearing,
    table,
    write_csv,
    write_xlsx,
)


class WriteFailed(DomainError):
    code = "export.write_failed"


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # not supported on every platform (Windows)
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@dataclass
class Staged:
    out_dir: Path
    moves: list[tuple[Path, Path]] = field(default_factory=list)  # (temporary, final)
    files: list[dict[str, Any]] = field(default_factory=list)  # name, kind, sha256, size, manifest

    def publish(self) -> list[Path]:
        done = []
        for tmp, final in self.moves:
            os.replace(tmp, final)
            done.append(final)
        _fsync_dir(self.out_dir)
        return done

    def discard(self) -> None:
        for tmp, _ in self.moves:
            with contextlib.suppress(OSError):
                tmp.unlink()


class ClearingExporter:
    def __init__(self, key: signing.StationKey) -> None:
        self.key = key

    # -- writing --------------------------------------------------------------------------
    def stage(
        self,
        out_dir: Path,
        stem: str,
        rows: Sequence[ClearingRow],
        control: ControlBlock,
        profile: ClearingProfile,
        formats: Sequence[str],
        when: datetime,
    ) -> Staged:
        out_dir = Path(out_dir)
        staged = Staged(out_dir)
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
            cells = table(rows, profile)
            flags = [f.as_dict() for f in flags_for(cells, profile)]
            for kind in formats:
                final = out_dir / f"{stem}.{kind}"
                tmp = out_dir / f".{stem}.{kind}.partial"
                staged.moves.append((tmp, final))
                with open(tmp, "wb") as fh:
                    if kind == "xlsx":
                        write_xlsx(fh, rows, control, profile, when, cells)
                    else:
                        write_csv(fh, rows, profile, cells)
                    fh.flush()
                    os.fsync(fh.fileno())
                digest, size = file_digest(tmp)
                manifest = self.key.sign_manifest(
                    {
                        "file": final.name,
                        "kind": kind,
                        "size": size,
                        "sha256": digest,
                        "profile": profile.name,
                        "columns": [[c.field, c.header] for c in profile.columns],
                        "control": control.as_dict(),
                        "flagged": flags,
                    }
                )
                mtmp = out_dir / f".{stem}.{kind}.manifest.partial"
                mfinal = signing.manifest_path(final)
                staged.moves.append((mtmp, mfinal))
                signing.write_manifest_to(mtmp, manifest)
                staged.files.append(
                    {"name": final.name, "kind": kind, "sha256": digest, "size": size, "manifest": mfinal.name,
                     "flagged": len(flags)}
                )
            for _, final in staged.moves:
                if final.exists():
                    tmp = next(t for t, f in staged.moves if f == final)
                    if final.read_bytes() != tmp.read_bytes():
                        raise FileRefused("export.exists", file=str(final))
            _fsync_dir(out_dir)
        except OSError as exc:
            staged.discard()
            detail = os.strerror(exc.errno) if exc.errno else str(exc)
            if exc.errno == errno.ENOSPC:
                detail = "the disk is full"
            raise WriteFailed(dir=str(out_dir), detail=detail) from None
        except BaseException:
            staged.discard()
            raise
        return staged

    # -- verifying ------------------------------------------------------------------------
    def data_file_for(self, path: Path) -> Path:
        return signing.data_file_for(Path(path))

    def read_manifest(self, data_file: Path) -> dict[str, Any]:
        return signing.read_manifest(data_file)

    def signature_ok(self, manifest: dict[str, Any], public_key_file: Path | None = None) -> bool:
        public = signing.load_public_key(public_key_file) if public_key_file else self.key.public
        return signing.signature_ok(manifest, public)

    def digest(self, data_file: Path) -> tuple[str, int]:
        try:
            return file_digest(data_file)
        except OSError as exc:
            raise FileRefused("clearing.unreadable", file=str(data_file), kind="file", detail=str(exc)) from None

    def read_back(self, data_file: Path, profile: ClearingProfile) -> ReadBack:
        return read_clearing(data_file, profile)

    def expected_cells(self, rows: Sequence[ClearingRow], profile: ClearingProfile) -> list[list[str | int]]:
        return table(rows, profile)

    def public_key_pem(self) -> bytes:
        return self.key.public_pem()

    def key_fingerprint(self) -> str:
        return self.key.fingerprint()
