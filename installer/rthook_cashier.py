"""PyInstaller runtime hook (runs before cashier is imported in the frozen build).

python-escpos writes its capabilities pickle to a *new* temporary directory on every import
unless ESCPOS_CAPABILITIES_PICKLE_DIR is set (DESIGN.md §4): point it at one per-user cache
directory so a counter PC does not collect a temp folder per start.
"""

import os
import tempfile

if not os.environ.get("ESCPOS_CAPABILITIES_PICKLE_DIR"):
    _dir = os.path.join(tempfile.gettempdir(), "cashier-escpos-cache")
    try:
        os.makedirs(_dir, exist_ok=True)
        os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = _dir
    except OSError:  # leave python-escpos its default (a new temp dir)
        pass
