"""Writing debt extracts to csv/xlsx: demo data, and messy test fixtures.

``write_table`` writes whatever rows it is given (title rows above the header, a footer, odd
cell values) so tests can build the messy files real CMIS extracts are. xlsx goes through
openpyxl's write_only mode; every ``str`` stays a text cell (a value starting with "=" would
otherwise become a formula, and codes such as "0012345" must not turn into numbers).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from cashier.core.demo_data import DEMO_FIELDS, generate_rows

Progress = Callable[[int, int, str], None]


def write_table(
    path: str | Path,
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    title_rows: Iterable[Sequence[Any]] = (),
    footer_rows: Iterable[Sequence[Any]] = (),
    encoding: str = "utf-8-sig",
    delimiter: str = ",",
    sheet_title: str = "No",
    progress: Progress | None = None,
    total: int = 0,
) -> int:
    """Write ``title_rows``, ``header``, ``rows``, ``footer_rows`` to csv or xlsx (by suffix).

    Returns the number of data rows written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _write_csv(
            path, header, rows, title_rows, footer_rows, encoding, delimiter, progress, total
        )
    if suffix in (".xlsx", ".xlsm"):
        return _write_xlsx(path, header, rows, title_rows, footer_rows, sheet_title, progress, total)
    raise ValueError(f"unsupported extract format {suffix!r} (use .csv or .xlsx)")


def _write_csv(path, header, rows, title_rows, footer_rows, encoding, delimiter, progress, total):
    count = 0
    with open(path, "w", encoding=encoding, newline="", errors="strict") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        for title in title_rows:
            writer.writerow(title)
        writer.writerow(header)
        write = writer.writerow
        for row in rows:
            write(row)
            count += 1
            if progress and count % 50_000 == 0:
                progress(count, total, "write")
        for footer in footer_rows:
            writer.writerow(footer)
    return count


def _write_xlsx(path, header, rows, title_rows, footer_rows, sheet_title, progress, total):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=sheet_title)

    def cells(values: Sequence[Any]) -> list[Any]:
        out = []
        for v in values:
            if isinstance(v, str) and v[:1] in ("=", "+", "-", "@"):
                cell = WriteOnlyCell(ws, value=v)
                cell.data_type = "s"  # text, never a formula
                out.append(cell)
            else:
                out.append(v)
        return out

    for title in title_rows:
        ws.append(cells(title))
    ws.append(cells(header))
    count = 0
    append = ws.append
    for row in rows:
        if any(isinstance(v, str) and v[:1] in ("=", "+", "-", "@") for v in row):
            append(cells(row))
        else:
            append(list(row))
        count += 1
        if progress and count % 20_000 == 0:
            progress(count, total, "write")
    for footer in footer_rows:
        ws.append(cells(footer))
    wb.save(path)
    return count


def demo_header(column_names: dict[str, str] | None = None) -> list[str]:
    """Header of a demo extract: canonical names, or the names a profile gives them."""
    names = column_names or {}
    return [names.get(f, f) for f in DEMO_FIELDS]


def write_demo_extract(
    path: str | Path,
    customers: int,
    seed: int = 1,
    *,
    column_names: dict[str, str] | None = None,
    title: bool = True,
    progress: Progress | None = None,
) -> int:
    """Generate a realistic extract for ``customers`` customers into csv/xlsx; return bill rows.

    ``column_names`` maps canonical fields to a profile's header names (default: CMIS names).
    With ``title`` two title rows precede the header, as in real CMIS exports.
    """
    titles = (
        [["TỔNG CÔNG TY ĐIỆN LỰC MIỀN TRUNG - CÔNG TY ĐIỆN LỰC ĐẮK LẮK"], ["BẢNG KÊ NỢ TIỀN ĐIỆN"]]
        if title
        else []
    )
    estimate = int(customers * 1.7)
    return write_table(
        path,
        demo_header(column_names),
        generate_rows(customers, seed),
        title_rows=titles,
        progress=progress,
        total=estimate,
    )
