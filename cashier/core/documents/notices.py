"""The bill notice (thông báo tiền điện, not a receipt) with a VietQR for the amount due."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from cashier.core.debt import Bill, Customer
from cashier.core.documents.blocks import QR, Cut, Document, Feed, Pair, Rule, Text
from cashier.core.documents.sections import (
    bill_blocks,
    customer_blocks,
    einvoice_ref,
    header,
    money,
    timestamp,
)
from cashier.core.documents.settings import CompanyInfo
from cashier.core.money import amount_in_words
from cashier.core.vietqr import build as build_vietqr
from cashier.core.vietqr import clean_purpose


@dataclass(frozen=True, slots=True)
class NoticeInfo:
    cashier_name: str
    cashier_phone: str = ""
    printed_at: datetime | None = None


def notice_qr_payload(company: CompanyInfo, customer_code: str, amount: int) -> str | None:
    if not company.has_bank or amount <= 0:
        return None
    return build_vietqr(company.bank_bin, company.bank_account, amount, f"TIEN DIEN {customer_code}")


def bill_notice(
    customer: Customer, bills: Sequence[Bill], info: NoticeInfo, company: CompanyInfo = CompanyInfo()
) -> Document:
    """Thông báo tiền điện (not a receipt), with a VietQR for the amount due."""
    blocks = header(company, "THÔNG BÁO TIỀN ĐIỆN", "(Không có giá trị thanh toán)")
    if info.printed_at is not None:
        blocks.append(Pair("Ngày in:", timestamp(info.printed_at)))
    blocks += [Rule(), *customer_blocks(customer.code, customer.name, customer.address, customer.book, customer.book_pos), Rule()]
    total = 0
    for bill in bills:
        blocks += bill_blocks(
            bill.period, bill.bill_id, bill.kwh, bill.amount, bill.vat, bill.total,
            (bill.reading_start, bill.reading_end), bill.tiers,
            einvoice=einvoice_ref(bill.series, bill.number),
        )  # fmt: skip
        total += bill.total
    if not bills:
        blocks.append(Text("Không còn hóa đơn nợ.", "center"))
    blocks += [
        Rule(),
        Pair("SỐ TIỀN CẦN THANH TOÁN:", money(total), bold=True, size="tall"),
        Text(f"Bằng chữ: {amount_in_words(total)}."),
    ]
    payload = notice_qr_payload(company, customer.code, total)
    if payload:
        blocks += [
            Rule(),
            Text("Chuyển khoản bằng VietQR:", "center", bold=True),
            QR(payload, size_mm=30),
            Pair("Ngân hàng:", company.bank_name or company.bank_bin),
            Pair("Số tài khoản:", company.bank_account, bold=True),
            Text(f"Chủ TK: {company.bank_account_name}"),
            Pair("Nội dung:", clean_purpose(f"TIEN DIEN {customer.code}")),
        ]
    blocks += [
        Rule(),
        Text(f"Thu ngân: {info.cashier_name}"),
    ]
    if info.cashier_phone:
        blocks.append(Pair("Điện thoại:", info.cashier_phone))
    blocks += [Text("Không có giá trị thanh toán", "center", bold=True), Feed(2), Cut()]
    return Document("notice", tuple(blocks), title=f"Thông báo {customer.code}")
