"""What a worksheet's XML says about itself (its dimension, whether it ends, its last rows),
from the first and last bytes the guard (:func:`cashier.core.xlsx_guard.check_xlsx`) keeps of it;
and the check of what a reader read against it (a reader that stops early without an error is
caught: ``xlsx.short_read``)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from cashier.core.errors import FileRefused
from cashier.core.messages import Message

_DIMENSION = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?dimension\s+ref="[A-Z]{0,3}(\d*)(?::[A-Z]{0,3}(\d+))?"')
_WORKSHEET_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?worksheet\s*>\s*$")
_ROW_START = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?row\b[^>]*?\sr="(\d+)"')
_VALUE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:v|is)>")


@dataclass
class SheetFacts:
    """What a worksheet part declares and holds, from its first and last bytes (the guard
    inflates every part anyway): checked against what a reader actually read."""

    declared_rows: int | None = None  # last row of <dimension ref="A1:V4103">
    ends: bool = False  # the XML ends with </worksheet>
    last_row: int | None = None  # r of the last <row> element
    last_value_row: int | None = None  # r of the last <row> holding a value (<v>, <is>)

    @classmethod
    def of(cls, edges: tuple[bytes, bytes]) -> SheetFacts:
        """From a part's (first bytes, last bytes)."""
        head, tail = edges
        facts = cls(ends=_WORKSHEET_END.search(tail[-4096:]) is not None)
        facts.declared_rows = declared_rows(head)
        starts = list(_ROW_START.finditer(tail))
        if starts:
            facts.last_row = int(starts[-1].group(1))
        ends = len(tail)
        for m in reversed(starts):
            if _VALUE.search(tail, m.end(), ends):
                facts.last_value_row = int(m.group(1))
                break
            ends = m.start()
        return facts


def declared_rows(head: bytes) -> int | None:
    """The last row of the sheet's ``<dimension ref=...>`` (None when absent or "A1")."""
    m = _DIMENSION.search(head)
    if m is None:
        return None
    last = m.group(2) or m.group(1)
    rows = int(last) if last else 0
    return rows if rows > 1 else None


def short_read(name: str, declared: int, read: int, what: Message) -> FileRefused:
    """The sheet holds fewer rows than it declares; ``what`` (an ``xlsx.short.*`` message) says
    which count ``read`` is."""
    detail = Message("xlsx.short.declared", {"declared": declared, "what": what, "read": read})
    return FileRefused("xlsx.short_read", name=name, detail=detail)


def checked_rows(
    name: str, rows: Iterator[tuple[int, Sequence[Any]]], facts: SheetFacts | None
) -> Iterator[tuple[int, Sequence[Any]]]:
    """A parser's rows, then checked against the sheet's XML (see CalamineXlsxSource.rows)."""
    if facts is not None and not facts.ends:
        raise FileRefused(
            "xlsx.short_read",
            name=name,
            detail=Message("xlsx.short.no_end"),
        )
    last = 0
    for rownum, row in rows:
        if row.count("") + row.count(None) != len(row):
            last = rownum
        yield rownum, row
    if facts is None:
        return
    if facts.last_value_row and last < facts.last_value_row:
        raise short_read(name, facts.last_value_row, last, Message("xlsx.short.last_row_read"))
    if facts.declared_rows and (facts.last_row or 0) < facts.declared_rows:
        what = Message("xlsx.short.xml_rows_up_to")
        raise short_read(name, facts.declared_rows, facts.last_row or 0, what)


def short_detail(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) < 200 else text[:197] + "..."
