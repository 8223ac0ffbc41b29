"""The one csv sniffer (pure, stdlib): a csv's encoding and delimiter from its first bytes.

Used by the debt extract import (``cashier.db.readers.csv_source``) and by the clearing result
reader (``cashier.export.reconcile_reader``). Encodings: UTF-8 with or without BOM, UTF-16 (with
a BOM, or without one when the NUL bytes say so), else a Vietnamese 8-bit encoding -
Windows-1258 (Excel's "CSV" on a Vietnamese Windows) or the legacy TCVN-3 (read as latin-1, then
mapped with :mod:`cashier.core.tcvn3`). Delimiters: ``, ; TAB |``.
"""

from __future__ import annotations

from cashier.core import tcvn3
from cashier.core.vntext import vietnamese_score

#: the legacy TCVN-3 (VN3) encoding: read as latin-1, then mapped with cashier.core.tcvn3
TCVN3 = "tcvn3"
DELIMITERS = (",", ";", "\t", "|")


#: bytes of the sample over which Windows-1258 and TCVN-3 are told apart
SCORE_SAMPLE = 256 * 1024


def python_codec(encoding: str) -> str:
    """The Python codec that reads ``encoding``'s bytes (TCVN-3: latin-1, then mapped)."""
    return "latin-1" if encoding == TCVN3 else encoding


def decode(data: bytes, encoding: str, errors: str = "strict") -> str:
    """Bytes of a csv in ``encoding`` (as :func:`detect_encoding` names it) as text."""
    if encoding == TCVN3:
        return tcvn3.decode_legacy(data.decode("latin-1"))
    return data.decode(encoding, errors)


def detect_encoding(sample: bytes) -> str:
    """The encoding of a csv from its first bytes.

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
    utf16 = utf16_without_bom(sample[:4096])
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
    tc_good, _ = vietnamese_score(decode(part, TCVN3))
    return TCVN3 if tc_good > cp_good else "cp1258"


def utf16_without_bom(head: bytes) -> str | None:
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


def sniff_delimiter(text: str) -> str:
    """The delimiter of a csv from its first lines: the candidate the header and the data rows
    share the most of (title rows have none); comma on a tie."""
    lines = [ln for ln in text.splitlines()[:60] if ln.strip()]
    best, best_score = ",", -1.0
    for cand in DELIMITERS:
        counts = sorted(ln.count(cand) for ln in lines)
        if not counts:
            continue
        # the header and data rows share the highest count; title rows have none
        top = counts[len(counts) * 3 // 4]
        score = top + (0.5 if cand == "," else 0)
        if top > 0 and score > best_score:
            best, best_score = cand, score
    return best
