"""The ledger's configurable rules (Setting rows ``ledger.*``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LedgerSettings:
    """Configurable rules (Setting rows ``ledger.*``; defaults here)."""

    station: str = "ST01"
    reconnection_fee: int = 0  # đồng; 0 = not configured: no fee line is added
    variance_limit: int = 10_000  # |counted - expected| above this needs a manager
    #: a cash tender whose change reaches this AND the total due is taken for a typing slip
    #: (0 = no limit)
    max_change: int = 500_000
    max_failed_logins: int = 5
    lockout_minutes: int = 15
    min_password_length: int = 6
