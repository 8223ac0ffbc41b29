"""The one guard for untrusted spreadsheets (pure, stdlib ``zipfile``/``zlib`` only).

Every xlsx the station reads from outside - the CMIS debt extract (``cashier.db.readers``) and
CMIS's clearing result or a clearing file read back (``cashier.export``) - goes through
:func:`check_xlsx` before any spreadsheet parser touches it. It refuses: a file that is not a zip
(or an old .xls), a truncated/damaged zip, a zip bomb (too many members, declared or *actual*
inflated size or compression ratio over limits) and XML with a DOCTYPE/ENTITY declaration (the
XML-bomb vector: no xlsx part legitimately has one).

The sizes are the bytes actually inflated: every member is stream-inflated from its raw bytes
with a hard output cap (:func:`inflate_checked`), never trusting the sizes the central directory
declares - a lying size header is refused as a zip bomb. Every refusal is a
:class:`~cashier.core.errors.FileRefused` (``xlsx.*`` codes), never a traceback or a hang.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cashier.core.errors import FileRefused


@dataclass(frozen=True)
class XlsxLimits:
    """Hostile-file limits (generous for real extracts: a 1M-row sheet inflates to ~400 MB)."""

    max_members: int = 2_000
    max_member_bytes: int = 2_000_000_000  # inflated size of one part
    max_total_bytes: int = 3_000_000_000  # inflated size of all parts
    max_ratio: float = 150.0  # inflated/compressed, checked for parts over ratio_floor
    ratio_floor: int = 5_000_000


DEFAULT_LIMITS = XlsxLimits()
#: a clearing result (or a clearing file read back): a few MB of rows at most
RESULT_LIMITS = XlsxLimits(max_member_bytes=512 << 20, max_total_bytes=512 << 20, max_ratio=200.0)
_CHUNK = 1 << 20
#: inflated bytes kept from the start and the end of every worksheet part (see ``edges``)
HEAD_BYTES = 64 * 1024
TAIL_BYTES = 256 * 1024


def check_xlsx(
    path: str | Path,
    limits: XlsxLimits = DEFAULT_LIMITS,
    *,
    inflate: bool = True,
    edges: dict[str, tuple[bytes, bytes]] | None = None,
) -> list[str]:
    """Refuse a hostile or broken xlsx before any parser sees it; return the worksheet parts.

    Inflates every member once (streaming, output capped) to check the real sizes, the CRC and
    the XML prolog. Raises :class:`FileRefused`. ``inflate=False`` checks the archive and the
    declared sizes only: for the streaming reader, which makes the inflation checks (output cap,
    ratio, CRC, size, prolog) on every part *while* it reads it - one pass over a 1 GB sheet
    instead of two (measured 2.1 s saved on the 1M-row workbook). ``edges`` (with
    ``inflate``) gets the first :data:`HEAD_BYTES` and last :data:`TAIL_BYTES` inflated bytes of
    every worksheet part (a reader checks what it read against them).
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
            if edges is not None and info.filename.startswith("xl/worksheets/"):
                size, edges[info.filename] = _inflate_sheet(raw, info, name, limits)
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
) -> tuple[int, tuple[bytes, bytes]]:
    """:func:`_inflate_member` for a worksheet, keeping its first and last bytes."""
    head = b""
    tail = b""
    size = 0
    for block in inflate_checked(raw, info, name, limits):
        size += len(block)
        if len(head) < HEAD_BYTES:
            head += block[: HEAD_BYTES - len(head)]
        tail = (tail + block)[-TAIL_BYTES:] if len(block) < TAIL_BYTES else block[-TAIL_BYTES:]
    return size, (head, tail)


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
