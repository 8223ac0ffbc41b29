"""The payment receipt (biên nhận) and the standard demo payment it is previewed with."""

from __future__ import annotations

from datetime import datetime

from cashier.core.debt import TierLine
from cashier.core.documents.blocks import QR, Barcode, Cut, Document, Feed, Pair, Rule, Text
from cashier.core.documents.sections import (
    METHOD_VI,
    customer_blocks,
    einvoice_blocks,
    header,
    money,
    payment_line_blocks,
    receipt_qr_payload,
    timestamp,
)
from cashier.core.documents.settings import CompanyInfo
from cashier.core.ledger import (
    CustomerSnapshot,
    LineKind,
    Method,
    Payment,
    PaymentLine,
    PaymentStatus,
    format_verification,
)
from cashier.core.money import amount_in_words


def receipt(payment: Payment, company: CompanyInfo = CompanyInfo()) -> Document:
    """Biên nhận thanh toán tiền điện."""
    p = payment
    blocks = header(company, "BIÊN NHẬN THANH TOÁN", "TIỀN ĐIỆN")
    if p.print_count > 1:
        blocks.append(Text(f"BẢN SAO - In lần {p.print_count}", "center", bold=True, size="double"))
    if p.status is PaymentStatus.VOIDED:
        blocks.append(Text("ĐÃ HỦY - KHÔNG CÓ GIÁ TRỊ", "center", bold=True, size="double"))
    blocks += [
        Pair("Số biên nhận:", p.receipt_no, bold=True),
        Pair("Ngày giờ:", timestamp(p.created_at)),
        Rule(),
        *customer_blocks(p.customer.code, p.customer.name, p.customer.address, p.customer.book, p.customer.book_pos),
        Rule(),
    ]
    for line in p.lines:
        blocks += payment_line_blocks(line)
    blocks += [
        Rule(),
        Pair("TỔNG CỘNG:", money(p.total), bold=True, size="tall"),
        Text(f"Bằng chữ: {amount_in_words(p.total)}."),
    ]
    if p.is_split:  # cash + bank transfer: both parts, the reference, change out of the cash part
        blocks += [
            Pair("Hình thức:", "Tiền mặt + chuyển khoản"),
            Pair("Chuyển khoản:", money(p.transfer_part)),
            Pair("Tiền mặt:", money(p.cash_part)),
            Pair("Khách đưa (tiền mặt):", money(p.cash_tendered)),
            Pair("Tiền thừa:", money(p.change), bold=True),
        ]
    else:
        blocks.append(Pair("Hình thức:", METHOD_VI.get(p.method, str(p.method))))
    if p.method is Method.CASH and not p.is_split:
        blocks += [Pair("Khách đưa:", money(p.tendered)), Pair("Tiền thừa:", money(p.change), bold=True)]
    if p.bank_ref:
        blocks.append(Pair("Mã GD ngân hàng:", p.bank_ref))
    blocks += [
        Rule(),
        Text(f"Thu ngân: {p.cashier_name}" + (f" ({p.cashier_code})" if p.cashier_code else "")),
        Pair("Mã xác thực:", format_verification(p.verification), bold=True),
        Pair("Số nhật ký:", str(p.journal_seq)),
        QR(receipt_qr_payload(p.receipt_no, p.verification), size_mm=18),
        Barcode(p.customer.code),
    ]
    if any(line.kind is LineKind.BILL for line in p.lines):
        blocks += einvoice_blocks(company)
    if company.footer:
        blocks.append(Text(company.footer, "center"))
    blocks += [Feed(2), Cut()]
    return Document(
        "receipt", tuple(blocks), title=f"Biên nhận {p.receipt_no}",
        kick_drawer=p.method is Method.CASH and p.print_count == 1,
    )  # fmt: skip


def sample_payment(created_at: datetime, *, print_count: int = 1) -> Payment:
    """The standard demo receipt (two bills with tiers, cash): previews, benchmarks, tests."""
    tiers = (
        TierLine(50, 1984, 99_200), TierLine(50, 2050, 102_500), TierLine(100, 2380, 238_000),
        TierLine(37, 2998, 110_926),
    )  # fmt: skip
    lines = (
        PaymentLine(
            kind=LineKind.BILL, amount=595_966, bill_id="2310456789", ky=1, thang=10, nam=2026,
            kwh=237, bill_amount=551_821, vat=44_145, bill_total=595_966, reading_start=12_034,
            reading_end=12_271, tiers=tiers,
        ),
        PaymentLine(
            kind=LineKind.BILL, amount=638_601, bill_id="2311467890", ky=1, thang=11, nam=2026,
            kwh=251, bill_amount=591_297, vat=47_304, bill_total=638_601, reading_start=12_271,
            reading_end=12_522,
        ),
    )  # fmt: skip
    total = sum(ln.amount for ln in lines)
    return Payment(
        receipt_no="ST01-2611-000123", station="ST01", shift_id=7, cashier_id=2,
        cashier_username="thuy", cashier_name="Trần Thị Thủy", cashier_code="TN012",
        customer=CustomerSnapshot(
            code="PC12AA0012345", name="Nguyễn Văn Đạt",
            address="123 Lê Duẩn, P. Tân Lợi, TP Buôn Ma Thuột, Đắk Lắk",
            book="AA01-015", book_pos="42", phone="0905123456", unit_code="PC12AA",
        ),
        lines=lines, total=total, tendered=1_300_000, change=1_300_000 - total,
        method=Method.CASH, created_at=created_at, print_count=print_count,
        verification="K7Q2M9XH", journal_seq=123,
    )  # fmt: skip
