"""A fast streaming reader of the first worksheet of an xlsx file, in bounded memory.

python-calamine loads the whole sheet (1.8 GB for a 1M-row extract) and openpyxl read_only is
~20x slower, so :class:`StreamingXlsxSource` reads the sheet XML itself:

* the sheet part is inflated with zlib a few MB at a time (output capped at its checked size);
  the inflated text is cut into rows at ``</row>`` and everything after the last one is kept for
  the next block, so memory stays at a few blocks whatever the file size;
* each row goes through one precompiled regular expression that matches the common cell forms
  written by Excel, openpyxl and CMIS exports (inline strings, shared strings, numbers, empty
  cells; optional style). A row is taken on this fast path only when every ``<c`` of the row was
  matched and the cells are exactly columns A, B, C... in order; anything else (entities, rich
  text, formulas, booleans, errors, gaps, cells or rows without ``r``, namespace prefixes...) is
  parsed by the slow path: that row's XML through (defused) ElementTree. No cell is dropped.
* shared strings are stream-parsed once into a list the same way.

Run :func:`~cashier.core.xlsx_guard.check_xlsx` first (the constructor does): it refuses zip
and XML bombs and checks every part's size and CRC. Anything malformed afterwards raises
``FileRefused("xlsx.unreadable")``.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeET

from cashier.core.errors import FileRefused
from cashier.core.messages import Message
from cashier.core.xlsx_guard import DEFAULT_LIMITS, XlsxLimits, check_xlsx, inflate_checked
from cashier.db.readers.sheet_facts import declared_rows, short_detail, short_read
from cashier.db.readers.source import ExtractSource
from cashier.db.readers.workbook_parts import first_sheet
from cashier.db.readers.xlsx_xml import COLUMN_INDEX, COLUMNS, MAX_COLUMN, local_name, rich_text

_IN_CHUNK = 512 * 1024  # compressed bytes read at a time
_OUT_CHUNK = 4 * 1024 * 1024  # inflated bytes produced at a time
_MAX_PENDING = 64 * 1024 * 1024  # a single row (or the sheet's head) larger than this is refused


# fast path: one cell per match; groups (column letters, text, number[, shared string index])
_HEAD = rb'<c r="([A-Z]{1,3})\d+"(?: s="\d+")?'
_TEXT = rb' t="inlineStr"><is><t(?: xml:space="preserve")?>([^<&]*)</t></is></c>'
_NUMBER = rb'(?: t="n")?><v>([-+.0-9Ee]{1,40})</v></c>'
_EMPTY = rb'(?: t="\w+")? ?/>'
_SHARED = rb' t="s"><v>(\d{1,10})</v></c>'
_CELL = re.compile(_HEAD + rb"(?:" + _TEXT + rb"|" + _NUMBER + rb"|" + _EMPTY + rb")")
_CELL_SST = re.compile(
    _HEAD + rb"(?:" + _TEXT + rb"|" + _NUMBER + rb"|" + _SHARED + rb"|" + _EMPTY + rb")"
)
_ROW_HEAD = re.compile(rb'\s*<row r="(\d+)"[^<>/]*>')
_ROOT = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?(worksheet|sst)\b[^>]*>")
_SHEET_DATA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheetData\b[^>]*?(/?)>")
_SHEET_DATA_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?sheetData\s*>")
_ENCODING = re.compile(rb"""^(?:\xef\xbb\xbf)?<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']""")
_SI_FAST = re.compile(rb'\s*<si><t(?: xml:space="preserve")?>([^<&]*)</t>')
_REF = re.compile(r"([A-Z]{1,3})(\d*)$")


class StreamingXlsxSource(ExtractSource):
    """xlsx streamed by this module's own parser (fast, bounded memory)."""

    kind = "xlsx"

    def __init__(
        self, path: Path, limits: XlsxLimits = DEFAULT_LIMITS, checked: list[str] | None = None
    ) -> None:
        super().__init__(path)
        # the inflation checks of the guard are made while reading (see _inflate)
        self.sheets = checked if checked is not None else check_xlsx(path, limits, inflate=False)
        self.limits = limits
        self._done = 0
        self._total = 0

    def progress(self) -> tuple[int, int]:
        """(compressed bytes of the sheet consumed, compressed size of the sheet)."""
        return (self._done, self._total)

    # -- reading ----------------------------------------------------------------------------
    def rows(self) -> Iterator[tuple[int, Sequence[Any]]]:
        try:
            zf = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise self._refused(f"{type(exc).__name__}: {exc}") from None
        with zf, open(self.path, "rb") as raw:
            sheet = first_sheet(zf, self.name, self.warnings)
            shared = None
            try:
                sst_info = zf.getinfo("xl/sharedStrings.xml")
            except KeyError:
                sst_info = None
            if sst_info is not None:
                shared = self._shared_strings(raw, sst_info)
            try:
                info = zf.getinfo(sheet)
            except KeyError:
                raise self._refused(f"the first sheet's part {sheet} is missing") from None
            self._total = info.compress_size
            yield from self._sheet_rows(raw, info, shared)

    def _refused(self, detail: str) -> FileRefused:
        return FileRefused("xlsx.unreadable", name=self.name, detail=detail)

    def _inflate(self, raw: Any, info: zipfile.ZipInfo, progress: bool = False) -> Iterator[bytes]:
        """The part's inflated bytes, a few MB at a time, with the guard's checks made as they
        come (never past the declared size, ratio, CRC, size, XML prolog)."""
        return inflate_checked(
            raw, info, self.name, self.limits, in_chunk=_IN_CHUNK, out_chunk=_OUT_CHUNK,
            progress=self._set_done if progress else None,
        )  # fmt: skip

    def _set_done(self, consumed: int) -> None:
        self._done = consumed

    def _root(self, head: bytes, part: str) -> tuple[bytes, bytes]:
        """(root start tag, its end tag) from the start of a part; refuse non-UTF-8 XML."""
        enc = _ENCODING.match(head)
        if enc and enc.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8"):
            raise self._refused(f"{part}: XML encoding {enc.group(1).decode('ascii', 'replace')}")
        if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
            raise self._refused(f"{part}: UTF-16 XML")
        m = _ROOT.search(head)
        if m is None:
            raise self._refused(f"{part} is not a worksheet")
        prefix = m.group(1) + b":" if m.group(1) else b""
        start = m.group(0)
        if start.endswith(b"/>"):
            start = start[:-2] + b">"
        return start, b"</" + prefix + m.group(2) + b">"

    def _fragment(self, root: tuple[bytes, bytes], body: bytes, where: str) -> Element:
        try:
            return SafeET.fromstring(root[0] + body + root[1])
        except Exception as exc:
            raise self._refused(f"{where}: {short_detail(exc)}") from None

    # -- shared strings ---------------------------------------------------------------------
    def _shared_strings(self, raw: Any, info: zipfile.ZipInfo) -> list[str]:
        out: list[str] = []
        root: tuple[bytes, bytes] | None = None
        end = b"</si>"
        fast = True
        buf = b""
        for block in self._inflate(raw, info):
            buf += block
            if root is None:
                m = _ROOT.search(buf)
                if m is None:
                    if len(buf) > _MAX_PENDING:
                        raise self._refused("sharedStrings.xml has no <sst>")
                    continue
                root = self._root(buf[: m.end()], "sharedStrings.xml")
                prefix = root[1][2 : -len(b"sst>")]
                fast = not prefix
                end = b"</" + prefix + b"si>"
                buf = buf[m.end() :]
            pieces = buf.split(end)
            buf = pieces.pop()
            if len(buf) > _MAX_PENDING:
                raise self._refused("a shared string is too large")
            for piece in pieces:
                m = _SI_FAST.fullmatch(piece) if fast else None
                if m is not None:
                    out.append(self._decode(m.group(1)))
                else:
                    self._rich_items(root, piece + end, out)
        if root is None:
            raise self._refused("sharedStrings.xml has no <sst>")
        if root[1] not in buf:
            raise self._refused("sharedStrings.xml is cut short")
        tail = buf.split(root[1])[0]
        if tail.strip():  # e.g. a trailing <si/>
            self._rich_items(root, tail, out)
        return out

    def _rich_items(self, root: tuple[bytes, bytes], body: bytes, out: list[str]) -> None:
        for si in self._fragment(root, body, f"shared string {len(out)}"):
            if local_name(si.tag) == "si":
                out.append(rich_text(si))

    def _decode(self, text: bytes) -> str:
        try:
            return text.decode()
        except UnicodeDecodeError:
            raise self._refused("text is not valid UTF-8") from None

    # -- the sheet --------------------------------------------------------------------------
    def _sheet_rows(
        self, raw: Any, info: zipfile.ZipInfo, shared: list[str] | None
    ) -> Iterator[tuple[int, list[Any]]]:
        root: tuple[bytes, bytes] | None = None
        declared: int | None = None
        self._last_element = 0  # r of the last <row> element seen (with cells or not)
        row_end = b"</row>"
        fast = True
        buf = b""
        last = 0  # the previous row's number (rows without r count on from it)
        ended = False
        for block in self._inflate(raw, info, progress=True):
            buf += block
            if root is None:
                m = _SHEET_DATA.search(buf)
                if m is None:
                    if len(buf) > _MAX_PENDING:
                        raise self._refused("the sheet has no <sheetData>")
                    continue
                root = self._root(buf[: m.start()], info.filename)
                declared = declared_rows(buf[: m.start()])
                prefix = root[1][2 : -len(b"worksheet>")]
                fast = not prefix
                row_end = b"</" + prefix + b"row>"
                if m.group(1):  # <sheetData/>
                    ended = True
                    break
                buf = buf[m.end() :]
            pieces = buf.split(row_end)
            buf = pieces.pop()
            if len(buf) > _MAX_PENDING:
                raise self._refused("a row is too large")
            if pieces:
                for rownum, cells in self._parse_rows(pieces, root, row_end, fast, shared, last):
                    last = rownum
                    yield rownum, cells
            if _SHEET_DATA_END.search(buf):
                ended = True
                break
        if root is None:
            raise self._refused("the sheet has no <sheetData>")
        if not ended:
            raise self._refused("the sheet's XML is cut short")
        tail = _SHEET_DATA_END.split(buf, 1)[0]
        if tail.strip():  # self-closing rows after the last </row>: nothing to yield, but check
            for row in self._fragment(root, tail, f"after row {last}"):
                r = row.get("r")
                self._last_element = int(r) if r and r.isdigit() else self._last_element + 1
        if declared and self._last_element < declared:
            # the XML closes its sheet early (rows cut away, or damaged): calamine would read
            # the same short sheet without an error
            what = Message("xlsx.short.xml_rows_up_to")
            raise short_read(self.name, declared, self._last_element, what)

    def _parse_rows(
        self,
        pieces: list[bytes],
        root: tuple[bytes, bytes],
        row_end: bytes,
        fast: bool,
        shared: list[str] | None,
        last: int,
    ) -> Iterator[tuple[int, list[Any]]]:
        """Rows from complete ``<row ...>...`` pieces (their ``</row>`` cut off)."""
        head = _ROW_HEAD.match
        findall = _CELL.findall if shared is None else _CELL_SST.findall
        columns = COLUMNS
        for piece in pieces:
            m = head(piece) if fast else None
            if m is not None:
                found = findall(piece, m.end())
                n = len(found)
                if n and piece.count(b"<c", m.end()) == n:
                    if shared is None:
                        cols, texts, numbers = zip(*found, strict=True)
                    else:
                        cols, texts, numbers, indexes = zip(*found, strict=True)
                    if cols == columns[:n]:
                        rownum = int(m.group(1))
                        self._last_element = rownum
                        try:
                            if shared is None:
                                cells = [
                                    int(v) if v else t.decode()
                                    for t, v in zip(texts, numbers, strict=True)
                                ]
                            else:
                                cells = [
                                    int(v) if v else (shared[int(s)] if s else t.decode())
                                    for t, v, s in zip(texts, numbers, indexes, strict=True)
                                ]
                        except (ValueError, IndexError, UnicodeDecodeError):
                            cells = self._cells_careful(found, shared, rownum)
                        last = rownum
                        if cells.count("") != n:  # (styled cells without a value: no row,
                            yield rownum, cells  # as calamine does)
                        continue
                elif not n and piece.find(b"<", m.end()) < 0:
                    last = self._last_element = int(m.group(1))  # a row with no cells
                    continue
            for rownum, cells in self._slow_rows(piece, root, row_end, shared, last):
                last = rownum
                yield rownum, cells

    def _cells_careful(
        self, found: list[tuple[bytes, ...]], shared: list[str] | None, rownum: int
    ) -> list[Any]:
        """A fast-path row whose numbers are not all integers (or a bad index/UTF-8)."""
        cells: list[Any] = []
        for item in found:
            text, number = item[1], item[2]
            if number:
                cells.append(self._number(number.decode("ascii"), rownum))
            elif len(item) > 3 and item[3]:
                cells.append(self._shared(shared, item[3].decode("ascii"), rownum))
            else:
                cells.append(self._decode(text))
        return cells

    def _number(self, text: str, rownum: int) -> int | float:
        try:
            return int(text)
        except ValueError:
            pass
        try:
            return float(text)
        except ValueError:
            raise self._refused(f"row {rownum}: {text[:40]!r} is not a number") from None

    def _shared(self, shared: list[str] | None, text: str, rownum: int) -> str:
        try:
            return shared[int(text)]  # type: ignore[index]
        except (TypeError, ValueError, IndexError):
            raise self._refused(f"row {rownum}: no shared string {text[:20]!r}") from None

    def _slow_rows(
        self,
        piece: bytes,
        root: tuple[bytes, bytes],
        row_end: bytes,
        shared: list[str] | None,
        last: int,
    ) -> Iterator[tuple[int, list[Any]]]:
        """One ``</row>``-terminated piece (maybe with self-closing rows before) via ElementTree."""
        frag = self._fragment(root, piece + row_end, f"after row {last}")
        for row in frag:
            if local_name(row.tag) != "row":
                raise self._refused(
                    f"after row {last}: unexpected <{local_name(row.tag)}> in the sheet data"
                )
            r = row.get("r")
            if r is None:
                rownum = last + 1
            else:
                try:
                    rownum = int(r)
                except ValueError:
                    raise self._refused(f"after row {last}: bad row number {r[:20]!r}") from None
            last = self._last_element = rownum
            cells: list[Any] = []
            col = -1
            for c in row:
                if local_name(c.tag) != "c":
                    continue
                ref = c.get("r")
                if ref is None:
                    col += 1
                else:
                    m = _REF.match(ref)
                    if m is None or m.group(1) not in COLUMN_INDEX:
                        raise self._refused(f"row {rownum}: bad cell reference {ref[:20]!r}")
                    col = COLUMN_INDEX[m.group(1)]
                if col >= MAX_COLUMN:
                    raise self._refused(f"row {rownum}: more than {MAX_COLUMN} columns")
                value = self._cell_value(c, shared, rownum)
                if col >= len(cells):
                    cells.extend([""] * (col + 1 - len(cells)))
                cells[col] = value
            if cells.count("") != len(cells):  # no row of styled cells without values
                yield rownum, cells

    def _cell_value(self, c: Element, shared: list[str] | None, rownum: int) -> Any:
        t = c.get("t", "n")
        if t == "inlineStr":
            for child in c:
                if local_name(child.tag) == "is":
                    return rich_text(child)
        v = None
        for child in c:
            if local_name(child.tag) == "v":
                v = child.text or ""
                break
        if v is None or (v == "" and t != "str"):
            return ""
        if t == "n":
            return self._number(v.strip(), rownum)
        if t == "s":
            return self._shared(shared, v.strip(), rownum)
        if t == "b":
            return v.strip() in ("1", "true")
        return v  # str (formula text), e (error text), d (ISO date), anything else as text
