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
def mono_font(px: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """The fixed-pitch face (Noto Sans Mono, OFL) the paper preview draws a printer's own text
    with: a printer's font A is fixed-pitch, and a proportional face in fixed cells looks
    letter-spaced ("examp l e/ t ra")."""
    name = "NotoSansMono-Bold.ttf" if bold else "NotoSansMono-Regular.ttf"
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
    # "double": twice the font; "tall": 1.5x the font (a clean bigger glyph, not a 2x vertical
    # stretch: the stretched total line cost 2.5 KB at 58 mm and read worse)
    scale = {"double": 2.0, "tall": 1.5}.get(line.size, 1.0)
    size = round(px * scale)
    pitch = round(line_pitch(px) * scale)
    left, right = line.left, line.right
    gap_min = text_width("  ", size, line.bold)
    # shrink the font for the rare line that does not fit (proportional glyphs vs 12-dot cells)
    while size > MIN_PX * scale:
        needed = text_width(left, size, line.bold) + (
            gap_min + text_width(right, size, line.bold) if right else 0
        )
        if needed <= dots:
            break
        size -= 1
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
    return _threshold(canvas)


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
    * each image is cut into horizontal bands (chosen by dynamic programming over its rows) and
      each band is cropped to its own ink: the row of accents above a line or the descenders
      below it rarely span the whole width (19% fewer bytes on the standard receipt);
    * with ``use_margin`` the blank left part of a band is skipped with GS L (left margin); the
      right part is never sent either way.
    """

    #: bytes a band costs besides its pixels: GS v 0 header (8) + a GS L change (4)
    BAND_OVERHEAD = 12
    #: longest band the optimiser considers (rows)
    MAX_BAND = 48

    def __init__(self, use_margin: bool = True, *, bands: bool = True) -> None:
        self.use_margin = use_margin
        self.bands = bands
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

    def _row_extents(self, img: Image.Image) -> list[tuple[int, int] | None]:
        """Per row: (first, last+1) byte holding ink, or None for a blank row."""
        wb = (img.width + 7) // 8
        raw = img.tobytes()
        rows: list[tuple[int, int] | None] = []
        for y in range(img.height):
            row = raw[y * wb : (y + 1) * wb]
            stripped = row.lstrip(b"\x00")
            if not stripped:
                rows.append(None)
                continue
            first = wb - len(stripped)
            last = len(row.rstrip(b"\x00"))
            rows.append((first if self.use_margin else 0, last))
        return rows

    def _plan(self, rows: list[tuple[int, int] | None]) -> list[tuple[int, int, int, int] | tuple[int, int]]:
        """Split rows into bands: (start, end, first_byte, last_byte) or (start, end) = feed."""
        n = len(rows)
        best = [0] + [1 << 60] * n
        choice = [0] * (n + 1)
        for j in range(1, n + 1):
            lo, hi = 1 << 30, -1
            for i in range(j - 1, max(-1, j - 1 - self.MAX_BAND), -1):
                r = rows[i]
                if r is not None:
                    lo, hi = min(lo, r[0]), max(hi, r[1])
                cost = 3 if hi < 0 else self.BAND_OVERHEAD + (hi - lo) * (j - i)
                if best[i] + cost < best[j]:
                    best[j], choice[j] = best[i] + cost, i
        plan: list = []
        j = n
        while j > 0:
            i = choice[j]
            seg = [r for r in rows[i:j] if r is not None]
            if seg:
                plan.append((i, j, min(r[0] for r in seg), max(r[1] for r in seg)))
            else:
                plan.append((i, j))
            j = i
        return plan[::-1]

    def image(self, img: Image.Image) -> bytes:
        bbox = img.getbbox()
        if bbox is None:
            self.feed(img.height)
            return b""
        _, y0, _, y1 = bbox
        self.feed(y0)
        core = img.crop((0, y0, img.width, y1))
        rows = self._row_extents(core)
        if self.bands:
            plan = self._plan(rows)
        else:
            seg = [r for r in rows if r is not None]
            plan = [(0, len(rows), min(r[0] for r in seg), max(r[1] for r in seg))]
        out = bytearray()
        for band in plan:
            if len(band) == 2:
                self.feed(band[1] - band[0])
                continue
            top, bottom, first, last = band
            out += self.flush_feed()
            x0 = first * 8
            if x0 != self.margin:
                out += left_margin(x0)
                self.margin = x0
            out += gs_v0(core.crop((x0, top, last * 8, bottom)))
        self.feed(img.height - y1)
        return bytes(out)


def naive_raster_bytes(img: Image.Image) -> int:
    """What sending the whole page as one full-width raster image costs (the baseline)."""
    return len(gs_v0(img))
