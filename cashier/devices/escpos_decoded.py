"""What :func:`cashier.devices.escpos_decoder.decode` returns: the text lines, raster images,
barcodes, QR codes, cuts, drawer kicks and status requests found in ESC/POS bytes."""

from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image

CELL = 12  # font A cell width in dots
CELL_H = 24


@dataclass
class TextLine:
    text: str
    y: int
    bold: bool = False
    size: str = "normal"  # normal | tall | wide | double
    align: int = 0
    margin: int = 0
    pages: tuple[int, ...] = ()


@dataclass
class RasterImage:
    y: int
    x: int
    image: Image.Image  # mode "1", ink = 1

    @property
    def nbytes(self) -> int:
        return ((self.image.width + 7) // 8) * self.image.height


@dataclass
class BarcodeItem:
    y: int
    kind: int  # GS k m (73 = CODE128)
    data: str
    raw: bytes
    height: int
    module: int
    hri: int


@dataclass
class QRItem:
    y: int
    data: str
    module: int
    ecc: int
    model: int


@dataclass
class Decoded:
    lines: list[TextLine] = field(default_factory=list)
    images: list[RasterImage] = field(default_factory=list)
    barcodes: list[BarcodeItem] = field(default_factory=list)
    qrs: list[QRItem] = field(default_factory=list)
    cuts: list[int] = field(default_factory=list)
    drawer_kicks: int = 0
    status_requests: list[int] = field(default_factory=list)
    pages_used: set[int] = field(default_factory=set)
    unknown: list[bytes] = field(default_factory=list)
    height: int = 0  # paper advanced, in dots
    inits: int = 0

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def raster_bytes(self) -> int:
        return sum(img.nbytes for img in self.images)

    def page_image(self, dots: int) -> Image.Image:
        """The raster parts only, placed on a page ``dots`` wide (mode "1", ink = 1)."""
        page = Image.new("1", (dots, max(1, self.height)), 0)
        for item in self.images:
            page.paste(item.image, (item.x, item.y))
        return page


class DecodeError(ValueError):
    pass
