"""The journal's anchor: an append-only, fsynced copy of every journal entry kept beside the keys,
where a database restore (or a file copied over the database) does not reach.

The fiscal devices' way: the database may be rolled back, the anchor only grows. One JSON line per
entry (``seq, ts, kind, payload, prev, hash`` - the entry exactly as the database holds it, its
keyed hash included, so an edited line is caught with the journal key and a lost payment can be
brought back from it). The last complete line is the anchor's head (monotonic seq + hash).

Written *after* the SQLite commit is durable (``sync``): a crash in between leaves the anchor
behind the database, which the next ``sync`` heals from the database (the entries the database
has beyond the anchor's head, chained to it). An anchor *ahead* of the database means the
database was rolled back: the store refuses to write and ``verify`` names what is missing.

Concurrency: appends take an exclusive lock on the file (fcntl/msvcrt), read the head again under
it and append only what is missing, so two processes never write the same entry twice and the
order of their commits does not matter. A torn last line (power cut mid-append) is cut off.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from cashier.core import journal as jr
from cashier.core.errors import IntegrityError

FILE_NAME = "journal.anchor"


def file_name_for(db_name: str) -> str:
    """One anchor per database file name (several databases may share one keys folder):
    ``journal.anchor`` for the default ``cashier.sqlite3``, ``journal.<db name>.anchor`` else."""
    return FILE_NAME if db_name == "cashier.sqlite3" else f"journal.{db_name}.anchor"


def entry_line(e: jr.Entry) -> bytes:
    rec = {"seq": e.seq, "ts": e.ts, "kind": e.kind, "payload": e.payload, "prev": e.prev_hash, "hash": e.hash}
    return json.dumps(rec, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def parse_line(line: bytes) -> jr.Entry:
    rec = json.loads(line)
    return jr.Entry(int(rec["seq"]), rec["ts"], rec["kind"], rec["payload"], rec["prev"], rec["hash"])


_LOCK_OFFSET = 1 << 40


@contextlib.contextmanager
def _locked(fd: int):
    """Exclusive lock on the whole file, across processes."""
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        # Windows locks are mandatory: lock one byte far beyond any anchor's end, so readers of
        # the file (tail, verify) are never blocked by it
        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # type: ignore[attr-defined]
        try:
            yield
        finally:
            os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        return
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # not possible on Windows; the file's own fsync counts there
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class JournalAnchor:
    """``keys/journal.anchor``: see the module docstring."""

    def __init__(self, keys_dir: str | Path, file_name: str = FILE_NAME) -> None:
        self.path = Path(keys_dir) / file_name
        self._tail_key: tuple | None = None
        self._tail: tuple[int, str] = (0, jr.GENESIS)

    def exists(self) -> bool:
        return self.path.is_file()

    def create(self) -> None:
        """An empty anchor (0600), only when there is none (the first journal entry's commit)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            os.chmod(self.path.parent, 0o700)
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return
        os.fsync(fd)
        os.close(fd)
        _fsync_dir(self.path.parent)

    # -- reading --------------------------------------------------------------------------
    def tail(self) -> tuple[int, str] | None:
        """(last seq, last hash) of the complete lines; ``(0, GENESIS)`` when empty; None when
        the file is missing. One stat per call; the end of the file is read only when it changed."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        key = (st.st_size, st.st_mtime_ns, st.st_ino)
        if key != self._tail_key:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
            try:
                self._tail = _scan_tail(fd, st.st_size)[:2]
            finally:
                os.close(fd)
            self._tail_key = key
        return self._tail

    def iter_entries(self) -> Iterator[jr.Entry]:
        """Every complete line as an Entry (a torn last line is skipped); raises ValueError on a
        line that does not parse."""
        with open(self.path, "rb") as fh:
            for line in fh:
                if not line.endswith(b"\n"):
                    return
                yield parse_line(line)

    # -- writing --------------------------------------------------------------------------
    def sync(self, upto: int, fetch: Callable[[int, int], Sequence[jr.Entry]]) -> int:
        """Append the entries ``head+1..upto`` read with ``fetch(first, last)`` (from the
        committed database), under the file lock; returns the anchor's seq afterwards."""
        fd = os.open(self.path, os.O_RDWR | getattr(os, "O_BINARY", 0))
        try:
            with _locked(fd):
                size = os.fstat(fd).st_size
                seq, last, whole_line_end = _scan_tail(fd, size)
                if seq < 0:
                    raise IntegrityError("journal.anchor_altered", seq="?", detail="last line unreadable")
                if whole_line_end != size:  # torn line from a crash mid-append
                    os.ftruncate(fd, whole_line_end)
                if seq >= upto:
                    return seq
                entries = list(fetch(seq + 1, upto))
                expect_prev, expect_seq = last, seq + 1
                for e in entries:
                    if e.seq != expect_seq or e.prev_hash != expect_prev:
                        raise IntegrityError("journal.anchor_fork", seq=expect_seq)
                    expect_prev, expect_seq = e.hash, e.seq + 1
                if entries:
                    os.lseek(fd, whole_line_end, os.SEEK_SET)
                    os.write(fd, b"".join(entry_line(e) for e in entries))
                    os.fsync(fd)
                return expect_seq - 1
        finally:
            os.close(fd)

    def rebuild(self, entries: Iterator[jr.Entry]) -> int:
        """Write a new anchor from ``entries`` (the admin's ``anchor-rebuild``): a temporary
        file, fsynced, renamed over; the old anchor, if any, is kept as ``.replaced-N``."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        n = 0
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            for e in entries:
                os.write(fd, entry_line(e))
                n = e.seq
            os.fsync(fd)
        finally:
            os.close(fd)
        if self.path.exists():
            k = 1
            while self.path.with_name(f"{self.path.name}.replaced-{k}").exists():
                k += 1
            os.replace(self.path, self.path.with_name(f"{self.path.name}.replaced-{k}"))
        os.replace(tmp, self.path)
        _fsync_dir(self.path.parent)
        self._tail_key = None
        return n


def _scan_tail(fd: int, size: int) -> tuple[int, str, int]:
    """(last seq, last hash, offset after the last newline) of the file open at ``fd``: one read
    of its end in the common case. ``(0, GENESIS, 0)`` for an empty file, seq -1 when the last
    complete line does not parse."""
    window = 8192
    while True:
        start = max(0, size - window)
        os.lseek(fd, start, os.SEEK_SET)
        data = b""
        while len(data) < size - start:
            chunk = os.read(fd, size - start - len(data))
            if not chunk:
                break
            data += chunk
        end = data.rfind(b"\n")
        if end < 0 and start > 0:
            window *= 4
            continue
        if end < 0:
            return 0, jr.GENESIS, 0
        begin = data.rfind(b"\n", 0, end) + 1
        if begin == 0 and start > 0:
            window *= 4
            continue
        try:
            e = parse_line(data[begin:end])
        except (ValueError, KeyError, TypeError):
            return -1, "damaged", start + end + 1
        return e.seq, e.hash, start + end + 1
