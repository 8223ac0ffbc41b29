"""Text encoders for ESC/POS code pages: TCVN-3 (Epson pages 30/31), WPC1258 and plain ASCII.

Each encoder turns one line of Unicode text into printer bytes, including the ``ESC t n`` code
page switches it needs, and remembers which page the printer is on so it never repeats a switch.

* TCVN-3: lower-case letters on page 30, capitals on page 31 (python-escpos' table prints
  U+00D0 for Đ there; :mod:`cashier.core.tcvn3` maps Đ correctly).
* WPC1258 (Windows-1258): the ESC t number differs per firmware (Epson 52, many 58 mm Chinese
  firmwares 94 or 27, Rongta 35). cp1258 has only some precomposed letters; the rest are base
  letter + combining tone mark, which only printers that *compose* overlay correctly. With
  ``composes=False`` the tone of such letters is dropped (the vowel shape stays: "ệ" -> "ê"),
  which is readable where a stray spacing accent after the letter is not.
* ASCII: tones and marks stripped, đ -> d: the last resort that every printer reads.
"""

from __future__ import annotations

import unicodedata

from cashier.core import tcvn3

ESC_T = b"\x1bt"

#: cp1258 combining tone marks (all five are in the code page)
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_PUNCT = {"\u2014": "-", "\u2013": "-", "\u2026": "...", "\u201c": '"', "\u201d": '"',
          "\u2018": "'", "\u2019": "'", "\u00a0": " "}  # fmt: skip


def to_ascii(text: str) -> str:
    """Vietnamese without marks: 'Nguyễn Văn Đạt' -> 'Nguyen Van Dat' (case kept)."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch.isascii():
            out.append(ch)
        elif ch in "đĐ":
            out.append("d" if ch == "đ" else "D")
        elif ch in _PUNCT:
            out.append(_PUNCT[ch])
        else:
            base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
            out.append(base if base.isascii() and base else "?")
    return "".join(out)


class Encoder:
    name = "ascii"
    #: ESC t pages this encoder may select (for checks against a printer profile)
    pages: tuple[int, ...] = ()

    def __init__(self) -> None:
        self.page: int | None = None

    def reset(self) -> None:
        """The printer was initialised (ESC @): page 0."""
        self.page = 0

    def encode(self, text: str) -> bytes:
        return to_ascii(text).encode("ascii", "replace")

    def _select(self, page: int) -> bytes:
        if self.page == page:
            return b""
        self.page = page
        return ESC_T + bytes([page])


class AsciiEncoder(Encoder):
    name = "ascii"


class Tcvn3Encoder(Encoder):
    name = "text-tcvn3"
    pages = (tcvn3.PAGE_LOWER, tcvn3.PAGE_UPPER)

    def encode(self, text: str) -> bytes:
        data = tcvn3.encode(text, current_page=self.page)
        self.page = tcvn3.final_page(text, self.page)
        return data


class Cp1258Encoder(Encoder):
    name = "text-cp1258"

    def __init__(self, page: int = 52, composes: bool = False) -> None:
        super().__init__()
        if not 0 <= int(page) <= 255:
            raise ValueError(f"ESC t page must be 0..255, not {page!r}")
        self.cp_page = int(page)
        self.composes = composes
        self.pages = (self.cp_page,)

    def encode_chars(self, text: str) -> bytes:
        out = bytearray()
        for ch in unicodedata.normalize("NFC", text):
            out += self._char(ch)
        return bytes(out)

    def _char(self, ch: str) -> bytes:
        try:
            return ch.encode("cp1258")
        except UnicodeEncodeError:
            pass
        if ch in _PUNCT:
            return _PUNCT[ch].encode("ascii")
        decomposed = unicodedata.normalize("NFD", ch)
        tones = [c for c in decomposed if c in _TONES]
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
        try:
            base_bytes = base.encode("cp1258")
        except UnicodeEncodeError:
            return to_ascii(ch).encode("ascii", "replace")
        if self.composes and tones:
            return base_bytes + "".join(tones).encode("cp1258")
        return base_bytes

    def encode(self, text: str) -> bytes:
        body = self.encode_chars(text)
        if body.isascii():
            return body
        return self._select(self.cp_page) + body


def make_encoder(mode: str, *, cp1258_page: int = 52, composes: bool = False) -> Encoder:
    if mode == "text-tcvn3":
        return Tcvn3Encoder()
    if mode == "text-cp1258":
        return Cp1258Encoder(cp1258_page, composes)
    return AsciiEncoder()


def cp1258_precomposed() -> str:
    """The Vietnamese letters cp1258 has as single bytes (printable by any WPC1258 printer)."""
    from cashier.core.vntext import VIETNAMESE_LETTERS

    out = []
    for ch in VIETNAMESE_LETTERS:
        try:
            ch.encode("cp1258")
            out.append(ch)
        except UnicodeEncodeError:
            pass
    return "".join(out)


def expected_cp1258_print(text: str, composes: bool) -> str:
    """What a WPC1258 printer shows for ``text`` (the tone-dropping rule above, in Unicode)."""
    if composes:
        return unicodedata.normalize("NFC", text)
    enc = Cp1258Encoder(52, composes=False)
    return unicodedata.normalize("NFC", enc.encode_chars(text).decode("cp1258"))
