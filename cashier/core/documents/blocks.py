"""The blocks a :class:`Document` is made of (text, "label .... value" pairs, rules, CODE128,
QR, images, feeds, a cut) and the document itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Align = Literal["left", "center", "right"]
Size = Literal["normal", "tall", "double"]


@dataclass(frozen=True, slots=True)
class Text:
    text: str
    align: Align = "left"
    bold: bool = False
    size: Size = "normal"


@dataclass(frozen=True, slots=True)
class Pair:
    """'label ........ value' on one line (value right-aligned); wraps to two lines if long."""

    label: str
    value: str
    bold: bool = False
    size: Size = "normal"
    fill: str = " "


@dataclass(frozen=True, slots=True)
class Rule:
    char: str = "-"


@dataclass(frozen=True, slots=True)
class Barcode:
    """CODE128 (code set B), human-readable text below."""

    data: str
    height: int = 64  # dots
    hri: bool = True


@dataclass(frozen=True, slots=True)
class QR:
    data: str
    size_mm: int = 25  # printed size; renderers pick the module size from it
    ecc: str = "M"
    caption: str = ""


@dataclass(frozen=True, slots=True)
class Image:
    """A 1-bit bitmap, rows packed MSB first, ``width`` dots (for logos)."""

    name: str
    width: int
    height: int
    data: bytes


@dataclass(frozen=True, slots=True)
class Feed:
    lines: int = 1


@dataclass(frozen=True, slots=True)
class Cut:
    partial: bool = True


Block = Text | Pair | Rule | Barcode | QR | Image | Feed | Cut


@dataclass(frozen=True, slots=True)
class Document:
    kind: str  # receipt | notice | shift_report | reconnection | test | card
    blocks: tuple[Block, ...]
    title: str = ""
    #: cash payments open the drawer after printing
    kick_drawer: bool = False

    def texts(self) -> list[str]:
        """Every text the document prints (for tests and previews)."""
        out = []
        for b in self.blocks:
            if isinstance(b, Text):
                out.append(b.text)
            elif isinstance(b, Pair):
                out.extend([b.label, b.value])
        return out
