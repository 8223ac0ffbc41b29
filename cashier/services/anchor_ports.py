"""Port of the journal's anchor (implemented by ``cashier.db.journal_anchor.JournalAnchor``):
an append-only copy of the journal kept where a database restore does not reach."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from cashier.core.journal import Entry


class AnchorPort(Protocol):
    path: Path

    def exists(self) -> bool: ...

    def tail(self) -> tuple[int, str] | None:
        """(last seq, last hash); None when the anchor file is missing."""
        ...

    def iter_entries(self) -> Iterator[Entry]:
        """Every entry of the anchor in seq order (ValueError on an unreadable line)."""
        ...
