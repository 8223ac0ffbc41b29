"""Backups: online backup at each export and on demand (kept with a retention count), and restore.

A restore refuses, and changes nothing, unless the candidate passes ``PRAGMA integrity_check``,
is a station database of this program's schema, and its journal verifies with this station's
key (so a foreign or tampered backup is refused). The database being replaced is kept aside.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cashier.core.clock import Clock, SystemClock, to_vn
from cashier.core.errors import IntegrityError
from cashier.core.messages import register
from cashier.services.export_ports import BackupStore

register(
    {
        "backup.refused": (
            "Restore refused, nothing was changed: {file}: {detail}",
            "Từ chối khôi phục, không thay đổi gì: {file}: {detail}",
        ),
    }
)

_NAME = re.compile(r"^cashier-\d{8}-\d{6}(-[\w.-]+)?\.sqlite3$")


@dataclass
class RestoreResult:
    restored_from: str
    kept_aside: str
    journal: str

    def as_dict(self) -> dict[str, str]:
        return dict(self.__dict__)


class BackupService:
    def __init__(
        self,
        store: BackupStore,
        backups_dir: Path,
        *,
        keep: int = 30,
        clock: Clock | None = None,
        verify_candidate: Callable[[Path], tuple[bool, str]] | None = None,
    ) -> None:
        self.store = store
        self.backups_dir = Path(backups_dir)
        self.keep = keep
        self.clock = clock or SystemClock()
        self.verify_candidate = verify_candidate

    def _name(self, label: str = "") -> str:
        now = to_vn(self.clock.now())
        tail = f"-{re.sub(r'[^A-Za-z0-9.-]', '_', label)}" if label else ""
        return f"cashier-{now:%Y%m%d-%H%M%S}{tail}.sqlite3"

    def backup(self, out_dir: Path | None = None, label: str = "") -> Path:
        directory = Path(out_dir) if out_dir else self.backups_dir
        target = directory / self._name(label)
        n = 1
        while target.exists():
            n += 1
            target = directory / self._name(f"{label}-{n}" if label else str(n))
        self.store.backup_to(target)
        if out_dir is None:
            self.prune()
        return target

    def list(self) -> list[Path]:
        if not self.backups_dir.is_dir():
            return []
        return sorted(p for p in self.backups_dir.iterdir() if _NAME.match(p.name))

    def prune(self) -> list[Path]:
        """Delete the oldest managed backups beyond the retention count."""
        files = self.list()
        doomed = files[: max(0, len(files) - self.keep)]
        for p in doomed:
            p.unlink()
        return doomed

    def check(self, path: Path) -> tuple[bool, str]:
        problems = self.store.check_file(Path(path))
        if problems:
            return False, "; ".join(problems)
        if self.verify_candidate is not None:
            return self.verify_candidate(Path(path))
        return True, "integrity ok (journal not checked)"

    def restore(self, path: Path) -> RestoreResult:
        path = Path(path)
        ok, detail = self.check(path)
        if not ok:
            raise IntegrityError("backup.refused", file=str(path), detail=detail)
        aside = self.backups_dir / f"replaced-{self._name()}"  # not counted by the retention
        self.store.restore_from(path, aside)
        return RestoreResult(restored_from=str(path), kept_aside=str(aside), journal=detail)
