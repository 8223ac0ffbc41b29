"""Issue 14 feature: one payer, several customers ("thu gộp").

A (three bills, 673,456), B (one bill, 456,789) and C (disconnected, 200,000) of the ledger
fixtures; the shift opens with a 1,000,000 float.
"""

from __future__ import annotations

import json
import sqlite3

import pytest
from station_helpers import bill_status, count

from cashier.core.basket import BasketEntry
from cashier.core.documents import receipt
from cashier.core.errors import AuthenticationFailed, Conflict, InvalidInput
from cashier.core.ledger import PaymentStatus

A, B, C = "PC12AA0000001", "PC12AA0000002", "PC12AA0000003"


def _entries(station, *codes):
    return [station.collect.preview_basket_entry(c) for c in codes]


def _basket(station, cashier, *codes, tendered=1_200_000, **kw):
    return station.collect.collect_basket(cashier, _entries(station, *codes), tendered, **kw)


def _nothing_written(db) -> None:
    assert count(db, "payment") == 0 and count(db, "basket") == 0
    assert count(db, "journal_entry", "kind IN ('payment', 'basket')") == 0
    assert count(db, "counter", "name = 'receipt'") == 0
    for bill in ("HD-A-09", "HD-A-10", "HD-A-11", "HD-B-11"):
        assert bill_status(db, bill) == "unpaid"


def test_a_basket_collects_each_customer_on_its_own_receipt(station, db, shift, cashier, customers):
    result = _basket(station, cashier, A, B, tendered=1_200_000)
    b = result.basket
    assert [p.customer.code for p in result.payments] == [A, B]
    assert (b.total, b.tendered, b.change) == (673_456 + 456_789, 1_200_000, 1_200_000 - 1_130_245)
    assert b.receipts == tuple(p.receipt_no for p in result.payments) and b.code == f"G-{b.receipts[0]}"
    for p in result.payments:  # each paid exactly; the tender and the change are the basket's
        assert p.tendered == p.total and p.change == 0 and p.status is PaymentStatus.ACTIVE
        assert station.collect.basket_of(p.receipt_no) == b
    assert result.payments[0].bill_ids == ["HD-A-09", "HD-A-10", "HD-A-11"]
    assert all(bill_status(db, x) == "collected" for x in ("HD-A-09", "HD-A-10", "HD-A-11", "HD-B-11"))
    entry = json.loads(db.execute_sql("SELECT payload FROM journal_entry WHERE kind = 'basket'").fetchone()[0])
    assert entry["receipts"] == list(b.receipts) and entry["change"] == b.change
    assert [e[0] for e in db.execute_sql("SELECT kind FROM journal_entry ORDER BY seq").fetchall()][-3:] == [
        "payment", "payment", "basket"]
    assert station.journal.verify().ok


def test_the_same_customer_twice_is_refused(station, db, shift, cashier, customers):
    entries = _entries(station, A, B) + _entries(station, A)
    with pytest.raises(Conflict) as exc:
        station.collect.collect_basket(cashier, entries, 2_000_000)
    assert exc.value.code == "basket.duplicate_customer" and "dòng 1" in exc.value.text("vi")
    _nothing_written(db)


def test_the_database_refuses_the_same_customer_twice_in_a_basket(station, db, shift, cashier, customers):
    result = _basket(station, cashier, A, B)
    with pytest.raises(sqlite3.IntegrityError):
        db.connection().execute(
            "UPDATE payment SET customer_code = ? WHERE receipt_no = ?", (A, result.basket.receipts[1]))


@pytest.mark.parametrize(("codes", "tendered", "code"), [
    ((A, B), 1_000_000, "ledger.tendered_short"),
    ((A, B), 9_000_000, "ledger.change_absurd"),  # 9,000,000 typed for 1,130,245
    ((A,), 700_000, "basket.too_small"),
])
def test_refusals_before_anything_is_written(station, db, shift, cashier, customers, codes, tendered, code):
    with pytest.raises((Conflict, InvalidInput)) as exc:
        _basket(station, cashier, *codes, tendered=tendered)
    assert exc.value.code == code
    _nothing_written(db)


def test_a_failure_on_the_second_payment_leaves_nothing(station, db, shift, cashier, customers, monkeypatch):
    store = station.storage.journal
    real = store.append
    payments = []

    def failing_append(conn, kind, payload, ts):
        if kind == "payment":
            payments.append(payload["receipt"])
            if len(payments) == 2:
                raise sqlite3.OperationalError("disk I/O error")  # a crash in the middle
        return real(conn, kind, payload, ts)

    monkeypatch.setattr(store, "append", failing_append)
    with pytest.raises(Exception):  # noqa: B017, PT011 - whatever the error, nothing stays
        _basket(station, cashier, A, B)
    _nothing_written(db)
    monkeypatch.setattr(store, "append", real)
    result = _basket(station, cashier, A, B)  # the same receipt numbers are used again: no gap
    assert result.basket.receipts == tuple(payments)
    assert station.journal.verify().ok


def test_a_bill_collected_elsewhere_after_the_scan_refuses_the_whole_basket(station, db, shift, cashier,
                                                                             customers):
    entries = _entries(station, A, B)  # scanned
    other = station.collect.collect(cashier, B, 456_789)  # meanwhile B pays at the same counter
    with pytest.raises(Conflict) as exc:
        station.collect.collect_basket(cashier, entries, 1_200_000)
    assert exc.value.code == "basket.refused"
    vi = exc.value.text("vi")
    assert B in vi and "2/2" in vi and "chưa thu khoản nào" in vi and other.receipt_no in vi
    assert count(db, "payment") == 1 and count(db, "basket") == 0
    assert bill_status(db, "HD-A-09") == "unpaid"


def test_an_amount_changed_since_the_scan_refuses_the_basket(station, db, shift, cashier, customers):
    entries = [BasketEntry(A, 600_000), *_entries(station, B)]  # the screen said 600,000
    with pytest.raises(Conflict) as exc:
        station.collect.collect_basket(cashier, entries, 1_200_000)
    assert exc.value.code == "basket.refused" and "673.456" in exc.value.text("vi")
    _nothing_written(db)


def test_collecting_needs_the_permission_and_an_open_shift(station, db, admin, cashier, customers):
    with pytest.raises(Conflict) as exc:  # no open shift
        _basket(station, cashier, A, B)
    assert exc.value.code.startswith("shift.")
    station.shifts.open_shift(cashier, 0)
    station.users.lock(cashier.username, actor=admin)
    with pytest.raises(AuthenticationFailed):  # checked in the service: window and command line alike
        _basket(station, cashier, A, B)
    assert count(db, "payment") == 0


def test_a_retried_basket_with_the_same_key_pays_once(station, db, shift, cashier, customers):
    entries = _entries(station, A, B)
    first = station.collect.collect_basket(cashier, entries, 1_200_000, idempotency_key="k-1")
    again = station.collect.collect_basket(cashier, entries, 1_200_000, idempotency_key="k-1")  # a double Enter
    assert again.basket == first.basket and again.payments == first.payments and count(db, "payment") == 2
    with pytest.raises(Conflict) as exc:
        station.collect.collect_basket(cashier, entries, 1_300_000, idempotency_key="k-1")
    assert exc.value.code == "basket.key_reused"


def test_x_and_z_reports_count_the_cash_once(station, shift, cashier, customers):
    before = station.shifts.x_report(cashier)
    result = _basket(station, cashier, A, B, tendered=1_200_000)
    x = station.shifts.x_report(cashier)
    b = result.basket
    assert x.totals.payments == before.totals.payments + 2
    assert x.totals.cash_total - before.totals.cash_total == b.tendered - b.change == b.total
    assert x.expected_cash == shift.opening_float + b.total
    z = station.shifts.close_shift(cashier, {500_000: 4, 100_000: 1, 20_000: 1, 10_000: 1})  # 2,130,000 counted
    assert z.totals.cash_total == b.total and z.expected_cash == 1_000_000 + 1_130_245 and z.variance == -245


def test_voiding_one_receipt_of_a_basket_voids_only_that_customer(station, db, shift, cashier, manager,
                                                                  customers):
    result = _basket(station, cashier, A, B)
    first, second = result.payments
    station.collect.void(second.receipt_no, "khách B trả lại", manager)
    assert station.collect.payment(first.receipt_no).status is PaymentStatus.ACTIVE
    assert bill_status(db, "HD-B-11") == "unpaid" and bill_status(db, "HD-A-09") == "collected"
    x = station.shifts.x_report(cashier)
    assert x.totals.cash_total == first.total and x.totals.voided_total == second.total
    assert station.collect.basket_of(second.receipt_no).receipts == result.basket.receipts  # history kept
    assert station.journal.verify().ok


def test_each_receipt_says_it_is_part_of_the_basket(station, shift, cashier, customers):
    result = _basket(station, cashier, A, B, tendered=1_200_000)
    b = result.basket
    docs = [receipt(p, basket=b) for p in result.payments]
    for i, (p, doc) in enumerate(zip(result.payments, docs, strict=True), 1):
        text = "\n".join(doc.texts())
        assert f"Thu gộp {i}/2 — mã giỏ {b.code}" in text
        for wanted in ("1.130.245", "1.200.000", "69.755", p.receipt_no):
            assert wanted in text, (wanted, text)
    assert [d.kick_drawer for d in docs] == [True, False]  # the drawer opens once
    assert station.printing.receipt_document(result.payments[1]).texts() == docs[1].texts()


def test_clearing_export_has_one_row_per_bill_with_its_own_receipt(station, shift, cashier, customers):
    result = _basket(station, cashier, A, B)
    rows = station.storage.export.pending().rows
    assert sorted((r.customer_code, r.bill_id) for r in rows) == [
        (A, "HD-A-09"), (A, "HD-A-10"), (A, "HD-A-11"), (B, "HD-B-11")]
    by_receipt = {p.customer.code: p.receipt_no for p in result.payments}
    for r in rows:
        assert r.receipt_no == by_receipt[r.customer_code]


def test_a_basket_survives_backup_then_restore(station, db, admin, shift, cashier, clock, tmp_path, customers):
    station.collect.collect(cashier, C, 200_000)
    backup = station.backups.backup(tmp_path / "bk")
    clock.advance(minutes=5)
    result = _basket(station, cashier, A, B)
    before_x = station.shifts.x_report(cashier).totals
    restored = station.backups.restore(backup, actor=admin)
    assert sorted(restored.replayed) == sorted(result.basket.receipts) and restored.lost == []
    back = station.collect.basket_of(result.basket.receipts[1])
    assert back is not None
    assert (back.code, back.total, back.tendered, back.change, back.receipts) == (
        result.basket.code, result.basket.total, result.basket.tendered, result.basket.change,
        result.basket.receipts)
    assert station.shifts.x_report(cashier).totals == before_x
    assert station.journal.verify().ok, station.journal.verify().problem


def test_verify_catches_an_altered_basket(station, db, shift, cashier, customers):
    result = _basket(station, cashier, A, B, tendered=1_200_000)
    db.execute_sql("UPDATE basket SET tendered = 1300000, change_amount = 169755 WHERE code = ?",
                   (result.basket.code,))
    report = station.journal.verify()
    assert not report.ok and result.basket.code in str(report.problem)


def test_a_database_of_the_previous_schema_upgrades_and_takes_a_basket(tmp_path, monkeypatch, clock):
    """Schema v2 (no basket table) with a payment in it: opening it migrates to v3, keeps the
    payment, verifies, and takes a basket."""
    from station_helpers import PASSWORD, add_customer

    from cashier.app import Station
    from cashier.db.ledger_crypto import Argon2Hasher
    from cashier.db.sqlite import schema as migrations

    monkeypatch.delenv("CASHIER_KEYS", raising=False)
    path = tmp_path / "v2.sqlite3"

    def open_station():
        st = Station(path)
        st.__dict__["password_hasher"] = Argon2Hasher.fast_for_tests()
        st.clock = clock
        return st

    with monkeypatch.context() as m:  # a station of the previous version
        m.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:2])
        m.setattr(migrations, "SCHEMA_VERSION", 2)
        st = open_station()
        migrations.add_outbox_columns(st.db.connection())  # this program's commit writes them (v4, idempotent)
        st.users.add_user("admin", PASSWORD, "admin", full_name="Quản Trị")
        admin = st.users.login("admin", PASSWORD)
        st.users.add_user("thu1", PASSWORD, "cashier", full_name="Lê Thị Thu", actor=admin)
        cashier = st.users.login("thu1", PASSWORD)
        st.shifts.open_shift(cashier, 0)
        for i in (7, 8, 9):
            add_customer(st.db, f"PC12AA000000{i}", f"Khách {i}", [(f"HD-{i}", 1, 11, 2026, 100_000)])
        old = st.collect.collect(cashier, "PC12AA0000007", 100_000)
        assert count(st.db, "sqlite_master", "name = 'basket'") == 0
        st.close()
    st = open_station()
    try:
        assert st.db.execute_sql("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
        assert list(tmp_path.glob("v2.v2-*.bak.sqlite3"))  # backed up before the migration
        cashier = st.users.login("thu1", PASSWORD)
        assert st.collect.basket_of(old.receipt_no) is None and st.journal.verify().ok
        entries = [st.collect.preview_basket_entry(c) for c in ("PC12AA0000008", "PC12AA0000009")]
        result = st.collect.collect_basket(cashier, entries, 200_000)
        assert result.basket.change == 0 and st.journal.verify().ok
    finally:
        st.close()


def test_a_restore_that_loses_one_customer_keeps_the_others_payments(station, db, admin, shift, cashier, clock,
                                                                     tmp_path, customers):
    from station_helpers import add_customer

    backup = station.backups.backup(tmp_path / "bk")
    add_customer(db, "PC12AA0000005", "Khách mới E", [("HD-E-11", 1, 11, 2026, 50_000)])  # not in the backup
    clock.advance(minutes=5)
    add_customer(db, "PC12AA0000006", "Khách mới F", [("HD-F-11", 1, 11, 2026, 60_000)])
    result = _basket(station, cashier, A, "PC12AA0000005", tendered=800_000)
    a, e = result.payments
    lost_whole = _basket(station, cashier, "PC12AA0000006", B, tendered=600_000)  # B is in the backup
    restored = station.backups.restore(backup, actor=admin, accept_loss=True)
    assert restored.replayed == [a.receipt_no, lost_whole.basket.receipts[1]]  # really paid: brought back
    assert [x["receipt"] for x in restored.lost if x["kind"] == "payment"] == [
        e.receipt_no, lost_whole.basket.receipts[0]]
    back = station.collect.basket_of(a.receipt_no)
    assert back is not None and back.receipts == (a.receipt_no,) and back.tendered == 800_000
    # a basket none of whose payments came back is itself listed as lost, with its number
    assert [x.get("basket") for x in restored.lost if x["kind"] == "basket"] == []
    assert station.journal.verify().ok, station.journal.verify().problem


def test_a_basket_none_of_whose_payments_comes_back_is_listed_lost(station, db, admin, shift, cashier, clock,
                                                                   tmp_path, customers):
    from station_helpers import add_customer

    backup = station.backups.backup(tmp_path / "bk")
    add_customer(db, "PC12AA0000005", "Khách mới E", [("HD-E-11", 1, 11, 2026, 50_000)])
    add_customer(db, "PC12AA0000006", "Khách mới F", [("HD-F-11", 1, 11, 2026, 60_000)])
    result = _basket(station, cashier, "PC12AA0000005", "PC12AA0000006", tendered=110_000)
    restored = station.backups.restore(backup, actor=admin, accept_loss=True)
    assert restored.replayed == []
    assert [(x["kind"], x.get("receipt") or x.get("basket")) for x in restored.lost] == [
        ("payment", result.basket.receipts[0]), ("payment", result.basket.receipts[1]),
        ("basket", result.basket.code)]
    assert station.collect.basket_of(result.basket.receipts[0]) is None
    assert station.journal.verify().ok, station.journal.verify().problem
