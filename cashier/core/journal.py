"""Tamper-evident journal: a keyed hash chain over every money event (pure, stdlib only).

Entry ``n`` carries ``hash_n = HMAC-SHA256(secret, canonical([n, ts, kind, payload, hash_{n-1}]))``.
The secret is per station and kept outside the database file, so a database edited with any
SQLite tool cannot be re-chained. A *head* record (last seq, last hash, keyed MAC) catches the
removal of the newest entries.

A receipt's verification code is derived from its payment entry's hash: 8 base32 characters
(40 bits), read over the phone as ``ABCD-EFGH``; ``cashier verify-receipt`` recomputes it.

:func:`verify_chain` walks entries in seq order and names the first one that was edited,
deleted, inserted or reordered.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def canonical(obj: Any) -> bytes:
    """Canonical JSON: sorted keys, no spaces, UTF-8 (NFC text stays as it is)."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def payload_text(payload: dict) -> str:
    """How a payload is stored (the canonical JSON as text)."""
    return canonical(payload).decode()


def entry_hash(secret: bytes, seq: int, ts: str, kind: str, payload: str, prev_hash: str) -> str:
    """HMAC-SHA256 (hex) of one entry. ``payload`` is the stored canonical JSON text."""
    msg = canonical([int(seq), ts, kind, payload, prev_hash])
    return hmac.new(secret, msg, hashlib.sha256).hexdigest()


def head_mac(secret: bytes, seq: int, last_hash: str) -> str:
    return hmac.new(secret, canonical(["head", int(seq), last_hash]), hashlib.sha256).hexdigest()


def key_fingerprint(secret: bytes) -> str:
    """Identifies the key without revealing it (stored in the database)."""
    return hmac.new(secret, b"cashier-journal-key-fingerprint", hashlib.sha256).hexdigest()[:16]


def verification_code(secret: bytes, entry_hash_hex: str) -> str:
    """8 base32 characters (A-Z, 2-7) derived from a payment entry's hash."""
    mac = hmac.new(secret, b"receipt:" + entry_hash_hex.encode(), hashlib.sha256).digest()
    return base64.b32encode(mac[:5]).decode()


@dataclass(frozen=True, slots=True)
class Entry:
    seq: int
    ts: str
    kind: str
    payload: str  # canonical JSON text
    prev_hash: str
    hash: str

    def data(self) -> dict:
        return json.loads(self.payload)


def make_entry(secret: bytes, seq: int, ts: str, kind: str, payload: dict, prev_hash: str) -> Entry:
    text = payload_text(payload)
    return Entry(seq, ts, kind, text, prev_hash, entry_hash(secret, seq, ts, kind, text, prev_hash))


@dataclass(frozen=True, slots=True)
class Problem:
    """The first thing found wrong. ``code`` is a message code (journal.*)."""

    code: str
    seq: int
    params: dict

    @property
    def message(self) -> str:
        from cashier.core.messages import render

        return render(self.code, "en", self.params)

    def text(self, lang: str = "en") -> str:
        from cashier.core.messages import render

        return render(self.code, lang, self.params)


@dataclass(frozen=True, slots=True)
class VerifyResult:
    ok: bool
    checked: int
    last_seq: int
    problem: Problem | None = None
    #: a rollback found against the anchor: {"seqs": [...], "receipts": [...]} (else None)
    missing: dict | None = None
    #: the anchor's last seq (None: no anchor checked)
    anchor_seq: int | None = None

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "last_seq": self.last_seq,
            "anchor_seq": self.anchor_seq,
            "missing": self.missing,
            "problem": None
            if self.problem is None
            else {"code": self.problem.code, "seq": self.problem.seq, "message": self.problem.message},
        }


def _authentic_at(secret: bytes, e: Entry, seq: int) -> bool:
    return hmac.compare_digest(entry_hash(secret, seq, e.ts, e.kind, e.payload, e.prev_hash), e.hash)


def _original_seq(secret: bytes, e: Entry, candidates: Iterable[int]) -> int | None:
    for s in candidates:
        if s != e.seq and _authentic_at(secret, e, s):
            return s
    return None


def verify_chain(
    secret: bytes,
    entries: Iterable[Entry],
    head: tuple[int, str, str] | None,
    on_entry: Callable[[Entry], None] | None = None,
) -> VerifyResult:
    """Walk ``entries`` (sorted by seq; any iterable, read once with one entry of look-ahead, so
    a journal of millions of entries streams) and the head record ``(seq, hash, mac)``.
    ``on_entry`` sees every entry found authentic and in place (for the table cross-check).

    Classification of the first bad entry:

    * a gap in seq -> *deleted* (names the missing range);
    * the entry's MAC is valid for another seq -> *reordered* (names where it was written);
    * the MAC is valid nowhere and the next entry is authentic one seq lower -> *inserted*;
    * the MAC is valid nowhere beyond the head's last seq -> *inserted*;
    * otherwise -> *edited*.
    """
    prev_hash = GENESIS
    prev_seq = 0
    n = 0
    head_seq = head[0] if head else None
    it = iter(entries)
    e = next(it, None)
    while e is not None:
        nxt = next(it, None)
        if e.seq != prev_seq + 1:
            if e.seq > prev_seq + 1:
                # deleted rows, unless this row is itself a moved one
                orig = _original_seq(secret, e, range(prev_seq + 1, e.seq))
                if orig is None:
                    return _bad(n, "journal.deleted", prev_seq + 1, first=prev_seq + 1, last=e.seq - 1)
            return _bad(n, "journal.reordered", e.seq, seq=e.seq, kind=e.kind, original=e.seq)
        if not _authentic_at(secret, e, e.seq):
            top = max(head_seq or 0, e.seq, nxt.seq if nxt else 0) + 1
            orig = _original_seq(secret, e, range(1, top + 1))
            if orig is not None:
                return _bad(n, "journal.reordered", e.seq, seq=e.seq, kind=e.kind, original=orig)
            if (nxt is not None and nxt.seq == e.seq + 1 and _authentic_at(secret, nxt, e.seq)) or (
                head_seq is not None and e.seq > head_seq
            ):
                return _bad(n, "journal.inserted", e.seq, seq=e.seq, kind=e.kind)
            return _bad(n, "journal.edited", e.seq, seq=e.seq, kind=e.kind)
        if not hmac.compare_digest(e.prev_hash, prev_hash):
            # authentic entry whose predecessor is not the one it was chained to
            return _bad(n, "journal.reordered", e.seq, seq=e.seq, kind=e.kind, original=e.seq)
        if on_entry is not None:
            on_entry(e)
        prev_hash = e.hash
        prev_seq = e.seq
        n += 1
        e = nxt
    # head record: catches deletion of the newest entries and a rolled-back file
    if head is None:
        if n:
            return VerifyResult(False, n, prev_seq, Problem("journal.head", prev_seq, {"seq": prev_seq}))
        return VerifyResult(True, 0, 0)
    hseq, hhash, hmac_text = head
    if not hmac.compare_digest(head_mac(secret, hseq, hhash), hmac_text):
        return VerifyResult(False, n, prev_seq, Problem("journal.head", prev_seq, {"seq": prev_seq}))
    if hseq > prev_seq:
        return VerifyResult(
            False,
            n,
            prev_seq,
            Problem("journal.deleted", prev_seq + 1, {"first": prev_seq + 1, "last": hseq}),
        )
    if hseq < prev_seq:  # authentic entries beyond the head: the head was rolled back
        return VerifyResult(False, n, prev_seq, Problem("journal.head", hseq + 1, {"seq": prev_seq}))
    if hhash != prev_hash:
        return VerifyResult(False, n, prev_seq, Problem("journal.head", prev_seq, {"seq": prev_seq}))
    return VerifyResult(True, n, prev_seq)


def _bad(checked: int, code: str, at: int, **params: Any) -> VerifyResult:
    return VerifyResult(False, checked, at - 1 if at > 0 else 0, Problem(code, at, params))


def check_anchor_chain(secret: bytes, entries: Iterator[Entry]) -> Iterator[tuple[Entry | None, str]]:
    """Walk anchor entries: yields (entry, "") for each authentic, in-place entry and
    (entry_or_None, problem) once at the first bad one (then stops)."""
    prev_seq, prev_hash = 0, GENESIS
    try:
        for e in entries:
            if e.seq != prev_seq + 1:
                yield e, f"expected entry #{prev_seq + 1}, found #{e.seq}"
                return
            if e.prev_hash != prev_hash or entry_hash(
                secret, e.seq, e.ts, e.kind, e.payload, e.prev_hash
            ) != e.hash:
                yield e, "its keyed hash does not match"
                return
            prev_seq, prev_hash = e.seq, e.hash
            yield e, ""
    except (ValueError, KeyError, TypeError) as exc:
        yield None, f"line after #{prev_seq} unreadable: {exc}"
