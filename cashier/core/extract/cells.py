"""Reading one cell of an extract (pure, stdlib): text cleaned (NFC, whitespace collapsed,
TCVN-3 legacy text repaired with :mod:`cashier.core.tcvn3`), numbers parsed strictly
(:func:`cashier.core.money.parse_amount`), flags, tier detail, and the folded words the search
vocabulary is made of.

Cell values may be ``str`` (csv, or text cells), ``int``/``float`` (Excel numbers), ``None`` or
``""`` (empty). A bad field raises :class:`FieldRejected` (the row parser turns it into a
:class:`~cashier.core.debt.RejectedRow`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from cashier.core import tcvn3
from cashier.core.errors import InvalidInput
from cashier.core.extract.state import ParseStats
from cashier.core.money import MAX_NUMBER, parse_amount
from cashier.core.vntext import fold, vietnamese_score

#: after this many Unicode (non-legacy) values, stop checking text for TCVN-3
LEGACY_PROBE = 2000
#: distinct names/addresses remembered by :meth:`CellReader.clean_fold` (~300 bytes each: the
#: cap keeps the 600k import's peak memory under its 500 MB budget)
PHRASE_CACHE_MAX = 60_000
#: control characters no text field may hold (tab, CR and LF are whitespace, collapsed)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: money fields bounded by the profile's max_bill_amount (other numbers by MAX_NUMBER)
MONEY_FIELDS = frozenset({"SO_TIEN", "TIEN_GTGT", "TONG_TIEN"})
_WS = re.compile(r"\s+")
_TOKEN = re.compile(r"[a-z0-9]+")
_ODD_SPACE = re.compile(r"[^\S ]")  # whitespace other than a plain space
#: the highest character of latin-1 (TCVN-3 bytes read as cp1252/latin-1 stay below it)
_LATIN_MAX = "\u00ff"
_TIER_ITEM = re.compile(
    r"^\s*(\d[\d.]*)\s*[x×*@]\s*(\d[\d.]*)\s*(?:=\s*(\d[\d.]*))?\s*$", re.IGNORECASE
)


class FieldRejected(Exception):
    """One field of a row is bad: its canonical ``column``, the ``value``, a message code."""

    def __init__(self, column: str, bad: Any, code: str, /, **params: Any) -> None:
        super().__init__(code)
        self.column = column
        self.value = bad
        self.code = code
        self.params = params


def cell_text(value: Any) -> str:
    """A cell as text (Excel numbers that are integral lose their '.0')."""
    if value is None:
        return ""
    if value.__class__ is str:
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def clean_text(text: str) -> str:
    """NFC, whitespace collapsed to single spaces, stripped."""
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def _plain_spaces(text: str) -> bool:
    return _ODD_SPACE.search(text) is None


class CellReader:
    """Cell conversions with the file-wide state they need: whether the file is TCVN-3, and
    caches of folded words, cleaned names/addresses and parsed tier details."""

    def __init__(
        self, true_keys: Iterable[str], max_bill: int, stats: ParseStats, terms: set[str]
    ) -> None:
        self.true_keys = frozenset(true_keys)
        self.max_bill = max_bill
        self.stats = stats
        self.terms = terms  # the search vocabulary, filled as words are folded
        #: the file is legacy TCVN-3: every text in the legacy range is converted
        self.legacy_mode = False
        #: Unicode values seen that were not TCVN-3 (checking stops at LEGACY_PROBE)
        self.unicode_seen = 0
        self.fold_cache: dict[str, str] = {}
        #: raw name/address text -> (clean text, folded words), see :meth:`clean_fold`
        self.phrase_cache: dict[str, tuple[str, str]] = {}
        #: tier detail text -> (JSON, its total)
        self.tier_cache: dict[str, tuple[str | None, int]] = {}

    @property
    def settled_probe(self) -> bool:
        """True once :meth:`text` has no side effect any more (probe over, no legacy text)."""
        return not self.legacy_mode and self.unicode_seen >= LEGACY_PROBE

    def probe(self, rows: Iterable[Sequence[Any]], slots: Sequence[int]) -> None:
        """Decide from the first rows' text (columns ``slots``), taken together, whether the file
        is legacy TCVN-3 (read as cp1252/latin-1): when its words are well-formed Vietnamese
        more often once converted than as they are, every text of the file is converted
        (word-by-word guessing left ~1 name in 4 garbled: "Huúnh" looks like a plain word)."""
        if self.legacy_mode:
            return
        texts = [
            c
            for cells in rows
            for j in slots
            if j < len(cells) and (c := cells[j]).__class__ is str and not c.isascii()
        ]
        if not texts:
            return
        text = "\n".join(texts)
        as_is, total = vietnamese_score(text)
        converted, _ = vietnamese_score(tcvn3.decode_legacy(text))
        if converted > as_is and converted * 10 >= total * 8:
            self.legacy_mode = True

    def release(self) -> None:
        """Forget the caches once every row is parsed (peak memory)."""
        self.fold_cache = {}
        self.phrase_cache = {}
        self.tier_cache = {}

    # -- text -------------------------------------------------------------------------------
    def text(self, value: Any) -> str:
        if value is None:
            return ""
        if value.__class__ is not str:
            value = cell_text(value)
        if value.isascii():
            if (
                "  " in value
                or value[:1].isspace()
                or value[-1:].isspace()
                or not _plain_spaces(value)
            ):
                return _WS.sub(" ", value).strip()
            return value
        if self.legacy_mode:  # the file is TCVN-3: every text in the legacy range is
            if max(value) <= _LATIN_MAX or tcvn3.looks_like_tcvn3(value):
                self.stats.legacy_text += 1
                value = tcvn3.decode_legacy(value)
        elif self.unicode_seen < LEGACY_PROBE:
            if tcvn3.looks_like_tcvn3(value):
                self.legacy_mode = True
                self.stats.legacy_text += 1
                value = tcvn3.decode_legacy(value)
            else:
                self.unicode_seen += 1
        if not unicodedata.is_normalized("NFC", value):
            value = unicodedata.normalize("NFC", value)
        if "  " in value or value[:1].isspace() or value[-1:].isspace() or not _plain_spaces(value):
            return _WS.sub(" ", value).strip()
        return value

    def clean_fold(self, raw: str) -> tuple[str, str]:
        """``(text(raw), fold_words(text(raw)))``, remembered (only called while :meth:`text`
        is free of side effects, see :attr:`settled_probe`)."""
        value = self.text(raw)
        pair = (value, self.fold_words(value))
        cache = self.phrase_cache
        if len(cache) < PHRASE_CACHE_MAX:
            cache[raw] = pair
        return pair

    def fold_words(self, text: str) -> str:
        """``vntext.fold`` of clean (NFC, single-spaced) text, word by word through a cache:
        names and address words repeat a lot, so this is several times faster."""
        cache = self.fold_cache
        out = []
        for word in text.split():
            f = cache.get(word)
            if f is None:
                f = fold(word)
                self.terms.update(t for t in _TOKEN.findall(f) if len(t) > 3)
                if len(cache) < 300_000:
                    cache[word] = f
            if f:
                out.append(f)
        return " ".join(out)

    # -- numbers and flags ------------------------------------------------------------------
    def number(self, field_name: str, value: Any, required: bool = False) -> int | None:
        number = self._int_unbounded(field_name, value, required)
        if number is not None:
            limit = self.max_bill if field_name in MONEY_FIELDS else MAX_NUMBER
            if number > limit:
                raise FieldRejected(
                    field_name, value, "row.too_large", value=f"{number:,}", limit=f"{limit:,}"
                )
        return number

    def _int_unbounded(self, field_name: str, value: Any, required: bool) -> int | None:
        cls = value.__class__
        if cls is int:
            if value < 0:
                raise FieldRejected(field_name, value, "money.negative", value=str(value))
            return value
        if cls is str:
            if value.isdigit() and value.isascii():
                if len(value) > 30:  # (int() refuses over 4,300 digits: never get near it)
                    raise FieldRejected(
                        field_name, value, "row.too_large", value=value[:30] + "...", limit="?"
                    )
                return int(value)
            if not value.strip():
                value = None
        elif cls is float and value.is_integer() and value >= 0:
            return int(value)
        if value is None or value == "":
            if required:
                raise FieldRejected(field_name, "", "row.required")
            return None
        try:
            return parse_amount(value, limit=1 << 128)  # the caller checks the field's limit
        except InvalidInput as exc:
            raise FieldRejected(field_name, value, exc.code, **exc.params) from None

    def flag(self, value: Any) -> int:
        if value is None or value == "" or value == 0:
            return 0
        return 1 if fold(cell_text(value)) in self.true_keys else 0

    def tiers(self, value: Any, amount: int) -> str | None:
        """'50x1984;50x2050;37x2380' (or 'kwh x price = amount' items) -> JSON, checked."""
        if value is None or value == "":
            return None
        text = value if value.__class__ is str else cell_text(value)
        cached = self.tier_cache.get(text)
        if cached is not None:
            if cached[1] != amount:
                self.stats.tier_warnings += 1
                return None
            return cached[0]
        items = []
        total = 0
        for part in text.replace("|", ";").split(";"):
            kwh_s, sep, price_s = part.partition("x")
            if sep and kwh_s.isdigit() and price_s.isdigit():  # the common, compact form
                kwh, price = int(kwh_s), int(price_s)
                tier_amount = kwh * price
            elif not part.strip():
                continue
            else:
                m = _TIER_ITEM.match(part)
                if not m:
                    self.stats.tier_warnings += 1
                    return None
                kwh, price = int(m.group(1).replace(".", "")), int(m.group(2).replace(".", ""))
                tier_amount = int(m.group(3).replace(".", "")) if m.group(3) else kwh * price
            total += tier_amount
            items.append(f"[{kwh},{price},{tier_amount}]")
        if not items:
            return None
        result = "[" + ",".join(items) + "]"
        if len(self.tier_cache) < 100_000:
            self.tier_cache[text] = (result, total)
        if total != amount:
            self.stats.tier_warnings += 1
            return None
        return result
