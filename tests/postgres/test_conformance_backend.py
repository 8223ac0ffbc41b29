"""The conformance suite's PostgreSQL factory (tests/storage/postgres_backend.py) gives working
storage ports: a customer added, a shift opened and a payment committed through the ports."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from cashier.core.ledger import PaymentRequest, Role, plan_payment, validate_request

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))

from postgres_backend import open_postgres_backend  # noqa: E402


def test_the_factory_opens_the_ports_on_a_fresh_database(pg_cluster):
    backend = open_postgres_backend("ST01")
    try:
        s = backend.storage
        backend.add_customer("PC12AA0000001", "Nguyễn Văn A", [("HD1", 1, 10, 2026, 100_000)])
        now = datetime(2026, 10, 5, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
        user = s.users.add_user(station="ST01", username="thu1", full_name="Thu", role=Role.CASHIER,
                                cashier_code="TN01", password_hash="x", actor=None, ts=now)
        shift = s.shifts.open_shift(station="ST01", user=user, opening_float=0, ts=now)
        req = validate_request(PaymentRequest(customer_code="PC12AA0000001", tendered=100_000))

        def planner(customer, bills, paid, order_open):
            return plan_payment(req, customer, bills, paid_so_far=paid, reconnection_fee=0,
                                reconnection_open=order_open, max_change=0)

        p = s.payments.commit_payment(request=req, planner=planner, shift=shift, cashier=user, ts=now)
        assert p.receipt_no == "ST01-0000001" and s.payments.payment(p.receipt_no).total == 100_000
        other = backend.counter("ST02")
        assert other.payments.customer_with_bills("PC12AA0000001")[1][0].receipt == "ST01-0000001"
        assert [e.kind for e in other.journal.iter_journal("ST01")] == ["user", "shift_open", "payment"]
        assert s.settings.ledger().station == "ST01" and other.settings.ledger().station == "ST02"
    finally:
        backend.close()
