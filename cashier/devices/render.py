"""Render a :class:`~cashier.core.documents.Document` to ESC/POS bytes.

Modes (per printer):

* ``text-tcvn3``  - printer font, TCVN-3 pages ESC t 30/31 (Epson and compatibles);
* ``text-cp1258`` - printer font, WPC1258 at a configurable ESC t number; combining tone marks
  only when the printer composes them;
* ``raster``      - every line drawn with the bundled Noto Sans and sent as GS v 0 images, with
  blank rows fed instead of sent, images cropped to their ink, and (hybrid) lines that need no
  diacritics sent as plain text;
* ``ascii``       - printer font, no diacritics: the last resort.

CODE128 uses GS k (code set B, "{B" prefix) and QR uses GS ( k when the printer profile has
them; otherwise both are drawn as raster images (:mod:`cashier.devices.code_images`). We build the bytes ourselves rather than through
python-escpos: its text encoder mis-maps TCVN-3 Đ, its ``image()`` sends full-width rasters and
raises above the profile width, and its import has side effects (see profiles.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from PIL import Image

from cashier.core.documents import (
    QR,
    Barcode,
    Cut,
    Document,
    Feed,
    PrinterSettings,
)
from cashier.core.documents import Image as ImageBlock
from cashier.core.errors import DeviceError
from cashier.core.layout import Line, geometry, lay_out
from cashier.core.messages import register
from cashier.devices import raster
from cashier.devices.code_images import barcode_image, code128_modules, qr_image, qr_modules
from cashier.devices.profiles import Profile, get_profile
from cashier.devices.textcodec import Encoder, make_encoder

MODES = ("text-tcvn3", "text-cp1258", "raster", "ascii")

register(
    {
        "printer.bad_mode": (
            "Unknown print mode {mode!r} (text-tcvn3, text-cp1258, raster or ascii)",
            "Chế độ in không hợp lệ \"{mode}\" (text-tcvn3, text-cp1258, raster hoặc ascii)",
        ),
        "printer.mode_unsupported": (
            "Print mode {mode} is not supported by printer profile {profile}: {detail}",
            "Máy in (cấu hình {profile}) không hỗ trợ chế độ in {mode}: {detail}",
        ),
        "printer.image_too_wide": (
            "Image {name} is {width} dots wide but the paper takes {dots}",
            "Hình {name} rộng {width} điểm, khổ giấy chỉ {dots} điểm",
        ),
        "printer.bad_width": (
            "Paper width must be 58 or 80 mm, not {width}",
            "Khổ giấy phải là 58 hoặc 80 mm, không phải {width}",
        ),
    }
)

INIT = b"\x1b@"
LF = b"\n"
CUT_PARTIAL = b"\x1dVB\x00"  # feed to the cutter and cut (partial)
CUT_FULL = b"\x1dVA\x00"
DRAWER_KICK = b"\x1bp\x00\x19\xfa"  # pin 2, 50 ms on, 500 ms off
ALIGN = {"left": b"\x1ba\x00", "center": b"\x1ba\x01", "right": b"\x1ba\x02"}
SIZE_BYTE = {"normal": 0x00, "tall": 0x01, "double": 0x11}
ECC_LEVEL = {"L": 48, "M": 49, "Q": 50, "H": 51}
DOTS_PER_MM = 8  # 203 dpi


@dataclass(frozen=True)
class RenderOptions:
    mode: str = "raster"
    width_mm: int = 80
    cp1258_page: int = 52
    composes: bool = False
    profile: str = "default"
    native_barcode: bool | None = None  # None: what the profile says
    native_qr: bool | None = None
    hybrid: bool = True
    left_margin: bool = True  # raster: skip blank left columns with GS L
    bands: bool = True  # raster: cut each line into row bands cropped to their own ink
    cut: bool = True
    drawer: bool = True

    @classmethod
    def from_settings(cls, s: PrinterSettings, **overrides) -> RenderOptions:
        base = cls(
            mode=s.mode, width_mm=s.width_mm, cp1258_page=s.cp1258_page, composes=s.composes,
            profile=s.profile, native_barcode=s.native_barcode, native_qr=s.native_qr,
            hybrid=s.hybrid, cut=s.cut, drawer=s.drawer,
            left_margin=getattr(s, "raster_margin", True), bands=getattr(s, "raster_bands", True),
        )  # fmt: skip
        overrides = {k: v for k, v in overrides.items() if v is not None}
        return replace(base, **overrides)


def check_options(opts: RenderOptions) -> Profile:
    """Refuse a mode the printer profile cannot print (clear message, before any byte is sent)."""
    if opts.mode not in MODES:
        raise DeviceError("printer.bad_mode", mode=opts.mode)
    try:
        geometry(opts.width_mm)
    except ValueError:
        raise DeviceError("printer.bad_width", width=opts.width_mm) from None
    profile = get_profile(opts.profile)
    if not profile.known:
        return profile
    if opts.mode == "text-tcvn3":
        pages = profile.pages_of("TCVN-3")
        if not {30, 31} <= set(pages):
            raise DeviceError(
                "printer.mode_unsupported", mode=opts.mode, profile=profile.name,
                detail="no TCVN-3 code pages (ESC t 30/31); try text-cp1258 or raster",
            )  # fmt: skip
    elif opts.mode == "text-cp1258":
        pages = profile.pages_of("CP1258")
        if opts.cp1258_page not in pages:
            where = f"its WPC1258 is ESC t {', '.join(map(str, pages))}" if pages else "no WPC1258 page"
            raise DeviceError(
                "printer.mode_unsupported", mode=opts.mode, profile=profile.name,
                detail=f"ESC t {opts.cp1258_page} is not WPC1258 ({where}); try raster",
            )  # fmt: skip
    elif opts.mode == "raster" and not profile.raster:
        raise DeviceError(
            "printer.mode_unsupported", mode=opts.mode, profile=profile.name,
            detail="no raster images (GS v 0); use text-cp1258, text-tcvn3 or ascii",
        )  # fmt: skip
    return profile


class Renderer:
    def __init__(self, opts: RenderOptions) -> None:
        self.opts = opts
        self.profile = check_options(opts)
        self.cols, dots = geometry(opts.width_mm)
        if self.profile.pixels and self.profile.pixels < dots:
            dots = self.profile.pixels  # e.g. TM-T88V: 512 dots on 80 mm paper
        if self.profile.columns and self.profile.columns < self.cols and self.profile.pixels:
            self.cols = self.profile.columns  # ... and 42 columns of font A
        self.dots = dots
        self.native_qr = self.profile.qr if opts.native_qr is None else opts.native_qr
        self.native_barcode = self.profile.barcode_b if opts.native_barcode is None else opts.native_barcode
        text_mode = "ascii" if opts.mode == "raster" else opts.mode
        self.encoder: Encoder = make_encoder(text_mode, cp1258_page=opts.cp1258_page, composes=opts.composes)
        self.pitch = raster.line_pitch()

    # -- state -----------------------------------------------------------------------------
    def _begin(self) -> bytearray:
        self.bold = False
        self.size = "normal"
        self.packer = raster.RasterPacker(use_margin=self.opts.left_margin, bands=self.opts.bands)
        self.encoder.reset()
        # line spacing = the raster line pitch, so text and raster lines interleave evenly
        return bytearray(INIT + b"\x1b3" + bytes([min(255, self.pitch)]))

    def _style(self, bold: bool, size: str) -> bytes:
        out = bytearray()
        if bold != self.bold:
            out += b"\x1bE" + (b"\x01" if bold else b"\x00")
            self.bold = bold
        if size != self.size:
            out += b"\x1d!" + bytes([SIZE_BYTE[size]])
            self.size = size
        return bytes(out)

    def _flush(self) -> bytes:
        """Before anything printed with the printer font: pending raster feed, margin back to 0."""
        return self.packer.flush_feed() + self.packer.reset_margin()

    # -- document --------------------------------------------------------------------------
    def render(self, doc: Document, *, kick_drawer: bool | None = None) -> bytes:
        out = self._begin()
        for item in lay_out(doc, self.opts.width_mm, self.cols):
            if isinstance(item, Line):
                out += self.line(item)
            elif isinstance(item, Barcode):
                out += self.barcode(item)
            elif isinstance(item, QR):
                out += self.qr(item)
            elif isinstance(item, ImageBlock):
                img = Image.frombytes("1", (item.width, item.height), item.data)
                out += self.image(img, item.name)
            elif isinstance(item, Feed):
                out += self._flush() + self._style(False, "normal")
                out += b"\x1bd" + bytes([min(255, item.lines)])
            elif isinstance(item, Cut) and self.opts.cut:
                out += self._flush() + (CUT_PARTIAL if item.partial else CUT_FULL)
        out += self._flush() + self._style(False, "normal")
        kick = doc.kick_drawer if kick_drawer is None else kick_drawer
        if kick and self.opts.drawer:
            out += DRAWER_KICK
        return bytes(out)

    def line(self, line: Line) -> bytes:
        if self.opts.mode == "raster" and not (self.opts.hybrid and _plain(line)):
            img = raster.render_line(line, self.dots, self.cols)
            return self.packer.image(img)
        text = line.text(self.cols).rstrip()
        out = bytearray(self._flush())
        out += self._style(line.bold, line.size)
        out += self.encoder.encode(text) + LF
        return bytes(out)

    def image(self, img: Image.Image, name: str = "image") -> bytes:
        """A 1-bit ink=1 image, centred; refuses one wider than the paper."""
        if img.width > self.dots:
            raise DeviceError("printer.image_too_wide", name=name, width=img.width, dots=self.dots)
        if img.width < self.dots:
            page = Image.new("1", (self.dots, img.height), 0)
            page.paste(img, ((self.dots - img.width) // 2, 0))
            img = page
        return self.packer.image(img)

    # -- codes -----------------------------------------------------------------------------
    def barcode(self, block: Barcode) -> bytes:
        data = block.data
        modules = code128_modules(data)
        module = 2 if len(modules) * 2 + 20 <= self.dots else 1
        if len(modules) * module > self.dots:
            raise DeviceError("printer.image_too_wide", name=f"CODE128 {data}", width=len(modules), dots=self.dots)
        if self.native_barcode and data.isascii() and data.isprintable() and len(data) <= 250:
            payload = b"{B" + data.encode("ascii")
            out = bytearray(self._flush() + self._style(False, "normal"))
            out += ALIGN["center"]
            out += b"\x1dh" + bytes([max(1, min(255, block.height))])
            out += b"\x1dw" + bytes([module])
            out += b"\x1dH" + (b"\x02" if block.hri else b"\x00")
            out += b"\x1df\x00"
            out += b"\x1dkI" + bytes([len(payload)]) + payload
            out += ALIGN["left"]
            return bytes(out)
        # image fallback: the bars as raster, the human-readable code as printer text (ASCII)
        out = bytearray(self.image(barcode_image(data, block.height, module, hri=False), f"CODE128 {data}"))
        if block.hri:
            out += self.line(Line(data, align="center"))
        return bytes(out)

    def qr(self, block: QR) -> bytes:
        version_modules = qr_modules(block.data, block.ecc)
        target = block.size_mm * DOTS_PER_MM
        module = max(1, min(16, target // version_modules))
        if version_modules * module > self.dots:
            module = max(1, self.dots // version_modules)
        if self.native_qr:
            data = block.data.encode("utf-8")
            store_len = len(data) + 3
            out = bytearray(self._flush() + self._style(False, "normal"))
            out += ALIGN["center"]
            out += b"\x1d(k\x04\x001A2\x00"  # model 2
            out += b"\x1d(k\x03\x001C" + bytes([module])
            out += b"\x1d(k\x03\x001E" + bytes([ECC_LEVEL.get(block.ecc, 49)])
            out += b"\x1d(k" + bytes([store_len & 0xFF, store_len >> 8]) + b"1P0" + data
            out += b"\x1d(k\x03\x001Q0"
            out += LF + ALIGN["left"]
            return bytes(out)
        return self.image(qr_image(block.data, module, block.ecc), "QR")


def _plain(line: Line) -> bool:
    """Hybrid raster: a line without diacritics prints as text, unless it has a right-aligned
    value: a row of a column of amounts ("500.000 x 5 ... 2.500.000" among "Tiền đầu ca ...
    500.000 đ") in the printer's monospaced font would not line up with, nor look like, the
    raster rows around it (the Z report's count rows came out letter-spaced)."""
    return not line.right and (line.left + line.fill).isascii()


def render(doc: Document, opts: RenderOptions, *, kick_drawer: bool | None = None) -> bytes:
    return Renderer(opts).render(doc, kick_drawer=kick_drawer)


def naive_full_raster(doc: Document, opts: RenderOptions) -> tuple[int, Image.Image]:
    """Baseline for the benchmark: the whole document drawn as ONE full-width raster image (what
    "print the receipt as an image" does): returns (bytes sent, page image)."""
    r = Renderer(replace(opts, mode="raster", hybrid=False, native_qr=False, native_barcode=False))
    parts: list[Image.Image] = []
    for item in lay_out(doc, opts.width_mm):
        if isinstance(item, Line):
            parts.append(raster.render_line(item, r.dots, r.cols))
        elif isinstance(item, Barcode):
            module = 2 if len(code128_modules(item.data)) * 2 + 20 <= r.dots else 1
            parts.append(barcode_image(item.data, item.height, module, item.hri))
        elif isinstance(item, QR):
            n = qr_modules(item.data, item.ecc)
            parts.append(qr_image(item.data, max(1, min(16, item.size_mm * DOTS_PER_MM // n)), item.ecc))
        elif isinstance(item, Feed):
            parts.append(Image.new("1", (r.dots, r.pitch * item.lines), 0))
    height = sum(p.height for p in parts)
    page = Image.new("1", (r.dots, height), 0)
    y = 0
    for p in parts:
        page.paste(p, ((r.dots - p.width) // 2, y))
        y += p.height
    return len(INIT) + raster.naive_raster_bytes(page), page


def estimate_seconds(nbytes: int, baudrate: int) -> float:
    """Serial transfer time, 8N1 (10 bits per byte)."""
    return math.ceil(nbytes * 10 / baudrate * 100) / 100
