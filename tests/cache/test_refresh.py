"""Refresh rules when a newer extract is imported over the cache."""

from __future__ import annotations

from cache_helpers import HEADER, bill_row, write_extract

SETTLED_HEADER = [*HEADER, "DA_THANH_TOAN"]


def status(station, code, bill_id):
    row = station.db.execute_sql(
        "SELECT status, double_collection FROM bill WHERE customer_code = ? AND bill_id = ?",
        (code, bill_id),
    ).fetchone()
    return row and (row[0], row[1])


def collect_here(station, code, bill_id):
    """What the ledger does in its payment transaction (bill.status = 'collected')."""
    station.db.execute_sql(
        "UPDATE bill SET status = 'collected' WHERE customer_code = ? AND bill_id = ?", (code, bill_id)
    )


def test_refresh_rules(station, tmp_path):
    A, B, C = "PC12AA0000001", "PC12AA0000002", "PC12AA0000003"
    OTHER_UNIT = "PC12BB0000001"
    day1 = [
        bill_row(A, "11", thang=9), bill_row(A, "12", thang=10),
        bill_row(B, "21", thang=9), bill_row(B, "22", thang=10),
        bill_row(C, "31", thang=10),
        bill_row(OTHER_UNIT, "91", thang=10),
    ]  # fmt: skip
    s1 = station.cache.import_extract(write_extract(tmp_path / "d1.csv", [r + [""] for r in day1], SETTLED_HEADER))
    assert (s1.customers, s1.bills, s1.new_bills, s1.paid_elsewhere) == (4, 6, 6, 0)

    collect_here(station, A, "11")  # collected here, not yet cleared
    collect_here(station, B, "21")  # collected here ...
    station.db.execute_sql("UPDATE bill SET status = 'cleared' WHERE bill_id = '22'")

    day2 = [
        # A/11 (collected here) is gone from the extract: stays collected
        # A/12 (unpaid) is gone: paid elsewhere
        bill_row(B, "21", thang=9) + ["x"],  # ... and the extract says settled elsewhere
        bill_row(B, "22", thang=10) + [""],  # cleared here and still listed: stays cleared
        bill_row(C, "31", thang=10, kwh=999) + [""],  # still unpaid (amount updated)
        bill_row(C, "32", thang=11) + [""],  # a new bill
        # OTHER_UNIT/91: this extract covers unit PC12AA only: untouched
    ]
    s2 = station.cache.import_extract(write_extract(tmp_path / "d2.csv", day2, SETTLED_HEADER), accept_missing=True)
    assert status(station, A, "11") == ("collected", 0)
    assert status(station, A, "12") == ("paid_elsewhere", 0)
    assert status(station, B, "21") == ("collected", 1)  # possible double collection
    assert status(station, B, "22") == ("cleared", 0)
    assert status(station, C, "31") == ("unpaid", 0)
    assert status(station, C, "32") == ("unpaid", 0)
    assert status(station, OTHER_UNIT, "91") == ("unpaid", 0)
    assert (s2.new_bills, s2.paid_elsewhere, s2.conflicts) == (1, 1, 1)
    assert any("double collection" in w and f"{B}/21" in w for w in s2.warnings)
    c31 = [b for b in station.cache.lookup(C).bills if b.bill_id == "31"][0]
    assert c31.kwh == 999 and c31.total == bill_row(C, "31", kwh=999)[14]
    lk = station.cache.lookup(A)
    assert lk.total_due == 0 and lk.unpaid == ()
    # a paid-elsewhere bill can no longer be collected: it is not in the unpaid list
    assert [b.bill_id for b in lk.bills] == ["11", "12"]
    # amounts of a collected bill are not rewritten by the extract
    day3 = [bill_row(B, "21", thang=9, kwh=5) + [""]]
    station.cache.import_extract(write_extract(tmp_path / "d3.csv", day3, SETTLED_HEADER), accept_missing=True)
    b21 = [b for b in station.cache.lookup(B).bills if b.bill_id == "21"][0]
    assert b21.kwh == 120 and b21.status == "collected" and b21.double_collection


def test_paid_elsewhere_bill_listed_again_is_unpaid_again(station, tmp_path):
    A = "PC12AA0000001"
    station.cache.import_extract(write_extract(tmp_path / "1.csv", [bill_row(A, "1"), bill_row("PC12AA0000002", "2")]))
    station.cache.import_extract(write_extract(tmp_path / "2.csv", [bill_row("PC12AA0000002", "2")]), accept_missing=1)
    assert status(station, A, "1") == ("paid_elsewhere", 0)
    s = station.cache.import_extract(write_extract(tmp_path / "3.csv", [bill_row(A, "1")]), accept_missing=True)
    assert status(station, A, "1") == ("unpaid", 0)
    assert any("unpaid again" in w for w in s.warnings)


def test_customer_with_a_rejected_row_keeps_its_bills(station, tmp_path):
    """A bad row is not proof of payment: its customer's missing bills stay unpaid."""
    A, B = "PC12AA0000001", "PC12AA0000002"
    rows = [bill_row(A, "1", thang=9), bill_row(A, "2", thang=10), bill_row(B, "3")]
    station.cache.import_extract(write_extract(tmp_path / "1.csv", rows))
    bad = bill_row(A, "2", thang=10)
    bad[14] = "1.234,5"
    s = station.cache.import_extract(write_extract(tmp_path / "2.csv", [bad, bill_row(B, "3"), bill_row(B, "4")]))
    assert [r.row for r in s.rejected] == [2]
    assert status(station, A, "1") == ("unpaid", 0) and status(station, A, "2") == ("unpaid", 0)
    assert s.paid_elsewhere == 0


def test_renamed_customer_is_found_by_the_new_name_only(station, tmp_path):
    A = "PC12AA0000001"
    station.cache.import_extract(write_extract(tmp_path / "1.csv", [bill_row(A, "1", name="Đỗ Thị Lan")]))
    assert [h.code for h in station.cache.search("do thi lan")] == [A]
    station.cache.import_extract(write_extract(tmp_path / "2.csv", [bill_row(A, "1", name="Võ Thị Lan")]))
    assert station.cache.search("do thi lan") == []
    assert [h.code for h in station.cache.search("vo thi lan")] == [A]
    from cashier.db.sqlite.search_index import integrity_check

    assert integrity_check(station.cache_store.connection())


def test_optional_column_absent_keeps_cached_value(station, tmp_path):
    A = "PC12AA0000001"
    station.cache.import_extract(write_extract(tmp_path / "1.csv", [bill_row(A, "1", phone="0905111222", disconnected="x")]))
    keep = [i for i, h in enumerate(HEADER) if h not in ("SO_DTHOAI", "CAT_DIEN")]
    row = bill_row(A, "1", phone="")
    station.cache.import_extract(
        write_extract(tmp_path / "2.csv", [[row[i] for i in keep]], [HEADER[i] for i in keep])
    )
    c = station.cache.lookup(A).customer
    assert c.phone == "0905111222" and c.disconnected is True


def test_conflicting_duplicates_apply_neither_version(station, tmp_path):
    """First load (rows go straight in) and refresh (staged): the bill is not taken from a file
    whose rows disagree about it; a cached version stays as it was."""
    A, B = "PC12AA0000001", "PC12AA0000002"
    b1 = bill_row(B, "2", kwh=100)
    b2 = bill_row(B, "2", kwh=200)
    others = [bill_row(A, str(i), thang=i) for i in range(1, 6)]
    s = station.cache.import_extract(write_extract(tmp_path / "1.csv", [*others, b1, b2]))
    assert [r.row for r in s.rejected] == [7, 8] and status(station, B, "2") is None
    assert s.bills == 5
    station.cache.import_extract(write_extract(tmp_path / "2.csv", [*others, b1]))
    assert station.cache.lookup(B).bills[0].kwh == 100
    s = station.cache.import_extract(write_extract(tmp_path / "3.csv", [*others, b2, bill_row(B, "2", kwh=300)]))
    assert [r.row for r in s.rejected] == [7, 8]
    lk = station.cache.lookup(B)
    assert lk.bills[0].kwh == 100 and lk.bills[0].status == "unpaid"  # kept, not paid elsewhere


def test_invoice_series_and_number_are_stored_refreshed_and_looked_up(station, tmp_path):
    """KIHIEU_SERY / SO_SERY: stored by the first load, rewritten by a refresh like the other bill
    fields (the power company re-issued the e-invoice), returned by the lookup."""
    A = "PC12AA0000001"
    first = [bill_row(A, "1", thang=9), bill_row(A, "2", thang=10)]
    station.cache.import_extract(write_extract(tmp_path / "1.csv", first))
    assert [(b.bill_id, b.series, b.number) for b in station.cache.lookup(A).bills] == [
        ("1", "1K26TAA", "0000001"), ("2", "1K26TAA", "0000002"),
    ]  # fmt: skip
    again = [bill_row(A, "1", thang=9), bill_row(A, "2", thang=10)]
    s, n = HEADER.index("KIHIEU_SERY"), HEADER.index("SO_SERY")
    again[1][s], again[1][n] = "1K26TAB", "0009999"
    station.cache.import_extract(write_extract(tmp_path / "2.csv", again))
    assert [(b.bill_id, b.series, b.number) for b in station.cache.lookup(A).bills] == [
        ("1", "1K26TAA", "0000001"), ("2", "1K26TAB", "0009999"),
    ]  # fmt: skip
