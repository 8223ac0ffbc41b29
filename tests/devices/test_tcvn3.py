"""TCVN-3 table, printer pages and legacy-text repair, checked against known words."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from cashier.core import tcvn3
from cashier.core.vntext import VIETNAMESE_LETTERS

# words as legacy TCVN-3 files show them when opened as latin-1 / cp1252 (well-known pairs)
KNOWN = [
    ("Hµ Néi", "Hà Nội"),
    ("NguyÔn V¨n §¹t", "Nguyễn Văn Đạt"),
    ("TiÒn ®iÖn", "Tiền điện"),
    ("§iÖn lùc §¾k L¾k", "Điện lực Đắk Lắk"),
    ("Thµnh phè Hå ChÝ Minh", "Thành phố Hồ Chí Minh"),
    ("B¶o Th¾ng", "Bảo Thắng"),
    ("M­êng Kh­¬ng", "Mường Khương"),
]


@pytest.mark.parametrize(("legacy", "unicode"), KNOWN)
def test_decode_legacy_known_words(legacy: str, unicode: str) -> None:
    assert tcvn3.looks_like_tcvn3(legacy)
    assert tcvn3.decode_legacy(legacy) == unicode


@pytest.mark.parametrize("legacy", [k for k, _ in KNOWN])
def test_legacy_read_as_cp1252_is_the_same(legacy: str) -> None:
    raw = legacy.encode("latin-1")
    assert tcvn3.decode_legacy(raw.decode("cp1252", errors="replace")) == tcvn3.decode_legacy(legacy)


@pytest.mark.parametrize(("_", "unicode"), KNOWN)
def test_encode_vn3_round_trips_lowercase(_: str, unicode: str) -> None:
    text = unicode.lower()
    assert tcvn3.decode_legacy(tcvn3.encode_vn3(text).decode("latin-1")) == text


@pytest.mark.parametrize(
    "text", ["Nguyễn Văn Đạt", "Hà Nội", "Tiền điện", "José Müller", "plain ascii", "", "Đ"]
)
def test_unicode_text_is_not_taken_for_tcvn3(text: str) -> None:
    assert not tcvn3.looks_like_tcvn3(text)


@pytest.mark.skipif(shutil.which("iconv") is None, reason="needs glibc iconv")
def test_table_agrees_with_glibc_tcvn5712() -> None:
    # VN1 (glibc TCVN5712-1) shares VN3's characters at every position VN3 assigns
    data = bytes(sorted(tcvn3.VN3_TABLE))
    out = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=data,
                         capture_output=True, check=True).stdout.decode()
    assert list(out) == [tcvn3.VN3_TABLE[b] for b in sorted(tcvn3.VN3_TABLE)]


def _print_decode(data: bytes) -> str:
    """Minimal printer model: follow ESC t n and map bytes through the page."""
    page, out, i = None, [], 0
    while i < len(data):
        if data[i : i + 2] == b"\x1bt":
            page = data[i + 2]
            i += 3
            continue
        out.append(tcvn3.decode_byte(data[i], page))
        i += 1
    return "".join(out)


def test_every_vietnamese_letter_prints_back() -> None:
    data = tcvn3.encode(VIETNAMESE_LETTERS)
    assert _print_decode(data) == VIETNAMESE_LETTERS
    assert b"\x1bt\x1e" in data and b"\x1bt\x1f" in data


def test_capital_d_with_stroke_is_not_eth() -> None:
    # python-escpos maps U+00D0 on the capitals page; the printer prints Đ (U+0110)
    data = tcvn3.encode("Đ")
    assert data == b"\x1bt\x1f\xa7"
    assert _print_decode(data) == "Đ"
    assert "\u00d0" not in tcvn3.PAGE_31.values()


def test_page_switches_only_when_needed() -> None:
    assert tcvn3.encode("abc") == b"abc"
    assert tcvn3.encode("việt", current_page=30) == b"vi\xd6t"
    assert tcvn3.encode("VIỆT NAM việt") .count(b"\x1bt") == 2
    assert tcvn3.final_page("VIỆT nam") == 31


def test_nfd_input_and_unknown_characters() -> None:
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Nguyễn")
    assert _print_decode(tcvn3.encode(nfd)) == "Nguyễn"
    assert tcvn3.encode("€ ü") == b"? u"
