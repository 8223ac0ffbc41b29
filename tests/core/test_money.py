"""cashier.core.money: strict integer-đồng parsing, formatting, amounts in words."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cashier.core.errors import InvalidInput
from cashier.core.money import (
    MAX_AMOUNT,
    amount_in_words,
    format_number,
    format_vnd,
    parse_amount,
)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("1.234.567", 1234567),
        ("1,234,567", 1234567),
        ("1 234 567", 1234567),
        ("1234567", 1234567),
        (" 1234567 ", 1234567),
        ("1.234.567 đ", 1234567),
        ("1.234.567đ", 1234567),
        ("1234567 VND", 1234567),
        ("1234567,00", 1234567),
        ("1234567.0", 1234567),
        ("0", 0),
        (1234567, 1234567),
        (1234567.0, 1234567),
        (Decimal("1234567"), 1234567),
        ("1\u00a0234\u00a0567", 1234567),
    ],
)
def test_parse_accepts_real_extract_forms(raw, expected):
    assert parse_amount(raw) == expected


@pytest.mark.parametrize(
    "raw, code",
    [
        ("", "money.empty"),
        ("   ", "money.empty"),
        (None, "money.empty"),
        ("abc", "money.garbage"),
        ("12a", "money.garbage"),
        ("1.2.3.4", "money.garbage"),
        (True, "money.garbage"),
        (float("nan"), "money.garbage"),
        (float("inf"), "money.garbage"),
        (12345.675, "money.fraction"),
        ("12345,5", "money.fraction"),
        (Decimal("1.5"), "money.fraction"),
        ("-5", "money.negative"),
        ("(1.000)", "money.negative"),
        (-1, "money.negative"),
        (MAX_AMOUNT + 1, "money.too_large"),
    ],
)
def test_parse_refuses_with_a_reason_code(raw, code):
    with pytest.raises(InvalidInput) as err:
        parse_amount(raw)
    assert err.value.code == code
    # every refusal has English and Vietnamese text that is not just the code
    assert err.value.text("en") != code and err.value.text("vi") != code


@pytest.mark.parametrize(
    "raw",
    ["٣", "１２３４５６", "١٢٣", "১২৩", "1.２34", "１２３ đ", "٣,000"],
)
def test_digits_other_than_ascii_are_refused(raw):
    """int() and Decimal() read Arabic-Indic or full-width digits: an amount must not."""
    with pytest.raises(InvalidInput) as err:
        parse_amount(raw)
    assert err.value.code == "money.digits"
    assert "0-9" in err.value.text("vi")


@pytest.mark.parametrize("raw", ["nan", "inf", "Infinity", "1_000", "sNaN"])
def test_decimal_spellings_are_not_amounts(raw):
    with pytest.raises(InvalidInput) as err:
        parse_amount(raw)
    assert err.value.code == "money.garbage"


def test_huge_text_amounts_are_refused_not_overflowing():
    for raw in ("99.999.999.999.999.999", "9223372036854775808", "1e30"):
        with pytest.raises(InvalidInput) as err:
            parse_amount(raw)
        assert err.value.code == "money.too_large"


def test_negative_zero_is_zero():
    assert parse_amount("-0") == 0


@given(st.integers(min_value=0, max_value=MAX_AMOUNT))
def test_format_then_parse_roundtrips(n):
    assert parse_amount(format_number(n)) == n
    assert parse_amount(format_vnd(n)) == n
    assert parse_amount(float(n)) == n


def test_format():
    assert format_number(1234567) == "1.234.567"
    assert format_number(0) == "0"
    assert format_number(-1000) == "-1.000"
    assert format_vnd(1234567) == "1.234.567 đ"


@pytest.mark.parametrize(
    "n, words",
    [
        (0, "Không đồng"),
        (1, "Một đồng"),
        (10, "Mười đồng"),
        (15, "Mười lăm đồng"),
        (21, "Hai mươi mốt đồng"),
        (24, "Hai mươi tư đồng"),
        (105, "Một trăm linh năm đồng"),
        (1000, "Một nghìn đồng"),
        (1005, "Một nghìn không trăm linh năm đồng"),
        (1234567, "Một triệu hai trăm ba mươi tư nghìn năm trăm sáu mươi bảy đồng"),
        (1_000_000_000, "Một tỷ đồng"),
        (2_000_500_000, "Hai tỷ năm trăm nghìn đồng"),
    ],
)
def test_amount_in_words(n, words):
    assert amount_in_words(n) == words


def test_amount_in_words_refuses_negative():
    with pytest.raises(InvalidInput):
        amount_in_words(-1)
