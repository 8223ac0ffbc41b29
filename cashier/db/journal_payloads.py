"""The journal payloads of the ledger's events, backend-neutral: every storage backend writes
the same payloads (``JournalService.verify`` compares them with the stored rows)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from cashier.core.basket import BasketInfo
from cashier.core.clock import iso
from cashier.core.ledger import Payment, User


def password_fingerprint(password_hash: str) -> str:
    """Journalled instead of the hash itself: swapping a hash in the database is detected."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16] if password_hash else ""


def payment_payload(p: Payment) -> dict[str, Any]:
    """The journal payload of a payment (what verify compares the payment row against)."""
    return {
        "receipt": p.receipt_no,
        "station": p.station,
        "shift": p.shift_id,
        "cashier": p.cashier_id,
        "cashier_username": p.cashier_username,
        "cashier_code": p.cashier_code,
        "customer": p.customer.code,
        "customer_name": p.customer.name,
        "lines": [[ln.kind.value, ln.bill_id, ln.amount, ln.settles] for ln in p.lines],
        "total": p.total,
        "tendered": p.tendered,
        "change": p.change,
        "method": p.method.value,
        "bank_ref": p.bank_ref,
        "created_at": iso(p.created_at),
        # a split payment's bank-transfer part (absent otherwise: older entries verify unchanged)
        **({"transfer": p.transfer_amount} if p.transfer_amount else {}),
    }


def user_payload(u: User, event: str, actor_id: int | None, pw_hash: str = "", **extra: Any) -> dict[str, Any]:
    """The journal payload of a change to a user (``event``: add, lock, rehash...)."""
    return {
        "pw": password_fingerprint(pw_hash),
        "event": event,
        "user": u.id,
        "username": u.username,
        "role": u.role.value,
        "code": u.cashier_code,
        "active": u.active,
        "locked": u.locked,
        "by": actor_id,
        **extra,
    }


def basket_payload(
    b: BasketInfo, *, station: str, shift_id: int, cashier_id: int, created_at: str, customers: Sequence[str]
) -> dict[str, Any]:
    """The journal payload of a basket (written after its payments' entries)."""
    return {
        "basket": b.code,
        "station": station,
        "shift": shift_id,
        "cashier": cashier_id,
        "receipts": list(b.receipts),
        "customers": list(customers),
        "total": b.total,
        "tendered": b.tendered,
        "change": b.change,
        "created_at": created_at,
    }
