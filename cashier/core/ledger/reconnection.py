"""Reconnection orders (lệnh đóng điện) raised when a disconnected customer pays the fee."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from cashier.core.ledger.payments import CustomerSnapshot


class OrderStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class ReconnectionOrder:
    """Lệnh đóng điện: reconnect a customer whose reconnection fee was paid."""

    id: int
    customer: CustomerSnapshot
    receipt_no: str
    fee: int
    created_at: datetime
    cashier_name: str
    cashier_code: str
    status: OrderStatus = OrderStatus.OPEN
