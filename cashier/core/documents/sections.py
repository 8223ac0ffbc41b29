"""Pieces several documents share: the header, the customer, a bill's lines, the e-invoice
lookup, amounts and dates as printed, the receipt QR's payload."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from cashier.core.clock import to_vn
from cashier.core.documents.blocks import QR, Block, Pair, Rule, Text
from cashier.core.documents.settings import CompanyInfo
from cashier.core.ledger import LineKind, Method, PaymentLine
from cashier.core.money import format_number

METHOD_VI = {Method.CASH: "Tiền mặt", Method.TRANSFER: "Chuyển khoản"}


def money(amount: int) -> str:
    return f"{format_number(amount)} đ"


def timestamp(value: datetime) -> str:
    return to_vn(value).strftime("%d/%m/%Y %H:%M:%S")


def receipt_qr_payload(receipt_no: str, verification: str) -> str:
    """What the receipt's QR carries: receipt number and verification code."""
    return f"BN:{receipt_no};MX:{verification}"


def parse_receipt_qr(text: str) -> tuple[str, str] | None:
    parts = dict(p.split(":", 1) for p in text.strip().split(";") if ":" in p)
    if "BN" in parts and "MX" in parts:
        return parts["BN"], parts["MX"]
    return None


def header(company: CompanyInfo, title: str, subtitle: str = "") -> list[Block]:
    blocks: list[Block] = [Text(company.company, "center", bold=True)]
    if company.unit:
        blocks.append(Text(company.unit, "center"))
    if company.collection_point:
        blocks.append(Text(company.collection_point, "center"))
    if company.hotline:
        blocks.append(Text(f"Tổng đài CSKH: {company.hotline}", "center"))
    blocks += [Rule("="), Text(title, "center", bold=True, size="tall")]
    if subtitle:
        blocks.append(Text(subtitle, "center", bold=True))
    return blocks


def customer_blocks(code: str, name: str, address: str, book: str, book_pos: str = "") -> list[Block]:
    blocks: list[Block] = [
        Pair("Mã KH:", code, bold=True),
        Text(f"Tên KH: {name}", bold=True),
    ]
    if address:
        blocks.append(Text(f"Địa chỉ: {address}"))
    if book:
        blocks.append(Pair("Sổ GCS:", f"{book} / STT {book_pos}" if book_pos else book))
    return blocks


def einvoice_ref(series: str, number: str) -> str:
    """The e-invoice a bill points to ("1K26TAA 0001234"); "" when the extract gave neither."""
    return " ".join(part for part in ((series or "").strip(), (number or "").strip()) if part)


def einvoice_display(url: str) -> str:
    """The lookup address as printed: without "https://" (what people type; fits 32 columns)."""
    for scheme in ("https://", "http://"):
        if url.lower().startswith(scheme):
            return url[len(scheme):]
    return url


def einvoice_blocks(company: CompanyInfo) -> list[Block]:
    """Where the customer looks up the VAT e-invoice (issued at billing, NĐ 123/2020): the
    receipt is proof of payment only, so it never claims to be the invoice."""
    url = company.einvoice_url.strip()
    if not url:
        return []
    return [
        Rule(),
        Text("Tra cứu hóa đơn điện tử tại:", "center", bold=True),
        Text(einvoice_display(url), "center"),
        QR(url, size_mm=18),
    ]


def bill_blocks(
    period: str, bill_id: str, kwh: int, amount: int, vat: int, total: int,
    reading: tuple[int | None, int | None], tiers: Sequence, paid: int | None = None,
    einvoice: str = "",
) -> list[Block]:  # fmt: skip
    blocks: list[Block] = [Pair(period, f"HĐ {bill_id}", bold=True)]
    if einvoice:
        blocks.append(Pair(" HĐ điện tử:", einvoice))
    start, end = reading
    if start is not None and end is not None:
        blocks.append(Pair(" Chỉ số:", f"{format_number(start)} - {format_number(end)}"))
    blocks.append(Pair(" Điện năng:", f"{format_number(kwh)} kWh"))
    for i, tier in enumerate(tiers, 1):
        blocks.append(
            Pair(f"  Bậc {i}: {format_number(tier.kwh)}x{format_number(tier.price)}", format_number(tier.amount))
        )
    blocks += [
        Pair(" Tiền điện:", money(amount), fill="."),
        Pair(" Thuế GTGT:", money(vat), fill="."),
        Pair(" Cộng:", money(total), fill="."),
    ]
    if paid is not None and paid != total:
        blocks.append(Pair(" Thu lần này (một phần):", money(paid), bold=True))
    return blocks


def payment_line_blocks(line: PaymentLine) -> list[Block]:
    if line.kind is LineKind.RECONNECTION_FEE:
        return [Pair("Phí đóng điện lại:", money(line.amount), bold=True, fill=".")]
    return bill_blocks(
        line.period, line.bill_id, line.kwh, line.bill_amount, line.vat, line.bill_total,
        (line.reading_start, line.reading_end), line.tiers,
        paid=line.amount, einvoice=einvoice_ref(line.series, line.number),
    )  # fmt: skip
