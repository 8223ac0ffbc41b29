"""The journal (a chain per station that verifies), the settings and the export marking
through the JournalStore, SettingsStore and ExportStore ports (every backend)."""

from __future__ import annotations

import pytest
from storage_helpers import A, B, MemorySecrets, at, planner

from cashier.core.errors import Conflict
from cashier.core.journal import GENESIS, verify_chain
from cashier.core.ledger import PaymentRequest, Role
from cashier.services.journal_service import JournalService


def _entries(storage, station):
    return list(storage.journal.iter_journal(station))


def test_every_change_is_journalled_in_one_chain_that_verifies(storage, pay, admin, shift):
    p = pay(A, 700_000)
    storage.payment_changes.void_payment(receipt_no=p.receipt_no, reason="x", user=admin, approved_by=None,
                                         shift_id=shift.id, ts=at(3))
    seq = storage.journal.append_journal("ST01", "import", {"file": "no.xlsx", "rows": 3}, at(4))
    entries = _entries(storage, "ST01")
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1)) and entries[-1].seq == seq
    assert [e.kind for e in entries] == ["user", "user", "shift_open", "payment", "void", "import"]
    assert entries[0].prev_hash == GENESIS and all(a.hash == b.prev_hash for a, b in zip(entries, entries[1:], strict=False))
    head = storage.journal.journal_head("ST01")
    assert head is not None and head[:2] == (seq, entries[-1].hash)
    assert storage.journal.journal_entry("ST01", p.journal_seq).kind == "payment"
    assert storage.journal.journal_entry("ST01", 999) is None
    assert verify_chain(MemorySecrets("ST01").secret(), iter(entries), head[:3]).ok
    service = JournalService(storage.journal, storage.payments, storage.settings, MemorySecrets("ST01"))
    result = service.verify()  # the chain AND the rows cross-checked against it
    assert result.ok, result.problem
    assert service.verify_receipt(p.receipt_no, p.verification).ok


def test_the_journal_chain_is_per_station(open_storage, backend):
    stores = {st: open_storage(st) for st in ("ST01", "ST02")}
    for st, s in stores.items():
        u = s.users.add_user(station=st, username=f"u{st.lower()}", full_name="", role=Role.ADMIN, cashier_code="",
                             password_hash="h", actor=None, ts=at(0))
        s.shifts.open_shift(station=st, user=u, opening_float=0, ts=at(1))
    before = stores["ST01"].journal.journal_head("ST01")
    stores["ST02"].journal.append_journal("ST02", "import", {"rows": 1}, at(2))
    assert stores["ST01"].journal.journal_head("ST01") == before  # ST02's entry is not in ST01's chain
    kinds = {st: [e.kind for e in _entries(s, st)] for st, s in stores.items()}
    assert kinds["ST01"][-1] == "shift_open" and kinds["ST02"][-1] == "import"
    for st, s in stores.items():
        head = s.journal.journal_head(st)
        assert head is not None and verify_chain(MemorySecrets(st).secret(), s.journal.iter_journal(st), head[:3]).ok


def test_the_rows_verify_checks_are_there(storage, pay, admin):
    pay(A, 700_000)
    rows = storage.journal.state_rows("ST01")
    assert {"voids", "shifts", "users", "lost_bills", "baskets", "collected_without_payment"} <= set(rows)
    assert [u[1] for u in rows["users"]] == ["admin", "thu1"] and rows["collected_without_payment"] == []
    (state,) = list(storage.journal.iter_payment_state("ST01"))
    assert state[0][0] == "ST01-0000001" and [ln[1] for ln in state[1]] == ["HD-A1", "HD-A2"]


def test_settings_keep_json_values(storage):
    assert storage.settings.get("company", "none") == "none"
    storage.settings.set("company", {"name": "Điện lực Đắk Lắk", "phones": ["0262 1"]})
    assert storage.settings.get("company") == {"name": "Điện lực Đắk Lắk", "phones": ["0262 1"]}
    assert storage.settings.ledger().station == "ST01"
    storage.settings.set("ledger.reconnection_fee", 120_000)
    assert storage.settings.ledger().reconnection_fee == 120_000


def _batch(storage, batch_id, sequence, pending):
    batch = {
        "batch_id": batch_id, "station": "ST01", "sequence": sequence, "created_at": "2026-11-23T18:00:00+07:00",
        "rows": len(pending.rows), "total_amount": 0, "vat": 0, "grand_total": sum(r.total for r in pending.rows),
        "first_receipt": "", "last_receipt": "", "journal_head": storage.export.journal_head("ST01"),
    }
    storage.export.record_batch(batch, pending)


def test_a_payment_is_exported_once(storage, pay):
    a, b = pay(A, 700_000), pay(B, 250_000, minutes=2)
    pending = storage.export.pending(station="ST01")
    assert sorted(pending.payment_ids) == sorted([a.id, b.id]) and len(pending.rows) == 3  # one row a bill
    assert storage.export.next_sequence("ST01") == 1
    _batch(storage, "B-1", 1, pending)
    assert storage.export.next_sequence("ST01") == 2
    assert storage.export.pending().payment_ids == [] and storage.payments.payments(not_exported=True) == []
    assert {r[0]: r[1] for r in storage.export.payment_batches()} == {a.receipt_no: "B-1", b.receipt_no: "B-1"}
    assert [r.receipt_no for r in storage.export.batch_rows("B-1")] == [r.receipt_no for r in pending.rows]
    assert storage.export.batch("B-1")["payments"] == 2
    with pytest.raises(Conflict) as exc:  # the same selection again: already exported, nothing marked
        _batch(storage, "B-2", 2, pending)
    assert exc.value.code == "export.changed"
    assert [x["batch_id"] for x in storage.export.batches()] == ["B-1"]


def test_a_payment_voided_after_the_selection_is_not_marked(storage, pay, admin):
    """The one marking condition: an active payment not yet in a batch (a void between the
    selection and the recording refuses the whole batch)."""
    a, b = pay(A, 700_000), pay(B, 250_000, minutes=2)
    pending = storage.export.pending()
    storage.payment_changes.void_payment(receipt_no=a.receipt_no, reason="x", user=admin, approved_by=None,
                                         shift_id=None, ts=at(3))
    with pytest.raises(Conflict) as exc:
        _batch(storage, "B-1", 1, pending)
    assert exc.value.code == "export.changed"
    assert all(r[1] is None for r in storage.export.payment_batches())
    fresh = storage.export.pending()
    assert fresh.payment_ids == [b.id] and fresh.void_payment_ids == []  # never exported: no reversal
    _batch(storage, "B-1", 1, fresh)


def test_a_void_of_an_exported_payment_goes_out_once_as_a_reversal(storage, pay, admin, shift, cashier):
    a = pay(A, 700_000)
    _batch(storage, "B-1", 1, storage.export.pending())
    v = storage.payment_changes.void_payment(receipt_no=a.receipt_no, reason="x", user=admin, approved_by=None,
                                             shift_id=shift.id, ts=at(3))
    assert v.needs_reversal and [x.receipt_no for x in storage.payment_changes.voids(not_exported=True)] == [a.receipt_no]
    pending = storage.export.pending()
    assert pending.payment_ids == [] and pending.void_payment_ids == [a.id]
    assert {r.kind for r in pending.rows} == {"reversal"} and sum(r.total for r in pending.rows) == -700_000
    _batch(storage, "B-2", 2, pending)
    assert storage.payment_changes.voids(not_exported=True) == []
    with pytest.raises(Conflict):
        _batch(storage, "B-3", 3, pending)
    req = PaymentRequest(customer_code=A, tendered=700_000)
    again = storage.payments.commit_payment(request=req, planner=planner(req), shift=shift, cashier=cashier, ts=at(4))
    assert storage.export.pending().payment_ids == [again.id]
