"""The project's own ESC/POS reader: bytes -> what a printer would print.

Used by the tests (decode what the renderers produce and check every letter, amount and code)
and by the preview printer (render a PNG of the paper). It understands the commands our
renderers emit and the common ones around them:

* text with code pages (ESC t n: TCVN-3 30/31, WPC1258 at 52/94/27/35, cp437/cp1252), bold
  (ESC E, ESC !), size (GS !), alignment (ESC a), line spacing (ESC 2/3), LF, ESC d, ESC J;
* raster images (GS v 0) at the left margin (GS L) -> 1-bit Pillow images (ink = 1);
* CODE128 and other GS k barcodes (code-set prefixes "{A"/"{B"/"{C" removed), QR (GS ( k);
* cuts (GS V), drawer kicks (ESC p, DLE DC4), status requests (DLE EOT).

Unknown commands are recorded in ``Decoded.unknown`` rather than guessed at. What it returns is
in :mod:`cashier.devices.escpos_decoded`; the PNG of the paper in :mod:`cashier.devices.paper_preview`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from PIL import Image

from cashier.core import tcvn3
from cashier.devices.escpos_decoded import (
    CELL_H,
    BarcodeItem,
    Decoded,
    DecodeError,
    QRItem,
    RasterImage,
    TextLine,
)

#: ESC t number -> code page as our decoder reads it
DEFAULT_PAGES: dict[int, str] = {
    0: "cp437", 16: "cp1252", 30: "tcvn3", 31: "tcvn3", 52: "cp1258", 94: "cp1258",
    27: "cp1258", 35: "cp1258",
}  # fmt: skip


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.i = 0

    def take(self, n: int) -> bytes:
        if self.i + n > len(self.data):
            raise DecodeError(f"truncated command at byte {self.i}")
        chunk = self.data[self.i : self.i + n]
        self.i += n
        return chunk

    def byte(self) -> int:
        return self.take(1)[0]


def decode(
    data: bytes, *, pages: dict[int, str] | None = None, composes: bool = True
) -> Decoded:
    """Decode ESC/POS ``data``. ``composes``: combining marks join the previous letter (NFC)."""
    pages = dict(DEFAULT_PAGES if pages is None else pages)
    out = Decoded()
    st = _State()
    r = _Reader(data)

    def flush_line(advance: int | None = None) -> None:
        text = "".join(st.buf)
        if composes:
            text = unicodedata.normalize("NFC", text)
        if st.buf or advance is None:
            out.lines.append(
                TextLine(text, out.height, st.line_bold, st.line_size, st.align, st.margin,
                         tuple(sorted(st.line_pages)))
            )  # fmt: skip
        st.buf.clear()
        st.line_pages.clear()
        st.line_bold = st.bold
        st.line_size = st.size
        h = st.spacing
        if st.line_size in ("tall", "double"):
            h = max(h, CELL_H * 2)
        out.height += h if advance is None else advance

    while r.i < len(data):
        b = r.byte()
        if b == 0x0A:  # LF
            flush_line()
        elif b == 0x0D:
            continue
        elif b == 0x1B:
            _esc(r, st, out, flush_line)
        elif b == 0x1D:
            _gs(r, st, out)
        elif b == 0x10:
            _dle(r, out)
        elif b < 0x20:
            out.unknown.append(bytes([b]))
        else:
            if not st.buf:
                st.line_bold, st.line_size = st.bold, st.size
            st.line_bold = st.line_bold or st.bold
            st.buf.append(_char(b, st.page, pages))
            if b >= 0x80:
                st.line_pages.add(st.page)
                out.pages_used.add(st.page)
    if st.buf:
        flush_line()
    return out


class _State:
    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.page = 0
        self.bold = False
        self.size = "normal"
        self.align = 0
        self.margin = 0
        self.spacing = 30
        self.buf: list[str] = []
        self.line_pages: set[int] = set()
        self.line_bold = False
        self.line_size = "normal"
        self.bc_height = 162
        self.bc_module = 3
        self.bc_hri = 0
        self.qr_module = 3
        self.qr_ecc = 48
        self.qr_model = 50
        self.qr_data = b""


def _char(b: int, page: int, pages: dict[int, str]) -> str:
    if b < 0x80:
        return chr(b)
    enc = pages.get(page, "cp437")
    if enc == "tcvn3":
        return tcvn3.decode_byte(b, page)
    try:
        return bytes([b]).decode(enc)
    except UnicodeDecodeError:
        return "\ufffd"


def _size_from(n: int) -> str:
    wide, tall = (n >> 4) & 0x07, n & 0x07
    if wide and tall:
        return "double"
    if tall:
        return "tall"
    if wide:
        return "wide"
    return "normal"


def _esc(r: _Reader, st: _State, out: Decoded, flush_line: Callable[..., None]) -> None:
    c = r.byte()
    if c == 0x40:  # ESC @
        st.reset()
        out.inits += 1
    elif c == 0x74:  # ESC t n
        st.page = r.byte()
    elif c == 0x45 or c == 0x47:  # ESC E n
        st.bold = bool(r.byte() & 1)
    elif c == 0x21:  # ESC ! n
        n = r.byte()
        st.bold = bool(n & 0x08)
        st.size = _size_from((0x10 if n & 0x20 else 0) | (0x01 if n & 0x10 else 0))
    elif c == 0x61:  # ESC a n
        n = r.byte()
        st.align = n - 48 if n >= 48 else n
    elif c == 0x32:  # ESC 2
        st.spacing = 30
    elif c == 0x33:  # ESC 3 n
        st.spacing = r.byte()
    elif c == 0x4A:  # ESC J n: print and feed n dots
        n = r.byte()
        if st.buf:
            flush_line(advance=n)
        else:
            out.height += n
    elif c == 0x64:  # ESC d n: print and feed n lines
        n = r.byte()
        if st.buf:
            flush_line()
            n = max(0, n - 1)
        out.height += n * st.spacing
    elif c == 0x70:  # ESC p m t1 t2: drawer kick
        r.take(3)
        out.drawer_kicks += 1
    elif c in (0x2D, 0x4D, 0x52, 0x7B, 0x20, 0x56, 0x72, 0x63):  # one-parameter settings
        r.byte()
    else:
        out.unknown.append(bytes([0x1B, c]))


def _gs(r: _Reader, st: _State, out: Decoded) -> None:
    c = r.byte()
    if c == 0x21:  # GS ! n
        st.size = _size_from(r.byte())
    elif c == 0x4C:  # GS L nL nH
        lo, hi = r.take(2)
        st.margin = lo | hi << 8
    elif c == 0x76:  # GS v 0 m xL xH yL yH d...
        if r.byte() != 0x30:
            raise DecodeError("GS v without '0'")
        r.byte()  # m (density)
        xl, xh, yl, yh = r.take(4)
        wb, h = xl | xh << 8, yl | yh << 8
        raw = r.take(wb * h)
        img = Image.frombytes("1", (wb * 8, h), raw)
        out.images.append(RasterImage(out.height, st.margin, img))
        out.height += h
    elif c == 0x6B:  # GS k m ...
        _barcode(r, st, out)
    elif c == 0x28:  # GS ( k pL pH cn fn ...
        fn_kind = r.byte()
        pl, ph = r.take(2)
        body = r.take(pl | ph << 8)
        if fn_kind == 0x6B and body[:1] == b"1":
            _qr(body, st, out)
        else:
            out.unknown.append(bytes([0x1D, 0x28, fn_kind]) + body[:2])
    elif c == 0x68:  # GS h n
        st.bc_height = r.byte()
    elif c == 0x77:  # GS w n
        st.bc_module = r.byte()
    elif c == 0x48:  # GS H n
        n = r.byte()
        st.bc_hri = n - 48 if n >= 48 else n
    elif c in (0x66, 0x42, 0x62):  # GS f n, GS B n, GS b n
        r.byte()
    elif c == 0x56:  # GS V m [n]
        m = r.byte()
        if m in (65, 66, 97, 98, 103, 104):
            r.byte()
        out.cuts.append(out.height)
    elif c == 0x50 or c == 0x57:  # GS P x y
        r.take(2)
    else:
        out.unknown.append(bytes([0x1D, c]))


def _barcode(r: _Reader, st: _State, out: Decoded) -> None:
    m = r.byte()
    if m <= 6:  # function A: NUL-terminated
        end = r.data.index(0, r.i)
        raw = r.take(end - r.i)
        r.byte()
    else:
        raw = r.take(r.byte())
    data = raw.decode("latin-1")
    if m == 73:
        data = _code128_text(raw)
    out.barcodes.append(BarcodeItem(out.height, m, data, raw, st.bc_height, st.bc_module, st.bc_hri))
    out.height += st.bc_height + (CELL_H if st.bc_hri in (2, 3) else 0)


def _code128_text(raw: bytes) -> str:
    """GS k 73 payload -> text: '{A'/'{B' switch to text sets, '{C' to digit pairs."""
    text: list[str] = []
    charset = "B"
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch == 0x7B and i + 1 < len(raw):  # '{'
            nxt = chr(raw[i + 1])
            if nxt in "ABC":
                charset = nxt
            elif nxt == "{":
                text.append("{")
            i += 2
            continue
        text.append(f"{ch:02d}" if charset == "C" else chr(ch))
        i += 1
    return "".join(text)


def _qr(body: bytes, st: _State, out: Decoded) -> None:
    fn = body[1]
    if fn == 0x41:  # model
        st.qr_model = body[2]
    elif fn == 0x43:
        st.qr_module = body[2]
    elif fn == 0x45:
        st.qr_ecc = body[2]
    elif fn == 0x50:  # store: '1' 'P' '0' data
        st.qr_data = body[3:]
    elif fn == 0x51:  # print
        out.qrs.append(
            QRItem(out.height, st.qr_data.decode("utf-8", "replace"), st.qr_module, st.qr_ecc, st.qr_model)
        )
        from cashier.devices.code_images import qr_modules

        n = qr_modules(st.qr_data.decode("utf-8", "replace"))
        out.height += n * st.qr_module


def _dle(r: _Reader, out: Decoded) -> None:
    c = r.byte()
    if c == 0x04:  # DLE EOT n
        out.status_requests.append(r.byte())
    elif c == 0x14:  # DLE DC4 fn m t: real-time pulse (drawer)
        fn = r.byte()
        if fn == 1:
            r.take(2)
            out.drawer_kicks += 1
        else:
            r.take(2)
    else:
        out.unknown.append(bytes([0x10, c]))
