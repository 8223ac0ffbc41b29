"""Port of the queries behind the end-of-day reports: plain rows for one day, read in one
snapshot. Money is integer đồng."""

from __future__ import annotations

from typing import Any, Protocol


class ReportStore(Protocol):
    def day(self, date: str, *, station: str | None = None) -> dict[str, list[tuple[Any, ...]]]:
        """The rows of day ``date`` ('YYYY-MM-DD', Vietnam time) besides the payments' own
        figures (those come from ``PaymentStore.payments`` through ``cashier.core.day_figures``,
        the one aggregation the dashboard shares):

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
