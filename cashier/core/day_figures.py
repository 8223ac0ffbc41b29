"""The day's figures - ONE aggregation of a day's payments, shared by the dashboard
(``cashier.ui.dashboard.figures``) and the day report (``services.report_service``).

Cashiers are grouped by their username (two cashiers with the same full name stay apart) and
shown by their full name. A split payment (cash + bank transfer) counts each part under its own
method in ``amount_by_method`` and as one 'mixed' payment in ``by_method``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from cashier.core.ledger import Payment, PaymentStatus


@dataclass
class CashierDay:
    username: str
    name: str
    code: str
    payments: int = 0
    total: int = 0
    cash: int = 0
    transfer: int = 0

    @property
    def label(self) -> str:
        return self.name or self.username


@dataclass
class CountTotal:
    payments: int = 0
    total: int = 0


@dataclass
class DayFigures:
    total: int = 0
    receipts: int = 0
    bills: int = 0
    voided: int = 0
    voided_total: int = 0
    #: username -> the cashier's day (by username)
    by_cashier: dict[str, CashierDay] = field(default_factory=dict)
    #: hour (0-23) -> payments and total
    by_hour: dict[int, CountTotal] = field(default_factory=dict)
    #: 'cash' / 'transfer' / 'mixed' (a split payment) -> payments and total
    by_method: dict[str, CountTotal] = field(default_factory=dict)
    #: 'cash' / 'transfer' -> the money of that method (a split payment's parts apart)
    amount_by_method: dict[str, int] = field(default_factory=dict)

    def cashier_labels(self) -> dict[str, int]:
        """Full name -> total, smallest first (the username added where two names are the same)."""
        names = [c.label for c in self.by_cashier.values()]
        out = {
            (c.label if names.count(c.label) == 1 else f"{c.label} ({c.username})"): c.total
            for c in self.by_cashier.values()
        }
        return dict(sorted(out.items(), key=lambda kv: kv[1]))


def day_figures(payments: Iterable[Payment]) -> DayFigures:
    """The figures of ``payments`` (active ones counted, voided ones counted apart)."""
    f = DayFigures()
    for p in payments:
        if p.status == PaymentStatus.VOIDED:
            f.voided += 1
            f.voided_total += p.total
            continue
        f.total += p.total
        f.receipts += 1
        f.bills += len(p.bill_ids)
        transfer = p.transfer_part
        cash = p.total - transfer
        c = f.by_cashier.setdefault(
            p.cashier_username, CashierDay(p.cashier_username, p.cashier_name, p.cashier_code)
        )
        c.payments += 1
        c.total += p.total
        c.cash += cash
        c.transfer += transfer
        hour = f.by_hour.setdefault(p.created_at.hour, CountTotal())
        hour.payments += 1
        hour.total += p.total
        method = f.by_method.setdefault("mixed" if p.transfer_amount else p.method.value, CountTotal())
        method.payments += 1
        method.total += p.total
        if transfer:
            f.amount_by_method["transfer"] = f.amount_by_method.get("transfer", 0) + transfer
        if cash:
            f.amount_by_method["cash"] = f.amount_by_method.get("cash", 0) + cash
    return f


def report_sections(f: DayFigures) -> dict[str, list[tuple[object, ...]]]:
    """The day report's ``by_cashier`` (code, username, full name, payments, total, cash,
    transfer), ``by_method`` (method, payments, total) and ``by_hour`` (hour, payments, total),
    each sorted by its key."""
    return {
        "by_cashier": [
            (c.code, c.username, c.name, c.payments, c.total, c.cash, c.transfer)
            for _, c in sorted(f.by_cashier.items())
        ],
        "by_method": [(m, x.payments, x.total) for m, x in sorted(f.by_method.items())],
        "by_hour": [(h, x.payments, x.total) for h, x in sorted(f.by_hour.items())],
    }
