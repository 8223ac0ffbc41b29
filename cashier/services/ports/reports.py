"""Port of the queries behind the end-of-day reports: plain rows for one day, read in one
snapshot. Money is integer đồng."""

from __future__ import annotations

from typing import Any, Protocol


class ReportStore(Protocol):
    def day(self, date: str, *, station: str | None = None) -> dict[str, list[tuple[Any, ...]]]:
        """The rows of day ``date`` ('YYYY-MM-DD', Vietnam time), active payments only:

        * ``by_cashier``: (cashier code, username, full name, payments, total, cash, transfer),
          grouped by the cashier's username (``cashier.core.day_figures``)
        * ``by_method``: (method - 'mixed' for a split payment -, payments, total)
        * ``by_hour``: (hour 0-23, payments, total)
        * ``shifts`` opened or closed that day: (id, username, full name, opened_at,
          closed_at, z_number, opening_float, cash, transfer, payments, expected, counted,
          variance)
        * ``voids`` made that day: (receipt_no, customer_code, total, created_at, reason,
          username)
        * ``debt_by_book`` (now): (book, customers, unpaid bills, amount)
        * ``reconnections`` open or made that day: (id, customer code, name, address, phone,
          book, receipt_no, fee, created_at, status)
        """
        ...

    def unpaid_customers(self) -> list[tuple[Any, ...]]:
        """(code, name, address, phone, book, unpaid bills, amount due) of customers in debt."""
        ...
