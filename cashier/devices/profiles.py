"""Printer capability profiles from python-escpos' printer database (escpos-printer-db).

We read ``escpos/capabilities.json`` as data and never ``import escpos``: the import calls
``logging.basicConfig()`` and writes a pickle into a fresh temp directory every time
(DESIGN.md §4). The database tells us, per printer model, which ESC t numbers hold TCVN-3 and
CP1258, whether native QR (GS ( k) and CODE128 (GS k, barcodeB) exist, whether raster images
(GS v 0) work and the printable width in dots.
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from cashier.core.errors import DeviceError


@dataclass(frozen=True)
class Profile:
    name: str
    vendor: str = ""
    code_pages: dict[int, str] = field(default_factory=dict)
    qr: bool = True
    barcode_b: bool = True
    raster: bool = True
    pixels: int | None = None  # printable width in dots, when the database knows it
    columns: int | None = None  # font A columns, when the database knows them
    known: bool = True  # False for the built-in generic profile (no database entry)

    def pages_of(self, encoding: str) -> list[int]:
        return sorted(n for n, enc in self.code_pages.items() if enc.upper().startswith(encoding.upper()))


def _capabilities_path() -> Path | None:
    spec = importlib.util.find_spec("escpos")  # locates the package without importing it
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        path = Path(location) / "capabilities.json"
        if path.is_file():
            return path
    return None


@lru_cache(maxsize=1)
def _database() -> dict:
    path = _capabilities_path()
    if path is None:
        return {}
    with open(path, encoding="utf-8") as fh:
        return json.load(fh).get("profiles", {})


def profile_names() -> list[str]:
    return sorted(_database())


GENERIC = Profile("generic", code_pages={30: "TCVN-3-1", 31: "TCVN-3-2", 52: "CP1258"}, known=False)


@lru_cache(maxsize=64)
def get_profile(name: str | None) -> Profile:
    """The named profile ('default' or '' = python-escpos' default Epson-like profile)."""
    name = (name or "default").strip()
    db = _database()
    if name == "generic" or (name == "default" and not db):
        return GENERIC
    raw = db.get(name)
    if raw is None:
        raise DeviceError("printer.unknown_profile", name=name, known=", ".join(profile_names()))
    features = raw.get("features", {})
    pixels = raw.get("media", {}).get("width", {}).get("pixels")
    pages = {}
    for key, enc in raw.get("codePages", {}).items():
        try:
            pages[int(key)] = str(enc)
        except ValueError:
            continue
    columns = raw.get("fonts", {}).get("0", {}).get("columns")
    return Profile(
        name=name,
        vendor=str(raw.get("vendor", "")),
        code_pages=pages,
        qr=bool(features.get("qrCode", False)),
        barcode_b=bool(features.get("barcodeB", False)),
        raster=bool(features.get("bitImageRaster", False)),
        pixels=pixels if isinstance(pixels, int) else None,
        columns=columns if isinstance(columns, int) else None,
    )


def suggest(name: str | None) -> dict:
    """Settings to start from for a printer model: the best Vietnamese mode its code pages allow.

    TCVN-3 when pages 30/31 exist, else WPC1258 at the profile's page, else raster (or ASCII
    when the model has no raster images either); width from the print area.
    """
    p = get_profile(name)
    out: dict = {"profile": p.name}
    if p.pixels:
        out["width_mm"] = 58 if p.pixels <= 432 else 80
    if {30, 31} <= set(p.pages_of("TCVN-3")):
        out["mode"] = "text-tcvn3"
    elif p.pages_of("CP1258"):
        out["mode"] = "text-cp1258"
        out["cp1258_page"] = p.pages_of("CP1258")[0]
    elif p.raster:
        out["mode"] = "raster"
    else:
        out["mode"] = "ascii"
    return out
