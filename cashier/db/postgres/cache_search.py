"""The customer search on PostgreSQL: the same folded text as SQLite's FTS5 index
(``customer.search_text`` = ``vntext.fold("code name address")``), matched with LIKE / regular
expressions that the GIN trigram index (pg_trgm, schema v2) serves.

The text always starts with the customer code, so every name or address word follows a space:
``search_text LIKE '% ngu%'`` is "a word starting with ngu", and pg_trgm takes the word boundary
into its trigrams ("  n", " ng", "ngu"), so the index narrows it. The steps are SQLite's
(``cashier.db.sqlite.cache_reads.candidates``): a code prefix, the words in the typed order
(adjacent; the last one a prefix), then every word in any order (each a word prefix); a one-letter word matches a whole
word only, and while it is being typed ("nguyen v") the other words alone are offered too. Every
step fetches one page (LIMIT, no ranking over all matches): the service ranks the page.
Measured against FTS5 in bench/bench_pg_search.py.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from cashier.core.vntext import fold

_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class SearchQuery:
    """A typed search: its folded words, and the code prefix when it looks like a customer code
    (one word with a digit starting with "p", as SQLite's ``search_index.build_query``)."""

    words: tuple[str, ...]
    code_prefix: str | None


def build_query(text: str) -> SearchQuery:
    words = tuple(_WORD.findall(fold(text)))
    code_prefix = None
    if len(words) == 1 and any(ch.isdigit() for ch in words[0]) and words[0][:1] == "p":
        code_prefix = words[0].upper()
    return SearchQuery(words, code_prefix)


@dataclass(frozen=True)
class SearchStep:
    """One page query: ``WHERE {where}`` with ``params``."""

    where: str
    params: tuple[str, ...]


def _word(w: str) -> tuple[str, tuple[str, ...]]:
    """A word prefix (a one-letter word: the whole word)."""
    if len(w) == 1:
        return "(search_text LIKE %s OR search_text LIKE %s)", (f"% {w} %", f"% {w}")
    return "search_text LIKE %s", (f"% {w}%",)


def _all(words: Sequence[str]) -> SearchStep:
    parts = [_word(w) for w in words]
    return SearchStep(" AND ".join(p[0] for p in parts), tuple(x for p in parts for x in p[1]))


def _phrase(words: Sequence[str]) -> SearchStep:
    """The words adjacent and in order, the last one a prefix ("nguyen van a..."). (A regular
    expression letting every word be a prefix was measured 3-5x slower: PostgreSQL rechecks it
    row by row; "ngu van" is still found by the any-order step and ranked by the service.)"""
    return SearchStep("search_text LIKE %s", ("% " + " ".join(words) + "%",))


def search_steps(query: SearchQuery) -> list[SearchStep]:
    """The word steps of ``query`` in order (the code prefix is its own step)."""
    words = query.words
    steps: list[SearchStep] = []
    if not words:
        return steps
    if len(words) > 1 and min(len(w) for w in words) > 1:
        steps.append(_phrase(words))
    steps.append(_all(words))
    longer = tuple(w for w in words if len(w) > 1)
    if longer and len(longer) < len(words):
        steps.append(_all(longer))
    return steps


def code_prefix_step(prefix: str) -> SearchStep:
    """Customers whose code starts with ``prefix`` (the text_pattern_ops index)."""
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return SearchStep("code LIKE %s", (escaped + "%",))
