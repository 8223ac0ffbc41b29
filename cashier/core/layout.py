"""Lay a printer-independent document out on a character grid (32 or 48 columns).

Every renderer (code-page text, raster, plain ASCII) prints the same laid-out lines, so a receipt
wraps identically in every mode. Text is counted in NFC characters: one Vietnamese letter is one
printer cell in every code page we use (and one glyph in the raster font).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

from cashier.core.documents import (
    QR,
    Barcode,
    Block,
    Cut,
    Document,
    Feed,
    Image,
    Pair,
    Rule,
    Text,
)

Align = Literal["left", "center", "right"]

#: printer geometry: paper width in mm -> (columns of font A, dots per line)
WIDTHS: dict[int, tuple[int, int]] = {58: (32, 384), 80: (48, 576)}


def geometry(width_mm: int) -> tuple[int, int]:
    try:
        return WIDTHS[int(width_mm)]
    except (KeyError, ValueError):
        raise ValueError(f"paper width must be 58 or 80 mm, not {width_mm!r}") from None


@dataclass(frozen=True, slots=True)
class Line:
    """One printed line: ``left`` and optionally ``right`` (pushed to the right edge).

    ``size``: "normal", "tall" (double height) or "double" (double width and height: half as
    many columns). ``fill`` pads between left and right ("." for label .... value).
    """

    left: str
    right: str = ""
    align: Align = "left"
    bold: bool = False
    size: str = "normal"
    fill: str = " "

    def cells(self, cols: int) -> int:
        return cols // 2 if self.size == "double" else cols

    def text(self, cols: int) -> str:
        """The line padded to the grid (what a text-mode printer prints, cell by cell)."""
        width = self.cells(cols)
        if self.right:
            gap = width - len(self.left) - len(self.right)
            if gap < 1:
                return (self.left + " " + self.right)[:width]
            pad = self.fill * gap
            if self.fill != " " and gap >= 3:
                pad = " " + self.fill * (gap - 2) + " "
            return self.left + pad + self.right
        if self.align == "center":
            return " " * ((width - len(self.left)) // 2) + self.left
        if self.align == "right":
            return " " * (width - len(self.left)) + self.left
        return self.left

    @property
    def plain(self) -> str:
        return self.left + (" " + self.right if self.right else "")


Laid = Line | Barcode | QR | Image | Feed | Cut


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def wrap(text: str, width: int) -> list[str]:
    """Word-wrap to ``width`` cells; words longer than a line are cut."""
    text = _nfc(text)
    out: list[str] = []
    for para in text.split("\n"):
        words = para.split()
        if not words:
            out.append("")
            continue
        line = ""
        for word in words:
            while len(word) > width:
                if line:
                    out.append(line)
                    line = ""
                out.append(word[:width])
                word = word[width:]
            if not line:
                line = word
            elif len(line) + 1 + len(word) <= width:
                line += " " + word
            else:
                out.append(line)
                line = word
        if line:
            out.append(line)
    return out


def _text_lines(block: Text, cols: int) -> list[Line]:
    size = block.size
    width = cols // 2 if size == "double" else cols
    if size == "double" and len(_nfc(block.text)) > width:
        size, width = "tall", cols  # too long for double width: keep the height only
    return [Line(part, align=block.align, bold=block.bold, size=size) for part in wrap(block.text, width)]


def _pair_lines(block: Pair, cols: int) -> list[Line]:
    label, value = _nfc(block.label), _nfc(block.value)
    size = block.size
    width = cols // 2 if size == "double" else cols
    if len(label) + len(value) + 1 <= width:
        return [Line(label, value, bold=block.bold, size=size, fill=block.fill)]
    if size == "double":
        return _pair_lines(Pair(block.label, block.value, bold=block.bold, size="tall", fill=block.fill), cols)
    # label on its own line(s), the value right-aligned below
    lines = [Line(part, bold=block.bold, size=size) for part in wrap(label, width)]
    for part in wrap(value, width):
        lines.append(Line(part, align="right", bold=block.bold, size=size))
    return lines


def lay_out(doc: Document, width_mm: int, cols: int | None = None) -> list[Laid]:
    """Lines for the paper width; ``cols`` overrides the columns (printers with fewer than 32/48)."""
    if cols is None:
        cols, _dots = geometry(width_mm)
    out: list[Laid] = []
    for block in doc.blocks:
        out.extend(lay_out_block(block, cols))
    return out


def lay_out_block(block: Block, cols: int) -> list[Laid]:
    if isinstance(block, Text):
        return list(_text_lines(block, cols))
    if isinstance(block, Pair):
        return list(_pair_lines(block, cols))
    if isinstance(block, Rule):
        return [Line(block.char * cols)]
    return [block]


def plain_text(doc: Document, width_mm: int = 80) -> str:
    """The document as text (for logs, the UI preview and tests)."""
    cols, _ = geometry(width_mm)
    rows: list[str] = []
    for item in lay_out(doc, width_mm):
        if isinstance(item, Line):
            rows.append(item.text(cols).rstrip())
        elif isinstance(item, Barcode):
            rows.append(f"[CODE128 {item.data}]")
        elif isinstance(item, QR):
            rows.append(f"[QR {item.data}]")
        elif isinstance(item, Image):
            rows.append(f"[image {item.name}]")
        elif isinstance(item, Feed):
            rows.extend([""] * item.lines)
    return "\n".join(rows)
