"""Reading and parsing a debt extract into batches of rows for the import to stage.

Two ways, same result (``ParsedExtract``):

* :class:`InlineParse` reads and parses in this process, between the import's SQLite writes
  (files under :data:`CHILD_MIN_BYTES`, rows given in memory);
* :class:`ChildParse` reads in a child process (``multiprocessing``, spawn) while this process
  writes to SQLite. A csv is also parsed there and arrives as parsed rows; an xlsx (reading the
  XML is the heavy part) arrives as raw rows packed by column and is parsed here. Measured on
  1M rows (bench/bench_cache.py): reading ~3 s (csv) / ~21 s (xlsx), parsing ~10 s, storing
  ~10 s - with two cores these overlap instead of adding up.

Messages cross as ``marshal`` bytes (pickle for cells marshal cannot carry) through a bounded
queue, so the child is never more than :data:`QUEUE_BATCHES` messages ahead and memory stays
bounded. The child is stopped when the import is cancelled or fails; a child that dies (killed,
out of memory) is a ``FileRefused``, never a hang. The import itself stays one SQLite
transaction in this process: the child never touches the database.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cashier.core.debt import RejectedRow
from cashier.core.extract.header import locate_header
from cashier.core.extract.profile import ExtractProfile
from cashier.core.extract.rows import RowParser
from cashier.services.extract_batches import (
    Batch,
    ParsedExtract,
    outcome_of,
    parse_batches,
    read_head,
)
from cashier.services.extract_child import ChildParse

#: files smaller than this are parsed in-process (starting a child costs ~0.3 s)
CHILD_MIN_BYTES = 8_000_000


class InlineParse:
    """Read and parse in this process (small files, rows given in memory)."""

    def __init__(self, source: Any, profile: ExtractProfile) -> None:
        self.source = source
        self.name: str = source.name
        try:
            self._rows = source.rows()
            self._head = read_head(self._rows, profile)
            self.header = locate_header(self._head, profile)
        except BaseException:
            source.close()
            raise
        self._parser = RowParser(profile, self.header)
        self._rejected: list[RejectedRow] = []
        self._codes: set[str] = set()

    @property
    def sha256(self) -> str:
        return self.source.sha256

    def batches(self) -> Iterator[Batch]:
        return parse_batches(
            self._parser, self.header, self._head, self._rows, self._rejected, self._codes
        )

    def progress(self) -> tuple[int, int]:
        return self.source.progress()

    def outcome(self) -> ParsedExtract:
        out = outcome_of(self._parser, self.source, self._rejected, self._codes)
        self._parser.release()  # every row is parsed: free its state before the merge
        return out

    def close(self) -> None:
        self.source.close()


def open_parse(
    reader: Any,
    path: str | Path,
    profile: ExtractProfile,
    *,
    child: bool | None = None,
) -> InlineParse | ChildParse:
    """Start parsing ``path``: in a child process when ``child`` is True, or when it is None
    and the file is at least :data:`CHILD_MIN_BYTES`; else in this process."""
    path = Path(path)
    if child is None:
        try:
            child = path.stat().st_size >= CHILD_MIN_BYTES
        except OSError:
            child = False  # the reader says what is wrong with it
    if child:
        return ChildParse(
            reader, path, profile, parse_in_child=path.suffix.lower() not in _READ_HEAVY
        )
    return InlineParse(reader.open(path), profile)


#: files whose reading costs more than their parsing: the child only reads them
_READ_HEAVY = (".xlsx", ".xlsm")
