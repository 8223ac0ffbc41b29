"""A batch is marked exported only when its files are written and synced."""

from __future__ import annotations

import errno
import os

import pytest

from cashier.core.errors import DomainError
from cashier.export import clearing_exporter
from tests.export.conftest import collect_all, make_customers


@pytest.fixture
def collected(station, db, cashier, shift, clock):
    return collect_all(station, cashier, make_customers(db, 4), clock)


def nothing_marked(station) -> bool:
    return all(r[1] is None for r in station.storage.export.payment_batches()) and not station.export.batches()


def test_target_that_is_not_a_directory(station, collected, tmp_path, manager):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(DomainError, match="nothing was marked") as exc:
        station.export.export(out_dir=blocker / "sub", actor=manager)
    assert exc.value.code == "export.write_failed"
    assert nothing_marked(station)


def test_full_disk_leaves_nothing_marked_and_no_partial_files(station, collected, tmp_path, monkeypatch, manager):
    real = os.fsync
    calls = {"n": 0}

    def fsync(fd):
        calls["n"] += 1
        if calls["n"] == 3:  # the second data file
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd)

    monkeypatch.setattr(clearing_exporter.os, "fsync", fsync)
    out = tmp_path / "out"
    with pytest.raises(DomainError, match="disk is full"):
        station.export.export(out_dir=out, actor=manager)
    assert nothing_marked(station)
    assert list(out.iterdir()) == []
    monkeypatch.setattr(clearing_exporter.os, "fsync", real)
    res = station.export.export(out_dir=out, actor=manager)  # space again: the same payments go out, once
    assert res.payments == len(collected)


def test_failed_commit_discards_the_files(station, collected, tmp_path, monkeypatch, manager):
    def boom(batch, pending):
        raise RuntimeError("database went away")

    monkeypatch.setattr(station.storage.export, "record_batch", boom)
    out = tmp_path / "out"
    with pytest.raises(RuntimeError):
        station.export.export(out_dir=out, actor=manager)
    assert list(out.iterdir()) == []


def test_payment_voided_while_writing_is_not_exported(station, collected, manager, tmp_path, monkeypatch):
    stage = station.export.writer.stage
    victim = collected[1].receipt_no
    done = {"voided": False}

    def stage_then_void(*a, **kw):
        staged = stage(*a, **kw)
        if not done["voided"]:
            done["voided"] = True
            station.collect.void(victim, "void during export", manager)
        return staged

    monkeypatch.setattr(station.export.writer, "stage", stage_then_void)
    res = station.export.export(out_dir=tmp_path / "out", actor=manager)
    receipts = {r.receipt_no for r in station.storage.export.batch_rows(res.batch_id)}
    assert victim not in receipts and len(receipts) == len(collected) - 1
    assert len(list((tmp_path / "out").glob("*.xlsx"))) == 1  # the first attempt's files were discarded


def test_bad_format_and_date(station, collected, manager):
    with pytest.raises(DomainError):
        station.export.export(fmt="pdf", actor=manager)
    with pytest.raises(DomainError):
        station.export.export(date="23/11/2026", actor=manager)


def test_exports_while_the_counter_collects_clear_every_payment_once(station, db, cashier, shift, tmp_path, manager):
    import threading

    codes = make_customers(db, 80)
    errors: list[BaseException] = []
    finished = threading.Event()

    def counter():
        try:
            for code in codes:
                station.collect.collect(cashier, code, station.collect.preview(code).total)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            finished.set()

    t = threading.Thread(target=counter)
    t.start()
    batches = []
    while not finished.is_set():
        res = station.export.export(out_dir=tmp_path / "out", fmt="csv", actor=manager)
        if res.batch_id:
            batches.append(res.batch_id)
    t.join()
    assert not errors
    res = station.export.export(out_dir=tmp_path / "out", fmt="csv", actor=manager)
    if res.batch_id:
        batches.append(res.batch_id)
    receipts = [r.receipt_no for b in batches for r in station.storage.export.batch_rows(b)]
    assert len(batches) >= 2  # exports really ran while payments were being taken
    assert len(receipts) == len(set(receipts)) == len(codes)
    assert all(r[1] is not None for r in station.storage.export.payment_batches())
