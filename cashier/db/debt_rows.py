"""Rows of the debt cache and the ledger read back as domain objects, the same on both backends
(SQLite and PostgreSQL store the same columns): a bill's tier table as JSON text, and a bill row
in the column order both cache stores select."""

from __future__ import annotations

import json
from collections.abc import Sequence

from cashier.core.debt import Bill, BillStatus, TierLine


def tiers(text: str | None) -> tuple[TierLine, ...]:
    """The tier table stored as ``[[kwh, price, amount], ...]`` (none when empty or damaged)."""
    if not text:
        return ()
    try:
        return tuple(TierLine(int(a), int(b), int(c)) for a, b, c in json.loads(text))
    except (ValueError, TypeError):
        return ()


def tiers_text(tier_lines: Sequence[TierLine]) -> str | None:
    return json.dumps([[t.kwh, t.price, t.amount] for t in tier_lines]) if tier_lines else None


def bill(r: Sequence) -> Bill:
    """A bill row: id, customer_code, bill_id, ky, thang, nam, kwh, amount, vat, total, status,
    series, number, reading_start, reading_end, tiers, double_collection, receipt."""
    return Bill(
        customer_code=r[1], bill_id=r[2], ky=r[3], thang=r[4], nam=r[5], kwh=r[6], amount=r[7],
        vat=r[8], total=r[9], status=BillStatus(r[10]), series=r[11], number=r[12],
        reading_start=r[13], reading_end=r[14], tiers=tiers(r[15]), double_collection=bool(r[16]),
        receipt=r[17], id=r[0],
    )  # fmt: skip
