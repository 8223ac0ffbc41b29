"""Opening a debt extract file: the ``ExtractReader`` port of ``cashier.services.cache_ports``.

``open_extract(path)`` returns an ``ExtractSource`` whose ``rows()`` yields
``(row_number, cells)`` with spreadsheet row numbers (1-based).

csv
    :class:`~cashier.db.readers.csv_source.CsvSource` (encoding and delimiter sniffed by
    :mod:`cashier.core.csv_sniff`).
xlsx
    Three readers. python-calamine (Rust; 23.7 s and 1.8 GB peak for 1M rows x 22 columns here:
    it loads the whole sheet); :class:`~cashier.db.readers.xlsx_stream.StreamingXlsxSource`
    (this project's own streaming parser: inflate a few MB at a time, one regular expression
    per row, ElementTree for the unusual rows; 20.3 s and 49 MB on that file vs calamine 20.7 s
    in the same run, bench/bench_xlsx_reader.py); openpyxl read_only (streams, but ~20x slower
    than calamine). The default engine "auto" uses calamine while its estimated peak fits the
    memory budget (800 MB), else the streaming reader. Before any parser touches the file the
    one guard for untrusted spreadsheets (:func:`cashier.core.xlsx_guard.check_xlsx`) refuses
    zip and XML bombs, damaged and non-xlsx files. openpyxl and the streaming reader's slow path
    parse through defusedxml.

Every refusal is a :class:`~cashier.core.errors.FileRefused` with English and Vietnamese text:
never a traceback, never a hang.
"""

from __future__ import annotations

from pathlib import Path

from cashier.core.errors import FileRefused
from cashier.core.xlsx_guard import DEFAULT_LIMITS, XlsxLimits, check_xlsx
from cashier.db.readers.csv_source import CsvSource
from cashier.db.readers.source import ExtractSource
from cashier.db.readers.xlsx_sources import (
    DEFAULT_MEMORY_BUDGET_MB,
    CalamineXlsxSource,
    OpenpyxlXlsxSource,
    estimate_calamine_mb,
)
from cashier.db.readers.xlsx_stream import StreamingXlsxSource

XLSX_ENGINES = ("auto", "calamine", "stream", "openpyxl")


class ExtractLoader:
    """The ``ExtractReader`` port: opens csv/xlsx files.

    ``xlsx_engine``: "calamine" (fast; loads the sheet), "stream" (this project's streaming
    reader: as fast or faster, bounded memory), "openpyxl" (streams; ~20x slower) or "auto" (the
    default): calamine unless its estimated peak memory is over ``memory_budget_mb``, then the
    streaming reader, with a note in the import's warnings.
    """

    def __init__(
        self,
        xlsx_engine: str = "auto",
        limits: XlsxLimits = DEFAULT_LIMITS,
        memory_budget_mb: float = DEFAULT_MEMORY_BUDGET_MB,
    ) -> None:
        if xlsx_engine not in XLSX_ENGINES:
            raise ValueError(f"unknown xlsx engine {xlsx_engine!r}")
        self.xlsx_engine = xlsx_engine
        self.limits = limits
        self.memory_budget_mb = memory_budget_mb

    def open(self, path: str | Path) -> ExtractSource:
        return open_extract(
            path,
            xlsx_engine=self.xlsx_engine,
            limits=self.limits,
            memory_budget_mb=self.memory_budget_mb,
        )


def open_extract(
    path: str | Path,
    *,
    xlsx_engine: str = "auto",
    limits: XlsxLimits = DEFAULT_LIMITS,
    memory_budget_mb: float = DEFAULT_MEMORY_BUDGET_MB,
) -> ExtractSource:
    path = Path(path)
    if not path.is_file():
        raise FileRefused("file.missing", path=str(path))
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return CsvSource(path)
    if suffix in (".xlsx", ".xlsm"):
        if xlsx_engine not in XLSX_ENGINES:
            raise ValueError(f"unknown xlsx engine {xlsx_engine!r}")
        if xlsx_engine == "openpyxl":
            return OpenpyxlXlsxSource(path, limits)
        if xlsx_engine == "stream":
            return StreamingXlsxSource(path, limits)
        if xlsx_engine == "auto":
            sheets = check_xlsx(path, limits, inflate=False)  # the archive, declared sizes
            need = estimate_calamine_mb(path)
            if need > memory_budget_mb:
                streaming = StreamingXlsxSource(path, limits, checked=sheets)
                streaming.warnings.append(
                    f"large workbook: read with the streaming reader because calamine would "
                    f"need ~{need:,.0f} MB (budget {memory_budget_mb:,.0f} MB)"
                )
                return streaming
        return CalamineXlsxSource(path, limits)  # runs the whole guard first
    if suffix == ".xls":
        raise FileRefused("xlsx.old_xls", name=path.name)
    raise FileRefused("file.format", name=path.name, suffix=suffix or "(none)")
