"""The journal anchor file: append under a lock, torn tail, continuity, racing appenders."""

from __future__ import annotations

import threading

import pytest

from cashier.core import journal as jr
from cashier.core.errors import IntegrityError
from cashier.db.journal_anchor import JournalAnchor, parse_line

SECRET = b"s" * 32


def _chain(n, secret=SECRET, kind="payment"):
    out, prev = [], jr.GENESIS
    for i in range(1, n + 1):
        e = jr.make_entry(secret, i, "2026-11-23T09:00:00+07:00", kind, {"receipt": f"ST01-{i:07d}"}, prev)
        out.append(e)
        prev = e.hash
    return out


def _fetch(entries):
    return lambda first, last: entries[first - 1 : last]


def test_sync_appends_only_what_is_missing_and_cuts_a_torn_line(tmp_path):
    entries = _chain(6)
    a = JournalAnchor(tmp_path)
    assert a.tail() is None
    a.create()
    assert a.tail() == (0, jr.GENESIS)
    assert a.sync(3, _fetch(entries)) == 3
    assert a.sync(2, _fetch(entries)) == 3  # never rewrites or goes back
    with open(a.path, "ab") as fh:
        fh.write(b'{"seq":4,"ts":"2026')  # power cut mid-append
    assert a.tail() == (3, entries[2].hash)  # a torn line does not count
    assert a.sync(6, _fetch(entries)) == 6
    assert [parse_line(x) for x in a.path.read_bytes().splitlines(keepends=True)] == entries
    problems = [p for _e, p in jr.check_anchor_chain(SECRET, a.iter_entries()) if p]
    assert problems == []


def test_sync_refuses_entries_of_another_history(tmp_path):
    a = JournalAnchor(tmp_path)
    a.create()
    a.sync(3, _fetch(_chain(3)))
    other = _chain(5, secret=b"o" * 32)
    with pytest.raises(IntegrityError) as err:
        a.sync(5, _fetch(other))
    assert err.value.code == "journal.anchor_fork"
    assert a.tail()[0] == 3


def test_racing_appenders_write_each_entry_once(tmp_path):
    entries = _chain(300)
    a = JournalAnchor(tmp_path)
    a.create()
    errors = []

    def appender(start):
        try:
            for n in range(start, 301, 3):
                JournalAnchor(tmp_path).sync(n, _fetch(entries))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=appender, args=(k,)) for k in (1, 2, 3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert [parse_line(x) for x in a.path.read_bytes().splitlines(keepends=True)] == entries


def test_an_edited_line_is_named(tmp_path):
    entries = _chain(4)
    a = JournalAnchor(tmp_path)
    a.create()
    a.sync(4, _fetch(entries))
    text = a.path.read_text().replace("ST01-0000002", "ST01-0000009")
    a.path.write_text(text)
    bad = [(e.seq if e else None, p) for e, p in jr.check_anchor_chain(SECRET, a.iter_entries()) if p]
    assert bad == [(2, "its keyed hash does not match")]
