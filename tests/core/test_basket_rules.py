"""core/basket.py: the basket's rules (no database)."""

from __future__ import annotations

import pytest

from cashier.core.basket import (
    MAX_ENTRIES,
    Basket,
    BasketEntry,
    BasketInfo,
    basket_code,
    fingerprint,
    settle,
    validate_entries,
)
from cashier.core.errors import Conflict, InvalidInput

A = BasketEntry("PC12AA0000001", 673_456, ("HD-A-09",), "Nguyễn Văn A")
B = BasketEntry("PC12AA0000002", 456_789, None, "Trần Thị B")


def test_entries_add_up_and_one_tender_gives_one_change():
    basket = Basket().add(A).add(B)
    assert len(basket) == 2 and basket.total == 1_130_245
    assert basket.change(1_200_000) == 69_755
    assert basket.change("1.130.245") == 0
    assert basket.remove(A.customer_code).entries == (B,)


def test_the_same_customer_twice_is_refused_with_its_line():
    basket = Basket().add(A).add(B)
    with pytest.raises(Conflict) as exc:
        basket.add(BasketEntry(A.customer_code, 1))
    assert exc.value.code == "basket.duplicate_customer" and exc.value.params["position"] == 1
    assert "đã có trong giỏ" in exc.value.text("vi")


def test_refusals():
    with pytest.raises(Conflict) as exc:
        Basket().add(BasketEntry("PC12AA0000009", 0))
    assert exc.value.code == "basket.nothing_due"
    with pytest.raises(InvalidInput) as exc2:
        Basket().remove("PC12AA0000009")
    assert exc2.value.code == "basket.not_in_basket"
    full = Basket(tuple(BasketEntry(f"PC12AA{i:07d}", 1) for i in range(MAX_ENTRIES)))
    with pytest.raises(InvalidInput):
        full.add(BasketEntry("PC12ZZ0000001", 1))


def test_tender_short_or_absurd_is_refused():
    with pytest.raises(Conflict) as exc:
        settle(1_130_245, 1_000_000)
    assert exc.value.code == "ledger.tendered_short"
    with pytest.raises(InvalidInput) as exc2:
        settle(1_130_245, 9_000_000, max_change=500_000)
    assert exc2.value.code == "ledger.change_absurd"
    assert settle(1_130_245, 2_000_000, max_change=500_000) == 869_755  # less than the total: fine


def test_validate_entries_needs_two_distinct_customers():
    with pytest.raises(InvalidInput) as exc:
        validate_entries([A])
    assert exc.value.code == "basket.too_small"
    with pytest.raises(Conflict):
        validate_entries([A, B, A])
    with pytest.raises(InvalidInput):
        validate_entries([BasketEntry(A.customer_code, 1, ("  ",)), B])
    assert validate_entries([BasketEntry(" PC12AA0000001 ", 5, (" HD1 ", "HD1")), B])[0] == BasketEntry(
        "PC12AA0000001", 5, ("HD1",))


def test_basket_info_labels_each_receipt():
    info = BasketInfo(basket_code("ST01-0000007"), 3, 5, 2, ("ST01-0000007", "ST01-0000008", "ST01-0000009"))
    assert info.code == "G-ST01-0000007" and info.size == 3
    assert info.label("ST01-0000008") == "Thu gộp 2/3 — mã giỏ G-ST01-0000007"
    assert info.as_dict()["receipts"] == list(info.receipts)
    assert fingerprint([A, B], 10) != fingerprint([B, A], 10) != fingerprint([A, B], 11)
