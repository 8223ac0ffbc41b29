"""Customer cards: a CODE128 card (ID-1 size, 85.6 x 54 mm at 300 dpi) with name and code, and
A4 sheets of cards as PNG or PDF for a card or office printer.

The bar pattern comes from python-barcode (``Code128(...).build()``, which also picks the
densest code set); we draw it ourselves so the human-readable text uses the bundled Vietnamese
font and the bars land on whole pixels (scanners dislike resampled bars).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from barcode import Code128
from PIL import Image, ImageDraw

from cashier.core.debt import Customer
from cashier.core.errors import InvalidInput
from cashier.core.layout import wrap
from cashier.devices import raster

DPI = 300
CARD_MM = (85.6, 54.0)
A4_MM = (210.0, 297.0)


def mm(value: float, dpi: int = DPI) -> int:
    return int(round(value / 25.4 * dpi))


def card_image(customer: Customer, company: str = "", dpi: int = DPI) -> Image.Image:
    """One card, white background, black ink (mode "L")."""
    w, h = mm(CARD_MM[0], dpi), mm(CARD_MM[1], dpi)
    img = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(img)
    pad = mm(3, dpi)
    scale = dpi / 300
    y = pad
    if company:
        fnt = raster.font(int(30 * scale), bold=True)
        draw.text(((w - fnt.getlength(company)) / 2, y), company, font=fnt, fill=0)
        y += int(42 * scale)
    title = "THẺ KHÁCH HÀNG DÙNG ĐIỆN"
    fnt = raster.font(int(34 * scale), bold=True)
    draw.text(((w - fnt.getlength(title)) / 2, y), title, font=fnt, fill=0)
    y += int(52 * scale)
    fnt = raster.font(int(40 * scale), bold=True)
    name = customer.name
    while fnt.getlength(name) > w - 2 * pad and len(name) > 4:
        name = name[:-2] + "…"
    draw.text((pad, y), name, font=fnt, fill=0)
    y += int(54 * scale)
    fnt = raster.font(int(26 * scale))
    for line in wrap(customer.address, 48)[:2]:
        draw.text((pad, y), line, font=fnt, fill=0)
        y += int(34 * scale)
    # barcode: 3 px modules at 300 dpi (0.25 mm), quiet zones of 10 modules
    bars = Code128(customer.code).build()[0]
    module = max(1, int(3 * scale))
    while (len(bars) + 20) * module > w - 2 * pad and module > 1:
        module -= 1
    bar_h = int(h - y - int(60 * scale) - pad)
    x = (w - len(bars) * module) // 2
    top = y + int(8 * scale)
    for bit in bars:
        if bit == "1":
            draw.rectangle((x, top, x + module - 1, top + bar_h - 1), fill=0)
        x += module
    fnt = raster.font(int(34 * scale), bold=True)
    code = customer.code
    draw.text(((w - fnt.getlength(code)) / 2, top + bar_h + int(4 * scale)), code, font=fnt, fill=0)
    draw.rectangle((0, 0, w - 1, h - 1), outline=160, width=max(1, int(2 * scale)))
    return img


def sheet_pages(customers: Sequence[Customer], company: str = "", dpi: int = DPI) -> list[Image.Image]:
    """A4 pages, 2 x 5 cards each, with a light outline to cut along."""
    if not customers:
        raise InvalidInput("cards.empty")
    pw, ph = mm(A4_MM[0], dpi), mm(A4_MM[1], dpi)
    cw, ch = mm(CARD_MM[0], dpi), mm(CARD_MM[1], dpi)
    cols, rows = 2, 5
    gap = mm(4, dpi)
    left = (pw - cols * cw - (cols - 1) * gap) // 2
    top = (ph - rows * ch - (rows - 1) * gap) // 2
    pages: list[Image.Image] = []
    for start in range(0, len(customers), cols * rows):
        page = Image.new("L", (pw, ph), 255)
        for i, cust in enumerate(customers[start : start + cols * rows]):
            r, c = divmod(i, cols)
            page.paste(card_image(cust, company, dpi), (left + c * (cw + gap), top + r * (ch + gap)))
        pages.append(page)
    return pages


def save_cards(customers: Sequence[Customer], out: str | Path, company: str = "", *, sheet: bool | None = None) -> Path:
    """``.png``: one card (or an A4 sheet with ``sheet=True`` / several customers);
    ``.pdf``: A4 sheets (several pages when needed)."""
    path = Path(out)
    suffix = path.suffix.lower()
    if suffix not in (".png", ".pdf"):
        raise InvalidInput("cards.format", name=path.name)
    if not customers:
        raise InvalidInput("cards.empty")
    if suffix == ".png" and not sheet and len(customers) == 1:
        card_image(customers[0], company).save(path, dpi=(DPI, DPI))
        return path
    pages = sheet_pages(customers, company)
    if suffix == ".pdf":
        pages[0].save(path, "PDF", resolution=DPI, save_all=True, append_images=pages[1:])
    else:
        pages[0].save(path, dpi=(DPI, DPI))
        for n, page in enumerate(pages[1:], 2):
            page.save(path.with_name(f"{path.stem}-{n}{path.suffix}"), dpi=(DPI, DPI))
    return path
