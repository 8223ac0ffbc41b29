"""Column-mapping profiles of the CMIS debt extract (pure, stdlib).

No public template of the extract exists, so the station never hard-codes header names: a profile
(a JSON data file, ``resources/profiles/<name>.json``, one per power company) maps each
*canonical field* below to the header names ("aliases") a company's files use. A new company is
supported by adding a JSON file, without code changes.

File shape (unknown top-level sections, e.g. the export helper's ``"clearing"``, and unknown keys
inside ``"extract"`` are ignored, so one file can describe both directions)::

    {
      "name": "default",
      "label": "CMIS (EVN) – tên trường chuẩn",
      "extract": {
        "columns": {"MA_KHANG": ["MA_KHANG", "Mã khách hàng", "Mã KH"], ...},
        "true_values": ["1", "x", "có", "true"],
        "footer_markers": ["tổng cộng", "cộng", "total"],
        "header_scan_rows": 50,
        "code_pattern": "P[A-Z][0-9A-Z]{4}[0-9]{7}",
        "default_ky": 1,
        "max_rejected_ratio": 0.5,
        "max_bill_amount": 10000000000,
        "max_empty_run": 1000
      }
    }

Header matching ignores case, spaces, underscores, dots and Vietnamese diacritics ("Mã khách
hàng", "MA KHACH HANG" and "ma_khach_hang" are the same header), see :func:`header_key`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cashier.core.customer_code import DEFAULT_PATTERN
from cashier.core.errors import FileRefused
from cashier.core.money import MAX_BILL_AMOUNT, MAX_NUMBER
from cashier.core.vntext import fold

#: Canonical fields: (name, meaning). The order is the order of the default extract's columns.
FIELDS: tuple[tuple[str, str], ...] = (
    ("MA_DVIQLY", "managing unit code (Điện lực)"),
    ("MA_KHANG", "customer code"),
    ("TEN_KHANG", "customer name"),
    ("DIA_CHI", "address"),
    ("SO_DTHOAI", "phone"),
    ("MA_SOGCS", "meter-reading book"),
    ("STT", "position in the meter-reading book"),
    ("ID_HDON", "bill (invoice) id"),
    ("KY", "period number within the month"),
    ("THANG", "month"),
    ("NAM", "year"),
    ("DIEN_TTHU", "kWh billed"),
    ("SO_TIEN", "amount before VAT"),
    ("TIEN_GTGT", "VAT"),
    ("TONG_TIEN", "total"),
    ("KIHIEU_SERY", "invoice series"),
    ("SO_SERY", "invoice number"),
    ("CS_DKY", "meter reading at the start"),
    ("CS_CKY", "meter reading at the end"),
    ("CHI_TIET_BAC", "optional tier detail: 'kwh x price[=amount]' items separated by ';'"),
    ("MA_THE", "optional card code printed on the customer's card"),
    ("CAT_DIEN", "optional flag: disconnected for debt"),
    ("DA_THANH_TOAN", "optional marker: bill settled elsewhere (bank, intermediary)"),
)
FIELD_NAMES: tuple[str, ...] = tuple(name for name, _ in FIELDS)

#: Fields every extract must have (the others are optional; see ``extract.bills`` for defaults).
REQUIRED: frozenset[str] = frozenset(
    {"MA_KHANG", "TEN_KHANG", "ID_HDON", "THANG", "NAM", "TONG_TIEN"}
)

DEFAULT_TRUE_VALUES = ("1", "x", "có", "co", "c", "true", "yes", "y", "đã cắt", "da cat", "đã tt")
DEFAULT_FOOTER_MARKERS = ("tổng cộng", "tổng", "cộng", "total", "tong cong")

_KEY_STRIP = re.compile(r"[\s_.\-/()#:]+")


def header_key(text: object) -> str:
    """Comparison key of a header cell: folded (no case, no diacritics), no spaces/_/./-."""
    if text is None:
        return ""
    return _KEY_STRIP.sub("", fold(str(text)))


@dataclass(frozen=True)
class ExtractProfile:
    """How one power company's debt extract names its columns."""

    name: str
    label: str = ""
    #: canonical field -> header names accepted for it (first = the name the writer uses)
    columns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    true_values: tuple[str, ...] = DEFAULT_TRUE_VALUES
    footer_markers: tuple[str, ...] = DEFAULT_FOOTER_MARKERS
    header_scan_rows: int = 50
    code_pattern: str = DEFAULT_PATTERN
    default_ky: int = 1
    #: refuse the whole file when more than this share of its data rows are bad
    max_rejected_ratio: float = 0.5
    #: a bill whose TONG_TIEN (or SO_TIEN, TIEN_GTGT) is over this many đồng is rejected
    max_bill_amount: int = MAX_BILL_AMOUNT
    #: this many empty rows in a row (or a sheet that declares this many rows more than it
    #: holds) is a short read of a damaged file, not a real extract: the file is refused
    max_empty_run: int = 1_000

    def __post_init__(self) -> None:
        unknown = sorted(set(self.columns) - set(FIELD_NAMES))
        if unknown:
            raise FileRefused("profile.invalid", name=self.name, detail=f"unknown fields {unknown}")
        missing = sorted(REQUIRED - set(self.columns))
        if missing:
            raise FileRefused(
                "profile.invalid", name=self.name, detail=f"required fields not mapped: {missing}"
            )
        try:
            re.compile(self.code_pattern)
        except re.error as exc:
            raise FileRefused("profile.invalid", name=self.name, detail=f"code_pattern: {exc}") from None
        if not 0 < self.max_bill_amount <= MAX_NUMBER:
            raise FileRefused(
                "profile.invalid", name=self.name, detail=f"max_bill_amount over {MAX_NUMBER:,}"
            )
        if self.max_empty_run < 1:
            raise FileRefused("profile.invalid", name=self.name, detail="max_empty_run < 1")

    # -- lookups --------------------------------------------------------------------------------
    def header_name(self, canonical: str) -> str:
        """The header a writer puts in the file for ``canonical`` (first alias)."""
        aliases = self.columns.get(canonical)
        return aliases[0] if aliases else canonical

    def alias_keys(self) -> dict[str, str]:
        """header_key(alias) -> canonical field (the canonical name itself is always an alias)."""
        keys: dict[str, str] = {}
        for canonical in FIELD_NAMES:
            if canonical not in self.columns:
                continue
            for alias in (*self.columns[canonical], canonical):
                keys.setdefault(header_key(alias), canonical)
        return keys

    def true_keys(self) -> frozenset[str]:
        return frozenset(fold(v) for v in self.true_values)

    def footer_keys(self) -> tuple[str, ...]:
        return tuple(fold(v) for v in self.footer_markers)

    # -- (de)serialisation ----------------------------------------------------------------------
    @classmethod
    def from_dict(cls, data: Mapping[str, Any], name: str | None = None) -> ExtractProfile:
        """Build from a parsed profile file; only the ``extract`` section is read."""
        pname = str(name or data.get("name") or "profile")
        if not isinstance(data, Mapping):
            raise FileRefused("profile.invalid", name=pname, detail="not a JSON object")
        section = data.get("extract")
        if not isinstance(section, Mapping):
            raise FileRefused("profile.invalid", name=pname, detail='no "extract" section')
        raw_cols = section.get("columns")
        if not isinstance(raw_cols, Mapping):
            raise FileRefused("profile.invalid", name=pname, detail='"extract.columns" missing')
        columns: dict[str, tuple[str, ...]] = {}
        for key, value in raw_cols.items():
            aliases = [value] if isinstance(value, str) else value
            if not isinstance(aliases, list | tuple) or not all(isinstance(a, str) for a in aliases):
                raise FileRefused(
                    "profile.invalid", name=pname, detail=f"column {key!r}: expected a list of names"
                )
            columns[str(key).upper()] = tuple(aliases) or (str(key).upper(),)
        kwargs: dict[str, Any] = {}
        for key, conv in (
            ("true_values", _str_tuple),
            ("footer_markers", _str_tuple),
            ("header_scan_rows", int),
            ("code_pattern", str),
            ("default_ky", int),
            ("max_rejected_ratio", float),
            ("max_bill_amount", _whole),
            ("max_empty_run", _whole),
        ):
            if key in section:
                try:
                    kwargs[key] = conv(section[key])
                except (TypeError, ValueError):
                    raise FileRefused("profile.invalid", name=pname, detail=f"bad {key!r}") from None
        return cls(name=pname, label=str(data.get("label", "")), columns=columns, **kwargs)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": self.label,
            "extract": {
                "columns": {k: list(v) for k, v in self.columns.items()},
                "true_values": list(self.true_values),
                "footer_markers": list(self.footer_markers),
                "header_scan_rows": self.header_scan_rows,
                "code_pattern": self.code_pattern,
                "default_ky": self.default_ky,
                "max_rejected_ratio": self.max_rejected_ratio,
                "max_bill_amount": self.max_bill_amount,
                "max_empty_run": self.max_empty_run,
            },
        }


def _whole(value: object) -> int:
    """A whole number from JSON (10000000000 or "10.000.000.000"; not 1.5, not true)."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, str):
        value = value.replace(".", "").replace(",", "").replace("_", "").strip()
        if not (value.isascii() and value.isdigit()):
            raise ValueError(value)
    number = int(value)  # type: ignore[call-overload]
    if number != value and not isinstance(value, str):
        raise ValueError(value)
    return number


def _str_tuple(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value)
    raise TypeError("expected a list of strings")


def load_profile(path: str | Path) -> ExtractProfile:
    """Read one profile file; refuse (FileRefused) a missing or malformed one."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise FileRefused("profile.not_found", name=path.stem, available="-") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FileRefused("profile.invalid", name=path.stem, detail=str(exc)) from None
    return ExtractProfile.from_dict(data, name=data.get("name") if isinstance(data, dict) else None)


def available_profiles(directory: str | Path) -> list[str]:
    directory = Path(directory)
    if not directory.is_dir():
        return []
    return sorted(p.stem for p in directory.glob("*.json"))


def find_profile(directory: str | Path, name: str | None = None) -> ExtractProfile:
    """The profile ``name`` (default ``"default"``) from ``directory``."""
    name = name or "default"
    candidate = Path(name)
    if candidate.suffix == ".json" and candidate.is_file():
        return load_profile(candidate)
    path = Path(directory) / f"{name}.json"
    if not path.is_file():
        raise FileRefused(
            "profile.not_found", name=name, available=", ".join(available_profiles(directory)) or "-"
        )
    return load_profile(path)


def default_profile() -> ExtractProfile:
    """The CMIS field-name profile built in code (same as resources/profiles/default.json)."""
    return ExtractProfile(name="default", label="CMIS", columns={f: (f,) for f in FIELD_NAMES})


def canonical_order(names: Iterable[str]) -> list[str]:
    order = {n: i for i, n in enumerate(FIELD_NAMES)}
    return sorted(names, key=lambda n: order.get(n, len(order)))
