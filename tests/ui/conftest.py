"""pytest-qt fixtures for the counter app (offscreen)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", os.path.join(os.sep, "tmp", "escpos-caps"))
