"""Fixtures for the debt-cache tests (helpers live in cache_helpers.py)."""

from __future__ import annotations

import pytest
from cache_helpers import make_station


@pytest.fixture
def station(tmp_path):
    st = make_station(tmp_path)
    yield st
    st.close()
