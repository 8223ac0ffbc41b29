"""Lookup by code or card, and Vietnamese search."""

from __future__ import annotations

import unicodedata

import pytest
from cache_helpers import bill_row, write_extract

from cashier.core.errors import InvalidInput, NotFound


@pytest.fixture
def loaded(station, tmp_path):
    rows = [
        bill_row("PC12AA0000001", "1", thang=10, name="Nguyễn Văn An", address="Số 5 Hùng Vương, P. Tân Lợi", book="AA00001"),
        bill_row("PC12AA0000001", "2", thang=8, name="Nguyễn Văn An", address="Số 5 Hùng Vương, P. Tân Lợi", book="AA00001"),
        bill_row("PC12AA0000001", "3", thang=9, ky=2, name="Nguyễn Văn An", address="Số 5 Hùng Vương, P. Tân Lợi"),
        bill_row("PC12AA0000002", "4", kwh=300, name="Nguyễn Văn An", address="Thôn 3, Xã Ea Kao", book="AA00007"),
        bill_row("PC12AA0000003", "5", name="Nguyễn Văn Anh", address="Số 9 Lê Duẩn"),
        bill_row("PC12AA0000004", "6", name="Trần Thị Hoa", address="Số 1 Nguyễn Tất Thành"),
        bill_row("PC12AA0000005", "7", name="Lê An", address="Số 77 Hùng Vương"),
        bill_row("PC12AA0000006", "8", name="Nguyễn Văn A", address="Buôn Ko Tam", card="TH0000006"),
        bill_row("PC12DD0012345", "9", name="Y Blô Êban", address="Buôn Ako Dhông"),
    ]  # fmt: skip
    station.cache.import_extract(write_extract(tmp_path / "x.xlsx", rows))
    return station.cache


def test_lookup_bills_oldest_first_with_total_due(loaded):
    lk = loaded.lookup("PC12AA0000001")
    assert [(b.nam, b.thang, b.ky) for b in lk.bills] == [(2026, 8, 1), (2026, 9, 2), (2026, 10, 1)]
    assert lk.total_due == sum(b.total for b in lk.bills) > 0
    assert lk.customer.address == "Số 5 Hùng Vương, P. Tân Lợi"
    assert all(b.receipt is None for b in lk.bills)
    assert lk.bills[0].tiers and sum(t.amount for t in lk.bills[0].tiers) == lk.bills[0].amount


def test_lookup_normalises_repairs_and_uses_cards(loaded):
    assert loaded.lookup("  pc12aa0000001\r\n").customer.code == "PC12AA0000001"
    # a wedge scan typed through Telex: "PC12DD0012345" -> "PC12Đ0012345"
    assert loaded.lookup("PC12Đ0012345").customer.code == "PC12DD0012345"
    assert loaded.lookup(unicodedata.normalize("NFD", "pc12đ0012345")).customer.code == "PC12DD0012345"
    assert loaded.lookup("th0000006").customer.code == "PC12AA0000006"


def test_lookup_unknown_or_invalid(loaded):
    with pytest.raises(NotFound) as err:
        loaded.lookup("PC12AA9999999")
    assert "PC12AA9999999" in str(err.value) and "Không có khách hàng" in err.value.text("vi")
    with pytest.raises(InvalidInput) as err:
        loaded.lookup("hello")
    assert err.value.code == "code.invalid" and err.value.text("vi")
    with pytest.raises(InvalidInput):
        loaded.lookup("   ")


def codes(hits):
    return [h.code for h in hits]


def test_partial_words_without_diacritics(loaded):
    hits = loaded.search("ngu van an")
    assert hits[0].name == "Nguyễn Văn An"
    assert set(codes(hits[:2])) == {"PC12AA0000001", "PC12AA0000002"}  # the exact name first
    assert "PC12AA0000003" in codes(hits)  # Nguyễn Văn Anh: a prefix match, after


def test_diacritics_in_or_out_and_any_order(loaded):
    plain = codes(loaded.search("nguyen van an"))
    assert codes(loaded.search("Nguyễn Văn An")) == plain
    assert codes(loaded.search(unicodedata.normalize("NFD", "NGUYỄN VĂN AN"))) == plain
    assert set(codes(loaded.search("an nguyen van"))) == set(plain)


def test_same_name_customers_can_be_told_apart(loaded):
    hits = [h for h in loaded.search("nguyen van an") if h.name == "Nguyễn Văn An"]
    assert len(hits) == 2
    a, b = hits
    assert (a.code, a.address, a.book) != (b.code, b.address, b.book)
    assert {a.total_due, b.total_due} == {
        loaded.lookup("PC12AA0000001").total_due,
        loaded.lookup("PC12AA0000002").total_due,
    }
    assert all(h.unpaid_bills >= 1 for h in hits)


def test_one_letter_words_match_exactly(loaded):
    hits = loaded.search("nguyen van a")
    assert hits[0].code == "PC12AA0000006"  # "Nguyễn Văn A" itself first


def test_address_search_ranks_after_names(loaded):
    hits = loaded.search("hung vuong")
    assert set(codes(hits)) == {"PC12AA0000001", "PC12AA0000005"}
    assert codes(loaded.search("le an"))[0] == "PC12AA0000005"  # the name beats "Lê Duẩn"


def test_code_prefix_and_exact_code(loaded):
    assert codes(loaded.search("PC12AA000000")) == [f"PC12AA000000{i}" for i in range(1, 7)]
    assert codes(loaded.search("pc12dd"))[0] == "PC12DD0012345"
    assert codes(loaded.search("PC12AA0000004")) == ["PC12AA0000004"]


def test_limit_empty_and_no_match(loaded):
    assert len(loaded.search("nguyen", limit=2)) == 2
    assert loaded.search("") == [] and loaded.search("  ,; ") == []
    assert loaded.search("xyzzy") == []
    assert loaded.search('"nguyen" OR *') is not None  # FTS syntax in the text is harmless


def test_database_without_search_index_heals_itself(tmp_path):
    """A database made before the index existed (schema v1 unreleased) gets it on first use."""
    from cache_helpers import make_station

    st = make_station(tmp_path)
    st.cache.import_extract(write_extract(tmp_path / "x.csv", [bill_row("PC12AA0000001", "1")]))
    for stmt in ("DROP TRIGGER customer_fts_ai", "DROP TRIGGER customer_fts_ad", "DROP TRIGGER customer_fts_au",
                 "DROP TABLE customer_fts", "DROP TABLE search_term"):  # fmt: skip
        st.db.execute_sql(stmt)
    st.close()
    st = make_station(tmp_path)
    assert [h.code for h in st.cache.search("nguyen van an")] == ["PC12AA0000001"]
    st.cache.import_extract(
        write_extract(tmp_path / "y.csv", [bill_row("PC12AA0000002", "2", name="Lê Thị Mai")]), accept_missing=True
    )
    assert [h.code for h in st.cache.search("le thi mai")] == ["PC12AA0000002"]
    st.close()
