"""Issue 11 §3: the journal anchored outside the database; restore never rolls money back unseen,
never re-issues a receipt number and never lets a bill paid in a lost payment be collected again."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from station_helpers import PASSWORD, add_customer, bill_status, count

from cashier.core.errors import Conflict, IntegrityError, PermissionDenied
from cashier.core.ledger import Permission


def _customers(db, n, start=1):
    codes = []
    with db.atomic():
        for i in range(start, start + n):
            code = f"PC12AA{i:07d}"
            add_customer(db, code, f"Khách {i}", [(f"HD{i:07d}", 1, 11, 2026, 100_000 + i)])
            codes.append(code)
    return codes


def _pay(station, user, codes, clock):
    out = []
    for code in codes:
        out.append(station.collect.collect(user, code, station.collect.preview(code).total))
        clock.advance(minutes=3)
    return out


@pytest.fixture
def ten(station, db, admin, cashier, shift, clock, tmp_path):
    """5 payments, a backup, 5 more payments (the issue's reproduction)."""
    codes = _customers(db, 10)
    first = _pay(station, cashier, codes[:5], clock)
    backup = station.backups.backup(tmp_path / "bk")
    later = _pay(station, cashier, codes[5:], clock)
    return codes, first, later, backup


def test_restore_needs_an_admin(station, db, manager, ten, cashier):
    _codes, _first, _later, backup = ten
    with pytest.raises(PermissionDenied):
        station.backups.restore(backup, actor=None)
    for who in (cashier, manager):
        with pytest.raises(PermissionDenied):
            station.backups.restore(backup, actor=who)
    assert count(db, "payment") == 10
    assert Permission.RESTORE not in {p for p in Permission if manager.can(p)}


def test_restore_of_an_older_backup_brings_the_later_payments_back(station, db, ten, admin, cashier, clock):
    codes, first, later, backup = ten
    result = station.backups.restore(backup, actor=admin)
    assert sorted(result.replayed) == sorted(p.receipt_no for p in later)
    assert result.lost == []
    assert count(db, "payment") == 10
    for p in later:
        row = station.collect.payment(p.receipt_no)
        assert (row.total, row.customer.code, row.verification) == (p.total, p.customer.code, p.verification)
        assert bill_status(db, p.lines[0].bill_id) == "collected"
    assert station.journal.verify().ok, station.journal.verify().problem
    entry = db.execute_sql("SELECT payload FROM journal_entry WHERE kind = 'restore'").fetchone()
    assert json.loads(entry[0])["by"] == admin.id
    # the shift's totals match again and the next receipt continues the sequence
    assert station.shifts.x_report(cashier).totals.payments == 10
    _customers(db, 1, start=11)
    nxt = station.collect.collect(cashier, "PC12AA0000011", station.collect.preview("PC12AA0000011").total)
    assert nxt.receipt_no.endswith("-0000011")
    # the customer who paid under receipt 6 cannot be collected a second time
    with pytest.raises(Conflict):
        station.collect.collect(cashier, codes[5], later[0].total)


def test_restore_without_replay_is_refused_with_the_list_then_loss_is_never_repeated(
    station, db, manager, ten, admin, cashier, clock
):
    codes, first, later, backup = ten
    lost = [p.receipt_no for p in later]
    with pytest.raises(IntegrityError) as err:
        station.backups.restore(backup, actor=admin, replay=False)
    for r in lost:
        assert r in str(err.value)
    assert count(db, "payment") == 10  # refused: nothing changed
    result = station.backups.restore(backup, actor=admin, replay=False, accept_loss=True)
    assert sorted(x["receipt"] for x in result.lost if x["kind"] == "payment") == sorted(lost)
    assert count(db, "payment") == 5
    assert station.journal.verify().ok, station.journal.verify().problem
    # receipt numbers continue from the anchor's high-water mark, never from the restored db
    _customers(db, 1, start=11)
    nxt = station.collect.collect(cashier, "PC12AA0000011", station.collect.preview("PC12AA0000011").total)
    assert nxt.receipt_no.endswith("-0000011")
    # the bill paid under the lost receipt 6 is refused without a manager's override...
    lost_code = later[0].customer.code
    with pytest.raises(Conflict, match="restore"):
        station.collect.collect(cashier, lost_code, later[0].total)
    assert bill_status(db, later[0].lines[0].bill_id) == "unpaid"
    # ...and with one it is collected, the override recorded in a table and the journal
    approval = station.users.authorise("manager", PASSWORD, Permission.COLLECT_LOST, cashier, "paid again")
    again = station.collect.collect(cashier, lost_code, later[0].total, approval=approval)
    assert again.total == later[0].total
    row = db.execute_sql("SELECT released_by, released_receipt FROM lost_bill WHERE bill_id = ?",
                         (later[0].lines[0].bill_id,)).fetchone()
    assert row == (manager.id, again.receipt_no)
    payload = json.loads(station.storage.journal.journal_entry(station.station_code, again.journal_seq).payload)
    assert payload["override"] == approval.override_id
    assert station.journal.verify().ok, station.journal.verify().problem
    # the blocks are checked by verify: deleting one (to collect a lost bill again) is caught
    db.execute_sql("DELETE FROM lost_bill WHERE bill_id = ?", (later[1].lines[0].bill_id,))
    problem = station.journal.verify().problem
    assert problem is not None and "block" in problem.message


def test_truncated_journal_with_an_old_head_fails_verify_naming_the_missing(station, db, ten):
    _codes, first, later, _backup = ten
    head5 = db.execute_sql("SELECT seq FROM journal_entry WHERE kind = 'payment' ORDER BY seq").fetchall()[4][0]
    old = station.storage.journal.journal_entry(station.station_code, head5)
    from cashier.core import journal as jr

    secret = station.journal_secrets.secret()
    with db.atomic():
        db.execute_sql("DELETE FROM payment_line WHERE payment_id IN (SELECT id FROM payment WHERE journal_seq > ?)",
                       (head5,))
        marks = ",".join("?" * len(later))
        db.execute_sql(f"UPDATE bill SET status = 'unpaid' WHERE bill_id IN ({marks})",
                       [p.lines[0].bill_id for p in later])
        db.execute_sql("DELETE FROM payment WHERE journal_seq > ?", (head5,))
        db.execute_sql("DELETE FROM journal_entry WHERE seq > ?", (head5,))
        db.execute_sql("UPDATE journal_head SET seq = ?, hash = ?, mac = ?",
                       (old.seq, old.hash, jr.head_mac(secret, old.seq, old.hash)))
    result = station.journal.verify()
    assert not result.ok
    assert result.problem.code == "journal.rolled_back"
    d = result.as_dict()
    assert sorted(d["missing"]["receipts"]) == sorted(p.receipt_no for p in later)
    assert d["missing"]["seqs"][0] == head5 + 1
    # and the counter refuses to collect on the rolled-back database
    with pytest.raises(IntegrityError):
        station.collect.collect(station.users.login("thu1", PASSWORD), later[0].customer.code, later[0].total)


def test_anchor_deleted_or_edited_fails_verify(station, db, ten):
    anchor = station.keys_dir / "journal.anchor"
    assert anchor.is_file()
    lines = anchor.read_bytes().splitlines(keepends=True)
    rec = json.loads(lines[3])
    rec["payload"] = rec["payload"].replace("100", "900", 1)
    anchor.write_bytes(b"".join([*lines[:3], json.dumps(rec).encode() + b"\n", *lines[4:]]))
    assert station.journal.verify().problem.code == "journal.anchor_altered"
    anchor.unlink()
    result = station.journal.verify()
    assert not result.ok and result.problem.code == "journal.anchor_missing"


def test_db_committed_anchor_behind_is_healed_not_reported(station, db, ten):
    anchor = station.keys_dir / "journal.anchor"
    lines = anchor.read_bytes().splitlines(keepends=True)
    # a crash after the SQLite commit: the last two entries never reached the anchor, one torn
    anchor.write_bytes(b"".join(lines[:-2]) + lines[-2][:17])
    result = station.journal.verify()
    assert result.ok, result.problem
    assert anchor.read_bytes() == b"".join(lines)


def test_failed_backup_leaves_no_partial_journal(station, db, ten, tmp_path, monkeypatch):
    """Disk full half-way: SQLite's rollback journal of the half-written copy is removed too."""
    import types

    from cashier.db.sqlite import backups as backup_store

    out = tmp_path / "bk2"

    class Src:
        def __init__(self, con):
            self.con = con

        def backup(self, dst, pages=-1):
            journal = next(out.glob("*.partial")).with_name(next(out.glob("*.partial")).name + "-journal")
            journal.write_bytes(b"\xd9\xd5\x05\xf9 half a journal")
            raise sqlite3.OperationalError("database or disk is full")

        def close(self):
            self.con.close()

    calls = []

    def connect(path, *a, **kw):
        con = sqlite3.connect(path, *a, **kw)
        calls.append(path)
        return Src(con) if len(calls) == 1 else con

    fake = types.SimpleNamespace(**{k: getattr(sqlite3, k) for k in dir(sqlite3) if not k.startswith("__")})
    fake.connect = connect
    monkeypatch.setattr(backup_store, "sqlite3", fake)
    with pytest.raises(Exception, match="failed"):
        station.backups.backup(out)
    assert list(out.iterdir()) == []


def test_user_added_after_the_backup_comes_back_with_the_payments(station, db, admin, cashier, shift, clock,
                                                                 tmp_path):
    codes = _customers(db, 4)
    _pay(station, cashier, codes[:2], clock)
    backup = station.backups.backup(tmp_path / "bk")
    station.users.add_user("ql2", PASSWORD, "manager", full_name="Quản Lý Hai", actor=admin)
    later = _pay(station, cashier, codes[2:], clock)
    result = station.backups.restore(backup, actor=admin)
    assert result.lost == [] and sorted(result.replayed) == sorted(p.receipt_no for p in later)
    assert station.users.login("ql2", PASSWORD).full_name == "Quản Lý Hai"
    assert station.journal.verify().ok, station.journal.verify().problem


def test_crash_after_the_commit_before_the_anchor_is_healed(station, db, admin, cashier, shift, clock,
                                                            monkeypatch):
    from cashier.db.journal_anchor import JournalAnchor

    codes = _customers(db, 3)
    _pay(station, cashier, codes[:1], clock)
    real = JournalAnchor.sync

    def power_cut(self, upto, fetch):
        raise OSError("power cut before the anchor append")

    monkeypatch.setattr(JournalAnchor, "sync", power_cut)
    p = _pay(station, cashier, codes[1:2], clock)[0]  # acknowledged: the SQLite commit is durable
    anchor = station.journal_anchor
    assert anchor.tail()[0] == p.journal_seq - 1
    monkeypatch.setattr(JournalAnchor, "sync", real)
    # the next start heals it from the database, and a payment goes through
    station.close()
    from cashier.app import Station

    again = Station(station.db_path, clock=clock, hasher=station.password_hasher)
    try:
        assert again.journal_anchor.tail()[0] == p.journal_seq - 1  # not yet: the store is not open
        again.storage  # noqa: B018 - opening the storage heals the anchor
        assert again.journal_anchor.tail()[0] == p.journal_seq
        assert again.journal.verify().ok
        _pay(again, again.users.login("thu1", PASSWORD), codes[2:], clock)
        assert again.journal.verify().ok
    finally:
        again.close()


def test_new_station_restores_a_backup_without_login_and_continues(station, db, admin, cashier, shift, clock,
                                                                   tmp_path):
    """Disaster recovery: a new machine with the journal key (and no anchor, or an old copy)."""
    import shutil

    from cashier.app import Station

    codes = _customers(db, 4)
    _pay(station, cashier, codes[:2], clock)
    old_anchor = station.keys_dir / "old.anchor"
    shutil.copy(station.keys_dir / "journal.anchor", old_anchor)
    _pay(station, cashier, codes[2:3], clock)
    backup = station.backups.backup(tmp_path / "bk")
    for with_old_anchor in (False, True):
        home = tmp_path / f"new{with_old_anchor}"
        (home / "keys").mkdir(parents=True)
        shutil.copy(station.keys_dir / "journal.key", home / "keys" / "journal.key")
        if with_old_anchor:
            shutil.copy(old_anchor, home / "keys" / "journal.anchor")
        new = Station(home / "cashier.sqlite3", clock=clock, hasher=station.password_hasher)
        try:
            new.backups.restore(backup, actor=None)
            assert new.journal.verify().ok, new.journal.verify().problem
            thu = new.users.login("thu1", PASSWORD)
            p = new.collect.collect(thu, codes[3], new.collect.preview(codes[3]).total)
            assert p.receipt_no.endswith("-0000004")
            with pytest.raises(PermissionDenied):  # no longer a new station: an admin's action
                new.backups.restore(backup, actor=None)
        finally:
            new.close()


def test_anchor_rebuild_only_for_a_missing_anchor_never_over_a_rollback(station, db, ten, admin, cashier):
    from cashier.core.errors import DomainError

    with pytest.raises(DomainError):  # the anchor is in order
        station.backups.rebuild_anchor(actor=admin)
    with pytest.raises(PermissionDenied):
        station.backups.rebuild_anchor(actor=cashier)
    anchor = station.keys_dir / "journal.anchor"
    anchor.unlink()
    seq = station.backups.rebuild_anchor(actor=admin)
    result = station.journal.verify()
    assert result.ok and result.last_seq == seq
    kind = station.storage.journal.journal_entry(station.station_code, seq).kind
    assert kind == "anchor_rebuild"
    # a rolled-back database: the rebuild is refused (that is a restore's work)
    _, _first, _later, backup = ten
    import shutil

    station.close()
    for suffix in ("-wal", "-shm"):
        (station.db_path.parent / (station.db_path.name + suffix)).unlink(missing_ok=True)
    shutil.copyfile(backup, station.db_path)
    with pytest.raises(IntegrityError, match="rolled back"):
        station.backups.rebuild_anchor(actor=station.users.login("admin", PASSWORD))


def test_cli_restore_lists_the_loss_verify_names_the_rollback(station, db, ten, admin, capsys, monkeypatch):
    from cashier.cli import main

    _codes, _first, later, backup = ten
    dbp = str(station.db_path)
    monkeypatch.setenv("CASHIER_PASSWORD", PASSWORD)
    monkeypatch.delenv("CASHIER_USER", raising=False)
    assert main(["--db", dbp, "restore", str(backup), "--no-replay", "--user", "admin"]) == 6  # refused: a loss
    err = capsys.readouterr().err
    assert "--accept-loss" in err and all(p.receipt_no in err for p in later)
    assert count(db, "payment") == 10
    assert main(["--db", dbp, "restore", str(backup), "--no-replay", "--accept-loss", "--user", "admin",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["restored"] and {x["receipt"] for x in out["lost"] if x["kind"] == "payment"} == {
        p.receipt_no for p in later}
    assert main(["--db", dbp, "verify", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True
    # a hand-copied old database: verify names what is missing, in text and JSON
    db.close()
    station.close()
    for suffix in ("-wal", "-shm"):
        (station.db_path.parent / (station.db_path.name + suffix)).unlink(missing_ok=True)
    import shutil

    shutil.copyfile(backup, station.db_path)
    assert main(["--db", dbp, "verify"]) == 6
    captured = capsys.readouterr()
    assert "missing receipts: " in captured.out and later[0].receipt_no in captured.out
    assert "rolled back" in captured.err
    assert main(["--db", dbp, "verify", "--json"]) == 6
    missing = json.loads(capsys.readouterr().out)["missing"]
    assert set(missing["receipts"]) == {p.receipt_no for p in later}


def test_two_databases_in_one_folder_keep_their_own_anchor(tmp_path, clock):
    from cashier.app import Station
    from cashier.db.ledger_crypto import Argon2Hasher

    made = []
    for name in ("cashier.sqlite3", "training.sqlite3"):
        st = Station(tmp_path / name, clock=clock, hasher=Argon2Hasher.fast_for_tests())
        try:
            st.users.add_user("admin", PASSWORD, "admin")
            assert st.journal.verify().ok
            made.append(st.journal_anchor.path.name)
        finally:
            st.close()
    assert made == ["journal.anchor", "journal.training.sqlite3.anchor"]


def test_restore_over_a_damaged_database_checks_the_admin_against_the_backup(
    station, db, ten, admin, capsys, monkeypatch
):
    from cashier.cli import main

    _codes, _first, later, backup = ten
    dbp = str(station.db_path)
    db.close()
    station.close()
    con = sqlite3.connect(dbp)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    data = bytearray(station.db_path.read_bytes())
    data[4096 : 4096 * 4] = b"\xff" * (4096 * 3)  # a damaged disk: nobody can log in to it
    station.db_path.write_bytes(bytes(data))
    monkeypatch.delenv("CASHIER_USER", raising=False)
    assert main(["--db", dbp, "restore", str(backup)]) == 4  # still an admin's action
    monkeypatch.setenv("CASHIER_PASSWORD", "wrong-password")
    assert main(["--db", dbp, "restore", str(backup), "--user", "admin"]) == 4
    monkeypatch.setenv("CASHIER_PASSWORD", PASSWORD)
    assert main(["--db", dbp, "restore", str(backup), "--user", "thu1"]) == 4
    capsys.readouterr()
    assert main(["--db", dbp, "restore", str(backup), "--user", "admin", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert sorted(out["replayed"]) == sorted(p.receipt_no for p in later)
    assert main(["--db", dbp, "verify"]) == 0
    assert Path(out["kept_aside"]).exists()
