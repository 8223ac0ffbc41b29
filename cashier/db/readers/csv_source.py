"""A debt extract in csv: the csv module; encoding and delimiter from the one sniffer
(:mod:`cashier.core.csv_sniff`: UTF-8 with or without BOM, UTF-16, Windows-1258, TCVN-3 read as
latin-1 and mapped); refused as truncated when it ends inside a row."""

from __future__ import annotations

import codecs
import csv
import functools
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from cashier.core import tcvn3
from cashier.core.csv_sniff import TCVN3, decode, detect_encoding, python_codec, sniff_delimiter
from cashier.core.errors import FileRefused
from cashier.core.messages import Message
from cashier.db.readers.source import ExtractSource

_CHUNK = 1 << 20


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
        self.encoding = detect_encoding(sample)
        if _cut_character(tail, self.encoding):
            raise self._truncated(Message("csv.cut.last_character"))
        tail_codec = python_codec(self.encoding)
        if self.encoding == "utf-16":
            tail_codec = "utf-16-le" if sample[:2] == b"\xff\xfe" else "utf-16-be"
        if tail_codec.startswith("utf-16") and self.size % 2:
            raise self._truncated(Message("csv.cut.last_character"))
        ending = tail.decode(tail_codec, "ignore")
        self._ends_with_newline = ending.endswith(("\n", "\r"))
        if self.encoding in _ENCODING_NOTES:
            self.warnings.append(_ENCODING_NOTES[self.encoding])
        text_sample = decode(sample, self.encoding, "ignore")
        self.delimiter = sniff_delimiter(text_sample)
        self._fh: Any = None

    def _truncated(self, detail: Message) -> FileRefused:
        return FileRefused("csv.truncated", name=self.name, detail=detail)

    def rows(self) -> Iterator[tuple[int, Sequence[Any]]]:
        codec = python_codec(self.encoding)
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


def _bad_line(path: Path, codec: str) -> int | None:
    """The line (1-based) holding the first bytes that are not valid ``codec`` (the text
    reader decodes ahead of the csv reader, so the row it stopped at is not the bad one)."""
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
