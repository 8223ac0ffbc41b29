"""Cash: VND denominations, cash counts by denomination, change and how to give it in notes."""

from __future__ import annotations

import re
from collections.abc import Mapping

from cashier.core.errors import Conflict, InvalidInput
from cashier.core.money import format_number, parse_amount

#: VND notes in circulation (polymer and cotton), largest first.
DENOMINATIONS: tuple[int, ...] = (
    500_000, 200_000, 100_000, 50_000, 20_000, 10_000, 5_000, 2_000, 1_000, 500,
)

_COUNT_ITEM = re.compile(r"^\s*([\d.]+)\s*[x×*]\s*(\d+)\s*$", re.IGNORECASE)


def parse_denominations(text: str) -> dict[int, int]:
    """'500000x3,200000x1' -> {500000: 3, 200000: 1}. Repeated notes add up."""
    counts: dict[int, int] = {}
    if not text or not text.strip():
        return counts
    for part in re.split(r"[,;]", text):
        if not part.strip():
            continue
        m = _COUNT_ITEM.match(part)
        if not m:
            raise InvalidInput("ledger.count_syntax", value=part.strip())
        denom = parse_amount(m.group(1))
        if denom not in DENOMINATIONS:
            raise InvalidInput("ledger.denomination", value=m.group(1))
        n = int(m.group(2))
        if n > 100_000:
            raise InvalidInput("ledger.count_syntax", value=part.strip())
        counts[denom] = counts.get(denom, 0) + n
    return counts


def validate_counts(counts: Mapping[int, int]) -> dict[int, int]:
    out: dict[int, int] = {}
    for denom, n in counts.items():
        if int(denom) not in DENOMINATIONS:
            raise InvalidInput("ledger.denomination", value=str(denom))
        if int(n) < 0 or int(n) > 100_000:
            raise InvalidInput("ledger.count_syntax", value=f"{denom}x{n}")
        if n:
            out[int(denom)] = out.get(int(denom), 0) + int(n)
    return dict(sorted(out.items(), reverse=True))


def count_total(counts: Mapping[int, int]) -> int:
    return sum(int(d) * int(n) for d, n in counts.items())


def format_counts(counts: Mapping[int, int]) -> str:
    return ",".join(f"{d}x{n}" for d, n in sorted(counts.items(), reverse=True) if n)


def compute_change(total: int, tendered: int) -> int:
    """Change to give back; refuses tendered < total."""
    if tendered < total:
        raise Conflict(
            "ledger.tendered_short", tendered=format_number(tendered), total=format_number(total)
        )
    return tendered - total


def change_notes(change: int) -> tuple[list[tuple[int, int]], int]:
    """Greedy breakdown of ``change`` into notes; returns (notes, remainder below 500 đ)."""
    notes = []
    rest = change
    for denom in DENOMINATIONS:
        n, rest = divmod(rest, denom)
        if n:
            notes.append((denom, n))
    return notes, rest
