"""Port of the reconnection orders: opened by the payment that paid a disconnected customer's
debt and fee (in the payment's transaction), cancelled by its void, closed by the field team."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from cashier.core.ledger import ReconnectionOrder, User


class OrderStore(Protocol):
    def reconnection_orders(self, status: str | None = None, *, station: str | None = None) -> list[ReconnectionOrder]:
        """Orders by id, of one status ('open', 'done', 'cancelled') and/or one station."""
        ...

    def set_order_status(self, order_id: int, status: str, *, user: User, ts: datetime) -> None:
        """Change an order's status (journalled ``order`` in its payment's station's chain), one
        transaction. Raises NotFound ``order.unknown``; ValueError for a status that is not an
        OrderStatus (a programming error)."""
        ...
