"""The customer of an extract row (pure, stdlib), parsed once per customer code: the plain
ASCII fields checked in one go, names and addresses cleaned and folded once each."""

from __future__ import annotations

import operator
import re
from collections.abc import Sequence
from typing import Any

from cashier.core.extract.cells import CellReader, FieldRejected, cell_text
from cashier.core.extract.layout import ColumnLayout

_CLEAN_ASCII = re.compile(r"(?:[!-~]+(?: [!-~]+)*)?(?:\x1f(?:[!-~]+(?: [!-~]+)*)?)*")


class CustomerReader:
    """The customer tuple (``columns.CUSTOMER_COLUMNS``) of a row whose code is valid."""

    def __init__(self, layout: ColumnLayout, reader: CellReader) -> None:
        self.reader = reader
        self.has_disconnected = layout.has_disconnected
        # customer fields in one C-level call; an absent column reads an always-empty slot
        self._get = operator.itemgetter(*layout.customer_slots)
        self._absent = [j for j, absent in enumerate(layout.customer_absent) if absent]

    def read(self, code: str, cells: Sequence[Any]) -> tuple:
        """The customer tuple of a row; a bad field raises :class:`FieldRejected`."""
        values = self._get(cells)
        if self._absent:
            values = list(values)
            for j in self._absent:
                values[j] = ""
        name, address, unit, phone, book, book_pos, card, disc_cell = values
        reader = self.reader
        text = reader.text
        # fast path: the plain ASCII fields are clean already (one check for all of them)
        plain: tuple[Any, ...] = (unit, phone, book, book_pos, card)
        try:
            joined = "\x1f".join(plain)
        except TypeError:  # Excel numbers (STT 12.0 -> "12"), None
            plain = tuple(v if v.__class__ is str else cell_text(v) for v in plain)
            joined = "\x1f".join(plain)
        if joined.isascii() and _CLEAN_ASCII.fullmatch(joined):
            unit, phone, book, book_pos, card = plain
        else:
            unit, phone, book, book_pos, card = map(text, plain)
        if name.__class__ is str and address.__class__ is str and reader.settled_probe:
            # text() has no side effect any more (probe over, no legacy text): clean and fold
            # each distinct name/address once (names repeat a lot, addresses several times)
            cache = reader.phrase_cache
            name, folded_name = cache.get(name) or reader.clean_fold(name)
            if not name:
                raise FieldRejected("TEN_KHANG", "", "row.required")
            address, folded_address = cache.get(address) or reader.clean_fold(address)
            if folded_name and folded_address:
                folded = folded_name + " " + folded_address
            else:
                folded = folded_name or folded_address
        else:
            name = text(name)
            if not name:
                raise FieldRejected("TEN_KHANG", "", "row.required")
            address = text(address)
            folded = reader.fold_words(f"{name} {address}")
        unit = unit.upper() or code[:6]
        if card:
            card = card.upper().replace(" ", "")
        disconnected = (
            (reader.flag(disc_cell) if disc_cell else 0) if self.has_disconnected else None
        )
        return (
            code, unit, name, address, phone, book, book_pos,
            disconnected, card, code.lower() + " " + folded,
        )  # fmt: skip
