"""Port of the database's backups (``cashier.db.sqlite.backups.SqliteBackups``): an online copy
of the live database, a check of a backup file, and a restore over the live database."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol


class BackupStore(Protocol):
    def backup_to(self, target: Path) -> None:
        """A consistent copy of the live database at ``target`` (payments committed meanwhile
        are in it or not, never half). Raises FileRefused ``backup.failed``."""
        ...

    def check_file(self, path: Path) -> list[str]:
        """Problems of a backup file (integrity, not a station database, another schema
        version); [] = ok."""
        ...

    def restore_from(self, source: Path, keep_aside: Path) -> None:
        """Save the live database to ``keep_aside``, then overwrite it with ``source``."""
        ...
