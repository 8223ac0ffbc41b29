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

import logging
import marshal
import multiprocessing
import pickle
import queue
import sys
import traceback
import types
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, islice, zip_longest
from pathlib import Path
from typing import Any

from cashier.core import errors
from cashier.core.debt import RejectedRow
from cashier.core.digest import file_sha256
from cashier.core.extract.header import HeaderInfo, locate_header
from cashier.core.extract.profile import ExtractProfile
from cashier.core.extract.rows import RowParser
from cashier.core.extract.state import ParseStats

log = logging.getLogger(__name__)


#: rows per batch handed to the store
STAGE_BATCH = 5_000
#: rows parsed at a time: the columnar fast path touches each row once per column, so the
#: chunk must stay in the CPU cache (measured: 200 rows ~20% faster than row by row, 5000 slower)
PARSE_CHUNK = 200
#: batches the child may run ahead of the store (~1 MB each)
QUEUE_BATCHES = 16
#: files smaller than this are parsed in-process (starting a child costs ~0.3 s)
CHILD_MIN_BYTES = 8_000_000

#: ``(customers, bills)``: tuples in CUSTOMER_COLUMNS / BILL_COLUMNS order
Batch = tuple[list[tuple], list[tuple]]


@dataclass
class ParsedExtract:
    """Everything the import needs once every row is parsed."""

    stats: ParseStats
    warnings: list[str]  # the source's and the parser's notes
    conflicts: dict[str, list[int]]  # "code\x1fbill_id" -> rows (neither version is applied)
    conflict_rejections: list[RejectedRow]  # the first row of each conflicting bill
    terms: set[str]  # folded name/address words (search vocabulary)
    rejected: list[RejectedRow] = field(default_factory=list)
    rejected_codes: set[str] = field(default_factory=set)  # valid codes with a rejected row
    #: bill ids of the rejected rows (where readable): none of them becomes paid elsewhere
    rejected_bills: set[str] = field(default_factory=set)
    #: units of rejected rows that name neither a valid customer code nor a bill id
    rejected_units: set[str] = field(default_factory=set)


def _parse_rows(
    parser: RowParser,
    header: HeaderInfo,
    head: list[tuple[int, Sequence[Any]]],
    rows: Iterator[tuple[int, Sequence[Any]]] | None,
    rejected: list[RejectedRow],
    rejected_codes: set[str],
    column_chunks: Iterator[tuple[list[int], list]] | None = None,
) -> Iterator[Batch]:
    """Parse every row below the header (``rows``, or ``column_chunks`` of rows given as columns);
    yield batches of rows to stage, collect the rejected rows."""
    tail = [pair for pair in head if pair[0] > header.row]
    results: Iterator[tuple[list, list, list]]
    if column_chunks is None:
        parser.probe(cells for _, cells in tail)
        chunks = chain((tail,), _chunks(rows or iter(()), PARSE_CHUNK))
        results = map(parser.parse_batch, chunks)
    else:
        first = next(column_chunks, None)
        if first is not None:  # the rows below the header, sent by the reading child
            parser.probe(zip(*first[1], strict=True))
            column_chunks = chain((first,), column_chunks)
        results = chain(
            (parser.parse_batch(tail),), (parser.parse_columns(n, c) for n, c in column_chunks)
        )
    customers: list[tuple] = []
    bills: list[tuple] = []
    for c, b, bad in results:
        customers += c
        bills += b
        for row, code in bad:
            rejected.append(row)
            if code:
                rejected_codes.add(code)
        if len(bills) >= STAGE_BATCH:
            yield customers, bills
            customers, bills = [], []
    if bills or customers:
        yield customers, bills


def _chunks(rows: Iterator[tuple[int, Sequence[Any]]], size: int) -> Iterator[list]:
    while chunk := list(islice(rows, size)):
        yield chunk


def _pack_columns(rows: list[tuple[int, Sequence[Any]]]) -> tuple[list[int], list[tuple[str, Any]]]:
    """Raw rows as columns for the trip to the parsing process: a column of text travels as ONE
    string joined by NUL (which no csv or xlsx cell holds) instead of thousands of objects, the
    others as lists (marshal loads an integer in ~20 ns, a short string in ~150 ns) - measured
    at 1M rows x 22 columns: unmarshalling the rows as rows cost ~4.5 s. Short rows are padded
    with "" (as calamine gives them)."""
    rownums = [r[0] for r in rows]
    columns: list[tuple[str, Any]] = []
    for col in zip_longest(*(r[1] for r in rows), fillvalue=""):
        if set(map(type, col)) == _STR:
            joined = "\x00".join(col)
            if joined.count("\x00") == len(col) - 1:  # no value held a NUL
                columns.append(("s", joined))
                continue
        columns.append(("m", list(col)))
    return rownums, columns


def _unpack_columns(columns: list[tuple[str, Any]]) -> list[list[Any]]:
    return [data.split("\x00") if kind == "s" else data for kind, data in columns]


_STR = {str}


def _read_head(rows: Iterator[tuple[int, Sequence[Any]]], profile: ExtractProfile) -> list:
    head: list[tuple[int, Sequence[Any]]] = []
    for pair in rows:
        head.append(pair)
        if len(head) >= profile.header_scan_rows:
            break
    return head


def _outcome(parser: RowParser, source: Any, rejected: list, rejected_codes: set) -> ParsedExtract:
    return ParsedExtract(
        stats=parser.stats,
        warnings=list(getattr(source, "warnings", [])) + parser.finish_warnings(),
        conflicts=parser.conflicts,
        conflict_rejections=parser.conflict_rejections(),
        terms=parser.terms,
        rejected=rejected,
        rejected_codes=rejected_codes,
        rejected_bills=parser.rejected_bills,
        rejected_units=parser.rejected_units,
    )


class InlineParse:
    """Read and parse in this process (small files, rows given in memory)."""

    def __init__(self, source: Any, profile: ExtractProfile) -> None:
        self.source = source
        self.name: str = source.name
        try:
            self._rows = source.rows()
            self._head = _read_head(self._rows, profile)
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
        return _parse_rows(
            self._parser, self.header, self._head, self._rows, self._rejected, self._codes
        )

    def progress(self) -> tuple[int, int]:
        return self.source.progress()

    def outcome(self) -> ParsedExtract:
        out = _outcome(self._parser, self.source, self._rejected, self._codes)
        self._parser.release()  # every row is parsed: free its state before the merge
        return out

    def close(self) -> None:
        self.source.close()


# -- child process --------------------------------------------------------------------------------
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
            head = _read_head(rows, profile)
            header = locate_header(head, profile)
            out.put(_HEADER + pickle.dumps(header))
            if parse:
                parser = RowParser(profile, header)
                rejected: list[RejectedRow] = []
                codes: set[str] = set()
                for customers, bills in _parse_rows(parser, header, head, rows, rejected, codes):
                    out.put(_BATCH + marshal.dumps((customers, bills, *source.progress())))
                out.put(_DONE + pickle.dumps(_outcome(parser, source, rejected, codes)))
            else:
                tail = [(n, list(c)) for n, c in head if n > header.row]
                for raw in chain((tail,), _chunks(rows, RAW_BATCH)):
                    if not raw:
                        continue
                    message = (*_pack_columns(raw), *source.progress())
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
                cols = _unpack_columns(columns)
                for i in range(0, len(rownums), PARSE_CHUNK):
                    j = i + PARSE_CHUNK
                    yield rownums[i:j], [col[i:j] for col in cols]

        yield from _parse_rows(parser, self.header, [], None, rejected, codes, raw_chunks())
        source = _Notes(warnings)
        self._outcome = _outcome(parser, source, rejected, codes)
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
