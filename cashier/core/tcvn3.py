"""TCVN-3 (ABC, TCVN 5712:1993 VN3) <-> Unicode.

TCVN-3 is the legacy 8-bit Vietnamese encoding of the ".Vn" fonts. It has only the lower-case
letters with marks plus seven capitals (Ă Â Ê Ô Ơ Ư Đ); capitals with tones were drawn with a
second font (".VnTimeH") that shows capitals at the lower-case positions. ESC/POS printers copy
that split: Epson ``ESC t 30`` is the lower-case page, ``ESC t 31`` the capitals page.

The byte table (0xA1-0xFE) agrees with glibc's TCVN5712-1 converter (its upper half, which VN3
shares), with the published Unicode->TCVN3 converters, and with escpos-printer-db's
"TCVN-3-1" page. The capitals page follows escpos-printer-db's "TCVN-3-2" layout, except that
python-escpos maps byte 0xA7 to U+00D0 (Icelandic Eth, "Ð") where the printer prints Đ U+0110:
we map Đ correctly (and decode U+00D0 nowhere).

Three uses:

* :func:`encode` - bytes for an ESC/POS printer, switching between pages 30 and 31 with
  ``ESC t n`` as needed;
* :func:`decode_legacy` / :func:`looks_like_tcvn3` - repair text of a legacy extract that was
  read as cp1252 or latin-1 (e.g. "NguyÔn V¨n §¹t" -> "Nguyễn Văn Đạt");
* :func:`decode_byte` - the decoder of the project's ESC/POS reader.
"""

from __future__ import annotations

import unicodedata

#: Epson ESC t numbers of the two TCVN-3 pages.
PAGE_LOWER = 30
PAGE_UPPER = 31

# --- the VN3 byte table (0xA1..0xFE) -------------------------------------------------------
# Capitals present in the base table.
_BASE_CAPITALS = {0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ"}
# Lower-case letters with marks (the positions the capitals font reuses for capitals).
_LOWER = {
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ",
    0xC6: "ặ", 0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}  # fmt: skip

#: byte -> character of the standard VN3 table (what a legacy file means).
VN3_TABLE: dict[int, str] = {**_BASE_CAPITALS, **_LOWER}

#: Printer pages: byte -> character printed under ESC t 30 and ESC t 31.
PAGE_30: dict[int, str] = dict(_LOWER)
PAGE_31: dict[int, str] = {
    **{b: ch.upper() for b, ch in _LOWER.items() if b > 0xAE},
    0xA1: "Ă",
    0xA2: "Â",
    0xA7: "Đ",  # python-escpos' table says U+00D0 here: wrong letter
    0xAA: "Ê",
    0xAB: "Ô",
    0xAC: "Ơ",
    0xAD: "Ư",
}
PAGES: dict[int, dict[int, str]] = {PAGE_LOWER: PAGE_30, PAGE_UPPER: PAGE_31}

_ENCODE_30 = {ch: b for b, ch in PAGE_30.items()}
_ENCODE_31 = {ch: b for b, ch in PAGE_31.items()}
_ENCODE_VN3 = {ch: b for b, ch in VN3_TABLE.items()}


_PUNCT = {"\u2014": "-", "\u2013": "-", "\u2026": "...", "\u201c": '"', "\u201d": '"',
          "\u2018": "'", "\u2019": "'", "\u00a0": " ", "\u00d0": "D"}  # fmt: skip


def _fallback(ch: str) -> str:
    """ASCII stand-in for a character no TCVN-3 page has (marks stripped, đ -> d, else '?')."""
    if ch in "đĐ":
        return "d" if ch == "đ" else "D"
    if ch in _PUNCT:
        return _PUNCT[ch]
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    return base if base.isascii() and base.isprintable() and base else "?"


def encode_runs(text: str) -> list[tuple[int | None, bytes]]:
    """Split ``text`` into runs of (page, bytes); page None = plain ASCII (valid on both pages)."""
    runs: list[tuple[int | None, bytearray]] = []
    for ch in unicodedata.normalize("NFC", text):
        if ch.isascii():
            page, byte = None, ord(ch)
        elif ch in _ENCODE_30:
            page, byte = PAGE_LOWER, _ENCODE_30[ch]
        elif ch in _ENCODE_31:
            page, byte = PAGE_UPPER, _ENCODE_31[ch]
        else:
            for sub in _fallback(ch):
                _append(runs, None, ord(sub))
            continue
        _append(runs, page, byte)
    return [(page, bytes(data)) for page, data in runs]


def _append(runs: list[tuple[int | None, bytearray]], page: int | None, byte: int) -> None:
    if runs and (runs[-1][0] == page or page is None):
        runs[-1][1].append(byte)
        return
    if runs and runs[-1][0] is None and page is not None:
        # an ASCII run followed by a paged char: the ASCII part needs no page of its own
        prev = runs.pop()
        if runs and runs[-1][0] == page:
            runs[-1][1].extend(prev[1])
            runs[-1][1].append(byte)
            return
        runs.append((page, bytearray(prev[1]) + bytes([byte])))
        return
    runs.append((page, bytearray([byte])))


def encode(text: str, current_page: int | None = None) -> bytes:
    """Printer bytes for ``text`` with ``ESC t 30/31`` switches (none when already on the page).

    ``current_page`` is the page the printer is known to be on; the function returns the bytes
    and leaves the printer on the page of the last non-ASCII run (see :func:`final_page`).
    """
    out = bytearray()
    page = current_page
    for run_page, data in encode_runs(text):
        if run_page is not None and run_page != page:
            out += b"\x1bt" + bytes([run_page])
            page = run_page
        out += data
    return bytes(out)


def final_page(text: str, current_page: int | None = None) -> int | None:
    page = current_page
    for run_page, _ in encode_runs(text):
        if run_page is not None:
            page = run_page
    return page


def can_encode(ch: str) -> bool:
    return ch.isascii() or ch in _ENCODE_30 or ch in _ENCODE_31


def decode_byte(byte: int, page: int) -> str:
    """The character a printer on ``page`` (30 or 31) prints for ``byte``; U+FFFD if none."""
    if byte < 0x80:
        return chr(byte)
    return PAGES.get(page, {}).get(byte, "\ufffd")


def encode_vn3(text: str) -> bytes:
    """Bytes of the standard VN3 table (for legacy files); capitals with tones lose their case."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if ch.isascii():
            out.append(ord(ch))
        elif ch in _ENCODE_VN3:
            out.append(_ENCODE_VN3[ch])
        elif ch.lower() in _ENCODE_VN3:
            out.append(_ENCODE_VN3[ch.lower()])
        else:
            out.extend(_fallback(ch).encode("ascii"))
    return bytes(out)


# --- legacy text repair ----------------------------------------------------------------------
# A TCVN-3 byte read as latin-1 gives chr(byte); read as cp1252 the same for 0xA0-0xFF.
_LEGACY_MAP: dict[str, str] = {chr(b): ch for b, ch in VN3_TABLE.items()}
_LEGACY_TRANS = str.maketrans(_LEGACY_MAP)

def _vietnamese_alphabet() -> frozenset[str]:
    lower = (
        "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợ"
        "pqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
    )
    return frozenset(lower + lower.upper())


_ALPHABET = _vietnamese_alphabet()
#: characters that TCVN-3-read-as-latin-1 produces but real Vietnamese Unicode text never has
_STRONG_MARKERS = frozenset(ch for ch in _LEGACY_MAP if ch not in _ALPHABET)
_UNICODE_ONLY = frozenset(ch for ch in _ALPHABET if not ch.isascii() and ord(ch) > 0xFF)


def decode_legacy(text: str) -> str:
    """Repair TCVN-3 text that was read as cp1252/latin-1: "Hµ Néi" -> "Hà Nội"."""
    return unicodedata.normalize("NFC", text.translate(_LEGACY_TRANS))


def looks_like_tcvn3(text: str) -> bool:
    """True when ``text`` reads like TCVN-3 bytes decoded as cp1252/latin-1 rather than Unicode.

    Needs a symbol that TCVN-3 produces and real Vietnamese never uses (µ, ¸, ¨, §, ...) or two
    foreign letters (ü, ñ...), and no character that only Unicode Vietnamese has (ă, đ, ơ, ư, ạ, ...).
    """
    if not text or text.isascii():
        return False
    # symbols (µ ¸ ¨ § ...) weigh 2, foreign letters (ü ö ñ ç, also German/Spanish) weigh 1
    strong = sum((1 if ch.isalpha() and ch != "µ" else 2) for ch in text if ch in _STRONG_MARKERS)
    if strong < 2:
        return False
    if any(ch in _UNICODE_ONLY for ch in text):
        return False
    legacy_chars = sum(1 for ch in text if ch in _LEGACY_MAP)
    non_ascii = sum(1 for ch in text if not ch.isascii())
    return legacy_chars * 10 >= non_ascii * 8
