from __future__ import annotations

from datetime import datetime

import pytest

from cashier.core.clock import VN_TZ


@pytest.fixture
def now() -> datetime:
    return datetime(2026, 11, 23, 14, 5, 9, tzinfo=VN_TZ)
