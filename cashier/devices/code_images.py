"""CODE128 and QR codes as 1-bit images (ink = 1): bar patterns, QR module counts and
matrices. The renderer draws them when the printer has no native barcode/QR command; the paper
preview draws the codes it decodes."""

from __future__ import annotations

import qrcode
from barcode import Code128
from PIL import Image, ImageDraw

from cashier.core.errors import DeviceError
from cashier.core.messages import register
from cashier.devices import raster

register(
    {
        "printer.bad_barcode": (
            "Cannot make a CODE128 barcode of {data!r}: {detail}",
            "Không tạo được mã vạch CODE128 cho \"{data}\": {detail}",
        ),
    }
)


def code128_modules(data: str) -> str:
    """The bar pattern ('1' = bar) python-barcode computes for ``data`` (charset chosen by it)."""
    if not data or not data.isascii() or not data.isprintable():
        raise DeviceError("printer.bad_barcode", data=data, detail="needs printable ASCII")
    try:
        return Code128(data).build()[0]
    except Exception as exc:  # noqa: BLE001 - python-barcode raises several types
        raise DeviceError("printer.bad_barcode", data=data, detail=str(exc)) from None


def barcode_image(data: str, height: int, module: int, hri: bool) -> Image.Image:
    bars = code128_modules(data)
    quiet = 10 * module
    width = len(bars) * module + 2 * quiet
    text_h = raster.line_pitch() if hri else 0
    img = Image.new("L", (width, height + text_h), 0)
    draw = ImageDraw.Draw(img)
    x = quiet
    for bit in bars:
        if bit == "1":
            draw.rectangle((x, 0, x + module - 1, height - 1), fill=255)
        x += module
    if hri:
        fnt = raster.font(raster.BASE_PX - 3)
        tw = fnt.getlength(data)
        draw.text(((width - tw) / 2, height + 1), data, font=fnt, fill=255)
    return img.point(lambda v: 255 if v >= 110 else 0).convert("1")


def _qr_code(data: str, ecc: str) -> qrcode.QRCode:
    levels = {
        "L": qrcode.constants.ERROR_CORRECT_L, "M": qrcode.constants.ERROR_CORRECT_M,
        "Q": qrcode.constants.ERROR_CORRECT_Q, "H": qrcode.constants.ERROR_CORRECT_H,
    }  # fmt: skip
    qr = qrcode.QRCode(error_correction=levels.get(ecc, levels["M"]), border=0)
    qr.add_data(data.encode("utf-8"))
    qr.make(fit=True)
    return qr


def qr_modules(data: str, ecc: str = "M") -> int:
    return 17 + 4 * _qr_code(data, ecc).version


def qr_matrix(data: str, ecc: str = "M") -> list[list[bool]]:
    return _qr_code(data, ecc).get_matrix()


def qr_image(data: str, module: int, ecc: str = "M") -> Image.Image:
    matrix = qr_matrix(data, ecc)
    n = len(matrix)
    quiet = 4 * module
    img = Image.new("1", (n * module + 2 * quiet, n * module + 2 * quiet), 0)
    px = img.load()
    assert px is not None
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                for dy in range(module):
                    for dx in range(module):
                        px[quiet + c * module + dx, quiet + r * module + dy] = 1
    return img
