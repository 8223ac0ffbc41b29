"""A really full file system for the disk-full tests: a small tmpfs mounted for the test when
this process may mount (root on Linux), else None (the caller then simulates ENOSPC at the
os.fsync / os.write boundary instead)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path


def _can_mount() -> bool:
    return sys.platform.startswith("linux") and hasattr(os, "geteuid") and os.geteuid() == 0


@contextlib.contextmanager
def tiny_fs(where: Path, size_kb: int = 256) -> Iterator[Path | None]:
    where.mkdir(parents=True, exist_ok=True)
    mounted = False
    if _can_mount():
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(where)],
                           capture_output=True, check=False)
        mounted = r.returncode == 0
    try:
        yield where if mounted else None
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(where)], capture_output=True, check=False)


def fill(folder: Path, leave: int = 0) -> Path:
    """Fill the file system of ``folder`` until at most ``leave`` bytes are free."""
    filler = folder / "filler.bin"
    with open(filler, "ab") as fh:
        for size in (65536, 4096, 512, 1):
            while True:
                st = os.statvfs(folder)
                free = st.f_bavail * st.f_frsize
                if free <= leave:
                    break
                try:
                    fh.write(b"\0" * min(size, max(1, free - leave)))
                    fh.flush()
                    os.fsync(fh.fileno())
                except OSError:
                    break
    return filler
