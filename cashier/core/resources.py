"""Where the bundled resources/ folder is (source tree, installed package data or a frozen build).

Stdlib only, so the core (message catalogue) and the outer layers find the same folder.
"""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    """The bundled resources/ folder."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    package = Path(__file__).resolve().parents[1]  # cashier/
    for candidate in (package / "resources", package.parent / "resources"):
        if candidate.is_dir():
            return candidate
    return package.parent / "resources"
