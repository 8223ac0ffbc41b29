"""Small pieces of SpreadsheetML every xlsx reader here needs: column letters, tag names, the
text of a shared or inline string."""

from __future__ import annotations

import string
from typing import Any
from xml.etree.ElementTree import Element

MAX_COLUMN = 16_384  # XFD
LETTERS = string.ascii_uppercase
COLUMN_NAMES = (
    list(LETTERS)
    + [a + b for a in LETTERS for b in LETTERS]
    + [a + b + c for a in LETTERS for b in LETTERS for c in LETTERS]
)[:MAX_COLUMN]
#: column letters (bytes) in order: a row's letters equal ``COLUMNS[:n]`` when it has no gap
COLUMNS = tuple(c.encode() for c in COLUMN_NAMES)
COLUMN_INDEX = {c: i for i, c in enumerate(COLUMN_NAMES)}


def local_name(tag: Any) -> str:
    """An XML tag without its namespace ("" for comments and processing instructions)."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def rich_text(el: Element) -> str:
    """Text of an ``<si>``/``<is>``: its ``<t>``, or its runs' ``<t>`` (phonetic runs left out)."""
    parts = []
    for child in el:
        name = local_name(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            for sub in child:
                if local_name(sub.tag) == "t":
                    parts.append(sub.text or "")
    return "".join(parts)
