"""Finding the header row of a debt extract below any title rows (pure, stdlib): header
names are matched through the profile, case/space/diacritics-insensitively."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cashier.core.errors import FileRefused
from cashier.core.extract.cells import cell_text, clean_text
from cashier.core.extract.profile import REQUIRED, ExtractProfile, canonical_order, header_key


@dataclass(frozen=True)
class HeaderInfo:
    """Where the header row is and which column holds which canonical field."""

    row: int  # 1-based row number of the header
    index: dict[str, int]  # canonical field -> 0-based column index
    headers: tuple[str, ...]  # the header cells as written in the file
    unmapped: tuple[str, ...] = ()  # non-empty header cells the profile does not know
    duplicates: tuple[str, ...] = ()  # fields found in more than one column (first kept)

    def column_name(self, canonical: str) -> str:
        i = self.index.get(canonical)
        if i is None or i >= len(self.headers):
            return canonical
        return self.headers[i] or canonical

    @property
    def width(self) -> int:
        return len(self.headers)



def locate_header(rows: Sequence[tuple[int, Sequence[Any]]], profile: ExtractProfile) -> HeaderInfo:
    """Find the header among the first rows (title rows above it are skipped).

    The header is the first row that names every required field; raise ``FileRefused`` with
    the closest row's missing columns otherwise.
    """
    if not rows:
        raise FileRefused("extract.empty")
    aliases = profile.alias_keys()
    best: tuple[int, int, list[str]] | None = None  # (matched, rownum, missing)
    for rownum, cells in rows[: profile.header_scan_rows]:
        index: dict[str, int] = {}
        dups: list[str] = []
        unmapped: list[str] = []
        for i, cell in enumerate(cells):
            key = header_key(cell_text(cell))
            if not key:
                continue
            canonical = aliases.get(key)
            if canonical is None:
                unmapped.append(cell_text(cell).strip())
            elif canonical in index:
                dups.append(canonical)
            else:
                index[canonical] = i
        missing = sorted(REQUIRED - set(index))
        if not missing:
            headers = tuple(clean_text(cell_text(c)) for c in cells)
            return HeaderInfo(
                row=rownum,
                index=index,
                headers=headers,
                unmapped=tuple(unmapped),
                duplicates=tuple(dups),
            )
        if best is None or len(index) > best[0]:
            best = (len(index), rownum, missing)
    assert best is not None
    raise FileRefused(
        "extract.no_header",
        scanned=min(len(rows), profile.header_scan_rows),
        missing=", ".join(canonical_order(best[2])),
        row=best[1],
        profile=profile.name,
    )

