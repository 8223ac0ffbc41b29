"""SHA-256 of a file, read 1 MB at a time (stdlib): the import journal, the clearing manifests."""

from __future__ import annotations

import hashlib
from pathlib import Path


def file_digest(path: str | Path) -> tuple[str, int]:
    """``(hex SHA-256, size in bytes)`` of a file."""
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def file_sha256(path: str | Path) -> str:
    return file_digest(path)[0]
