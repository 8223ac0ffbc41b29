"""Money is an integer number of đồng (VND). Never a float, never a Decimal with a fraction.

``parse_amount`` accepts what real CMIS extracts contain ("1.234.567", "1234567", 1234567.0 from
Excel, "1 234 567 đ") and refuses fractions, negatives and garbage with a reason code.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from cashier.core.errors import InvalidInput

#: Anything above this is treated as a typing or file error (10 billion đồng).
MAX_AMOUNT = 10_000_000_000
#: default upper bound of one bill in a debt extract (the profile's ``max_bill_amount``)
MAX_BILL_AMOUNT = MAX_AMOUNT
#: no number of an extract (kWh, meter readings, a bill limit) may be larger: far below
#: SQLite's 64-bit integers (9,223,372,036,854,775,807), so a huge value is a rejected row,
#: never an overflow
MAX_NUMBER = 10**15


_GROUPED = re.compile(r"^\d{1,3}(?:([., ])\d{3})(?:\1\d{3})*$", re.ASCII)
_PLAIN = re.compile(r"^\d+$", re.ASCII)
_ZERO_FRACTION = re.compile(r"^(\d+)[.,]0+$", re.ASCII)
_DECIMAL = re.compile(r"^\d*(?:\.\d*)?(?:e[-+]?\d+)?$", re.ASCII)
#: spaces Excel and Vietnamese keyboards put into numbers ("1 234 567")
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " "})
_SUFFIXES = ("vnđ", "vnd", "đồng", "dong", "đ", "d")


def parse_amount(value: object, *, limit: int = MAX_AMOUNT) -> int:
    """Parse an amount in đồng; raise :class:`InvalidInput` with a ``money.*`` code."""
    if value is None:
        raise InvalidInput("money.empty")
    if isinstance(value, bool):
        raise InvalidInput("money.garbage", value=str(value))
    if isinstance(value, int):
        result = value
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise InvalidInput("money.garbage", value=str(value))
        if not value.is_integer():
            raise InvalidInput("money.fraction", value=repr(value))
        result = int(value)
    elif isinstance(value, Decimal):
        if value != value.to_integral_value():
            raise InvalidInput("money.fraction", value=str(value))
        result = int(value)
    elif isinstance(value, str):
        result = _parse_text(value)
    else:
        raise InvalidInput("money.garbage", value=str(value))
    if result < 0:
        raise InvalidInput("money.negative", value=str(value))
    if result > limit:
        raise InvalidInput("money.too_large", value=str(value), limit=format_number(limit))
    return result


def _parse_text(raw: str) -> int:
    text = raw.translate(_SPACES).strip().lower()
    if not text:
        raise InvalidInput("money.empty")
    for suffix in _SUFFIXES:
        if text.endswith(suffix):
            text = text[: -len(suffix)].strip()
            break
    negative = text.startswith("-") or (text.startswith("(") and text.endswith(")"))
    text = text.strip("-()").strip()
    if not text:
        raise InvalidInput("money.garbage", value=raw)
    if sum(map(str.isdigit, text)) > 30:  # (and int() refuses 4,300+ digits)
        raise InvalidInput("money.too_large", value=raw[:40], limit=format_number(MAX_AMOUNT))
    if not text.isascii():  # "٣", "１２３": int() and Decimal() would read them
        if any(ch.isdigit() for ch in text):
            raise InvalidInput("money.digits", value=raw)
        raise InvalidInput("money.garbage", value=raw)
    if _PLAIN.match(text):
        number = int(text)
    elif _GROUPED.match(text):
        number = int(re.sub(r"[.,\s]", "", text))
    elif m := _ZERO_FRACTION.match(text):
        number = int(m.group(1))
    else:
        text = text.replace(",", ".")
        if not _DECIMAL.match(text):  # (Decimal also reads "nan", "inf", "1_000")
            raise InvalidInput("money.garbage", value=raw)
        try:
            dec = Decimal(text)
        except InvalidOperation:
            raise InvalidInput("money.garbage", value=raw) from None
        if not dec.is_finite():
            raise InvalidInput("money.garbage", value=raw)
        if dec != dec.to_integral_value():
            raise InvalidInput("money.fraction", value=raw)
        number = int(dec)
    if negative and number:
        raise InvalidInput("money.negative", value=raw)
    return number


def format_number(amount: int) -> str:
    """1234567 -> '1.234.567' (Vietnamese grouping)."""
    sign = "-" if amount < 0 else ""
    return sign + f"{abs(int(amount)):,}".replace(",", ".")


def format_vnd(amount: int) -> str:
    """1234567 -> '1.234.567 đ'."""
    return f"{format_number(amount)} đ"


_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
_SCALES = ["", "nghìn", "triệu", "tỷ"]


def _read_triple(n: int, full: bool) -> list[str]:
    """Read 0..999; ``full`` reads a zero hundreds digit ('không trăm') and 'linh'."""
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append("linh")
            words.append(_DIGITS[units])
        return words
    if tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if units == 1:
        words.append("mốt" if tens > 1 else "một")
    elif units == 4:
        words.append("tư" if tens > 1 else "bốn")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(_DIGITS[units])
    return words


def _read_below_billion_groups(n: int, leading: bool) -> list[str]:
    """Read 0..999,999,999 as groups of three digits with nghìn/triệu."""
    groups = []
    while n:
        n, g = divmod(n, 1000)
        groups.append(g)
    words: list[str] = []
    for idx in range(len(groups) - 1, -1, -1):
        g = groups[idx]
        if g == 0:
            continue
        is_first = leading and idx == len(groups) - 1
        words += _read_triple(g, full=not is_first)
        if _SCALES[idx]:
            words.append(_SCALES[idx])
    return words


def amount_in_words(amount: int, currency: str = "đồng") -> str:
    """1234567 -> 'Một triệu hai trăm ba mươi tư nghìn năm trăm sáu mươi bảy đồng'."""
    amount = int(amount)
    if amount < 0:
        raise InvalidInput("money.negative", value=str(amount))
    if amount == 0:
        words = ["không"]
    else:
        # split into blocks of 10^9 read with "tỷ" between them (1 nghìn tỷ = 10^12 reads "nghìn tỷ")
        blocks = []
        n = amount
        while n:
            n, b = divmod(n, 1_000_000_000)
            blocks.append(b)
        words = []
        for idx in range(len(blocks) - 1, -1, -1):
            b = blocks[idx]
            is_first = idx == len(blocks) - 1
            if b:
                words += _read_below_billion_groups(b, leading=is_first)
            if idx > 0 and (b or is_first):
                words += ["tỷ"] * 1
    text = " ".join(words + ([currency] if currency else []))
    return text[0].upper() + text[1:]
