"""The PostgreSQL schema refuses what the SQLite schema refuses, whatever a counter's code does:
a second active settling payment for a bill, a second open shift at a station, a Z number or a
receipt number twice at a station, negative money, change that is not tendered - total."""

from __future__ import annotations

import pytest
from peewee import IntegrityError

from cashier.db.postgres.connection import open_database
from cashier.db.postgres.schema import migrate


@pytest.fixture
def db(pg_url):
    d = open_database(pg_url)
    migrate(d)
    d.execute_sql("INSERT INTO app_user (id, username, role, password_hash, created_at, updated_at) "
                  "VALUES (1, 'thu1', 'cashier', 'x', 't', 't')")
    d.execute_sql("INSERT INTO customer (id, code, name) VALUES (1, 'PC1', 'A')")
    d.execute_sql("INSERT INTO bill (id, customer_id, customer_code, bill_id, ky, thang, nam, amount, vat, total) "
                  "VALUES (1, 1, 'PC1', 'HD1', 1, 10, 2026, 100, 10, 110)")
    for st in ("ST01", "ST02"):  # shifts 1 and 2
        d.execute_sql("INSERT INTO shift (station, user_id, opened_at, opening_float) VALUES (%s, 1, 't', 0)", (st,))
    yield d
    d.close()


def payment(db, pid: int, station: str, receipt: str, *, total: int = 110, tendered: int = 110,
            change: int = 0) -> None:
    db.execute_sql(
        "INSERT INTO payment (id, receipt_no, station, shift_id, cashier_id, cashier_username, customer_code, "
        "total, tendered, change_amount, method, created_at, journal_seq, verification) "
        "VALUES (%s, %s, %s, %s, 1, 'thu1', 'PC1', %s, %s, %s, 'cash', 't', %s, 'v')",
        (pid, receipt, station, 1 if station == "ST01" else 2, total, tendered, change, pid))


def line(db, pid: int, *, settles: bool = True, amount: int = 110) -> None:
    db.execute_sql("INSERT INTO payment_line (payment_id, line_no, kind, bill_row, bill_total, amount, settles) "
                   "VALUES (%s, 1, 'bill', 1, 110, %s, %s)", (pid, amount, settles))


def refused(db, constraint: str, fn, *args, **kw) -> None:
    with pytest.raises(IntegrityError) as info, db.atomic():
        fn(db, *args, **kw)
    assert info.value.orig.diag.constraint_name == constraint


def test_one_active_settling_payment_per_bill_across_stations(db):
    payment(db, 1, "ST01", "ST01-000001")
    line(db, 1)
    payment(db, 2, "ST02", "ST02-000001")
    refused(db, "payment_line_one_settling", line, 2)
    line(db, 2, settles=False, amount=50)  # a partial payment does not settle: allowed
    db.execute_sql("UPDATE payment_line SET active = FALSE WHERE payment_id = 1")  # the void
    line_no_2 = "INSERT INTO payment_line (payment_id, line_no, kind, bill_row, bill_total, amount) " \
                "VALUES (2, 2, 'bill', 1, 110, 60)"
    db.execute_sql(line_no_2)  # settles again once the first is voided


def test_receipt_numbers_and_journal_sequence_are_per_station(db):
    payment(db, 1, "ST01", "000001")
    payment(db, 2, "ST02", "000001")  # the same number at another station
    refused(db, "payment_station_receipt", payment, 3, "ST01", "000001")


def test_one_open_shift_per_station_and_z_numbers_per_station(db):
    def shift(d, station: str, z=None, closed=None):
        d.execute_sql("INSERT INTO shift (station, user_id, opened_at, opening_float, closed_at, z_number) "
                      "VALUES (%s, 1, 't', 0, %s, %s)", (station, closed, z))

    refused(db, "shift_one_open", shift, "ST01")
    shift(db, "ST01", z=1, closed="t")
    shift(db, "ST02", z=1, closed="t")
    refused(db, "shift_z_number", shift, "ST01", z=1, closed="t")


@pytest.mark.parametrize("total,tendered,change", [(-1, 0, 1), (110, 100, -10), (110, 200, 80)])
def test_money_checks(db, total, tendered, change):
    with pytest.raises(IntegrityError), db.atomic():
        payment(db, 9, "ST01", "X", total=total, tendered=tendered, change=change)
