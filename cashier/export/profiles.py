"""Loading the "clearing" and "reconciliation" sections of a column profile (resources/profiles).

A profile file may hold other sections (the debt extract's "extract"): they are ignored here.
A file without a "clearing" section gets the built-in CMIS default.
"""

from __future__ import annotations

import json
from pathlib import Path

from cashier.core.clearing import DEFAULT_CLEARING, ClearingProfile, ReconcileProfile
from cashier.core.errors import InvalidInput


def load_profiles(path: Path) -> tuple[ClearingProfile, ReconcileProfile]:
    path = Path(path)
    name = path.stem
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (OSError, ValueError) as exc:
        raise InvalidInput("clearing.profile", profile=name, detail=str(exc)) from None
    clearing = data.get("clearing") or DEFAULT_CLEARING
    return ClearingProfile.from_dict(clearing, name), ReconcileProfile.from_dict(data.get("reconciliation"), name)
