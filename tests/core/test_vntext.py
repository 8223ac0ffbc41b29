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
