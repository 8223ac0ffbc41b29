"""Issue 14 feature: split payment (part cash, part bank transfer with its reference, one receipt).

Customer B owes 456,789 (one bill). The shift opens with a 1,000,000 float.
"""

from __future__ import annotations

import json
import sqlite3

import peewee
import pytest
from station_helpers import PASSWORD, add_customer, bill_status, count

from cashier.app import Station
from cashier.core.documents import receipt
from cashier.core.errors import Conflict, InvalidInput
from cashier.core.ledger import Method, Permission, clearing_method
from cashier.db.ledger_crypto import Argon2Hasher

B = "PC12AA0000002"


def _split(station, cashier, code=B, cash=200_000, transfer=300_000, ref="FT26112300123", **kw):
    return station.collect.collect(cashier, code, cash, transfer_amount=transfer, bank_ref=ref, **kw)


def test_split_payment_takes_both_parts_and_change_only_from_the_cash(station, db, shift, cashier, customers):
    p = _split(station, cashier)
    assert p.is_split and p.method is Method.CASH and p.bank_ref == "FT26112300123"
    assert (p.total, p.transfer_part, p.cash_part) == (456_789, 300_000, 156_789)
    assert (p.cash_tendered, p.change) == (200_000, 200_000 - 156_789)
    assert p.cash_part + p.transfer_part == p.total
    assert bill_status(db, "HD-B-11") == "collected"
    again = station.collect.payment(p.receipt_no)  # read back from the database
    assert (again.transfer_part, again.cash_part, again.cash_tendered, again.change, again.bank_ref) == (
        300_000, 156_789, 200_000, 43_211, "FT26112300123")
    entry = json.loads(db.execute_sql("SELECT payload FROM journal_entry WHERE seq = ?",
                                      (p.journal_seq,)).fetchone()[0])
    assert entry["transfer"] == 300_000 and entry["bank_ref"] == "FT26112300123"
    assert station.journal.verify().ok


def test_exact_cash_part_gives_no_change(station, shift, cashier, customers):
    p = _split(station, cashier, cash=156_789)
    assert p.change == 0 and p.cash_tendered == 156_789


@pytest.mark.parametrize(
    ("cash", "transfer", "ref", "method", "code"),
    [
        (200_000, 456_789, "FT1", "cash", "ledger.split_range"),  # the transfer pays it all: not a split
        (200_000, 500_000, "FT1", "cash", "ledger.split_range"),  # more than due by transfer
        (200_000, 300_000, "", "cash", "ledger.split_ref"),  # no bank reference
        (100_000, 300_000, "FT1", "cash", "ledger.split_cash_short"),  # cash short of the cash part
        (456_789, 300_000, "FT1", "transfer", "ledger.split_method"),
        (200_000, -5, "FT1", "cash", None),  # negative amounts are refused by the money parser
    ],
)
def test_split_refusals_record_nothing(station, db, shift, cashier, customers, cash, transfer, ref, method, code):
    with pytest.raises((InvalidInput, Conflict)) as exc:
        station.collect.collect(cashier, B, cash, transfer_amount=transfer, bank_ref=ref, method=method)
    if code:
        assert exc.value.code == code
    assert count(db, "payment") == 0 and count(db, "journal_entry", "kind = 'payment'") == 0
    assert bill_status(db, "HD-B-11") == "unpaid"


def test_absurd_change_is_judged_against_the_cash_part(station, shift, cashier, customers):
    # 5,000,000 typed for a 156,789 cash part: a typing slip, refused
    with pytest.raises(InvalidInput) as exc:
        _split(station, cashier, cash=5_000_000)
    assert exc.value.code == "ledger.change_absurd"


def test_x_and_z_report_count_only_the_cash_part_in_the_drawer(station, db, shift, cashier, customers):
    _split(station, cashier)  # 156,789 cash + 300,000 transfer
    station.collect.collect(cashier, "PC12AA0000003", 200_000, method="transfer", bank_ref="FT2")  # 200,000
    station.collect.collect(cashier, "PC12AA0000001", 700_000)  # 673,456 cash
    x = station.shifts.x_report(cashier)
    assert x.totals.cash_total == 156_789 + 673_456
    assert x.totals.transfer_total == 300_000 + 200_000
    assert x.totals.cash_total + x.totals.transfer_total == 456_789 + 200_000 + 673_456
    assert x.expected_cash == 1_000_000 + 156_789 + 673_456
    # the drawer really holds that: float + cash given - change given back
    counts = {500_000: 3, 200_000: 1, 100_000: 1, 20_000: 1, 10_000: 1}  # 1,830,000
    z = station.shifts.close_shift(cashier, counts)  # -245: within the limit, no manager
    assert z.kind == "Z" and z.expected_cash == 1_830_245
    assert z.variance == 1_830_000 - 1_830_245
    assert z.as_dict()["cash_total"] == 830_245 and z.as_dict()["transfer_total"] == 500_000


def test_void_in_a_later_shift_refunds_only_the_cash_part(station, db, cashier, manager, customers):
    station.shifts.open_shift(cashier, 0)
    p = _split(station, cashier)
    station.shifts.close_shift(cashier, {100_000: 1, 50_000: 1, 5_000: 1, 1_000: 1},
                               station.users.authorise("manager", PASSWORD, Permission.CLOSE_SHIFT_VARIANCE, cashier))
    station.shifts.open_shift(cashier, 1_000_000)
    station.collect.void(p.receipt_no, "thu nhầm", manager)
    x = station.shifts.x_report(cashier)
    assert x.totals.refunds_cash == 156_789 and x.expected_cash == 1_000_000 - 156_789


def test_database_refuses_an_inconsistent_split_row(station, db, shift, cashier, customers):
    p = _split(station, cashier)
    bad_updates = [
        "UPDATE payment SET transfer_amount = -1 WHERE id = ?",
        "UPDATE payment SET transfer_amount = total WHERE id = ?",  # cash + transfer must equal total
        "UPDATE payment SET transfer_amount = total + 1 WHERE id = ?",
        "UPDATE payment SET bank_ref = '' WHERE id = ?",
        "UPDATE payment SET method = 'transfer' WHERE id = ?",
        "UPDATE payment SET change_amount = change_amount + 1 WHERE id = ?",  # change out of the cash only
    ]
    for sql in bad_updates:
        with pytest.raises((sqlite3.IntegrityError, peewee.IntegrityError)):
            db.execute_sql(sql, (p.id,))
    assert station.collect.payment(p.receipt_no).transfer_amount == 300_000


def test_verify_catches_an_altered_transfer_part(station, db, shift, cashier, customers):
    p = _split(station, cashier)
    db.execute_sql("UPDATE payment SET transfer_amount = 100000 WHERE id = ?", (p.id,))
    report = station.journal.verify()
    assert not report.ok
    assert p.receipt_no in str(report.problem) and "transfer" in str(report.problem)


def test_split_payment_survives_backup_more_payments_restore(station, db, admin, shift, cashier, clock, tmp_path,
                                                              customers):
    station.collect.collect(cashier, "PC12AA0000003", 200_000)
    backup = station.backups.backup(tmp_path / "bk")
    clock.advance(minutes=5)
    split = _split(station, cashier)
    clock.advance(minutes=5)
    after = station.collect.collect(cashier, "PC12AA0000001", 700_000)
    before_x = station.shifts.x_report(cashier).totals
    result = station.backups.restore(backup, actor=admin)
    assert sorted(result.replayed) == sorted([split.receipt_no, after.receipt_no]) and result.lost == []
    back = station.collect.payment(split.receipt_no)
    assert (back.transfer_part, back.cash_part, back.cash_tendered, back.change, back.bank_ref, back.verification) == (
        300_000, 156_789, 200_000, 43_211, "FT26112300123", split.verification)
    assert station.shifts.x_report(cashier).totals == before_x
    assert station.journal.verify().ok, station.journal.verify().problem


def test_receipt_prints_both_parts_and_the_reference(station, shift, cashier, customers):
    doc = receipt(_split(station, cashier))
    text = "\n".join(doc.texts())
    for wanted in ("Tiền mặt + chuyển khoản", "300.000", "156.789", "200.000", "43.211", "FT26112300123"):
        assert wanted in text, (wanted, text)
    assert doc.kick_drawer  # there is cash to put away


def test_clearing_row_carries_the_larger_parts_method(station, db, shift, cashier, customers):
    _split(station, cashier)  # 300,000 of 456,789 by transfer: CK
    _split(station, cashier, code="PC12AA0000003", cash=150_000, transfer=50_000)  # mostly cash: TM
    rows = {r.customer_code: r.method for r in station.storage.export.pending().rows}
    assert rows[B] == "transfer" and rows["PC12AA0000003"] == "cash"
    assert len([r for r in station.storage.export.pending().rows if r.customer_code == B]) == 1  # one row a bill
    assert clearing_method("cash", 200, 100) == "cash" and clearing_method("cash", 200, 101) == "transfer"


def test_day_report_shows_the_split_parts(station, shift, cashier, manager, customers, clock):
    _split(station, cashier)
    rep = station.reports.build(clock.now().date().isoformat())
    by_method = {r[0]: r[1:] for r in rep.sections["by_method"]}
    assert by_method["mixed"] == (1, 456_789)
    (row,) = rep.sections["by_cashier"]
    assert row[5:7] == (156_789, 300_000)
    assert rep.cashless_total == 300_000


def test_a_database_of_the_previous_schema_upgrades(tmp_path, monkeypatch, clock, station_factory):
    """Schema v1 (no transfer_amount) with payments in it: opening it migrates, keeps its payments,
    verifies, and takes a split payment."""
    path = tmp_path / "old.sqlite3"
    st, cashier = station_factory(path)
    add_customer(st.db, "PC12AA0000009", "Khách cũ", [("HD-9", 1, 11, 2026, 100_000)])
    add_customer(st.db, "PC12AA0000008", "Khách mới", [("HD-8", 1, 11, 2026, 100_000)])
    old = st.collect.collect(cashier, "PC12AA0000009", 100_000)
    st.close()
    con = sqlite3.connect(path)
    con.execute("ALTER TABLE payment DROP COLUMN transfer_amount")
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()
    st, cashier = station_factory(path, fresh=False)
    try:
        assert st.db.execute_sql("PRAGMA user_version").fetchone()[0] >= 2
        assert st.collect.payment(old.receipt_no).transfer_amount == 0
        assert list(tmp_path.glob("old.v1-*.bak.sqlite3"))  # backed up before the migration
        assert st.journal.verify().ok
        p = st.collect.collect(cashier, "PC12AA0000008", 50_000, transfer_amount=50_000, bank_ref="FT9")
        assert (p.cash_part, p.transfer_part) == (50_000, 50_000)
    finally:
        st.close()


@pytest.fixture
def station_factory(monkeypatch, clock):
    monkeypatch.delenv("CASHIER_KEYS", raising=False)

    def make(path, fresh=True):
        st = Station(path, clock=clock, hasher=Argon2Hasher.fast_for_tests())
        if fresh:
            st.users.add_user("admin", PASSWORD, "admin", full_name="Quản Trị")
            admin = st.users.login("admin", PASSWORD)
            st.users.add_user("thu1", PASSWORD, "cashier", full_name="Lê Thị Thu", actor=admin)
        cashier = st.users.login("thu1", PASSWORD)
        if fresh:
            st.shifts.open_shift(cashier, 0)
        return st, cashier

    return make


def test_retried_key_returns_the_split_payment_a_changed_split_is_refused(station, db, shift, cashier, customers):
    first = _split(station, cashier, idempotency_key="k-split")
    assert _split(station, cashier, idempotency_key="k-split").receipt_no == first.receipt_no
    with pytest.raises(Conflict) as exc:
        _split(station, cashier, transfer=250_000, idempotency_key="k-split")
    assert exc.value.code == "ledger.key_reused"
    assert count(db, "payment") == 1
