"""Streaming readers of debt extract files (csv, xlsx), with hostile-file guards.

``open_extract(path)`` returns an :class:`ExtractSource` whose ``rows()`` yields
``(row_number, cells)`` with spreadsheet row numbers (1-based). It implements the
``ExtractReader`` port of ``cashier.services.cache_ports``.

csv
    The csv module; encoding UTF-8 (with or without BOM), else cp1258 (Vietnamese Windows), or
    latin-1 when the bytes read as TCVN-3 legacy text (the row parser then repairs it);
    delimiter sniffed among ``, ; TAB |``.
xlsx
    Three readers. python-calamine (Rust; 23.7 s and 1.8 GB peak for 1M rows x 22 columns here:
    it loads the whole sheet); :class:`~cashier.db.xlsx_stream.StreamingXlsxSource` (this
    project's own streaming parser: inflate a few MB at a time, one regular expression per row,
    ElementTree for the unusual rows; 20.3 s and 49 MB on that file vs calamine 20.7 s in the same
    run, bench/bench_xlsx_reader.py);
    openpyxl read_only (streams, but ~20x slower than calamine). The default engine "auto" uses
    calamine while its estimated peak fits the memory budget (800 MB), else the streaming reader.
    Before any parser touches the file,
    :func:`check_xlsx` refuses: a file that is not a zip (or an old .xls), a truncated/damaged
    zip, a zip bomb (too many members, declared or *actual* inflated size or compression ratio
    over limits; every member is inflated once with a hard output cap, so a lying size header
    cannot get past), and XML with a DOCTYPE/ENTITY declaration (the XML-bomb vector; no xlsx
    part legitimately has one). openpyxl (``engine="openpyxl"``) and the streaming reader's
    slow path parse through defusedxml.

Every refusal is a :class:`~cashier.core.errors.FileRefused` with English and Vietnamese text:
never a traceback, never a hang.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cashier.core import tcvn3
from cashier.core.digest import file_sha256
from cashier.core.errors import FileRefused
from cashier.core.messages import Message
from cashier.core.vntext import vietnamese_score


@dataclass(frozen=True)
class XlsxLimits:
    """Hostile-file limits (generous for real extracts: a 1M-row sheet inflates to ~400 MB)."""

    max_members: int = 2_000
    max_member_bytes: int = 2_000_000_000  # inflated size of one part
    max_total_bytes: int = 3_000_000_000  # inflated size of all parts
    max_ratio: float = 150.0  # inflated/compressed, checked for parts over ratio_floor
    ratio_floor: int = 5_000_000


DEFAULT_LIMITS = XlsxLimits()
#: the legacy TCVN-3 (VN3) encoding: read as latin-1, then mapped with cashier.core.tcvn3
TCVN3 = "tcvn3"
_CHUNK = 1 << 20


# -- what a sheet's XML says about itself ---------------------------------------------------------
_DIMENSION = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?dimension\s+ref="[A-Z]{0,3}(\d*)(?::[A-Z]{0,3}(\d+))?"')
_WORKSHEET_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?worksheet\s*>\s*$")
_ROW_START = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?row\b[^>]*?\sr="(\d+)"')
_VALUE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:v|is)>")
_HEAD_BYTES = 64 * 1024
_TAIL_BYTES = 256 * 1024


@dataclass
class SheetFacts:
    """What a worksheet part declares and holds, from its first and last bytes (the guard
    inflates every part anyway): checked against what a reader actually read."""

    declared_rows: int | None = None  # last row of <dimension ref="A1:V4103">
    ends: bool = False  # the XML ends with </worksheet>
    last_row: int | None = None  # r of the last <row> element
    last_value_row: int | None = None  # r of the last <row> holding a value (<v>, <is>)

    @classmethod
    def of(cls, head: bytes, tail: bytes) -> SheetFacts:
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


# -- xlsx guard ---------------------------------------------------------------------------------
def check_xlsx(
    path: str | Path,
    limits: XlsxLimits = DEFAULT_LIMITS,
    *,
    inflate: bool = True,
    facts: dict[str, SheetFacts] | None = None,
) -> list[str]:
    """Refuse a hostile or broken xlsx before any parser sees it; return the worksheet parts.

    Inflates every member once (streaming, output capped) to check the real sizes, the CRC and
    the XML prolog. Raises :class:`FileRefused`. ``inflate=False`` checks the archive and the
    declared sizes only: for the streaming reader, which makes the inflation checks (output cap,
    ratio, CRC, size, prolog) on every part *while* it reads it - one pass over a 1 GB sheet
    instead of two (measured 2.1 s saved on the 1M-row workbook). ``facts`` (with
    ``inflate``) gets the :class:`SheetFacts` of every worksheet part.
    """
    path = Path(path)
    name = path.name
    with open(path, "rb") as fh:
        magic = fh.read(8)
    if not magic:
        raise FileRefused("file.empty", name=name)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused("xlsx.old_xls", name=name)
    if not magic.startswith(b"PK"):
        raise FileRefused("xlsx.not_zip", name=name)
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise FileRefused("xlsx.damaged", name=name, detail=str(exc)) from None
    except (OSError, ValueError, EOFError) as exc:
        raise FileRefused("xlsx.damaged", name=name, detail=str(exc)) from None
    with zf, open(path, "rb") as raw:
        infos = zf.infolist()
        if len(infos) > limits.max_members:
            raise FileRefused("xlsx.bomb", name=name, detail=f"{len(infos)} parts in the archive")
        names = {i.filename for i in infos}
        if "xl/workbook.xml" not in names:
            raise FileRefused("xlsx.not_workbook", name=name)
        declared = sum(i.file_size for i in infos)
        if declared > limits.max_total_bytes:
            raise FileRefused(
                "xlsx.bomb", name=name, detail=f"declares {declared:,} bytes when unpacked"
            )
        total = 0
        for info in infos:
            _check_declared(info, name, limits)
            if not inflate:
                continue
            if facts is not None and info.filename.startswith("xl/worksheets/"):
                size, facts[info.filename] = _inflate_sheet(raw, info, name, limits)
                total += size
            else:
                total += _inflate_member(raw, info, name, limits)
            if total > limits.max_total_bytes:
                raise FileRefused("xlsx.bomb", name=name, detail=f"unpacks to over {total:,} bytes")
        return sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml"))


def _check_declared(info: zipfile.ZipInfo, name: str, limits: XlsxLimits) -> None:
    if info.file_size > limits.max_member_bytes:
        raise FileRefused(
            "xlsx.bomb", name=name, detail=f"{info.filename} declares {info.file_size:,} bytes"
        )
    if info.file_size > limits.ratio_floor:
        ratio = info.file_size / max(1, info.compress_size)
        if ratio > limits.max_ratio:
            raise FileRefused(
                "xlsx.bomb", name=name, detail=f"{info.filename} compresses {ratio:,.0f}:1"
            )


def _inflate_member(
    raw: io.BufferedReader, info: zipfile.ZipInfo, name: str, limits: XlsxLimits
) -> int:
    """Inflate one member from its raw bytes with a hard cap; check size, CRC and XML prolog."""
    return sum(map(len, inflate_checked(raw, info, name, limits)))


def _inflate_sheet(
    raw: io.BufferedReader, info: zipfile.ZipInfo, name: str, limits: XlsxLimits
) -> tuple[int, SheetFacts]:
    """:func:`_inflate_member` for a worksheet, keeping its first and last bytes."""
    head = b""
    tail = b""
    size = 0
    for block in inflate_checked(raw, info, name, limits):
        size += len(block)
        if len(head) < _HEAD_BYTES:
            head += block[: _HEAD_BYTES - len(head)]
        tail = (tail + block)[-_TAIL_BYTES:] if len(block) < _TAIL_BYTES else block[-_TAIL_BYTES:]
    return size, SheetFacts.of(head, tail)


def inflate_checked(
    raw: io.BufferedReader,
    info: zipfile.ZipInfo,
    name: str,
    limits: XlsxLimits = DEFAULT_LIMITS,
    *,
    in_chunk: int = _CHUNK,
    out_chunk: int = _CHUNK,
    progress: Any = None,
) -> Iterator[bytes]:
    """One part's inflated bytes, block by block, checked as they come (raises FileRefused):
    never past the declared size (a lying size header is a zip bomb), the compression ratio of a
    big part, a stream cut short, the CRC and size at the end, and no DOCTYPE/ENTITY before the
    root element of an XML part. ``progress(consumed)`` gets the compressed bytes read so far.
    Used by the guard (:func:`check_xlsx`) and by the streaming reader while it reads."""
    if info.flag_bits & 0x1:
        raise FileRefused("xlsx.unreadable", name=name, detail="the workbook is encrypted")
    raw.seek(info.header_offset)
    header = raw.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise FileRefused("xlsx.damaged", name=name, detail=f"bad local header of {info.filename}")
    fname_len, extra_len = struct.unpack("<HH", header[26:30])
    raw.seek(info.header_offset + 30 + fname_len + extra_len)
    left = info.compress_size
    if info.compress_type == zipfile.ZIP_DEFLATED:
        inflater = zlib.decompressobj(-15)
    elif info.compress_type == zipfile.ZIP_STORED:
        inflater = None
    else:
        raise FileRefused(
            "xlsx.unreadable",
            name=name,
            detail=f"{info.filename}: compression {info.compress_type}",
        )
    cap = min(limits.max_member_bytes, max(info.file_size, 0))
    produced = 0
    crc = 0
    prolog = bytearray()
    prolog_done = not info.filename.endswith((".xml", ".rels", ".vml"))
    is_big = info.file_size > limits.ratio_floor
    while True:
        if inflater is not None and inflater.unconsumed_tail:
            data = inflater.unconsumed_tail
        else:
            if left <= 0:
                break
            data = raw.read(min(in_chunk, left))
            if not data:
                raise FileRefused("xlsx.damaged", name=name, detail=f"{info.filename} is cut short")
            left -= len(data)
            if progress is not None:
                progress(info.compress_size - left)
        if inflater is not None:
            try:
                out = inflater.decompress(data, out_chunk)
            except zlib.error as exc:
                raise FileRefused(
                    "xlsx.damaged", name=name, detail=f"{info.filename}: {exc}"
                ) from None
        else:
            out = data
        produced += len(out)
        if produced > cap:
            raise FileRefused(
                "xlsx.bomb",
                name=name,
                detail=f"{info.filename} unpacks past its declared {info.file_size:,} bytes",
            )
        if is_big and produced > limits.ratio_floor:
            consumed = info.compress_size - left
            if produced / max(1, consumed) > limits.max_ratio:
                raise FileRefused(
                    "xlsx.bomb",
                    name=name,
                    detail=f"{info.filename} compresses over {limits.max_ratio:.0f}:1",
                )
        crc = zlib.crc32(out, crc)
        if not prolog_done:
            prolog += out[:65536]
            prolog_done = _check_prolog(prolog, info.filename, name)
        if out:
            yield out
        if inflater is not None and inflater.eof:
            break
    if inflater is not None and not inflater.eof:
        raise FileRefused("xlsx.damaged", name=name, detail=f"{info.filename} is cut short")
    if produced != info.file_size or crc != info.CRC:
        raise FileRefused(
            "xlsx.damaged", name=name, detail=f"{info.filename} does not match its checksum/size"
        )
    if not prolog_done:
        _check_prolog(prolog, info.filename, name, final=True)


def _check_prolog(buf: bytearray, member: str, name: str, final: bool = False) -> bool:
    """True once the root element is seen with no DOCTYPE/ENTITY before it (else refuse)."""
    text = bytes(buf).lstrip(b"\xef\xbb\xbf")
    if text[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 XML: look at it decoded
        text = text.decode("utf-16", "ignore").encode("ascii", "ignore")
    low = text.lower()
    pos = 0
    while True:
        lt = low.find(b"<", pos)
        if lt < 0:
            if b"<!doctype" in low or b"<!entity" in low:
                raise FileRefused("xlsx.xml_bomb", name=name, member=member)
            # no root element within 64 KB: nothing was declared, let the parser decide
            return len(buf) >= 65536 or final
        nxt = low[lt + 1 : lt + 2]
        if nxt == b"?":
            end = low.find(b"?>", lt)
            if end < 0:
                return final
            pos = end + 2
        elif low.startswith(b"<!--", lt):
            end = low.find(b"-->", lt)
            if end < 0:
                return final
            pos = end + 3
        elif nxt == b"!":
            raise FileRefused("xlsx.xml_bomb", name=name, member=member)
        else:
            return True


# -- sources ------------------------------------------------------------------------------------
class ExtractSource:
    """An opened extract file: name, sha256, ``rows()`` and progress in the source's units."""

    kind = "?"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = path.name
        self.size = path.stat().st_size
        self._sha: str | None = None
        self.warnings: list[str] = []

    @property
    def sha256(self) -> str:
        if self._sha is None:
            self._sha = file_sha256(self.path)
        return self._sha

    def rows(self) -> Iterator[tuple[int, Sequence[Any]]]:  # pragma: no cover - abstract
        raise NotImplementedError

    def progress(self) -> tuple[int, int]:
        """(done, total) in this source's unit (bytes for csv, rows for xlsx)."""
        return (0, 0)

    def close(self) -> None:
        pass


#: what each detected encoding is called in the import's notes
_ENCODING_NOTES = {
    "cp1258": "read as Windows-1258 (Excel's CSV on a Vietnamese Windows)",
    TCVN3: "read as TCVN-3 (legacy Vietnamese .Vn fonts encoding) and converted to Unicode",
    "utf-16-le": "read as UTF-16 (little-endian, no byte order mark)",
    "utf-16-be": "read as UTF-16 (big-endian, no byte order mark)",
}


class CsvSource(ExtractSource):
    """A csv file: encoding detected over a 1 MB sample, delimiter sniffed, and refused as
    truncated (``csv.truncated``) when it ends inside a row: in a cut multi-byte character,
    inside an open quote, or (no newline at the end) with its last row shorter than the one
    before it."""

    kind = "csv"
    SAMPLE = 1 << 20

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        with open(path, "rb") as fh:
            sample = fh.read(self.SAMPLE)
            whole = len(sample) >= self.size
            if whole:
                tail = sample[-8:]
            else:
                fh.seek(max(0, self.size - 8))
                tail = fh.read()
        if not sample.strip():
            raise FileRefused("file.empty", name=self.name)
        self.encoding = _detect_encoding(sample, whole=whole)
        if _cut_character(tail, self.encoding):
            raise self._truncated(Message("csv.cut.last_character"))
        tail_codec = _python_codec(self.encoding)
        if self.encoding == "utf-16":
            tail_codec = "utf-16-le" if sample[:2] == b"\xff\xfe" else "utf-16-be"
        if tail_codec.startswith("utf-16") and self.size % 2:
            raise self._truncated(Message("csv.cut.last_character"))
        ending = tail.decode(tail_codec, "ignore")
        self._ends_with_newline = ending.endswith(("\n", "\r"))
        if self.encoding in _ENCODING_NOTES:
            self.warnings.append(_ENCODING_NOTES[self.encoding])
        text_sample = _decode(sample, self.encoding, "ignore")
        self.delimiter = _sniff_delimiter(text_sample)
        self._fh: Any = None

    def _truncated(self, detail: Message) -> FileRefused:
        return FileRefused("csv.truncated", name=self.name, detail=detail)

    def rows(self) -> Iterator[tuple[int, Sequence[Any]]]:
        codec = _python_codec(self.encoding)
        self._fh = open(self.path, encoding=codec, newline="", errors="strict")  # noqa: SIM115
        lines: Any = self._fh
        if self.encoding == TCVN3:
            lines = map(tcvn3.decode_legacy, self._fh)  # TCVN-3 bytes read as latin-1
        elif self.encoding == "cp1258":  # tones as combining marks: compose them (NFC)
            lines = map(functools.partial(unicodedata.normalize, "NFC"), self._fh)
        rownum = 0
        width = before = 0  # fields of the last non-empty row, and of the one before it
        row: list[str] = []
        try:
            reader = csv.reader(lines, delimiter=self.delimiter)
            try:
                for row in reader:
                    rownum += 1
                    if row:
                        before, width = width, len(row)
                    yield rownum, row
            except UnicodeDecodeError:
                raise FileRefused(
                    "csv.encoding",
                    name=self.name,
                    row=_bad_line(self.path, codec) or rownum + 1,
                    encoding=self.encoding,
                ) from None
            except csv.Error as exc:
                raise FileRefused(
                    "csv.unreadable", name=self.name, row=rownum + 1, detail=str(exc)
                ) from None
            self._check_ending(rownum, row, before)
        finally:
            self.close()

    def _check_ending(self, rownum: int, last: list[str], width: int) -> None:
        """The file must not end inside a row (called after its last row)."""
        if last and last[-1].endswith(("\n", "\r")):
            # a quoted field still open at the end swallowed the final line break
            raise self._truncated(Message("csv.cut.open_quote", {"row": rownum}))
        if not self._ends_with_newline and last and len(last) < width:
            columns = {"row": rownum, "columns": len(last), "width": width}
            raise self._truncated(Message("csv.cut.last_row", columns))

    def progress(self) -> tuple[int, int]:
        fh = self._fh
        try:
            done = fh.buffer.tell() if fh is not None and not fh.closed else self.size
        except (OSError, ValueError):
            done = 0
        return (min(done, self.size), self.size)

    def close(self) -> None:
        if self._fh is not None and not self._fh.closed:
            self._fh.close()


#: bytes of the sample over which Windows-1258 and TCVN-3 are told apart
SCORE_SAMPLE = 256 * 1024


def _python_codec(encoding: str) -> str:
    return "latin-1" if encoding == TCVN3 else encoding


def _decode(data: bytes, encoding: str, errors: str = "strict") -> str:
    if encoding == TCVN3:
        return tcvn3.decode_legacy(data.decode("latin-1"))
    return data.decode(encoding, errors)


def _detect_encoding(sample: bytes, whole: bool = False) -> str:
    """The encoding of a csv from its first bytes (``whole``: the sample is the whole file).

    A byte order mark says it; UTF-16 without one shows as NUL bytes in every other position;
    valid UTF-8 is UTF-8 (a multi-byte character cut at the end of the sample too - a cut at
    the end of the *file* is reported as a truncation). Otherwise it is a Vietnamese 8-bit
    encoding: Windows-1258 (Excel's "CSV" on a Vietnamese Windows) or the legacy TCVN-3. The
    sample is decoded both ways and the one whose words are well-formed Vietnamese more often
    wins (:func:`cashier.core.vntext.vietnamese_score`) - a decision for the whole file, not
    word by word.
    """
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if sample[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    utf16 = _utf16_without_bom(sample[:4096])
    if utf16:
        return utf16
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 3 and exc.reason == "unexpected end of data":
            return "utf-8"  # the sample (or the file: a truncation) cut a character in two
    text = sample.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    if sum(not ch.isascii() for ch in text) - bad >= 20 * max(bad, 1):
        # UTF-8 with a few bad bytes (two files pasted together?): read as UTF-8, so the row
        # with the bad bytes is refused by name ("csv.encoding") instead of every Vietnamese
        # letter of the file turning into Windows-1258 mojibake
        return "utf-8"
    part = sample[:SCORE_SAMPLE]
    cp_good, total = vietnamese_score(part.decode("cp1258", "replace"))
    tc_good, _ = vietnamese_score(_decode(part, TCVN3))
    return TCVN3 if tc_good > cp_good else "cp1258"


def _bad_line(path: Path, codec: str) -> int | None:
    """The line (1-based) holding the first bytes that are not valid ``codec`` (the text
    reader decodes ahead of the csv reader, so the row it stopped at is not the bad one)."""
    import codecs

    decoder = codecs.getincrementaldecoder(codec)()
    lines = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                return lines + chunk[: max(exc.start, 0)].count(b"\n") + 1
            lines += chunk.count(b"\n")
    return None


def _utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when the bytes are UTF-16 text without a byte order mark: mostly
    ASCII characters, so one byte of each pair is NUL (csv text has no NUL otherwise)."""
    pairs = len(head) // 2
    if pairs < 8:
        return None
    even = head[0 : pairs * 2 : 2].count(0)
    odd = head[1 : pairs * 2 : 2].count(0)
    if odd >= pairs * 0.3 and even <= pairs * 0.02:
        return "utf-16-le"
    if even >= pairs * 0.3 and odd <= pairs * 0.02:
        return "utf-16-be"
    return None


def _cut_character(tail: bytes, encoding: str) -> bool:
    """True when the file's last bytes are an incomplete character of ``encoding``."""
    if encoding in ("utf-8", "utf-8-sig"):
        i = len(tail) - 1
        follow = 0
        while i >= 0 and 0x80 <= tail[i] < 0xC0 and follow < 3:
            i -= 1
            follow += 1
        if i < 0:
            return False
        lead = tail[i]
        need = 2 if 0xC0 <= lead < 0xE0 else 3 if 0xE0 <= lead < 0xF0 else 4 if lead >= 0xF0 else 1
        return need > 1 and follow + 1 < need
    if encoding.startswith("utf-16"):
        return False  # (checked on the whole size: an odd number of bytes, see CsvSource)
    return False


def _sniff_delimiter(text: str) -> str:
    lines = [ln for ln in text.splitlines()[:60] if ln.strip()]
    best, best_score = ",", -1.0
    for cand in (",", ";", "\t", "|"):
        counts = sorted(ln.count(cand) for ln in lines)
        if not counts:
            continue
        # the header and data rows share the highest count; title rows have none
        top = counts[len(counts) * 3 // 4]
        score = top + (0.5 if cand == "," else 0)
        if top > 0 and score > best_score:
            best, best_score = cand, score
    return best


class CalamineXlsxSource(ExtractSource):
    """xlsx through python-calamine (loads the sheet in Rust, then yields rows)."""

    kind = "xlsx"

    def __init__(self, path: Path, limits: XlsxLimits = DEFAULT_LIMITS) -> None:
        super().__init__(path)
        self._facts: dict[str, SheetFacts] = {}
        self.sheets = check_xlsx(path, limits, facts=self._facts)
        self.limits = limits
        self._done = 0
        self._total = 0

    def _sheet_facts(self) -> SheetFacts | None:
        """The facts of the sheet calamine reads (the first in workbook order)."""
        if len(self._facts) == 1:
            return next(iter(self._facts.values()))
        from cashier.db.xlsx_stream import StreamingXlsxSource  # imports this module

        with zipfile.ZipFile(self.path) as zf:
            part = StreamingXlsxSource(self.path, self.limits, checked=self.sheets)._first_sheet(zf)
        return self._facts.get(part)

    def rows(self) -> Iterator[tuple[int, Sequence[Any]]]:
        """Rows as calamine gives them, then checked against the sheet's XML: calamine can stop
        early on damaged XML without an error (issue 11), so a sheet whose XML does not end,
        whose last row with a value was not reached, or whose dimension declares more rows
        than the XML holds is refused (``xlsx.short_read``)."""
        facts = self._sheet_facts()
        if facts is not None and not facts.ends:
            raise FileRefused(
                "xlsx.short_read",
                name=self.name,
                detail=Message("xlsx.short.no_end"),
            )
        yield from _checked_rows(self.name, self._calamine_rows(), facts)

    def _calamine_rows(self) -> Iterator[tuple[int, Sequence[Any]]]:
        import python_calamine as pc

        try:
            wb = pc.CalamineWorkbook.from_path(str(self.path))
            sheet = wb.get_sheet_by_index(0)
        except Exception as exc:  # calamine raises its own error types for broken content
            raise FileRefused("xlsx.unreadable", name=self.name, detail=_short(exc)) from None
        if len(wb.sheet_names) > 1:
            self.warnings.append(
                f"read the first sheet {wb.sheet_names[0]!r} of {len(wb.sheet_names)}"
            )
        start = sheet.start
        first_row = (start[0] if start else 0) + 1
        self._total = sheet.height
        try:
            for offset, row in enumerate(sheet.iter_rows()):
                self._done = offset + 1
                yield first_row + offset, row
        except Exception as exc:
            raise FileRefused("xlsx.unreadable", name=self.name, detail=_short(exc)) from None
        finally:
            wb.close()

    def progress(self) -> tuple[int, int]:
        return (self._done, self._total)


class OpenpyxlXlsxSource(ExtractSource):
    """xlsx through openpyxl read_only (streams, little memory, ~15-35x slower than calamine)."""

    kind = "xlsx"

    def __init__(
        self, path: Path, limits: XlsxLimits = DEFAULT_LIMITS, checked: list[str] | None = None
    ) -> None:
        super().__init__(path)
        self._facts: dict[str, SheetFacts] = {}
        self.sheets = checked if checked is not None else check_xlsx(path, limits, facts=self._facts)
        self._done = 0
        self._total = 0

    def rows(self) -> Iterator[tuple[int, Sequence[Any]]]:
        """openpyxl's rows, checked against the sheet's XML as calamine's are."""
        facts = next(iter(self._facts.values())) if len(self._facts) == 1 else None
        yield from _checked_rows(self.name, self._openpyxl_rows(), facts)

    def _openpyxl_rows(self) -> Iterator[tuple[int, Sequence[Any]]]:
        import openpyxl

        try:
            wb = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
            ws = wb.worksheets[0]
        except Exception as exc:
            raise FileRefused("xlsx.unreadable", name=self.name, detail=_short(exc)) from None
        self._total = ws.max_row or 0
        try:
            # read_only iter_rows fills the gaps of missing rows, so enumerate gives row numbers
            for rownum, row in enumerate(ws.iter_rows(min_row=1, values_only=True), 1):
                self._done = rownum
                yield rownum, row
        except Exception as exc:
            raise FileRefused("xlsx.unreadable", name=self.name, detail=_short(exc)) from None
        finally:
            wb.close()

    def progress(self) -> tuple[int, int]:
        return (self._done, self._total)


def _checked_rows(
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


def _short(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) < 200 else text[:197] + "..."


#: calamine loads the whole sheet: measured peak ~1.65x the inflated sheet XML (1.1 GB of
#: inline-string XML, 1M rows x 22 columns -> 1.8 GB). Estimated with some margin:
CALAMINE_BYTES_PER_XML_BYTE = 2.0
CALAMINE_BYTES_PER_SST_BYTE = 3.0
DEFAULT_MEMORY_BUDGET_MB = 800


def estimate_calamine_mb(path: Path) -> float:
    """Peak memory calamine would need for the first sheet (after :func:`check_xlsx`)."""
    with zipfile.ZipFile(path) as zf:
        sizes = {i.filename: i.file_size for i in zf.infolist()}
    sheets = sorted(n for n in sizes if n.startswith("xl/worksheets/") and n.endswith(".xml"))
    sheet = sizes.get("xl/worksheets/sheet1.xml", sizes[sheets[0]] if sheets else 0)
    sst = sizes.get("xl/sharedStrings.xml", 0)
    return (sheet * CALAMINE_BYTES_PER_XML_BYTE + sst * CALAMINE_BYTES_PER_SST_BYTE) / 1e6 + 80


XLSX_ENGINES = ("auto", "calamine", "stream", "openpyxl")


class ExtractLoader:
    """The ``ExtractReader`` port: opens csv/xlsx files.

    ``xlsx_engine``: "calamine" (fast; loads the sheet), "stream" (this project's streaming
    reader: as fast or faster, bounded memory), "openpyxl" (streams; ~20x slower) or "auto" (the
    default): calamine unless its estimated peak memory is over ``memory_budget_mb``, then the
    streaming reader, with a note in the import's warnings.
    """

    def __init__(
        self,
        xlsx_engine: str = "auto",
        limits: XlsxLimits = DEFAULT_LIMITS,
        memory_budget_mb: float = DEFAULT_MEMORY_BUDGET_MB,
    ) -> None:
        if xlsx_engine not in XLSX_ENGINES:
            raise ValueError(f"unknown xlsx engine {xlsx_engine!r}")
        self.xlsx_engine = xlsx_engine
        self.limits = limits
        self.memory_budget_mb = memory_budget_mb

    def open(self, path: str | Path) -> ExtractSource:
        return open_extract(
            path,
            xlsx_engine=self.xlsx_engine,
            limits=self.limits,
            memory_budget_mb=self.memory_budget_mb,
        )


def open_extract(
    path: str | Path,
    *,
    xlsx_engine: str = "auto",
    limits: XlsxLimits = DEFAULT_LIMITS,
    memory_budget_mb: float = DEFAULT_MEMORY_BUDGET_MB,
) -> ExtractSource:
    path = Path(path)
    if not path.is_file():
        raise FileRefused("file.missing", path=str(path))
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return CsvSource(path)
    if suffix in (".xlsx", ".xlsm"):
        if xlsx_engine not in XLSX_ENGINES:
            raise ValueError(f"unknown xlsx engine {xlsx_engine!r}")
        from cashier.db.xlsx_stream import StreamingXlsxSource  # imports this module

        if xlsx_engine == "openpyxl":
            return OpenpyxlXlsxSource(path, limits)
        if xlsx_engine == "stream":
            return StreamingXlsxSource(path, limits)
        if xlsx_engine == "auto":
            sheets = check_xlsx(path, limits, inflate=False)  # the archive, declared sizes
            need = estimate_calamine_mb(path)
            if need > memory_budget_mb:
                streaming = StreamingXlsxSource(path, limits, checked=sheets)
                streaming.warnings.append(
                    f"large workbook: read with the streaming reader because calamine would "
                    f"need ~{need:,.0f} MB (budget {memory_budget_mb:,.0f} MB)"
                )
                return streaming
        return CalamineXlsxSource(path, limits)  # runs the whole guard first
    if suffix == ".xls":
        raise FileRefused("xlsx.old_xls", name=path.name)
    raise FileRefused("file.format", name=path.name, suffix=suffix or "(none)")
