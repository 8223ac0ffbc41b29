"""One guard for every file the station writes on a user's request, and the atomic writer.

:func:`check_output` refuses (``OutputRefused``, a DomainError) a path that is

- the station database or one of its companions (``-wal``, ``-shm``, ``-journal``),
- anything under the keys folder or the backups folder,
- an existing file, unless ``force`` (the UI asks first, then passes ``force=True``),
- an existing folder where a file is wanted.

Paths are compared after resolving symlinks and relative parts (``..``), and case-insensitively
(Windows and macOS file systems do not tell ``DB.SQLITE3`` from ``db.sqlite3``). The check is
pure (it only looks at the file system); the writing goes through :func:`atomic_write`: a
temporary name in the target folder, fsync, ``os.replace``, fsync of the folder, so a failure
(disk full, read-only medium, a crash) leaves either the old file or the new one, never half a
file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from cashier.core.errors import DomainError


class OutputRefused(DomainError):
    code = "output.refused"


class OutputFailed(DomainError):
    """The write itself failed (disk full, read-only medium...); no half file is left."""

    code = "output.failed"


DB_COMPANIONS = ("", "-wal", "-shm", "-journal")


@dataclass(frozen=True)
class ProtectedPaths:
    """What a station never lets an output overwrite."""

    database: Path | None
    folders: tuple[tuple[str, Path], ...] = ()  # (area name, folder), e.g. ("keys", .../keys)

    @classmethod
    def for_station(cls, database: Path | None, keys_dir: Path | None, backups_dir: Path | None) -> ProtectedPaths:
        folders = tuple((name, Path(p)) for name, p in (("keys", keys_dir), ("backups", backups_dir)) if p)
        return cls(Path(database) if database else None, folders)


def _norm(path: Path) -> str:
    """A comparable form: absolute, symlinks resolved, case folded."""
    return os.path.normcase(str(Path(path).expanduser().resolve(strict=False))).casefold()


def _inside(child: str, folder: str) -> bool:
    return child == folder or child.startswith(folder.rstrip(os.sep) + os.sep)


def check_output(path: str | Path, protected: ProtectedPaths, *, force: bool = False) -> Path:
    """The path to write (absolute), or ``OutputRefused``. See the module docstring."""
    target = Path(path).expanduser()
    shown = str(path)
    norm = _norm(target)
    if protected.database is not None and str(protected.database) != ":memory:":
        base = _norm(protected.database)
        for part in DB_COMPANIONS:
            if norm == base + part:
                raise OutputRefused("output.database", path=shown, part=part.lstrip("-") or "main")
    for area, folder in protected.folders:
        if _inside(norm, _norm(folder)):
            raise OutputRefused("output.protected", path=shown, area=area, folder=str(folder))
    if target.is_dir():
        raise OutputRefused("output.is_dir", path=shown)
    if (target.exists() or target.is_symlink()) and not force:
        raise OutputRefused("output.exists", path=shown)
    return Path(os.path.abspath(target))


def check_outputs(paths: Iterable[str | Path], protected: ProtectedPaths, *, force: bool = False) -> list[Path]:
    return [check_output(p, protected, force=force) for p in paths]


def check_output_dir(folder: str | Path, protected: ProtectedPaths) -> Path:
    """A folder that outputs go into: not the keys or backups folder (nor inside them)."""
    norm = _norm(Path(folder))
    for area, protected_folder in protected.folders:
        if _inside(norm, _norm(protected_folder)):
            raise OutputRefused("output.protected", path=str(folder), area=area, folder=str(protected_folder))
    return Path(os.path.abspath(Path(folder).expanduser()))


def fsync_dir(folder: Path) -> None:
    if os.name == "nt":  # no directory fsync on Windows; os.replace is atomic there too
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _detail(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno == errno.EROFS:
        return "the medium is read-only"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return os.strerror(exc.errno) if exc.errno else str(exc)


def _publish(tmp: Path, path: Path, *, mode: int, overwrite: bool) -> None:
    """fsync ``tmp``, give it ``mode`` and move it to ``path`` (never over an existing file
    without ``overwrite``: os.link fails on an existing name, so a racing file is not lost)."""
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(tmp, mode)
    if overwrite:
        os.replace(tmp, path)
    else:
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise OutputRefused("output.exists", path=str(path)) from None
        except OSError:  # file systems without hard links (FAT on a USB stick)
            if path.exists():
                raise OutputRefused("output.exists", path=str(path)) from None
            os.replace(tmp, path)
        else:
            tmp.unlink()
    fsync_dir(path.parent)


def _temp_in(path: Path) -> tuple[int, Path]:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # the temporary name keeps the suffix: writers that choose the format by it still can
        fd, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=f".partial{path.suffix}", dir=path.parent)
    except OSError as exc:
        raise OutputFailed("output.failed", path=str(path), detail=_detail(exc)) from None
    return fd, Path(name)


@contextlib.contextmanager
def atomic_write(path: str | Path, *, mode: int = 0o644, overwrite: bool = False) -> Iterator[IO[bytes]]:
    """Write ``path`` all at once: yields a binary file at a temporary name in the same folder;
    on success it is fsynced and renamed to ``path`` (and the folder fsynced); on any failure the
    temporary file is removed and ``OutputFailed`` (for an OSError) or the original error is
    raised. Without ``overwrite`` an existing ``path`` is never replaced.
    """
    path = Path(path)
    fd, tmp = _temp_in(path)
    fh = os.fdopen(fd, "wb")
    try:
        yield fh
        fh.flush()
        fh.close()
        _publish(tmp, path, mode=mode, overwrite=overwrite)
    except OSError as exc:
        _discard(fh, tmp)
        raise OutputFailed("output.failed", path=str(path), detail=_detail(exc)) from None
    except BaseException:
        _discard(fh, tmp)
        raise


@contextlib.contextmanager
def atomic_path(path: str | Path, *, mode: int = 0o644, overwrite: bool = False) -> Iterator[Path]:
    """Like :func:`atomic_write` for writers that want a file *name* (openpyxl, Pillow, csv):
    yields a temporary path in the target folder with the same suffix."""
    path = Path(path)
    fd, tmp = _temp_in(path)
    os.close(fd)
    try:
        yield tmp
        _publish(tmp, path, mode=mode, overwrite=overwrite)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise OutputFailed("output.failed", path=str(path), detail=_detail(exc)) from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _discard(fh: IO[bytes], tmp: Path) -> None:
    with contextlib.suppress(OSError, ValueError):
        fh.close()
    with contextlib.suppress(OSError):
        tmp.unlink()


def atomic_write_bytes(path: str | Path, data: bytes, *, mode: int = 0o644, overwrite: bool = False) -> Path:
    with atomic_write(path, mode=mode, overwrite=overwrite) as fh:
        fh.write(data)
    return Path(path)
