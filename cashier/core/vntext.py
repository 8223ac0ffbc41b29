"""Vietnamese text: normalisation and search folding.

``fold`` maps any Vietnamese text (NFC or NFD) to lower-case ASCII for search: tones and vowel
marks stripped, đ/Đ -> d, whitespace collapsed. "Nguyễn Văn Đạt" -> "nguyen van dat".
Built as one ``str.translate`` table so folding 600k names stays around a second.
"""

from __future__ import annotations

import re
import unicodedata

_WS = re.compile(r"\s+")


def _build_fold_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    ranges = [range(0x00C0, 0x0250), range(0x1E00, 0x1F00)]
    for rng in ranges:
        for cp in rng:
            ch = chr(cp)
            base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
            if base != ch and base.isascii() and base:
                table[cp] = base
    table[ord("đ")] = "d"
    table[ord("Đ")] = "D"
    table[ord("ð")] = "d"  # U+00F0, seen in TCVN-3 mis-decodes of đ
    table[ord("Ð")] = "D"  # U+00D0, python-escpos' TCVN-3 capital Đ mix-up
    for cp in range(0x0300, 0x0370):  # stray combining marks (NFD input)
        table[cp] = None
    return table


_FOLD_TABLE = _build_fold_table()


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def clean(text: str | None) -> str:
    """NFC, trimmed, inner whitespace collapsed to one space. ``None`` -> ''."""
    if not text:
        return ""
    return _WS.sub(" ", unicodedata.normalize("NFC", str(text))).strip()


def fold(text: str | None) -> str:
    """Search key: lower-case ASCII without tones, đ -> d, single spaces."""
    if not text:
        return ""
    folded = unicodedata.normalize("NFC", text).translate(_FOLD_TABLE).lower()
    return _WS.sub(" ", folded).strip()


#: The 67 lower-case Vietnamese letters (a-z without f j w z, plus accented forms); upper: .upper()
VIETNAMESE_LOWER = (
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
)
VIETNAMESE_LETTERS = VIETNAMESE_LOWER + VIETNAMESE_LOWER.upper()
