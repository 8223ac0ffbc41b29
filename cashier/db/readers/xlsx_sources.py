"""A debt extract in xlsx through python-calamine (fast; loads the whole sheet) or openpyxl
read_only (streams; ~20x slower). The guard (:func:`cashier.core.xlsx_guard.check_xlsx`) runs
first; what the parser read is then checked against the sheet's XML (:mod:`.sheet_facts`)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from cashier.core.errors import FileRefused
from cashier.core.messages import Message
from cashier.core.xlsx_guard import DEFAULT_LIMITS, XlsxLimits, check_xlsx
from cashier.db.readers.sheet_facts import SheetFacts, checked_rows, short_detail
from cashier.db.readers.source import ExtractSource
from cashier.db.readers.workbook_parts import first_sheet


class CalamineXlsxSource(ExtractSource):
    """xlsx through python-calamine (loads the sheet in Rust, then yields rows)."""

    kind = "xlsx"

    def __init__(self, path: Path, limits: XlsxLimits = DEFAULT_LIMITS) -> None:
        super().__init__(path)
        self._edges: dict[str, tuple[bytes, bytes]] = {}
        self.sheets = check_xlsx(path, limits, edges=self._edges)
        self.limits = limits
        self._done = 0
        self._total = 0

    def _sheet_facts(self) -> SheetFacts | None:
        """The facts of the sheet calamine reads (the first in workbook order)."""
        if len(self._edges) == 1:
            return SheetFacts.of(next(iter(self._edges.values())))
        with zipfile.ZipFile(self.path) as zf:
            part = first_sheet(zf, self.name, [])
        edges = self._edges.get(part)
        return SheetFacts.of(edges) if edges is not None else None

    def rows(self) -> Iterator[tuple[int, Sequence[Any]]]:
        """Rows as calamine gives them, then checked against the sheet's XML: calamine can stop
        early on damaged XML without an error (issue 11), so a sheet whose XML does not end,
        whose last row with a value was not reached, or whose dimension declares more rows
        than the XML holds is refused (``xlsx.short_read``)."""
        facts = self._sheet_facts()
        if facts is not None and not facts.ends:
            raise FileRefused(
                "xlsx.short_read",
                name=self.name,
                detail=Message("xlsx.short.no_end"),
            )
        yield from checked_rows(self.name, self._calamine_rows(), facts)

    def _calamine_rows(self) -> Iterator[tuple[int, Sequence[Any]]]:
        import python_calamine as pc

        try:
            wb = pc.CalamineWorkbook.from_path(str(self.path))
            sheet = wb.get_sheet_by_index(0)
        except Exception as exc:  # calamine raises its own error types for broken content
            raise FileRefused("xlsx.unreadable", name=self.name, detail=short_detail(exc)) from None
        if len(wb.sheet_names) > 1:
            self.warnings.append(
                f"read the first sheet {wb.sheet_names[0]!r} of {len(wb.sheet_names)}"
            )
        start = sheet.start
        first_row = (start[0] if start else 0) + 1
        self._total = sheet.height
        try:
            for offset, row in enumerate(sheet.iter_rows()):
                self._done = offset + 1
                yield first_row + offset, row
        except Exception as exc:
            raise FileRefused("xlsx.unreadable", name=self.name, detail=short_detail(exc)) from None
        finally:
            wb.close()

    def progress(self) -> tuple[int, int]:
        return (self._done, self._total)


class OpenpyxlXlsxSource(ExtractSource):
    """xlsx through openpyxl read_only (streams, little memory, ~15-35x slower than calamine)."""

    kind = "xlsx"

    def __init__(
        self, path: Path, limits: XlsxLimits = DEFAULT_LIMITS, checked: list[str] | None = None
    ) -> None:
        super().__init__(path)
        self._edges: dict[str, tuple[bytes, bytes]] = {}
        self.sheets = checked if checked is not None else check_xlsx(path, limits, edges=self._edges)
        self._done = 0
        self._total = 0

    def rows(self) -> Iterator[tuple[int, Sequence[Any]]]:
        """openpyxl's rows, checked against the sheet's XML as calamine's are."""
        edges = list(self._edges.values())
        facts = SheetFacts.of(edges[0]) if len(edges) == 1 else None
        yield from checked_rows(self.name, self._openpyxl_rows(), facts)

    def _openpyxl_rows(self) -> Iterator[tuple[int, Sequence[Any]]]:
        import openpyxl

        try:
            wb = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
            ws = wb.worksheets[0]
        except Exception as exc:
            raise FileRefused("xlsx.unreadable", name=self.name, detail=short_detail(exc)) from None
        self._total = ws.max_row or 0
        try:
            # read_only iter_rows fills the gaps of missing rows, so enumerate gives row numbers
            for rownum, row in enumerate(ws.iter_rows(min_row=1, values_only=True), 1):
                self._done = rownum
                yield rownum, row
        except Exception as exc:
            raise FileRefused("xlsx.unreadable", name=self.name, detail=short_detail(exc)) from None
        finally:
            wb.close()

    def progress(self) -> tuple[int, int]:
        return (self._done, self._total)


#: calamine loads the whole sheet: measured peak ~1.65x the inflated sheet XML (1.1 GB of
#: inline-string XML, 1M rows x 22 columns -> 1.8 GB). Estimated with some margin:
CALAMINE_BYTES_PER_XML_BYTE = 2.0
CALAMINE_BYTES_PER_SST_BYTE = 3.0
DEFAULT_MEMORY_BUDGET_MB = 800


def estimate_calamine_mb(path: Path) -> float:
    """Peak memory calamine would need for the first sheet (after :func:`check_xlsx`)."""
    with zipfile.ZipFile(path) as zf:
        sizes = {i.filename: i.file_size for i in zf.infolist()}
    sheets = sorted(n for n in sizes if n.startswith("xl/worksheets/") and n.endswith(".xml"))
    sheet = sizes.get("xl/worksheets/sheet1.xml", sizes[sheets[0]] if sheets else 0)
    sst = sizes.get("xl/sharedStrings.xml", 0)
    return (sheet * CALAMINE_BYTES_PER_XML_BYTE + sst * CALAMINE_BYTES_PER_SST_BYTE) / 1e6 + 80
