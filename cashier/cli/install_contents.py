"""What an install must carry, checked by ``cashier selftest`` and by the frozen build
(installer/cashier.spec refuses to build without them): the bundled resources and the modules.
"""

from __future__ import annotations

import pkgutil
import sys
from pathlib import Path

import cashier

#: Bundled resources the frozen build must carry: (what, glob under resources/). The PyInstaller
#: spec imports this list and refuses to build when one is missing.
REQUIRED_RESOURCES: tuple[tuple[str, str], ...] = (
    ("receipt font (raster mode)", "fonts/NotoSans-Regular.ttf"),
    ("printer text font (paper preview)", "fonts/NotoSansMono-Regular.ttf"),
    ("receipt font, bold (raster mode)", "fonts/NotoSans-Bold.ttf"),
    ("font licence (OFL)", "fonts/OFL.txt"),
    ("Vietnamese UI translation", "translations/cashier_vi.qm"),
    ("English UI translation", "translations/cashier_en.qm"),
    ("Vietnamese for Qt's own dialogs", "translations/qtbase_vi.qm"),
    ("error message catalogue", "messages/common.json"),
    ("column profile (default)", "profiles/default.json"),
    ("application icon (png)", "icons/cashier.png"),
    ("application icon (Windows .ico)", "icons/cashier.ico"),
    ("good-scan sound", "sounds/good.wav"),
    ("error sound", "sounds/error.wav"),
    ("self-test sample extract", "sample/selftest-extract.csv"),
    ("self-test sample expectations", "sample/selftest-extract.json"),
)

#: Modules never imported by the import step (running them has side effects).
_NO_IMPORT = {"cashier.__main__"}

#: File name of the module list that the frozen build carries (written by installer/cashier.spec).
FROZEN_MODULE_LIST = "cashier-modules.txt"


def all_module_names() -> list[str]:
    """Every module of the cashier package (walk_packages; plus the frozen build's own list)."""
    names = {cashier.__name__}
    for info in pkgutil.walk_packages(cashier.__path__, prefix="cashier."):
        names.add(info.name)
    frozen_dir = getattr(sys, "_MEIPASS", None)
    if frozen_dir:
        listing = Path(frozen_dir) / FROZEN_MODULE_LIST
        if listing.is_file():
            names.update(n.strip() for n in listing.read_text("utf-8").splitlines() if n.strip())
    return sorted(names - _NO_IMPORT)


def missing_resources(root: Path) -> list[str]:
    """The REQUIRED_RESOURCES not found under ``root`` (as "what (glob)")."""
    return [f"{what} ({pattern})" for what, pattern in REQUIRED_RESOURCES if not any(root.glob(pattern))]
