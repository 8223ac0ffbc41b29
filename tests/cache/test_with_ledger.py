"""The cache with the real ledger: a bill collected at the counter shows its receipt, stays
collected through a newer extract, and is flagged when CMIS says it was paid elsewhere too."""

from __future__ import annotations

import pytest
from cache_helpers import HEADER, bill_row, write_extract

PASSWORD = "secret-pw"


@pytest.fixture
def cashier_user(station, monkeypatch):
    monkeypatch.delenv("CASHIER_KEYS", raising=False)
    station.users.add_user("admin", PASSWORD, "admin", full_name="Quản Trị")
    admin = station.users.login("admin", PASSWORD)
    station.users.add_user("thu1", PASSWORD, "cashier", full_name="Lê Thị Thu", cashier_code="TN01", actor=admin)
    user = station.users.login("thu1", PASSWORD)
    station.shifts.open_shift(user, 1_000_000)
    return user


def test_collected_bill_receipt_refresh_and_double_collection(station, tmp_path, cashier_user):
    code = "PC12AA0000001"
    header = [*HEADER, "DA_THANH_TOAN"]
    station.cache.import_extract(write_extract(tmp_path / "1.csv", [bill_row(code, "1") + [""]], header), actor=station.users.login("admin", PASSWORD))
    lk = station.cache.lookup(code)
    payment = station.collect.collect(cashier_user, code, lk.total_due)
    after = station.cache.lookup(code)
    (bill,) = after.bills
    assert bill.status == "collected" and bill.receipt == payment.receipt_no
    assert after.total_due == 0
    # the next morning's extract still lists it (CMIS has not cleared it yet): stays collected
    s = station.cache.import_extract(write_extract(tmp_path / "2.csv", [bill_row(code, "1") + [""]], header), actor=station.users.login("admin", PASSWORD))
    assert station.cache.lookup(code).bills[0].status == "collected" and s.conflicts == 0
    # ... and a later one says a bank settled it as well: possible double collection
    s = station.cache.import_extract(write_extract(tmp_path / "3.csv", [bill_row(code, "1") + ["x"]], header), actor=station.users.login("admin", PASSWORD))
    bill = station.cache.lookup(code).bills[0]
    assert bill.status == "collected" and bill.double_collection and bill.receipt == payment.receipt_no
    assert s.conflicts == 1
