"""Instant lookup and Vietnamese search over the debt cache (the read half of ``CacheService``):
fast enough for the GUI thread (p99 well under 5 ms and 30 ms on 600k customers,
bench/bench_cache.py)."""

from __future__ import annotations

import re

from cashier.core import customer_code as codes
from cashier.core.debt import Lookup, SearchHit
from cashier.core.errors import InvalidInput, NotFound
from cashier.core.vntext import fold
from cashier.services.cache_ports import CacheStore, Candidate


class CacheLookup:
    """Lookup by code or card, and search by code, name or address (a base of ``CacheService``:
    it reads ``store``, ``code_policy`` and its own fold cache)."""

    store: CacheStore
    code_policy: codes.CodePolicy
    _folds: dict[str, str]

    # -- lookup -------------------------------------------------------------------------------
    def lookup(self, raw_code_or_card: str) -> Lookup:
        """The customer and all their bills (oldest first; ``Lookup.unpaid`` / ``total_due``).

        Accepts a customer code (normalised; a code mangled by a Vietnamese input method is
        repaired when unambiguous) or a card code. Raises ``InvalidInput`` / ``NotFound``.
        """
        text = codes.normalise(raw_code_or_card)
        if not text:
            raise InvalidInput("code.empty")
        store = self.store
        if codes.is_valid(text, self.code_policy):
            found = store.lookup_code(text) or store.lookup_card(text)
            if found is None:
                raise NotFound("cache.unknown_code", code=text)
            return found
        found = store.lookup_card(text)
        if found is not None:
            return found
        parsed = codes.parse_scanned(raw_code_or_card, self.code_policy)  # raises InvalidInput
        found = store.lookup_code(parsed.code)
        if found is None:
            raise NotFound("cache.unknown_code", code=parsed.code)
        return found

    # -- search -------------------------------------------------------------------------------
    def search(self, text: str, limit: int = 50) -> list[SearchHit]:
        """Customers matching a code prefix, name or address (any case, with or without
        diacritics, words in any order, partial words), best first: exact code, code prefix,
        the name in the typed order, all words in the name, then address matches.

        Only a page of matches is fetched and ranked (never all 27k "nguyen van").
        """
        limit = max(1, min(int(limit), 500))
        words = _WORD.findall(fold(text))
        if not words:
            return []
        candidates = self.store.candidates(text, max(limit * 2, 100))
        if not candidates:
            return []
        folded = self._fold_cached
        scored = sorted(
            ((_score(words, c, folded(c.name)), c) for c in candidates),
            # code matches in code order, the others by name (then code)
            key=lambda sc: (-sc[0], sc[1].code if sc[0] >= 900 else folded(sc[1].name), sc[1].code),
        )[:limit]
        due = self.store.due([c.id for _, c in scored])
        return [
            SearchHit(
                code=c.code,
                name=c.name,
                address=c.address,
                book=c.book,
                total_due=due.get(c.id, (0, 0))[0],
                unpaid_bills=due.get(c.id, (0, 0))[1],
                score=score,
            )
            for score, c in scored
        ]

    def _fold_cached(self, text: str) -> str:
        cache = self._folds
        f = cache.get(text)
        if f is None:
            if len(cache) > 50_000:
                cache.clear()
            f = cache[text] = fold(text)
        return f


_WORD = re.compile(r"[a-z0-9]+")


def _score(words: list[str], cand: Candidate, name_folded: str) -> float:
    """Rank of a candidate for the typed words (higher first)."""
    code = cand.code.lower()
    if len(words) == 1:
        if code == words[0]:
            return 1000.0
        if code.startswith(words[0]) and any(ch.isdigit() for ch in words[0]):
            return 900.0
    name = _WORD.findall(name_folded)
    in_name = [any(n.startswith(w) for n in name) for w in words]
    exact_name = sum(1 for w in words if w in name)
    if all(in_name):
        score = 500.0
        if _in_order(words, name):
            score += 100.0
            if len(words) == len(name) and exact_name == len(words):
                score += 200.0  # the whole name, as typed
        score += 5.0 * exact_name - 0.5 * (len(name) - len(words))
        return score
    # the indexed text is "code name address": the address is what follows the name
    text = cand.search_text
    prefix = f"{code} {name_folded} "
    address = _WORD.findall(text[len(prefix):] if text.startswith(prefix) else fold(cand.address))
    in_addr = [any(a.startswith(w) for a in address) for w in words]
    hits = sum(1 for a, b in zip(in_name, in_addr, strict=True) if a or b)
    score = 100.0 * hits / len(words) + 50.0 * sum(in_name) / len(words)
    if not any(in_name) and _in_order(words, address):
        score += 50.0
    return score


def _in_order(words: list[str], target: list[str]) -> bool:
    """The words prefix-match consecutive words of ``target``, in order."""
    n = len(words)
    for start in range(len(target) - n + 1):
        if all(target[start + k].startswith(words[k]) for k in range(n)):
            return True
    return False
