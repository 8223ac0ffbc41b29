"""Customer codes (MA_KHANG): normalise, validate, and repair Vietnamese-IME mangling.

A keyboard-wedge scanner types into whatever input method is active. With Telex on, a scanned
"PC12DD0012345" can arrive as "PC12Đ0012345"; with VNI on, "PC12A10012345" as "PC12Á0012345".
:func:`parse_scanned` undoes that when exactly one undoing gives a valid code.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

from cashier.core.errors import InvalidInput
from cashier.core.messages import register

DEFAULT_PATTERN = r"P[A-Z][0-9A-Z]{4}[0-9]{7}"

register(
    {
        "code.empty": ("Customer code is empty", "Mã khách hàng trống"),
        "code.invalid": (
            "{code!r} is not a valid customer code (expected {expected})",
            "\"{code}\" không phải mã khách hàng hợp lệ (cần dạng {expected})",
        ),
        "code.ambiguous": (
            "{code!r} was mangled by the Vietnamese input method and could be {candidates}",
            "Mã \"{code}\" bị bộ gõ tiếng Việt làm sai, có thể là {candidates}: "
            "hãy tắt bộ gõ (Unikey/EVKey) rồi quét lại",
        ),
    }
)

_TONE_TELEX = {"\u0301": "S", "\u0300": "F", "\u0309": "R", "\u0303": "X", "\u0323": "J"}
_TONE_VNI = {"\u0301": "1", "\u0300": "2", "\u0309": "3", "\u0303": "4", "\u0323": "5"}
_CIRCUMFLEX, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"


@dataclass(frozen=True)
class CodePolicy:
    """How customer codes look at this power company."""

    pattern: str = DEFAULT_PATTERN
    #: which input methods to undo: "telex", "vni" or "both"
    ime: str = "telex"

    def __post_init__(self) -> None:
        re.compile(self.pattern)
        if self.ime not in ("telex", "vni", "both", "none"):
            raise ValueError(f"unknown input method {self.ime!r}")

    @property
    def regex(self) -> re.Pattern[str]:
        return _compiled(self.pattern)

    def example(self) -> str:
        return "PC12AA0012345" if self.pattern == DEFAULT_PATTERN else self.pattern


_REGEX_CACHE: dict[str, re.Pattern[str]] = {}


def _compiled(pattern: str) -> re.Pattern[str]:
    rx = _REGEX_CACHE.get(pattern)
    if rx is None:
        rx = _REGEX_CACHE[pattern] = re.compile(pattern)
    return rx


@dataclass(frozen=True)
class ScannedCode:
    code: str
    original: str
    repaired: bool


def normalise(raw: str) -> str:
    """NFC, upper-case, all whitespace (and scanner control chars) removed."""
    text = unicodedata.normalize("NFC", raw or "")
    return "".join(ch for ch in text if not ch.isspace() and ch.isprintable()).upper()


def is_valid(code: str, policy: CodePolicy = CodePolicy()) -> bool:
    return bool(policy.regex.fullmatch(code))


def validate(raw: str, policy: CodePolicy = CodePolicy()) -> str:
    """Normalise and validate (no repair); raise ``InvalidInput('code.*')``."""
    code = normalise(raw)
    if not code:
        raise InvalidInput("code.empty")
    if not policy.regex.fullmatch(code):
        raise InvalidInput("code.invalid", code=code, expected=policy.example())
    return code


def _char_options(ch: str, schemes: list[str]) -> list[str]:
    """Keystroke sequences that an IME could have turned into ``ch`` (upper-case)."""
    if ch.isascii():
        return [ch]
    if ch == "Đ":
        return sorted({"DD" if s == "telex" else "D9" for s in schemes})
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[0], decomposed[1:]
    if not base.isascii() or not base.isalpha():
        return [ch]
    options: set[str] = set()
    for scheme in schemes:
        telex = scheme == "telex"
        seqs = [base]
        tone = ""
        for mark in marks:
            if mark == _CIRCUMFLEX:
                seqs = [s + (base if telex else "6") for s in seqs]
            elif mark in (_BREVE, _HORN):
                if telex:
                    alt = [s + "W" for s in seqs]
                    if base == "U" and mark == _HORN:
                        alt += ["W"]  # Telex: a lone "w" gives "ư"
                    seqs = alt
                else:
                    seqs = [s + ("8" if mark == _BREVE else "7") for s in seqs]
            elif mark in _TONE_TELEX:
                tone = (_TONE_TELEX if telex else _TONE_VNI)[mark]
            else:
                seqs = []
                break
        options.update(s + tone for s in seqs)
    return sorted(options) or [ch]


def repair_candidates(code: str, policy: CodePolicy = CodePolicy()) -> list[str]:
    """Valid codes that the IME-mangled ``code`` could have been, sorted."""
    if policy.ime == "none":
        return [code] if is_valid(code, policy) else []
    schemes = ["telex", "vni"] if policy.ime == "both" else [policy.ime]
    per_char = [_char_options(ch, schemes) for ch in code]
    combos = 1
    for opts in per_char:
        combos *= len(opts)
    if combos > 4096:  # garbage, not a mangled code
        return []
    found = {"".join(parts) for parts in itertools.product(*per_char)}
    return sorted(c for c in found if is_valid(c, policy))


def parse_scanned(raw: str, policy: CodePolicy = CodePolicy()) -> ScannedCode:
    """Normalise a scanned or typed code, repairing IME mangling when unambiguous."""
    code = normalise(raw)
    if not code:
        raise InvalidInput("code.empty")
    if is_valid(code, policy):
        return ScannedCode(code=code, original=raw, repaired=False)
    if not code.isascii():
        candidates = repair_candidates(code, policy)
        if len(candidates) == 1:
            return ScannedCode(code=candidates[0], original=raw, repaired=True)
        if len(candidates) > 1:
            raise InvalidInput("code.ambiguous", code=code, candidates=", ".join(candidates))
    raise InvalidInput("code.invalid", code=code, expected=policy.example())
