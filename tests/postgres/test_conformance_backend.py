"""The conformance suite's PostgreSQL functions (tests/storage/postgres_backend.py) give working
storage ports: two stations of one test on the same database, a customer seeded, a shift opened
and a payment committed through the ports."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pg_helpers import StaticSecret

from cashier.core.ledger import PaymentRequest, Role, plan_payment, validate_request

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))

from postgres_backend import add_customer_postgres, make_postgres  # noqa: E402


def test_the_backend_functions_open_the_ports(pg_cluster, tmp_path):
    s = make_postgres(tmp_path, "ST01", StaticSecret("ST01"))
    other = make_postgres(tmp_path, "ST02", StaticSecret("ST02"))
    try:
        add_customer_postgres(s, "PC12AA0000001", "Nguyễn Văn A", [("HD1", 1, 10, 2026, 100_000)])
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
        assert other.payments.customer_with_bills("PC12AA0000001")[1][0].receipt == "ST01-0000001"  # same database
        assert [e.kind for e in other.journal.iter_journal("ST01")] == ["user", "shift_open", "payment"]
        assert s.settings.ledger().station == "ST01" and other.settings.ledger().station == "ST02"
    finally:
        s.close()
        other.close()
