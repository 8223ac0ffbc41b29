"""Fixtures shared by every test folder that defines a ``station`` fixture: the station's
database, the three roles and an open shift (each folder keeps its own station and clock)."""

from __future__ import annotations

import pytest
from station_helpers import PASSWORD


@pytest.fixture
def db(station):
    return station.db


@pytest.fixture
def admin(station):
    station.users.add_user("admin", PASSWORD, "admin", full_name="Quản Trị")
    return station.users.login("admin", PASSWORD)


@pytest.fixture
def manager(station, admin):
    station.users.add_user("manager", PASSWORD, "manager", full_name="Trần Quản Lý", cashier_code="QL01",
                           actor=admin)
    return station.users.login("manager", PASSWORD)


@pytest.fixture
def cashier(station, admin):
    station.users.add_user("thu1", PASSWORD, "cashier", full_name="Lê Thị Thu", cashier_code="TN01",
                           actor=admin)
    return station.users.login("thu1", PASSWORD)


@pytest.fixture
def shift(station, cashier):
    return station.shifts.open_shift(cashier, 1_000_000)
