"""cashier.core.vntext: NFC cleaning and search folding."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from cashier.core.vntext import VIETNAMESE_LETTERS, VIETNAMESE_LOWER, clean, fold, fold_reference


def test_fold_examples():
    assert fold("Nguyễn Văn Đạt") == "nguyen van dat"
    assert fold("  ĐẮK   LẮK ") == "dak lak"
    assert fold("Hồ Thị Ánh") == "ho thi anh"
    assert fold(None) == "" and fold("") == ""


def test_fold_nfd_equals_nfc():
    s = "Phạm Thị Hường, Buôn Ma Thuột"
    assert fold(unicodedata.normalize("NFD", s)) == fold(s) == "pham thi huong, buon ma thuot"


def test_every_vietnamese_letter_folds_to_one_ascii_letter():
    assert len(VIETNAMESE_LOWER) == 89 and len(VIETNAMESE_LETTERS) == 178
    assert sum(1 for ch in VIETNAMESE_LOWER if not ch.isascii()) == 67
    for ch in VIETNAMESE_LETTERS:
        f = fold(ch)
        assert len(f) == 1 and f.isascii() and f.isalpha(), ch
    assert fold("đĐ") == "dd"


def test_fold_keeps_other_scripts_and_maps_eth():
    assert fold("ð") == "d"  # TCVN-3 mis-decodes of đ
    assert fold("Straße") == fold_reference("Straße")


_ALPHABET = VIETNAMESE_LETTERS + " \t\n.,-/0123ABCxyzßæø€ðÐ\u0301\u0323\u0309"


@given(st.text(alphabet=_ALPHABET, max_size=30))
def test_fast_fold_agrees_with_the_table(s):
    """The fast path in fold() must give exactly the table's result (NFC or NFD input)."""
    assert fold(s) == fold_reference(s)
    nfd = unicodedata.normalize("NFD", s)
    assert fold(nfd) == fold_reference(nfd)


def test_clean():
    assert clean("  Nguyễn   Văn\tAn \n") == "Nguyễn Văn An"
    assert clean(unicodedata.normalize("NFD", "Đắk Lắk")) == "Đắk Lắk"
    assert unicodedata.is_normalized("NFC", clean(unicodedata.normalize("NFD", "Lê Duẩn")))
    assert clean(None) == ""


def test_to_cp1258_writes_the_tones_it_has_no_letter_for_as_combining_marks():
    from cashier.core.vntext import to_cp1258

    assert to_cp1258("á") == b"\xe1"  # precomposed in Windows-1258
    assert to_cp1258("ễ") == b"\xea\xde"  # ê + combining tilde
    assert to_cp1258("Nguyễn Văn Đạt") == b"Nguy\xea\xden V\xe3n \xd0a\xf2t"
    for text in ("Huỳnh Minh Lan", "Phạm Thị Hường", "Y Djăp Êban"):
        assert unicodedata.normalize("NFC", to_cp1258(text).decode("cp1258")) == text


def test_vietnamese_score_tells_the_right_legacy_table():
    from cashier.core import tcvn3
    from cashier.core.vntext import to_cp1258, vietnamese_score

    text = "Nguyễn Văn Đạt, Số 12 Hùng Vương, Huỳnh Minh Lan, Phạm Thị Hường"
    as_cp = to_cp1258(text)
    assert vietnamese_score(as_cp.decode("cp1258")) == (10, 10)  # the 10 words with a letter outside ASCII
    good, total = vietnamese_score(tcvn3.decode_legacy(as_cp.decode("latin-1")))
    assert good < total
    legacy = tcvn3.encode_vn3(text)
    assert vietnamese_score(tcvn3.decode_legacy(legacy.decode("latin-1"))) == (10, 10)  # the 10 words with a letter outside ASCII
    good, total = vietnamese_score(legacy.decode("cp1258", "replace"))
    assert good < total / 2
