"""An opened debt extract file (the ``ExtractSource`` of ``cashier.services.cache_ports``)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from cashier.core.digest import file_sha256


class ExtractSource:
    """An opened extract file: name, sha256, ``rows()`` and progress in the source's units."""

    kind = "?"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = path.name
        self.size = path.stat().st_size
        self._sha: str | None = None
        self.warnings: list[str] = []

    @property
    def sha256(self) -> str:
        if self._sha is None:
            self._sha = file_sha256(self.path)
        return self._sha

    def rows(self) -> Iterator[tuple[int, Sequence[Any]]]:  # pragma: no cover - abstract
        raise NotImplementedError

    def progress(self) -> tuple[int, int]:
        """(done, total) in this source's unit (bytes for csv, rows for xlsx)."""
        return (0, 0)

    def close(self) -> None:
        pass
