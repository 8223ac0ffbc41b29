"""Which part of an xlsx is its first worksheet (workbook order, through the relationships)."""

from __future__ import annotations

import posixpath
import zipfile

from defusedxml import ElementTree as SafeET

from cashier.core.errors import FileRefused
from cashier.db.readers.sheet_facts import short_detail
from cashier.db.readers.xlsx_xml import local_name


def first_sheet(zf: zipfile.ZipFile, name: str, warnings: list[str]) -> str:
    """Part name of the first worksheet in workbook order (a note in ``warnings`` when there
    are several); ``name`` is the file's name for a refusal (``xlsx.unreadable``)."""

    def refused(detail: str) -> FileRefused:
        return FileRefused("xlsx.unreadable", name=name, detail=detail)

    try:
        book = SafeET.fromstring(zf.read("xl/workbook.xml"))
        rels = SafeET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except KeyError as exc:
        raise refused(f"missing part {exc}") from None
    except Exception as exc:  # ParseError, defusedxml's refusals
        raise refused(f"workbook.xml: {short_detail(exc)}") from None
    targets = {}
    for rel in rels:
        if local_name(rel.tag) == "Relationship" and rel.get("Type", "").endswith("/worksheet"):
            target = rel.get("Target", "")
            if target.startswith("/"):
                part = posixpath.normpath(target.lstrip("/"))
            else:
                part = posixpath.normpath(posixpath.join("xl", target))
            targets[rel.get("Id")] = part
    sheets = []
    for el in book.iter():
        if local_name(el.tag) == "sheet":
            rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), None)
            if rid in targets:
                sheets.append((el.get("name", "?"), targets[rid]))
    if not sheets:
        raise refused("the workbook lists no worksheet")
    if len(sheets) > 1:
        warnings.append(f"read the first sheet {sheets[0][0]!r} of {len(sheets)}")
    return sheets[0][1]
