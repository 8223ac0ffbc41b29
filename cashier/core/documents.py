"""What the station prints, independent of any printer: receipts, bill notices, shift reports,
reconnection orders, the printer test page and customer cards.

A :class:`Document` is a list of blocks (text, "label .... value" pairs, rules, CODE128, QR,
feeds, a cut). :mod:`cashier.core.layout` lays it out for 58 mm (32 columns / 384 dots) or
80 mm (48 columns / 576 dots); :mod:`cashier.devices` renders it to ESC/POS bytes in the mode the
printer needs (code-page text, raster, ASCII).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from cashier.core.basket import BasketInfo
from cashier.core.clock import to_vn
from cashier.core.debt import Bill, Customer
from cashier.core.ledger import (
    LineKind,
    Method,
    Payment,
    PaymentLine,
    PaymentStatus,
    ReconnectionOrder,
    ShiftReport,
    format_verification,
)
from cashier.core.money import amount_in_words, format_number
from cashier.core.vietqr import build as build_vietqr
from cashier.core.vietqr import clean_purpose
from cashier.core.vntext import VIETNAMESE_LETTERS, VIETNAMESE_LOWER

Align = Literal["left", "center", "right"]
Size = Literal["normal", "tall", "double"]


# --- blocks ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Text:
    text: str
    align: Align = "left"
    bold: bool = False
    size: Size = "normal"


@dataclass(frozen=True, slots=True)
class Pair:
    """'label ........ value' on one line (value right-aligned); wraps to two lines if long."""

    label: str
    value: str
    bold: bool = False
    size: Size = "normal"
    fill: str = " "


@dataclass(frozen=True, slots=True)
class Rule:
    char: str = "-"


@dataclass(frozen=True, slots=True)
class Barcode:
    """CODE128 (code set B), human-readable text below."""

    data: str
    height: int = 64  # dots
    hri: bool = True


@dataclass(frozen=True, slots=True)
class QR:
    data: str
    size_mm: int = 25  # printed size; renderers pick the module size from it
    ecc: str = "M"
    caption: str = ""


@dataclass(frozen=True, slots=True)
class Image:
    """A 1-bit bitmap, rows packed MSB first, ``width`` dots (for logos)."""

    name: str
    width: int
    height: int
    data: bytes


@dataclass(frozen=True, slots=True)
class Feed:
    lines: int = 1


@dataclass(frozen=True, slots=True)
class Cut:
    partial: bool = True


Block = Text | Pair | Rule | Barcode | QR | Image | Feed | Cut


@dataclass(frozen=True, slots=True)
class Document:
    kind: str  # receipt | notice | shift_report | reconnection | test | card
    blocks: tuple[Block, ...]
    title: str = ""
    #: cash payments open the drawer after printing
    kick_drawer: bool = False

    def texts(self) -> list[str]:
        """Every text the document prints (for tests and previews)."""
        out = []
        for b in self.blocks:
            if isinstance(b, Text):
                out.append(b.text)
            elif isinstance(b, Pair):
                out.extend([b.label, b.value])
        return out


# --- settings-level data -------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CompanyInfo:
    """Header of every document and the bank account of bill notices (Setting ``company``).

    The default values are an EXAMPLE: configure the real power company, collection point and
    bank account before use. The example account makes notices show a VietQR out of the box.
    """

    company: str = "CÔNG TY ĐIỆN LỰC ĐẮK LẮK"
    unit: str = "Điện lực TP Buôn Ma Thuột"
    collection_point: str = "Điểm thu số 01 - 46 Phan Bội Châu"
    hotline: str = "1900 1909"
    tax_code: str = ""
    bank_bin: str = "970436"  # Vietcombank (example)
    bank_name: str = "Vietcombank"
    bank_account: str = "0071000123456"  # example account
    bank_account_name: str = "CONG TY DIEN LUC DAK LAK"
    footer: str = "Cảm ơn quý khách! Xin giữ biên nhận để đối chiếu."
    #: the power company's e-invoice lookup site, printed with a QR on receipts ("" = not printed)
    einvoice_url: str = ""

    @property
    def has_bank(self) -> bool:
        return bool(self.bank_bin and self.bank_account)


METHOD_VI = {Method.CASH: "Tiền mặt", Method.TRANSFER: "Chuyển khoản"}


def money(amount: int) -> str:
    return f"{format_number(amount)} đ"


def _dt(value: datetime) -> str:
    return to_vn(value).strftime("%d/%m/%Y %H:%M:%S")


def receipt_qr_payload(receipt_no: str, verification: str) -> str:
    """What the receipt's QR carries: receipt number and verification code."""
    return f"BN:{receipt_no};MX:{verification}"


def parse_receipt_qr(text: str) -> tuple[str, str] | None:
    parts = dict(p.split(":", 1) for p in text.strip().split(";") if ":" in p)
    if "BN" in parts and "MX" in parts:
        return parts["BN"], parts["MX"]
    return None


def _header(company: CompanyInfo, title: str, subtitle: str = "") -> list[Block]:
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


def _customer(code: str, name: str, address: str, book: str, book_pos: str = "") -> list[Block]:
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


def _einvoice_blocks(company: CompanyInfo) -> list[Block]:
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


def _bill_blocks(
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


def _payment_line_blocks(line: PaymentLine) -> list[Block]:
    if line.kind is LineKind.RECONNECTION_FEE:
        return [Pair("Phí đóng điện lại:", money(line.amount), bold=True, fill=".")]
    return _bill_blocks(
        line.period, line.bill_id, line.kwh, line.bill_amount, line.vat, line.bill_total,
        (line.reading_start, line.reading_end), line.tiers,
        paid=line.amount, einvoice=einvoice_ref(line.series, line.number),
    )  # fmt: skip


# --- documents -----------------------------------------------------------------------------
def receipt(payment: Payment, company: CompanyInfo = CompanyInfo(), *, basket: BasketInfo | None = None) -> Document:
    """Biên nhận thanh toán tiền điện (``basket``: one receipt of a basket, see core/basket.py)."""
    p = payment
    blocks = _header(company, "BIÊN NHẬN THANH TOÁN", "TIỀN ĐIỆN")
    if p.print_count > 1:
        blocks.append(Text(f"BẢN SAO - In lần {p.print_count}", "center", bold=True, size="double"))
    if p.status is PaymentStatus.VOIDED:
        blocks.append(Text("ĐÃ HỦY - KHÔNG CÓ GIÁ TRỊ", "center", bold=True, size="double"))
    blocks += [
        Pair("Số biên nhận:", p.receipt_no, bold=True),
        Pair("Ngày giờ:", _dt(p.created_at)),
        *([Text(basket.label(p.receipt_no), "center", bold=True)] if basket else []),
        Rule(),
        *_customer(p.customer.code, p.customer.name, p.customer.address, p.customer.book, p.customer.book_pos),
        Rule(),
    ]
    for line in p.lines:
        blocks += _payment_line_blocks(line)
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
    if basket is not None:  # one tender for the basket: its total, tender and change on each receipt
        blocks += basket_blocks(basket)
    elif p.method is Method.CASH and not p.is_split:
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
        blocks += _einvoice_blocks(company)
    if company.footer:
        blocks.append(Text(company.footer, "center"))
    blocks += [Feed(2), Cut()]
    return Document(
        "receipt", tuple(blocks), title=f"Biên nhận {p.receipt_no}",
        kick_drawer=p.method is Method.CASH and p.print_count == 1
        and (basket is None or basket.position(p.receipt_no) == 1),  # a basket opens the drawer once
    )  # fmt: skip


def basket_blocks(basket: BasketInfo) -> list[Block]:
    """The basket's one tender on each of its receipts (the payer may keep any of them)."""
    return [
        Pair(f"Tổng thu gộp ({basket.size} khách):", money(basket.total), bold=True),
        Pair("Khách đưa:", money(basket.tendered)),
        Pair("Tiền thừa:", money(basket.change), bold=True),
    ]


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
    blocks = _header(company, "THÔNG BÁO TIỀN ĐIỆN", "(Không có giá trị thanh toán)")
    if info.printed_at is not None:
        blocks.append(Pair("Ngày in:", _dt(info.printed_at)))
    blocks += [Rule(), *_customer(customer.code, customer.name, customer.address, customer.book, customer.book_pos), Rule()]
    total = 0
    for bill in bills:
        blocks += _bill_blocks(
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


def shift_report(report: ShiftReport, company: CompanyInfo = CompanyInfo()) -> Document:
    """Báo cáo ca thu X (giữa ca) / Z (đóng ca)."""
    r, t, s = report, report.totals, report.shift
    title = f"BÁO CÁO CA - {r.kind}" + (f" SỐ {r.z_number}" if r.z_number is not None else "")
    blocks = _header(company, title)
    blocks += [
        Pair("Quầy:", r.station),
        Pair("Ca số:", str(s.id)),
        Text(f"Thu ngân: {r.cashier_name} ({s.username})"),
        Pair("Mở ca:", _dt(s.opened_at)),
    ]
    if s.closed_at is not None:
        blocks.append(Pair("Đóng ca:", _dt(s.closed_at)))
    blocks += [
        Pair("In lúc:", _dt(r.generated_at)),
        Rule(),
        Pair("Số biên nhận:", format_number(t.payments)),
        Pair("Số hóa đơn:", format_number(t.bills)),
        Pair("Tiền mặt:", money(t.cash_total), fill="."),
        Pair("Chuyển khoản:", money(t.transfer_total), fill="."),
        Pair("Phí đóng điện:", money(t.reconnection_fees), fill="."),
        Pair("Hủy:", f"{t.voids} / {money(t.voided_total)}"),
        Pair("Hoàn tiền mặt:", money(t.refunds_cash), fill="."),
        Pair("In lại:", format_number(t.reprints)),
        Rule(),
        Pair("Tiền đầu ca:", money(s.opening_float), fill="."),
        Pair("Tiền mặt phải có:", money(r.expected_cash), bold=True),
    ]
    if r.counts:
        blocks.append(Text("Kiểm đếm:", bold=True))
        for denom, n in sorted(r.counts.items(), reverse=True):
            blocks.append(Pair(f"  {format_number(denom)} x {n}", format_number(denom * n)))
    if r.counted is not None:
        blocks.append(Pair("Thực đếm:", money(r.counted), bold=True))
    if r.variance is not None:
        sign = "+" if r.variance > 0 else ("-" if r.variance < 0 else "")
        blocks.append(Pair("Chênh lệch:", f"{sign}{money(abs(r.variance))}", bold=True))
    blocks += [
        Rule(),
        Pair("Thu ngân ký", "Quản lý ký"),
        Feed(3),
        Cut(),
    ]
    return Document("shift_report", tuple(blocks), title=title)


def reconnection_order(order: ReconnectionOrder, company: CompanyInfo = CompanyInfo()) -> Document:
    """Lệnh đóng điện for the field crew."""
    o = order
    blocks = _header(company, "LỆNH ĐÓNG ĐIỆN", f"Số: {o.id}")
    blocks += [
        Pair("Ngày giờ:", _dt(o.created_at)),
        Rule(),
        *_customer(o.customer.code, o.customer.name, o.customer.address, o.customer.book, o.customer.book_pos),
    ]
    if o.customer.phone:
        blocks.append(Pair("Điện thoại KH:", o.customer.phone))
    blocks += [
        Rule(),
        Text("Khách hàng đã thanh toán tiền điện nợ và phí đóng điện lại."),
        Pair("Phí đóng điện:", money(o.fee), bold=True),
        Pair("Theo biên nhận:", o.receipt_no),
        Text(f"Người lập: {o.cashier_name}" + (f" ({o.cashier_code})" if o.cashier_code else "")),
        Barcode(o.customer.code),
        Text("Đề nghị tổ thao tác đóng điện trong ngày.", "center"),
        Pair("Giờ đóng điện:", "..........."),
        Pair("Người thực hiện:", "..........."),
        Feed(2),
        Cut(),
    ]
    return Document("reconnection", tuple(blocks), title=f"Lệnh đóng điện {o.id}")


#: A sentence with most of the alphabet's marks (read aloud by the installer).
SAMPLE_SENTENCE = "Thu ngân ghi: Ông Đặng Quốc Huy ở Đắk Lắk đã nộp đủ tiền điện kỳ này."


def sample_row_length(width_mm: int) -> int:
    """Letters per alphabet row: 3/4 of the columns, so a raster font line never has to shrink."""
    return 24 if width_mm == 58 else 36


def sample_lines(per_line: int) -> list[str]:
    """Every Vietnamese letter (lower and upper case) in rows of ``per_line`` cells."""
    lower = VIETNAMESE_LOWER
    upper = VIETNAMESE_LOWER.upper()
    rows = []
    for alphabet in (lower, upper):
        for i in range(0, len(alphabet), per_line):
            rows.append(alphabet[i : i + per_line])
    return rows


def printer_test_page(
    mode_label: str, company: CompanyInfo = CompanyInfo(), *, width_mm: int = 80,
    printed_at: datetime | None = None, amount: int = 1_234_567, code: str = "PC12AA0012345",
) -> Document:  # fmt: skip
    """The same Vietnamese sample in every mode, so an installer can see which one reads right."""
    blocks: list[Block] = [
        Text("TRANG IN THỬ", "center", bold=True, size="double"),
        Text(f"Chế độ in: {mode_label}", "center", bold=True),
        Text(company.company, "center"),
    ]
    if printed_at is not None:
        blocks.append(Text(_dt(printed_at), "center"))
    blocks += [Rule(), Text(f"Bảng chữ cái ({len(VIETNAMESE_LETTERS)} chữ):", bold=True)]
    blocks += [Text(row) for row in sample_lines(sample_row_length(width_mm))]
    blocks += [
        Rule(),
        Text(SAMPLE_SENTENCE),
        Text("TIỀN ĐIỆN ĐÃ THU ĐỦ", bold=True),
        Pair("Số tiền:", money(amount), bold=True),
        Text(f"{amount_in_words(amount)}."),
        Pair("Mã KH:", code),
        Barcode(code),
        QR(receipt_qr_payload("TEST-0001", "ABCDEFGH"), size_mm=20),
        Text("Nếu mọi chữ trên đọc đúng, hãy chọn chế độ này.", "center"),
        Feed(2),
        Cut(),
    ]
    return Document("test", tuple(blocks), title=f"Test page ({mode_label})")


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


@dataclass(frozen=True, slots=True)
class PrinterSettings:
    """Printer configuration (Setting ``printer``); see cashier.devices for the modes."""

    url: str = ""  # "" = preview printer in the data directory
    mode: str = "raster"  # text-tcvn3 | text-cp1258 | raster | ascii
    width_mm: int = 80
    cp1258_page: int = 52  # ESC t number of WPC1258 on this printer (52, 94, 27, 35 seen)
    composes: bool = False  # printer overlays combining tone marks on the previous letter
    profile: str = "default"  # python-escpos capabilities profile name (features, code pages)
    native_barcode: bool | None = None  # None: from the profile
    native_qr: bool | None = None
    hybrid: bool = True  # raster mode: lines without diacritics go as text
    raster_margin: bool = True  # raster: skip blank left columns with GS L (off if the printer ignores GS L)
    raster_bands: bool = True  # raster: several small images per line, each cropped to its ink
    cut: bool = True
    drawer: bool = True  # kick the drawer on cash payments
    timeout: float = 5.0  # seconds
    check_paper: bool = True  # two-way links: DLE EOT paper check before/after each document
    extra: dict = field(default_factory=dict)


def sample_payment(created_at: datetime, *, print_count: int = 1) -> Payment:
    """The standard demo receipt (two bills with tiers, cash): previews, benchmarks, tests."""
    from cashier.core.debt import TierLine
    from cashier.core.ledger import CustomerSnapshot

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
