"""cashier.core.journal: the keyed chain and how verify names what was done to it."""

from __future__ import annotations

from dataclasses import replace

from cashier.core import journal as jr

KEY = b"k" * 32


def chain(n=6):
    entries, prev = [], jr.GENESIS
    for i in range(1, n + 1):
        e = jr.make_entry(KEY, i, f"2026-11-23T09:00:0{i}+07:00", "payment", {"receipt": f"R{i}", "total": i}, prev)
        entries.append(e)
        prev = e.hash
    last = entries[-1]
    return entries, (last.seq, last.hash, jr.head_mac(KEY, last.seq, last.hash))


def test_intact_chain_verifies():
    entries, head = chain()
    r = jr.verify_chain(KEY, entries, head)
    assert r.ok and r.checked == 6 and r.last_seq == 6


def test_wrong_key_fails():
    entries, head = chain()
    assert not jr.verify_chain(b"x" * 32, entries, head).ok


def test_edited_payload_named():
    entries, head = chain()
    entries[2] = replace(entries[2], payload=entries[2].payload.replace('"total":3', '"total":300'))
    r = jr.verify_chain(KEY, entries, head)
    assert not r.ok and r.problem.code == "journal.edited" and r.problem.seq == 3


def test_deleted_middle_named():
    entries, head = chain()
    del entries[3]
    r = jr.verify_chain(KEY, entries, head)
    assert r.problem.code == "journal.deleted" and r.problem.params == {"first": 4, "last": 4}


def test_deleted_tail_caught_by_head():
    entries, head = chain()
    r = jr.verify_chain(KEY, entries[:-2], head)
    assert r.problem.code == "journal.deleted" and r.problem.seq == 5


def test_inserted_and_renumbered_named():
    entries, head = chain()
    fake = jr.make_entry(b"attacker" * 4, 4, "2026-11-23T09:00:09+07:00", "payment", {"receipt": "X"}, entries[2].hash)
    shifted = [replace(e, seq=e.seq + 1) for e in entries[3:]]
    r = jr.verify_chain(KEY, entries[:3] + [fake] + shifted, head)
    assert r.problem.code == "journal.inserted" and r.problem.seq == 4


def test_appended_beyond_head_is_inserted():
    entries, head = chain()
    fake = replace(entries[-1], seq=7, prev_hash=entries[-1].hash, hash="0" * 64)
    r = jr.verify_chain(KEY, entries + [fake], head)
    assert r.problem.code == "journal.inserted" and r.problem.seq == 7


def test_reordered_named_with_original_position():
    entries, head = chain()
    a, b = entries[1], entries[4]
    entries[1] = replace(b, seq=2)
    entries[4] = replace(a, seq=5)
    r = jr.verify_chain(KEY, entries, head)
    assert r.problem.code == "journal.reordered" and r.problem.seq == 2 and r.problem.params["original"] == 5


def test_head_missing_or_forged():
    entries, head = chain()
    assert jr.verify_chain(KEY, entries, None).problem.code == "journal.head"
    assert jr.verify_chain(KEY, entries, (head[0], head[1], "0" * 64)).problem.code == "journal.head"


def test_verification_code_shape_and_binding():
    entries, _ = chain()
    codes = {jr.verification_code(KEY, e.hash) for e in entries}
    assert len(codes) == len(entries)
    for c in codes:
        assert len(c) == 8 and set(c) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    assert jr.verification_code(b"other" * 7, entries[0].hash) != jr.verification_code(KEY, entries[0].hash)


def test_canonical_is_stable():
    assert jr.canonical({"b": 1, "a": "đ"}) == '{"a":"đ","b":1}'.encode()
