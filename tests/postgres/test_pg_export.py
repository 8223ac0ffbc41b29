"""The end of day on the server: one counter's batch or the collection point's (every counter,
each row naming its station and receipt); two exports racing for the same payments: one wins,
the other is refused with nothing marked."""

from __future__ import annotations

import pytest
from pg_helpers import PASSWORD, add_cashier, add_customers, customer_code, open_counter

from cashier.core.clearing import PAYMENT
from cashier.core.errors import Conflict


def _batch(store, station: str, pending, n: int) -> dict:
    total = sum(r.total for r in pending.rows)
    return {"batch_id": f"{station}-20261005-{n:04d}", "station": station, "sequence": n,
            "created_at": "2026-10-05T17:00:00+07:00", "rows": len(pending.rows), "total_amount": total, "vat": 0,
            "grand_total": total, "first_receipt": pending.rows[0].receipt_no if pending.rows else "",
            "last_receipt": pending.rows[-1].receipt_no if pending.rows else "",
            "journal_head": store.journal_head(station)}


@pytest.fixture
def collected(pg_url):
    st1 = open_counter(pg_url, "ST01", migrate=True)
    add_customers(st1.storage.db, 4)
    st2 = open_counter(pg_url, "ST02")
    add_cashier(st1, "thu1")
    add_cashier(st2, "thu2")
    for counter, name, customers in ((st1, "thu1", (1, 2)), (st2, "thu2", (3,))):
        user = counter.users.login(name, PASSWORD)
        counter.shifts.open_shift(user, 0)
        for i in customers:
            counter.collect.collect(user, customer_code(i), 500_000)
    yield st1, st2
    st1.close()
    st2.close()


def test_one_counter_or_the_whole_collection_point(collected):
    st1, st2 = collected
    export = st1.storage.export
    mine = export.pending(station="ST02")
    assert {r.station for r in mine.rows} == {"ST02"} and len(mine.rows) == 2
    everything = export.pending()
    assert {r.station for r in everything.rows} == {"ST01", "ST02"} and len(everything.rows) == 6
    assert all(r.kind == PAYMENT and r.receipt_no.startswith(r.station + "-") for r in everything.rows)
    export.record_batch(_batch(export, "ST01", everything, 1), everything)
    assert export.pending().rows == []
    assert [r.receipt_no for r in export.batch_rows("ST01-20261005-0001")] == [r.receipt_no for r in everything.rows]
    assert export.batch("ST01-20261005-0001")["payments"] == 3
    assert export.journal_head("ST02").startswith(str(st2.storage.journal.journal_head("ST02")[0]) + ":")


def test_two_exports_racing_one_wins_the_other_marks_nothing(collected):
    st1, st2 = collected
    a, b = st1.storage.export, st2.storage.export
    first, second = a.pending(), b.pending()
    a.record_batch(_batch(a, "ST01", first, 1), first)
    with pytest.raises(Conflict) as info:
        b.record_batch(_batch(b, "ST02", second, 1), second)
    assert info.value.code == "export.changed"
    assert {r[1] for r in b.payment_batches()} == {"ST01-20261005-0001"}
    assert [x["batch_id"] for x in b.batches()] == ["ST01-20261005-0001"]


def test_the_day_report_per_counter_and_for_the_collection_point_matches_each_x_report(collected):
    st1, st2 = collected
    reports = st1.storage.reports
    date = st1.storage.ledger.payments()[0].created_at.date().isoformat()
    whole = reports.day(date)
    per = {st: reports.day(date, station=st) for st in ("ST01", "ST02")}
    for st, counter in (("ST01", st1), ("ST02", st2)):
        x = counter.storage.ledger.shift_totals(counter.storage.ledger.current_shift(st).id)
        (row,) = per[st]["by_cashier"]
        assert (row[3], row[5], row[6]) == (x.payments, x.cash_total, x.transfer_total)
        assert [s[9] for s in per[st]["shifts"]] == [x.payments]
    assert sum(r[3] for r in whole["by_cashier"]) == 3
    assert sum(r[4] for r in whole["by_cashier"]) == sum(r[4] for st in per for r in per[st]["by_cashier"])
    assert all(isinstance(r[4], int) for r in whole["by_cashier"])  # integer đồng, not Decimal
    assert reports.unpaid_customers()[0][0] == customer_code(4)
