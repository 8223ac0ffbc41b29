"""Customer cards: CODE128 card image, A4 sheets (PNG/PDF), the card slip on the thermal printer."""

from __future__ import annotations

import pytest
from PIL import Image

from cashier.core import documents as d
from cashier.core.debt import Customer
from cashier.core.errors import InvalidInput
from cashier.devices.cards import card_image, mm, save_cards, sheet_pages
from cashier.devices.code_images import code128_modules
from cashier.devices.escpos_decoder import decode
from cashier.devices.render import RenderOptions, render

CUST = Customer(code="PC12AA0012345", name="Nguyễn Thị Ánh Tuyết", address="123 Lê Duẩn, P. Tân Lợi, Buôn Ma Thuột")


def _bars_row(img: Image.Image) -> tuple[str, int]:
    """Read the barcode back: the longest row run of black/white along the bar area."""
    w, h = img.size
    px = img.load()
    # scan up from the code text to find a row crossing the bars (first row with many transitions)
    for y in range(h - 1, 0, -1):
        row = [px[x, y] < 128 for x in range(w)]
        transitions = sum(1 for a, b in zip(row, row[1:], strict=False) if a != b)
        if transitions > 60:
            x0 = row.index(True)
            x1 = w - row[::-1].index(True)
            return "".join("1" if v else "0" for v in row[x0:x1]), y
    raise AssertionError("no barcode found")


def test_card_image_size_and_barcode() -> None:
    img = card_image(CUST, "CÔNG TY ĐIỆN LỰC ĐẮK LẮK")
    assert img.size == (mm(85.6), mm(54.0)) == (1011, 638)
    runs, _ = _bars_row(img)
    modules = code128_modules(CUST.code)
    matched = [m for m in (1, 2, 3) if runs == "".join(ch * m for ch in modules.rstrip("0"))]
    assert matched, "bars do not match python-barcode's CODE128 pattern"


def test_a4_sheet_png_and_multipage_pdf(tmp_path) -> None:
    custs = [Customer(code=f"PC12AA00{n:05d}", name=f"Khách hàng số {n}", address="Đắk Lắk") for n in range(12)]
    pages = sheet_pages(custs)
    assert len(pages) == 2 and pages[0].size == (mm(210), mm(297))
    pdf = save_cards(custs, tmp_path / "cards.pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") + data.count(b"/Type/Page") >= 2
    png = save_cards(custs[:1], tmp_path / "one.png")
    with Image.open(png) as im:
        assert im.size == (1011, 638)
    sheet = save_cards(custs[:1], tmp_path / "sheet.png", sheet=True)
    with Image.open(sheet) as im:
        assert im.size == (mm(210), mm(297))


def test_bad_card_output_is_refused(tmp_path) -> None:
    with pytest.raises(InvalidInput) as err:
        save_cards([CUST], tmp_path / "card.jpg")
    assert err.value.code == "cards.format"
    with pytest.raises(InvalidInput):
        save_cards([], tmp_path / "card.png")


@pytest.mark.parametrize("width", [58, 80])
def test_card_slip_on_the_thermal_printer(width: int) -> None:
    dec = decode(render(d.card_slip(CUST), RenderOptions(mode="text-tcvn3", width_mm=width)))
    assert "THẺ KHÁCH HÀNG" in dec.text and CUST.name in dec.text
    assert [b.data for b in dec.barcodes] == [CUST.code] and dec.barcodes[0].height == 80
