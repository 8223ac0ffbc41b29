"""Parsing a debt extract's rows into batches for the import to stage, the same way in this
process and in the reading child (:mod:`cashier.services.extract_parse`,
:mod:`cashier.services.extract_child`): what both need."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice, zip_longest
from typing import Any

from cashier.core.debt import RejectedRow
from cashier.core.extract.header import HeaderInfo
from cashier.core.extract.profile import ExtractProfile
from cashier.core.extract.rows import RowParser
from cashier.core.extract.state import ParseStats

#: rows per batch handed to the store
STAGE_BATCH = 5_000
#: rows parsed at a time: the columnar fast path touches each row once per column, so the
#: chunk must stay in the CPU cache (measured: 200 rows ~20% faster than row by row, 5000 slower)
PARSE_CHUNK = 200
#: batches the child may run ahead of the store (~1 MB each)
QUEUE_BATCHES = 16

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


def parse_batches(
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
        chunks = chain((tail,), in_chunks(rows or iter(()), PARSE_CHUNK))
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


def in_chunks(rows: Iterator[tuple[int, Sequence[Any]]], size: int) -> Iterator[list]:
    while chunk := list(islice(rows, size)):
        yield chunk


def pack_columns(rows: list[tuple[int, Sequence[Any]]]) -> tuple[list[int], list[tuple[str, Any]]]:
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


def unpack_columns(columns: list[tuple[str, Any]]) -> list[list[Any]]:
    return [data.split("\x00") if kind == "s" else data for kind, data in columns]


_STR = {str}


def read_head(rows: Iterator[tuple[int, Sequence[Any]]], profile: ExtractProfile) -> list:
    head: list[tuple[int, Sequence[Any]]] = []
    for pair in rows:
        head.append(pair)
        if len(head) >= profile.header_scan_rows:
            break
    return head


def outcome_of(parser: RowParser, source: Any, rejected: list, rejected_codes: set) -> ParsedExtract:
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
