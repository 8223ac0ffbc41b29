"""A picture of the paper a printer would print from ESC/POS bytes (the ``preview:`` transport's
.png files and ``EscPosPrinter.preview_png``: the print service's on-screen previews)."""

from __future__ import annotations

from PIL import Image, ImageDraw

from cashier.devices.escpos_decoded import CELL, CELL_H
from cashier.devices.escpos_decoder import decode


def render_png(data: bytes, dots: int, *, pages: dict[int, str] | None = None, composes: bool = True) -> Image.Image:
    """A picture of the paper: text in 12x24 cells (drawn with the bundled font), raster images,
    barcodes and QR codes. Black ink on white, mode "L"."""
    from cashier.devices import raster
    from cashier.devices.code_images import barcode_image, code128_modules, qr_image

    dec = decode(data, pages=pages, composes=composes)
    height = max(1, dec.height + 10)
    page = Image.new("L", (dots, height), 0)
    draw = ImageDraw.Draw(page)
    for line in dec.lines:
        scale_w = 2 if line.size in ("wide", "double") else 1
        scale_h = 2 if line.size in ("tall", "double") else 1
        fnt = raster.mono_font(19 * scale_h if scale_w == scale_h else 19, line.bold)
        for col, ch in enumerate(line.text):
            if ch == " ":
                continue
            x = line.margin + col * CELL * scale_w
            cell = Image.new("L", (CELL * scale_w + 4, CELL_H * scale_h + 8), 0)
            # centred in its cell, as a printer's fixed-pitch font draws it (drawn from the cell's
            # left edge, narrow letters made "exampl e/ t r a" look letter-spaced)
            dx = max(0, round((CELL * scale_w - fnt.getlength(ch)) / 2))
            ImageDraw.Draw(cell).text((dx, 2), ch, font=fnt, fill=255)
            if scale_h != scale_w:
                cell = cell.resize((cell.width, cell.height * 2))
            page.paste(cell, (x, line.y), cell)
    for item in dec.images:
        page.paste(255, (item.x, item.y), item.image.convert("L"))
    for bc in dec.barcodes:
        if bc.kind == 73:
            module = max(1, bc.module)
            img = barcode_image(bc.data, bc.height, module, bc.hri in (2, 3))
            if len(code128_modules(bc.data)) * module <= dots:
                page.paste(255, ((dots - img.width) // 2, bc.y), img.convert("L"))
        else:
            draw.text((0, bc.y), f"[barcode {bc.data}]", fill=255)
    for q in dec.qrs:
        img = qr_image(q.data, max(1, q.module)).convert("L")
        page.paste(255, ((dots - img.width) // 2, q.y), img)
    return Image.eval(page, lambda v: 255 - v)
