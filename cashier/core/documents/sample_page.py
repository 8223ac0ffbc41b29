"""The printer test page: the same Vietnamese sample in every print mode."""

from __future__ import annotations

from datetime import datetime

from cashier.core.documents.blocks import QR, Barcode, Block, Cut, Document, Feed, Pair, Rule, Text
from cashier.core.documents.sections import money, receipt_qr_payload, timestamp
from cashier.core.documents.settings import CompanyInfo
from cashier.core.money import amount_in_words
from cashier.core.vntext import VIETNAMESE_LETTERS, VIETNAMESE_LOWER

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
        blocks.append(Text(timestamp(printed_at), "center"))
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
