"""The money side of the station: users and roles, shifts, payments, voids, reconnection orders.

Pure dataclasses and rules (stdlib only). Storage behind ``cashier/services/ports/`` (SQLite: ``cashier/db/sqlite/``); the use
cases in ``cashier/services/{users,shifts,collect,journal_service}.py``.

Rules kept here so that the service, the store (re-checking inside its transaction) and the UI
(previewing) apply exactly the same ones:

* :func:`plan_payment` - which bills a payment settles (oldest first, no newer bill while an older
  one is open, partial amounts on one bill only), the reconnection-fee line and the total.
* :func:`compute_change` / :func:`change_notes` - change and how to give it in VND notes.
* :func:`parse_denominations` / :func:`count_total` - a cash count by denomination.

What lives where (import the names from ``cashier.core.ledger``):

* ``permissions``   - roles, permissions, the role matrix, users and manager approvals;
* ``cash``          - denominations, cash counts, change;
* ``payments``      - payment lines, customer snapshots, payments, requests and plans;
* ``payment_rules`` - request checks, bill selection and :func:`plan_payment`;
* ``voids``, ``reconnection``, ``shifts`` - what follows payments: voids, reconnection orders,
  shifts and their X/Z reports;
* ``settings``      - the configurable rules (:class:`LedgerSettings`).
"""

from __future__ import annotations

from cashier.core.ledger.cash import (
    DENOMINATIONS,
    change_notes,
    compute_change,
    count_total,
    format_counts,
    parse_denominations,
    validate_counts,
)
from cashier.core.ledger.payment_rules import (
    bill_line,
    plan_payment,
    select_bills,
    validate_request,
)
from cashier.core.ledger.payments import (
    CustomerSnapshot,
    LineKind,
    Method,
    Payment,
    PaymentLine,
    PaymentPlan,
    PaymentRequest,
    PaymentStatus,
    clearing_method,
    format_verification,
    normalise_verification,
)
from cashier.core.ledger.permissions import (
    PERMISSION_USES,
    PERMISSIONS,
    Approval,
    Permission,
    Role,
    User,
    has_permission,
    minimum_role,
    permission_name,
    role_matrix_markdown,
)
from cashier.core.ledger.reconnection import (
    OrderStatus,
    ReconnectionOrder,
)
from cashier.core.ledger.settings import LedgerSettings
from cashier.core.ledger.shifts import (
    Shift,
    ShiftReport,
    ShiftStatus,
    ShiftTotals,
    expected_cash,
)
from cashier.core.ledger.voids import Void

__all__ = [
    "Role",
    "Permission",
    "PERMISSIONS",
    "has_permission",
    "PERMISSION_USES",
    "role_matrix_markdown",
    "minimum_role",
    "permission_name",
    "User",
    "Approval",
    "DENOMINATIONS",
    "parse_denominations",
    "validate_counts",
    "count_total",
    "format_counts",
    "compute_change",
    "change_notes",
    "Method",
    "PaymentStatus",
    "LineKind",
    "PaymentLine",
    "CustomerSnapshot",
    "Payment",
    "clearing_method",
    "format_verification",
    "normalise_verification",
    "PaymentRequest",
    "PaymentPlan",
    "validate_request",
    "select_bills",
    "bill_line",
    "plan_payment",
    "Void",
    "OrderStatus",
    "ReconnectionOrder",
    "ShiftStatus",
    "Shift",
    "ShiftTotals",
    "ShiftReport",
    "expected_cash",
    "LedgerSettings",
]
