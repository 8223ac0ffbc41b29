"""The column orders of the plain tuples an extract is parsed into (pure, stdlib): the
parser yields them, the cache store inserts them, the staging tables are made of them."""

from __future__ import annotations

#: Column order of the customer tuples the parser yields (and the cache store inserts).
CUSTOMER_COLUMNS = (
    "code",
    "unit_code",
    "name",
    "address",
    "phone",
    "book",
    "book_pos",
    "disconnected",  # 1/0, or None when the file has no such column
    "card_code",
    "search_text",  # vntext.fold("code name address")
)
#: Column order of the bill tuples.
BILL_COLUMNS = (
    "customer_code",
    "bill_id",
    "ky",
    "thang",
    "nam",
    "kwh",
    "amount",
    "vat",
    "total",
    "series",
    "number",
    "reading_start",
    "reading_end",
    "tiers",  # JSON text [[kwh, price, amount], ...] or None
    "settled",  # 1 when the extract marks the bill as settled elsewhere, else 0
    "row",  # row number in the file
)
