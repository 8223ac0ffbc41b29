"""The customer card printed on the thermal printer (cut out and laminated)."""

from __future__ import annotations

from cashier.core.debt import Customer
from cashier.core.documents.blocks import Barcode, Block, Cut, Document, Feed, Rule, Text
from cashier.core.documents.settings import CompanyInfo


def card_slip(customer: Customer, company: CompanyInfo = CompanyInfo()) -> Document:
    """A customer card printed on the thermal printer (cut out and laminate)."""
    blocks: list[Block] = [
        Rule("="),
        Text(company.company, "center", bold=True),
        Text("THẺ KHÁCH HÀNG", "center", bold=True, size="tall"),
        Text(customer.name, "center", bold=True),
        Text(customer.address, "center"),
        Barcode(customer.code, height=80),
        Text("Xuất trình thẻ khi nộp tiền điện", "center"),
        Rule("="),
        Feed(2),
        Cut(),
    ]
    return Document("card", tuple(blocks), title=f"Thẻ {customer.code}")
