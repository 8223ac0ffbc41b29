"""Raster rendering of laid-out lines with the bundled Noto Sans (OFL) font, and packing of 1-bit
images into as few ESC/POS bytes as possible.

Images here are Pillow mode "1" with **ink = 1** (so ``tobytes()`` is already the ESC/POS raster
format: MSB first, 1 = print a dot).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from cashier import paths
from cashier.core.layout import Line

#: font pixel size of a normal line; 12-dot cells (font A) hold one character on average
BASE_PX = 21
MIN_PX = 13


def font_dir() -> Path:
    return paths.resources_dir() / "fonts"


@lru_cache(maxsize=32)
def font(px: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "NotoSans-Bold.ttf" if bold else "NotoSans-Regular.ttf"
    return ImageFont.truetype(str(font_dir() / name), px)


@lru_cache(maxsize=8)
def line_pitch(px: int = BASE_PX) -> int:
    """Dots per normal line: the font's full height (room for stacked Vietnamese marks)."""
    ascent, descent = font(px).getmetrics()
    return ascent + descent + 1


def text_width(text: str, px: int, bold: bool = False) -> int:
    if not text:
        return 0
    return int(round(font(px, bold).getlength(text)))


def _threshold(img: Image.Image) -> Image.Image:
    return img.point(lambda v: 255 if v >= 110 else 0).convert("1")


def render_line(line: Line, dots: int, cols: int = 0, px: int = BASE_PX) -> Image.Image:
    """One laid-out line as a 1-bit image ``dots`` wide (ink = 1). Proportional glyphs: a line
    that does not fit (rare: the layout wraps at the grid's columns) gets a smaller font."""
    scale = 2 if line.size == "double" else 1
    size = px * scale
    pitch = line_pitch(px) * scale
    left, right = line.left, line.right
    gap_min = text_width("  ", size, line.bold)
    # shrink the font for the rare line that does not fit (proportional glyphs vs 12-dot cells)
    while size > MIN_PX * scale:
        needed = text_width(left, size, line.bold) + (
            gap_min + text_width(right, size, line.bold) if right else 0
        )
        if needed <= dots:
            break
        size -= scale
    fnt = font(size, line.bold)
    canvas = Image.new("L", (dots, pitch), 0)
    draw = ImageDraw.Draw(canvas)
    ascent, descent = fnt.getmetrics()
    y = (pitch - ascent - descent) // 2
    lw = text_width(left, size, line.bold)
    if right:
        rw = text_width(right, size, line.bold)
        draw.text((0, y), left, font=fnt, fill=255)
        draw.text((dots - rw, y), right, font=fnt, fill=255)
        if line.fill.strip():
            fw = max(1, text_width(line.fill, size, line.bold))
            space = text_width(" ", size, line.bold)
            start, end = lw + space, dots - rw - space
            n = (end - start) // fw
            if n > 0:
                draw.text((end - n * fw, y), line.fill * n, font=fnt, fill=255)
    else:
        if line.align == "center":
            x = (dots - lw) // 2
        elif line.align == "right":
            x = dots - lw
        else:
            x = 0
        draw.text((max(0, x), y), left, font=fnt, fill=255)
    img = _threshold(canvas)
    if line.size == "tall":
        img = img.resize((dots, pitch * 2), Image.Resampling.NEAREST)
    return img


# --- packing ---------------------------------------------------------------------------------
def feed_bytes(dots: int) -> bytes:
    """ESC J n (feed n dots, n <= 255) as many times as needed."""
    out = bytearray()
    while dots > 0:
        n = min(dots, 255)
        out += b"\x1bJ" + bytes([n])
        dots -= n
    return bytes(out)


def gs_v0(img: Image.Image) -> bytes:
    """GS v 0 raster command for a mode-"1" ink=1 image (split in bands of <= 255 rows)."""
    width_bytes = (img.width + 7) // 8
    out = bytearray()
    for top in range(0, img.height, 255):
        band = img.crop((0, top, width_bytes * 8, min(img.height, top + 255)))
        h = band.height
        out += b"\x1dv0\x00" + bytes([width_bytes & 0xFF, width_bytes >> 8, h & 0xFF, h >> 8])
        out += band.tobytes()
    return bytes(out)


def left_margin(dots: int) -> bytes:
    return b"\x1dL" + bytes([dots & 0xFF, dots >> 8])


class RasterPacker:
    """Accumulates 1-bit images top to bottom and emits the fewest bytes for them.

    * blank rows are never sent: they become paper feed (ESC J n, 3 bytes per 255 rows);
    * each image is cropped to its ink, rounded to whole bytes on the right;
    * with ``use_margin`` the blank left part is skipped with GS L (left margin) too.
    """

    def __init__(self, use_margin: bool = True) -> None:
        self.use_margin = use_margin
        self.pending_feed = 0
        self.margin = 0

    def feed(self, dots: int) -> None:
        self.pending_feed += max(0, dots)

    def flush_feed(self) -> bytes:
        data = feed_bytes(self.pending_feed)
        self.pending_feed = 0
        return data

    def reset_margin(self) -> bytes:
        if self.margin:
            self.margin = 0
            return left_margin(0)
        return b""

    def image(self, img: Image.Image) -> bytes:
        bbox = img.getbbox()
        if bbox is None:
            self.feed(img.height)
            return b""
        x0, y0, x1, y1 = bbox
        self.feed(y0)
        out = bytearray(self.flush_feed())
        x0 = (x0 // 8) * 8 if self.use_margin else 0
        if x0 != self.margin:
            out += left_margin(x0)
            self.margin = x0
        width = x1 - x0
        width = ((width + 7) // 8) * 8
        out += gs_v0(img.crop((x0, y0, x0 + width, y1)))
        self.feed(img.height - y1)
        return bytes(out)


def naive_raster_bytes(img: Image.Image) -> int:
    """What sending the whole page as one full-width raster image costs (the baseline)."""
    return len(gs_v0(img))
