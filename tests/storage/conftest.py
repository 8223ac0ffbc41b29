"""Fixtures of the storage conformance suite: every test runs once per backend of
tests/storage/backends.py, through the ports only."""

from __future__ import annotations

import pytest
from backends import BACKENDS
from storage_helpers import T0, A, B, C, MemorySecrets, at, planner

from cashier.core.ledger import PaymentRequest, Role


@pytest.fixture(params=BACKENDS, ids=lambda b: b.name)
def backend(request):
    return request.param


@pytest.fixture
def open_storage(backend, tmp_path):
    """open_storage(station) -> a Storage of that station (closed after the test)."""
    opened = []

    def make(station: str = "ST01"):
        storage = backend.make(tmp_path, station, MemorySecrets(station))
        opened.append(storage)
        return storage

    yield make
    for s in opened:
        s.close()


@pytest.fixture
def storage(open_storage):
    return open_storage("ST01")


@pytest.fixture
def admin(storage):
    return storage.users.add_user(
        station="ST01", username="admin", full_name="Quản Trị", role=Role.ADMIN, cashier_code="AD01",
        password_hash="hash-admin", actor=None, ts=T0, only_if_empty=True,
    )


@pytest.fixture
def cashier(storage, admin):
    return storage.users.add_user(
        station="ST01", username="thu1", full_name="Lê Thị Thu", role=Role.CASHIER, cashier_code="TN01",
        password_hash="hash-thu1", actor=admin, ts=T0,
    )


@pytest.fixture
def shift(storage, cashier):
    return storage.shifts.open_shift(station="ST01", user=cashier, opening_float=1_000_000, ts=T0)


@pytest.fixture
def customers(backend, storage):
    """A: two bills (Oct 300,000, Nov 400,000); B: one bill 250,000; C: disconnected, 150,000."""
    backend.add_customer(storage, A, "Nguyễn Văn A", [("HD-A1", 1, 10, 2026, 300_000), ("HD-A2", 1, 11, 2026, 400_000)])
    backend.add_customer(storage, B, "Trần Thị B", [("HD-B1", 1, 11, 2026, 250_000)])
    backend.add_customer(storage, C, "Lê Văn C", [("HD-C1", 1, 11, 2026, 150_000)], disconnected=True)


@pytest.fixture
def pay(storage, shift, cashier, customers):
    """pay(code, tendered, minutes=..., **request) -> Payment committed through the port."""

    def run(code: str, tendered: int, minutes: int = 1, fee: int = 0, **kw):
        req = PaymentRequest(customer_code=code, tendered=tendered, **kw)
        return storage.payments.commit_payment(
            request=req, planner=planner(req, fee=fee), shift=shift, cashier=cashier, ts=at(minutes)
        )

    return run
