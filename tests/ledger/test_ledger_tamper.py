"""Tampering with the SQLite file directly (as anyone with DB Browser could) is detected by
verify, naming the entry; verify-receipt checks one printed receipt."""

from __future__ import annotations

import sqlite3

import pytest
from station_helpers import PASSWORD

from cashier.core.errors import NotFound


@pytest.fixture
def busy(station, shift, cashier, manager, customers):
    """A day of work: four payments, a reprint, a void."""
    ps = [
        station.collect.collect(cashier, "PC12AA0000001", 700_000),
        station.collect.collect(cashier, "PC12AA0000002", 500_000),
        station.collect.collect(cashier, "PC12AA0000004", 100_000),
        station.collect.collect(cashier, "PC12AA0000003", 200_000),
    ]
    station.collect.reprint(ps[1].receipt_no, manager)
    station.collect.void(ps[2].receipt_no, "wrong customer", manager)
    assert station.journal.verify().ok
    station.close()  # the attacker edits the closed file
    return ps


def edit(station, sql, params=()):
    con = sqlite3.connect(station.db_path)
    con.execute("PRAGMA foreign_keys=OFF")
    con.execute(sql, params)
    con.commit()
    con.close()


def problem(station):
    r = station.journal.verify()
    assert not r.ok
    return r.problem


def test_edit_amount_in_payment_table(station, busy):
    edit(station, "UPDATE payment SET total = total - 100000, tendered = tendered - 100000 "
                  "WHERE receipt_no = ?", (busy[0].receipt_no,))
    p = problem(station)
    assert p.seq == busy[0].journal_seq and "altered" in p.message and busy[0].receipt_no in p.message


def test_edit_line_amount(station, busy):
    edit(station, "UPDATE payment_line SET amount = 1 WHERE bill_id = 'HD-A-10'")
    assert problem(station).seq == busy[0].journal_seq


def test_edit_amount_in_journal_payload(station, busy):
    seq = busy[1].journal_seq
    edit(station, "UPDATE journal_entry SET payload = replace(payload, '\"total\":456789', '\"total\":456') "
                  "WHERE seq = ?", (seq,))
    p = problem(station)
    assert p.code == "journal.edited" and p.seq == seq
    assert f"#{seq}" in p.message


def test_delete_payment_row(station, busy):
    edit(station, "DELETE FROM payment_line WHERE payment_id = (SELECT id FROM payment WHERE receipt_no = ?)",
         (busy[3].receipt_no,))
    edit(station, "DELETE FROM payment WHERE receipt_no = ?", (busy[3].receipt_no,))
    p = problem(station)
    assert p.seq == busy[3].journal_seq and "deleted" in p.message


def test_delete_journal_entry(station, busy):
    seq = busy[1].journal_seq
    edit(station, "DELETE FROM journal_entry WHERE seq = ?", (seq,))
    p = problem(station)
    assert p.code == "journal.deleted" and p.seq == seq


def test_delete_last_journal_entries(station, busy):
    last = station.storage.journal.journal_head(station.station_code)[0]
    edit(station, "DELETE FROM journal_entry WHERE seq >= ?", (last - 1,))
    p = problem(station)
    assert p.code == "journal.deleted" and p.seq == last - 1


def test_insert_payment_row(station, busy):
    con = sqlite3.connect(station.db_path)
    cols = [r[1] for r in con.execute("PRAGMA table_info(payment)") if r[1] != "id"]
    con.close()
    sel = ", ".join("'ST01-0099999'" if c == "receipt_no" else ("NULL" if c in ("idempotency_key", "client_uuid", "client_seq") else
                    ("999999" if c == "journal_seq" else c)) for c in cols)
    edit(station, f"INSERT INTO payment({', '.join(cols)}) SELECT {sel} FROM payment WHERE receipt_no = ?",
         (busy[0].receipt_no,))
    p = problem(station)
    assert "ST01-0099999" in p.message and "no matching journal entry" in p.message


def test_insert_journal_row_in_the_middle(station, busy):
    seq = busy[1].journal_seq
    con = sqlite3.connect(station.db_path)
    rows = con.execute("SELECT seq, ts, kind, payload, prev_hash, hash FROM journal_entry WHERE seq >= ? "
                       "ORDER BY seq DESC", (seq,)).fetchall()
    for r in rows:  # make room, as an attacker must with a gapless seq
        con.execute("UPDATE journal_entry SET seq = seq + 1 WHERE seq = ?", (r[0],))
    con.execute("INSERT INTO journal_entry VALUES (?, ?, 'payment', '{\"receipt\":\"X\"}', ?, ?)",
                (seq, rows[-1][1], rows[-1][4], "f" * 64))
    con.commit()
    con.close()
    p = problem(station)
    assert p.code == "journal.inserted" and p.seq == seq


def test_reorder_journal_entries(station, busy):
    a, b = busy[0].journal_seq, busy[3].journal_seq
    con = sqlite3.connect(station.db_path)
    con.execute("UPDATE journal_entry SET seq = -1 WHERE seq = ?", (a,))
    con.execute("UPDATE journal_entry SET seq = ? WHERE seq = ?", (a, b))
    con.execute("UPDATE journal_entry SET seq = ? WHERE seq = -1", (b,))
    con.commit()
    con.close()
    p = problem(station)
    assert p.code == "journal.reordered" and p.seq == a and p.params["original"] == b


def test_undo_a_void_by_hand(station, busy, db):
    edit(station, "UPDATE payment SET status = 'active' WHERE receipt_no = ?", (busy[2].receipt_no,))
    p = problem(station)
    assert busy[2].receipt_no in p.message


def test_raise_print_count_or_role(station, busy):
    edit(station, "UPDATE payment SET print_count = 1 WHERE receipt_no = ?", (busy[1].receipt_no,))
    assert "print count" in problem(station).message
    edit(station, "UPDATE payment SET print_count = 2 WHERE receipt_no = ?", (busy[1].receipt_no,))
    assert station.journal.verify().ok
    edit(station, "UPDATE app_user SET role = 'admin' WHERE username = 'thu1'")
    assert "thu1" in problem(station).message


def test_copied_database_with_another_key_does_not_verify(station, busy, tmp_path):
    (station.keys_dir / "journal.key").write_text("ab" * 32)
    station.journal_secrets._cached = None
    assert problem(station).code == "journal.wrong_key"


def test_verify_receipt(station, busy):
    p = busy[0]
    ok = station.journal.verify_receipt(p.receipt_no, p.verification_display.lower())
    assert ok.ok and "genuine" in ok.message and "là thật" in ok.text("vi")
    bad = station.journal.verify_receipt(p.receipt_no, busy[1].verification)
    assert not bad.ok and "does not match" in bad.message
    with pytest.raises(NotFound):
        station.journal.verify_receipt("ST01-7777777", "AAAAAAAA")
    edit(station, "UPDATE payment SET total = 1, tendered = change_amount + 1 WHERE receipt_no = ?", (p.receipt_no,))
    altered = station.journal.verify_receipt(p.receipt_no, p.verification)
    assert not altered.ok and "differs" in altered.message


def test_fresh_station_verifies_and_login_events_are_journalled(station, admin):
    r = station.journal.verify()
    assert r.ok and r.checked == 1
    station.journal.record("import", {"file": "extract.xlsx", "bills": 10})
    assert station.journal.verify().ok and station.journal.verify().checked == 2
    assert PASSWORD  # keep fixture import used


def test_swapped_password_hash_detected(station, busy):
    edit(station, "UPDATE app_user SET password_hash = (SELECT password_hash FROM app_user WHERE username = 'thu1') "
                  "WHERE username = 'admin'")
    p = problem(station)
    assert "admin" in p.message and "password hash" in p.message


def test_missing_key_is_not_silently_recreated(station, busy, cashier):
    key = station.keys_dir / "journal.key"
    key.unlink()
    station.journal_secrets._cached = None
    station.storage.journal._secret = None
    p = problem(station)
    assert p.code == "keys.missing"
    assert not key.exists()  # verify did not create a new key
    from cashier.core.errors import IntegrityError

    with pytest.raises(IntegrityError) as exc:
        station.collect.collect(cashier, "PC12AA0000004", 100_000)  # appending is refused too
    assert exc.value.code == "keys.missing"
    assert not key.exists()
