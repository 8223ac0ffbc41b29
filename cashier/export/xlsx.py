"""Writing xlsx files that are typed on purpose, safe to open, and byte-for-byte reproducible.

* Text is always a text cell (``t="inlineStr"``): a value such as ``=HYPERLINK(...)``, ``+84...``,
  ``-1`` or ``@SUM`` can never become a formula. Such values are *flagged* (listed in the
  manifest) so a reviewer sees them.
* Characters XML 1.0 cannot carry (C0 controls, a lone CR that XML would turn into LF) are
  written with the OOXML ``_xHHHH_`` escape that Excel and calamine decode; a literal text that
  looks like such an escape is itself escaped (``_x005F_``) so it comes back unchanged.
* Determinism: openpyxl stamps ``docProps/core.xml`` with the time of saving and :mod:`zipfile`
  stamps each entry with the current time; :func:`save_workbook` fixes both to the time given
  (the batch's creation time), so re-writing a batch reproduces the same bytes.
* Speed: openpyxl builds one object per cell (100,000 rows x 15 columns take ~27 s here); the big
  data sheet is therefore streamed by :class:`SheetStream` straight into the package that
  openpyxl writes (workbook, styles, small sheets, docProps), ~10x faster.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import IO, Any
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from cashier.core.errors import InvalidInput
from cashier.core.messages import register

register(
    {
        "xlsx.text_too_long": (
            "Text of {length} characters does not fit in a spreadsheet cell (limit 32,767)",
            "Chuỗi dài {length} ký tự không vừa một ô bảng tính (tối đa 32.767)",
        ),
    }
)

#: Leading characters that make a spreadsheet treat a typed value as a formula (OWASP CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_TEXT = 32_767

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\r]")
_NONCHAR = re.compile("[\ufffe\uffff\ud800-\udfff]")
_LOOKS_ESCAPED = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def looks_like_formula(text: str) -> bool:
    return bool(text) and text.startswith(FORMULA_TRIGGERS)


#: anything encode_text must change (fast path: most cells match nothing)
_NEEDS_WORK = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\r\ufffe\uffff\ud800-\udfff]|_[xX][0-9A-Fa-f]{4}_")


def encode_text(text: str) -> tuple[str, bool]:
    """The cell form of ``text`` and whether it was altered beyond the reversible escapes.

    Unicode non-characters and lone surrogates cannot be stored at all: they become U+FFFD (and
    the second item is True so the caller can flag the cell).
    """
    if len(text) > MAX_CELL_TEXT:
        raise InvalidInput("xlsx.text_too_long", length=len(text))
    if not _NEEDS_WORK.search(text):
        return text, False
    lossy = False
    if _NONCHAR.search(text):
        text = _NONCHAR.sub("\ufffd", text)
        lossy = True
    if "_x" in text or "_X" in text:
        text = _LOOKS_ESCAPED.sub(r"_x005F_\1", text)
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    return text, lossy


def is_lossy(text: str) -> bool:
    """True when ``text`` has characters no spreadsheet can hold (replaced by U+FFFD)."""
    return bool(_NONCHAR.search(text))


def text_cell(ws: Any, value: str, style: dict[str, Any] | None = None) -> WriteOnlyCell:
    """A write-only text cell, whatever ``value`` looks like (never a formula, number or date)."""
    cell = WriteOnlyCell(ws)
    cell._value = encode_text(value)[0]  # bypass openpyxl's type guessing on purpose
    cell.data_type = "s"
    for key, val in (style or {}).items():
        setattr(cell, key, val)
    return cell


def int_cell(ws: Any, value: object, style: dict[str, Any] | None = None) -> WriteOnlyCell:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"integer cell needs an int, got {type(value).__name__}")
    cell = WriteOnlyCell(ws, value=value)
    for key, val in (style or {}).items():
        setattr(cell, key, val)
    return cell


_XML_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


class SheetStream:
    """Streams one worksheet's XML: text cells as inline strings, ints as numbers.

    ``types`` gives each column's kind: "text" or "int". Rows are written as they come.
    """

    def __init__(self, types: Sequence[str], widths: Sequence[int] | None = None, freeze_header: bool = True):
        self.types = list(types)
        self.widths = list(widths or [])
        self.freeze_header = freeze_header
        self.letters = [get_column_letter(i + 1) for i in range(len(self.types))]

    def write(self, out: IO[bytes], header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        buf: list[str] = [_XML_HEAD]
        if self.freeze_header:
            buf.append(
                '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
                'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
            )
        buf.append('<sheetFormatPr defaultRowHeight="15"/>')
        if self.widths:
            buf.append("<cols>")
            for i, w in enumerate(self.widths, 1):
                buf.append(f'<col min="{i}" max="{i}" width="{int(w)}" customWidth="1"/>')
            buf.append("</cols>")
        buf.append("<sheetData>")
        out.write("".join(buf).encode("utf-8"))
        self._write_header(out, header)
        n = 1
        chunk: list[str] = []
        cols = list(zip(self.letters, self.types, strict=True))
        cache: dict[str, str] = {}  # text -> its <is> element (codes, dates, names repeat)
        for row in rows:
            n += 1
            parts = [f'<row r="{n}">']
            for (letter, kind), value in zip(cols, row, strict=True):
                if value is None or value == "":
                    continue
                if kind == "int":
                    if value.__class__ is not int:
                        raise TypeError(f"column {letter}: integer cell needs an int, got {value!r}")
                    parts.append(f'<c r="{letter}{n}"><v>{value}</v></c>')
                else:
                    body = cache.get(value)
                    if body is None:
                        body = _inline_body(value)
                        if len(cache) < 100_000:
                            cache[value] = body
                    parts.append(f'<c r="{letter}{n}" t="inlineStr">{body}</c>')
            parts.append("</row>")
            chunk.append("".join(parts))
            if len(chunk) >= 2000:
                out.write("".join(chunk).encode("utf-8"))
                chunk.clear()
        if chunk:
            out.write("".join(chunk).encode("utf-8"))
        out.write(b"</sheetData></worksheet>")

    def _write_header(self, out: IO[bytes], values: Sequence[str]) -> None:
        cells = "".join(_inline(f"{get_column_letter(i + 1)}1", v) for i, v in enumerate(values))
        out.write(f'<row r="1">{cells}</row>'.encode())


def _inline_body(value: str) -> str:
    text = encode_text(str(value))[0]
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    return f"<is><t{space}>{escape(text)}</t></is>"


def _inline(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr">{_inline_body(value)}</c>'


def save_workbook(
    wb: Workbook,
    target: IO[bytes] | str,
    when: datetime,
    *,
    streams: dict[str, Callable[[IO[bytes]], None]] | None = None,
) -> None:
    """Save ``wb`` reproducibly: docProps and zip entries stamped with ``when``.

    ``streams`` maps a worksheet title to a function that writes that sheet's XML (the sheet in
    ``wb`` is an empty write-only placeholder whose content is replaced).
    """
    utc = when.astimezone(UTC).replace(tzinfo=None, microsecond=0) if when.tzinfo else when
    wb.properties.created = utc
    wb.properties.modified = utc
    wb.properties.creator = "Cashier station"
    local = when.replace(tzinfo=None) if when.tzinfo else when
    date_time = (max(local.year, 1980), local.month, local.day, local.hour, local.minute, local.second)
    replacements = {}
    for title, producer in (streams or {}).items():
        # ExcelWriter numbers worksheets 1.. in workbook order (ws._id) and names the part after it
        idx = wb.worksheets.index(wb[title]) + 1
        replacements[f"xl/worksheets/sheet{idx}.xml"] = producer
    archive = _FixedTimeZip(target, date_time, replacements)
    try:
        ExcelWriter(wb, archive).save()
    except BaseException:
        # a failed write (disk full): drop the archive without its end record, so that its
        # __del__ does not write again into the closed target ("seek of closed file")
        archive.fp = None
        raise


class _FixedTimeZip(zipfile.ZipFile):
    """A ZipFile whose every entry has the same time stamp and attributes (reproducible)."""

    def __init__(self, file: Any, date_time: tuple[int, ...], replacements: dict[str, Callable]) -> None:
        super().__init__(file, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self._date_time = date_time
        self._replacements = replacements

    def _info(self, name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=self._date_time)  # type: ignore[arg-type]
        info.compress_type = zipfile.ZIP_DEFLATED
        info.create_system = 3  # the same on Windows and Linux
        info.external_attr = 0o644 << 16
        return info

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):  # type: ignore[override]
        name = zinfo_or_arcname.filename if isinstance(zinfo_or_arcname, zipfile.ZipInfo) else zinfo_or_arcname
        super().writestr(self._info(name), data)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):  # type: ignore[override]
        name = arcname or str(filename)
        producer = self._replacements.get(name)
        with self.open(self._info(name), "w", force_zip64=True) as dst:
            if producer is not None:
                producer(dst)
            else:
                with open(filename, "rb") as src:
                    shutil.copyfileobj(src, dst, 1 << 20)
