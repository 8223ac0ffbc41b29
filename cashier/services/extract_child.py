"""Reading (and parsing) a big debt extract in a child process while this process writes to
SQLite (:class:`ChildParse`; see :mod:`cashier.services.extract_parse`).

Messages cross as ``marshal`` bytes (pickle for cells marshal cannot carry) through a bounded
queue, so the child is never more than ``QUEUE_BATCHES`` messages ahead and memory stays
bounded. The child is stopped when the import is cancelled or fails; a child that dies (killed,
out of memory) is a ``FileRefused``, never a hang. The child never touches the database.
"""

from __future__ import annotations

import logging
import marshal
import multiprocessing
import pickle
import queue
import sys
import traceback
import types
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

from cashier.core import errors
from cashier.core.debt import RejectedRow
from cashier.core.digest import file_sha256
from cashier.core.extract.header import HeaderInfo, locate_header
from cashier.core.extract.profile import ExtractProfile
from cashier.core.extract.rows import RowParser
from cashier.services.extract_batches import (
    PARSE_CHUNK,
    QUEUE_BATCHES,
    Batch,
    ParsedExtract,
    in_chunks,
    outcome_of,
    pack_columns,
    parse_batches,
    read_head,
    unpack_columns,
)

log = logging.getLogger(__name__)

_BATCH, _RAW, _RAW_PICKLED, _HEADER, _DONE, _ERROR, _CRASH = (
    b"B",
    b"R",
    b"P",
    b"H",
    b"D",
    b"E",
    b"X",
)
#: raw rows per message when the child only reads
RAW_BATCH = 2_000


def _child_main(out: Any, reader: Any, path: str, profile: ExtractProfile, parse: bool) -> None:
    """Entry point of the child: open, read (and parse when ``parse``), put tagged messages on
    ``out``. Without ``parse`` the child only reads and sends the raw rows below the header."""
    import gc

    # the parser's duplicate-detection state grows to millions of objects that never form
    # cycles: full collections over it would only cost time (this process is short-lived)
    gc.disable()
    try:
        source = reader.open(path)
        try:
            rows = source.rows()
            head = read_head(rows, profile)
            header = locate_header(head, profile)
            out.put(_HEADER + pickle.dumps(header))
            if parse:
                parser = RowParser(profile, header)
                rejected: list[RejectedRow] = []
                codes: set[str] = set()
                for customers, bills in parse_batches(parser, header, head, rows, rejected, codes):
                    out.put(_BATCH + marshal.dumps((customers, bills, *source.progress())))
                out.put(_DONE + pickle.dumps(outcome_of(parser, source, rejected, codes)))
            else:
                tail = [(n, list(c)) for n, c in head if n > header.row]
                for raw in chain((tail,), in_chunks(rows, RAW_BATCH)):
                    if not raw:
                        continue
                    message = (*pack_columns(raw), *source.progress())
                    try:
                        out.put(_RAW + marshal.dumps(message))
                    except ValueError:  # a cell marshal cannot carry (a datetime): pickle it
                        out.put(_RAW_PICKLED + pickle.dumps(message))
                out.put(_DONE + pickle.dumps(list(getattr(source, "warnings", []))))
        finally:
            source.close()
    except errors.DomainError as exc:
        out.put(_ERROR + pickle.dumps(exc))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises
        out.put(_CRASH + pickle.dumps((f"{type(exc).__name__}: {exc}", traceback.format_exc())))


@dataclass
class _Notes:
    """The source's warnings, sent back by a child that only read the file."""

    warnings: list[str]


@contextmanager
def _main_module_hidden() -> Iterator[None]:
    """Start a spawned child without it re-running the caller's main module.

    ``spawn`` re-imports ``__main__`` in the child; a manager's script without the
    ``if __name__ == "__main__"`` guard would then run again there (its side effects twice).
    The child needs nothing from it (its target and arguments live in importable modules), so
    ``__main__`` is hidden while the child's start data is prepared.
    """
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


class ChildParse:
    """Read (and parse) in a child process; :meth:`batches` yields the parsed batches.

    ``parse_in_child``: the child reads *and* parses (csv: reading is cheap, parsing is the
    work to move off this process), or only reads and sends the raw rows, which this process
    parses between its writes (xlsx: reading the XML is the heavy part; measured at 1M rows:
    reading ~22 s, parsing ~9 s, storing ~15 s - this split balances the two processes).
    ``reader`` (the ExtractReader port) must be picklable: the child opens the file itself.
    Call :meth:`close` when done (the import does, in a ``finally``): it stops the child.
    """

    POLL_SECONDS = 0.5

    def __init__(
        self, reader: Any, path: str | Path, profile: ExtractProfile, parse_in_child: bool = True
    ) -> None:
        self.path = Path(path)
        self.profile = profile
        self.parse_in_child = parse_in_child
        self.name = self.path.name
        ctx = multiprocessing.get_context("spawn")  # never fork a process that runs Qt threads
        self._queue = ctx.Queue(maxsize=QUEUE_BATCHES)
        self._proc = ctx.Process(
            target=_child_main,
            args=(self._queue, reader, str(self.path), profile, parse_in_child),
            name="cashier-extract-parse",
            daemon=True,
        )
        with _main_module_hidden():
            self._proc.start()
        self._progress = (0, 0)
        self._outcome: ParsedExtract | None = None
        self._sha: str | None = None
        try:
            self.sha256  # noqa: B018 - hashed here while the child starts and opens the file
            tag, body = self._get()
            if tag != _HEADER:
                raise RuntimeError(f"unexpected message {tag!r} from the extract parser")
            self.header: HeaderInfo = pickle.loads(body)
        except BaseException:
            self.close()
            raise

    @property
    def sha256(self) -> str:
        if self._sha is None:
            self._sha = file_sha256(self.path)
        return self._sha

    def _get(self) -> tuple[bytes, bytes]:
        """The next message; raises the child's error, or when it died without a word."""
        while True:
            try:
                msg: bytes = self._queue.get(timeout=self.POLL_SECONDS)
                break
            except queue.Empty:
                if not self._proc.is_alive():
                    try:  # its last words may have arrived just now
                        msg = self._queue.get(timeout=self.POLL_SECONDS)
                        break
                    except queue.Empty:
                        raise errors.FileRefused(
                            "import.worker_failed",
                            detail=f"it stopped with exit code {self._proc.exitcode}",
                        ) from None
        tag, body = msg[:1], msg[1:]
        if tag == _ERROR:
            raise pickle.loads(body)
        if tag == _CRASH:
            text, trace = pickle.loads(body)
            log.error("extract parser process failed:\n%s", trace)
            raise errors.FileRefused("import.worker_failed", detail=text)
        return tag, body

    def batches(self) -> Iterator[Batch]:
        if not self.parse_in_child:
            yield from self._parse_here()
            return
        while True:
            tag, body = self._get()
            if tag == _DONE:
                self._outcome = pickle.loads(body)
                return
            customers, bills, done, total = marshal.loads(body)
            self._progress = (done, total)
            yield customers, bills

    def _parse_here(self) -> Iterator[Batch]:
        """Parse the raw rows the child sends, in this process."""
        parser = RowParser(self.profile, self.header)
        rejected: list[RejectedRow] = []
        codes: set[str] = set()
        warnings: list[str] = []

        def raw_chunks() -> Iterator[tuple[list[int], list]]:
            while True:
                tag, body = self._get()
                if tag == _DONE:
                    warnings.extend(pickle.loads(body))
                    return
                rownums, columns, done, total = (marshal if tag == _RAW else pickle).loads(body)
                self._progress = (done, total)
                cols = unpack_columns(columns)
                for i in range(0, len(rownums), PARSE_CHUNK):
                    j = i + PARSE_CHUNK
                    yield rownums[i:j], [col[i:j] for col in cols]

        yield from parse_batches(parser, self.header, [], None, rejected, codes, raw_chunks())
        source = _Notes(warnings)
        self._outcome = outcome_of(parser, source, rejected, codes)
        parser.release()

    def progress(self) -> tuple[int, int]:
        return self._progress

    def outcome(self) -> ParsedExtract:
        if self._outcome is None:
            raise RuntimeError("outcome() before every batch was read")
        return self._outcome

    def close(self) -> None:
        proc = self._proc
        if proc.is_alive():
            proc.join(timeout=0.2 if self._outcome is not None else 0)
        if proc.is_alive():
            proc.terminate()
            proc.join(timeout=5)
        self._queue.close()
        self._queue.join_thread()

