"""The clearing file for CMIS in xlsx and csv, written through the column profile, and read back.

Writing: every cell is typed by the field it holds (``cashier.core.clearing.FIELD_TYPES``): codes,
ids and receipt numbers are text cells, amounts and periods integer cells, dates text in the
profile's format. Reading back (for ``verify-export``) uses a different reader than the writer:
python-calamine for xlsx, the csv module for csv.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.styles import Font

from cashier.core.clearing import (
    CONTROL_INT_KEYS,
    CONTROL_KEYS,
    FIELD_TYPES,
    ClearingProfile,
    ClearingRow,
    ControlBlock,
)
from cashier.core.clock import to_vn
from cashier.core.errors import FileRefused
from cashier.core.xlsx_guard import RESULT_LIMITS, check_xlsx
from cashier.export.xlsx import (
    SheetStream,
    int_cell,
    is_lossy,
    looks_like_formula,
    save_workbook,
    text_cell,
)


@dataclass
class Flag:
    row: int  # 1-based row number as a spreadsheet shows it (header = 1)
    column: str
    reason: str  # "formula-like" | "replaced-noncharacter"

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "reason": self.reason}


@dataclass
class WrittenFile:
    path: Path
    kind: str  # xlsx | csv
    flags: list[Flag] = field(default_factory=list)


def _getter(fld: str, profile: ClearingProfile):
    """A function row -> the value a cell of ``fld`` holds: text (str) or integer (int)."""
    kind = FIELD_TYPES[fld]
    if fld == "kind":
        codes = dict(profile.kind_codes)
        return lambda r: codes[r.kind]
    if fld == "method":
        return lambda r: profile.method_code(r.method)
    if kind == "int":
        return lambda r: int(getattr(r, fld))
    if kind == "datetime":
        fmt = profile.date_format
        return lambda r: to_vn(getattr(r, fld)).strftime(fmt)
    return lambda r: "" if getattr(r, fld) is None else str(getattr(r, fld))


def cell_value(row: ClearingRow, fld: str, profile: ClearingProfile) -> str | int:
    """The value a cell of ``fld`` holds for ``row``: text (str) or integer (int)."""
    return _getter(fld, profile)(row)


def column_types(profile: ClearingProfile) -> list[str]:
    return ["int" if FIELD_TYPES[c.field] == "int" else "text" for c in profile.columns]


def table(rows: Sequence[ClearingRow], profile: ClearingProfile) -> list[list[str | int]]:
    """Every row as the list of cell values the files hold (the expected content for verify)."""
    getters = [_getter(c.field, profile) for c in profile.columns]
    return [[g(r) for g in getters] for r in rows]


_TRIGGER_CHARS = frozenset("=+-@\t\r")


def flags_for(cells: Sequence[Sequence[str | int]], profile: ClearingProfile) -> list[Flag]:
    headers = profile.header()
    text_cols = [i for i, t in enumerate(column_types(profile)) if t == "text"]
    flags = []
    for n, values in enumerate(cells, start=2):
        for i in text_cols:
            value = values[i]
            if not isinstance(value, str) or not value:  # a number is never formula-like
                continue
            if value[0] in _TRIGGER_CHARS:
                flags.append(Flag(n, headers[i], "formula-like"))
            elif not value.isascii() and is_lossy(value):
                flags.append(Flag(n, headers[i], "replaced-noncharacter"))
    return flags


def _control_values(control: ControlBlock) -> list[tuple[str, str | int]]:
    data = control.as_dict()
    return [(k, data[k]) for k in CONTROL_KEYS]


def write_xlsx(
    out: IO[bytes] | str,
    rows: Sequence[ClearingRow],
    control: ControlBlock,
    profile: ClearingProfile,
    when: datetime,
    cells: Sequence[Sequence[str | int]] | None = None,
) -> None:
    """The data sheet (streamed, typed) and a control sheet, reproducibly stamped with ``when``."""
    cells = table(rows, profile) if cells is None else cells
    wb = Workbook(write_only=True)
    wb.create_sheet(profile.sheet_name)  # placeholder: its XML is streamed below
    ctl = wb.create_sheet(profile.control_sheet_name)
    bold = {"font": Font(bold=True)}
    ctl.append([text_cell(ctl, "KEY", bold), text_cell(ctl, "VALUE", bold), text_cell(ctl, "LABEL", bold)])
    for key, value in _control_values(control):
        val = int_cell(ctl, value) if key in CONTROL_INT_KEYS else text_cell(ctl, str(value))
        ctl.append([text_cell(ctl, key), val, text_cell(ctl, profile.control_label(key))])
    types = column_types(profile)
    widths = [max(10, min(40, len(h) + 4)) for h in profile.header()]
    stream = SheetStream(types, widths)

    def produce(dst: IO[bytes]) -> None:
        stream.write(dst, profile.header(), cells)

    save_workbook(wb, out, when, streams={profile.sheet_name: produce})


def csv_guard(text: str) -> str:
    """Make a csv text field inert: a leading apostrophe before = + - @ tab CR (reversible)."""
    if not text or (text[0] not in _TRIGGER_CHARS and text[0] != "'"):
        return text
    if text.startswith("'") and looks_like_formula(text.lstrip("'")):
        return "'" + text
    if looks_like_formula(text):
        return "'" + text
    return text


def csv_unguard(text: str) -> str:
    if text.startswith("'") and looks_like_formula(text.lstrip("'")):
        return text[1:]
    return text


def write_csv(
    out: IO[bytes],
    rows: Sequence[ClearingRow],
    profile: ClearingProfile,
    cells: Sequence[Sequence[str | int]] | None = None,
) -> None:
    """UTF-8 with BOM (so Excel opens Vietnamese correctly), CRLF, the profile's delimiter."""
    cells = table(rows, profile) if cells is None else cells
    text = io.TextIOWrapper(out, encoding=profile.csv_encoding, newline="", write_through=False)
    writer = csv.writer(text, delimiter=profile.csv_delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(profile.header())
    for values in cells:
        writer.writerow([v if isinstance(v, int) else csv_guard(v) for v in values])
    text.flush()
    text.detach()


# -- reading back ----------------------------------------------------------------------------


@dataclass
class ReadBack:
    kind: str
    header: list[str]
    rows: list[list[Any]]  # cells as read: str, int or float
    control: dict[str, Any] | None  # from the control sheet (xlsx only)


def read_sheet_rows(path: Path, sheet: str | None) -> tuple[list[list[Any]], list[str]]:
    """All rows of ``sheet`` (or the first sheet) with python-calamine; also the sheet names.

    The file is checked by :func:`cashier.core.xlsx_guard.check_xlsx` first (zip and XML bombs,
    damaged or non-xlsx files are refused with its ``xlsx.*`` codes)."""
    import python_calamine

    check_xlsx(path, RESULT_LIMITS)  # the one guard for untrusted spreadsheets
    try:
        wb = python_calamine.CalamineWorkbook.from_path(str(path))
        names = list(wb.sheet_names)
        if sheet is None:
            sheet = names[0]
        if sheet not in names:
            raise FileRefused("clearing.no_sheet", file=path.name, sheet=sheet)
        rows = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except FileRefused:
        raise
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise FileRefused("clearing.unreadable", file=path.name, kind="xlsx", detail=str(exc)[:200]) from None
    return [list(r) for r in rows], names


def read_csv_rows(path: Path, delimiter: str, encoding: str) -> list[list[str]]:
    try:
        with open(path, encoding=encoding, newline="") as fh:
            return [row for row in csv.reader(fh, delimiter=delimiter, strict=True)]
    except (UnicodeDecodeError, csv.Error) as exc:
        raise FileRefused("clearing.unreadable", file=path.name, kind="csv", detail=str(exc)[:200]) from None


def read_clearing(path: Path, profile: ClearingProfile) -> ReadBack:
    """Read a clearing file back as cells (xlsx by python-calamine, csv by the csv module)."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        raw = read_csv_rows(path, profile.csv_delimiter, profile.csv_encoding)
        header = raw[0] if raw else []
        types = column_types(profile)
        rows: list[list[Any]] = []
        for line in raw[1:]:
            cells: list[Any] = []
            for i, value in enumerate(line):
                kind = types[i] if i < len(types) else "text"
                if kind == "int" and _is_int_text(value):
                    cells.append(int(value))
                else:
                    cells.append(csv_unguard(value))
            rows.append(cells)
        return ReadBack("csv", header, rows, None)
    raw, names = read_sheet_rows(path, profile.sheet_name)
    while raw and all(v in ("", None) for v in raw[-1]):
        raw.pop()
    header = [str(v) for v in raw[0]] if raw else []
    while header and header[-1] == "":
        header.pop()
    rows = [[_normal(v) for v in r[: max(len(header), 1)]] for r in raw[1:]]
    control = None
    if profile.control_sheet_name in names:
        ctl_rows, _ = read_sheet_rows(path, profile.control_sheet_name)
        control = {}
        for r in ctl_rows[1:]:
            if len(r) >= 2 and isinstance(r[0], str) and r[0]:
                control[r[0]] = _normal(r[1])
    return ReadBack("xlsx", header, rows, control)


def _is_int_text(value: str) -> bool:
    v = value[1:] if value.startswith("-") else value
    return v.isdigit() and v.isascii()


def _normal(value: Any) -> Any:
    """calamine gives numbers as float: integral ones become int, others stay (and will differ)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
