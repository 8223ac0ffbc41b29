"""Helpers of the storage conformance suite (a uniquely named module: tests never import from
``conftest``)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from cashier.core.clock import VN_TZ
from cashier.core.debt import Bill, Customer
from cashier.core.ledger import PaymentPlan, PaymentRequest, plan_payment

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=VN_TZ)
A, B, C = "PC12AA0000001", "PC12AA0000002", "PC12AA0000003"


class MemorySecrets:
    """A SecretStore: one fixed key per station (the port, nothing of a backend)."""

    def __init__(self, station: str) -> None:
        self._key = hashlib.sha256(f"journal key of {station}".encode()).digest()

    def secret(self, create: bool = True) -> bytes:
        return self._key

    def exists(self) -> bool:
        return True


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def planner(req: PaymentRequest, *, fee: int = 0):
    """The service's planner: every selected unpaid bill, as the store re-reads them."""

    def plan(customer: Customer, bills: Sequence[Bill], paid: Mapping[str, int], order_open: bool) -> PaymentPlan:
        return plan_payment(req, customer, bills, paid_so_far=paid, reconnection_fee=fee, reconnection_open=order_open)

    return plan
