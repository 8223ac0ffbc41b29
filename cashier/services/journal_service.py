"""The tamper-evident journal: record events, verify the chain and the tables against it,
verify one printed receipt.

``verify()`` does two things:

1. walks the hash chain (:func:`cashier.core.journal.verify_chain`): an edited, deleted,
   inserted or reordered journal row is named;
2. cross-checks the tables against the journal: every payment row must match its ``payment``
   entry (amounts, customer, lines, cashier), every ``payment`` entry must still have its row,
   voids/print counts/shift closings/users must match their entries. Editing an amount in the
   ``payment`` table, deleting a payment or inserting one is therefore named too.

Public API: ``record(kind, payload)`` (import/export helpers journal their events here),
``verify()`` -> ``VerifyResult``, ``verify_receipt(receipt_no, code)`` -> ``ReceiptCheck``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from cashier.core.clock import Clock, SystemClock
from cashier.core.errors import IntegrityError, NotFound
from cashier.core.journal import (
    Problem,
    VerifyResult,
    check_anchor_chain,
    key_fingerprint,
    verification_code,
    verify_chain,
)
from cashier.core.ledger import Payment, normalise_verification
from cashier.core.messages import Message
from cashier.services.journal_index import JournalIndex, payment_digest
from cashier.services.ports.credentials import SecretStore
from cashier.services.ports.journal import AnchorPort, JournalStore
from cashier.services.ports.payments import PaymentStore
from cashier.services.ports.settings import SettingsStore


@dataclass(frozen=True, slots=True)
class ReceiptCheck:
    ok: bool
    receipt_no: str
    payment: Payment | None
    why: Message

    @property
    def message(self) -> str:
        """The verdict in English (CLI, logs)."""
        return self.why.text("en")

    def text(self, lang: str) -> str:
        return self.why.text(lang)


class JournalService:
    def __init__(
        self,
        store: JournalStore,
        payments: PaymentStore,
        settings: SettingsStore,
        secrets: SecretStore,
        clock: Clock | None = None,
        anchor: AnchorPort | None = None,
    ) -> None:
        self.store = store
        self.payments = payments
        self.settings = settings
        self.secrets = secrets
        self.clock = clock or SystemClock()
        self.anchor = anchor

    @property
    def station(self) -> str:
        """The station whose chain this service records and verifies."""
        return self.settings.ledger().station

    def record(self, kind: str, payload: dict) -> int:
        """Append an event (import, export, settings...) in its own transaction; returns seq."""
        return self.store.append_journal(self.station, kind, payload, self.clock.now())

    # -- verify ---------------------------------------------------------------------------
    def verify(self) -> VerifyResult:
        """Chain first (streamed), then the tables against the authentic entries."""
        station = self.station
        head = self.store.journal_head(station)
        index = JournalIndex()
        if head is None and self.store.journal_entry(station, 1) is None:
            # nothing journalled yet: tables must be empty of money too, the anchor empty
            rolled = self._against_anchor(None, 0, station)
            if rolled is not None:
                return rolled
            index.settle()
            problem = self._cross_check(station, index)
            return VerifyResult(problem is None, 0, 0, problem)
        try:
            secret = self.secrets.secret(create=head is None)
        except IntegrityError as exc:
            return VerifyResult(False, 0, 0, Problem(exc.code, 0, dict(exc.params)))
        if head is not None and head[3] != key_fingerprint(secret):
            return VerifyResult(False, 0, 0, Problem("journal.wrong_key", 0, {}))
        result = verify_chain(secret, self.store.iter_journal(station), head[:3] if head else None, index.add)
        if not result.ok:
            return result
        rolled = self._against_anchor(secret, result.last_seq, station)
        if rolled is not None:
            return rolled
        anchor_seq = result.last_seq if self.anchor is not None else None
        index.settle()
        problem = self._cross_check(station, index)
        if problem is not None:
            return VerifyResult(False, result.checked, result.last_seq, problem, anchor_seq=anchor_seq)
        return VerifyResult(True, result.checked, result.last_seq, anchor_seq=anchor_seq)

    def _against_anchor(self, secret: bytes | None, db_last: int, station: str) -> VerifyResult | None:
        """Compare the (verified) database journal ``1..db_last`` with the anchor: the anchor
        authentic entry by entry, equal to the database up to ``db_last``, not longer (a longer
        anchor is a rollback: its extra entries and receipts are named). An anchor behind the
        database (crash after the commit) is healed first, never reported."""
        if self.anchor is None:
            return None
        try:
            self.store.sync_anchor()
        except IntegrityError as exc:
            if exc.code != "journal.anchor_missing":
                return VerifyResult(False, db_last, db_last, Problem(exc.code, 0, dict(exc.params)))
        if not self.anchor.exists():
            if db_last == 0:
                return None
            return VerifyResult(False, db_last, db_last, Problem(
                "journal.anchor_missing", 0, {"path": str(self.anchor.path), "seq": db_last}))
        if secret is None:
            secret = self.secrets.secret(create=False) if self.secrets.exists() else b""
        db_iter = self.store.iter_journal(station)
        seqs: list[int] = []
        receipts: list[str] = []
        last = 0
        for e, problem in check_anchor_chain(secret, self.anchor.iter_entries()):
            if problem or e is None:
                at = e.seq if e is not None else last + 1
                return VerifyResult(False, db_last, db_last, Problem(
                    "journal.anchor_altered", at, {"seq": at, "detail": problem}), anchor_seq=last)
            last = e.seq
            if e.seq <= db_last:
                d = next(db_iter, None)
                if d is None or d.hash != e.hash:
                    return VerifyResult(False, db_last, db_last, Problem(
                        "journal.anchor_fork", e.seq, {"seq": e.seq}), anchor_seq=last)
            else:
                seqs.append(e.seq)
                if e.kind == "payment":
                    receipts.append(json.loads(e.payload).get("receipt", "?"))
        if seqs:
            params = {"first": seqs[0], "last": seqs[-1], "receipts": ", ".join(receipts) or "none"}
            return VerifyResult(False, db_last, db_last, Problem("journal.rolled_back", seqs[0], params),
                                missing={"seqs": seqs, "receipts": receipts}, anchor_seq=last)
        if last < db_last:
            return VerifyResult(False, db_last, db_last, Problem(
                "journal.anchor_behind", last + 1, {"seq": last + 1, "detail": "not healed"}), anchor_seq=last)
        return None

    def _cross_check(self, station: str, index: JournalIndex) -> Problem | None:
        """Compare the tables with the (authentic) journal; the lowest-seq mismatch wins."""
        rows = self.store.state_rows(station)
        problems: list[Problem] = []

        def bad(seq: int, detail: str) -> None:
            problems.append(Problem("journal.state", seq, {"seq": seq, "detail": detail}))

        payment_entries = index.payments
        reprints = index.reprint_count
        void_entries = index.voids
        shift_open = index.shift_open
        shift_close = index.shift_close
        user_last = index.users

        seen_receipts = set()
        for row, lines in self.store.iter_payment_state(station):
            (receipt, jseq, station, shift, cashier, cashier_username, cashier_code, customer,
             customer_name, total, tendered, change, method, bank_ref, created_at, status,
             print_count, transfer) = row
            seen_receipts.add(receipt)
            found = payment_entries.get(receipt)
            if found is None or found[0] != jseq:
                entry = self.store.journal_entry(station, jseq)
                bad(jseq, f"payment {receipt} has no matching journal entry (inserted or renumbered row)"
                    if entry is None or entry.kind != "payment" else
                    f"payment {receipt} points at journal entry #{jseq} of another receipt")
                continue
            seq, digest = found
            actual = {
                "receipt": receipt, "station": station, "shift": shift, "cashier": cashier,
                "cashier_username": cashier_username, "cashier_code": cashier_code,
                "customer": customer, "customer_name": customer_name, "lines": lines,
                "total": total, "tendered": tendered, "change": change, "method": method,
                "bank_ref": bank_ref, "created_at": created_at,
                "transfer": transfer or None,  # journalled only for a split payment
            }
            if payment_digest(actual) != digest:
                entry = self.store.journal_entry(station, seq)
                data = entry.data() if entry else {}
                diff = [k for k, v in actual.items() if data.get(k) != v]
                bad(seq, f"payment {receipt} was altered in the database ({', '.join(diff)})")
            voided = void_entries.get(receipt)
            if (status == "voided") != (voided is not None):
                bad(voided[0] if voided else seq,
                    f"payment {receipt} status {status!r} does not match the journal")
            if print_count != 1 + reprints.get(receipt, 0):
                bad(seq, f"payment {receipt} print count {print_count} does not match the journal "
                         f"({1 + reprints.get(receipt, 0)})")
        for receipt, (seq, _) in payment_entries.items():
            if receipt not in seen_receipts:
                bad(seq, f"payment {receipt} was deleted from the database")

        for receipt, jseq, reason, by, approved, needs_rev in rows["voids"]:
            void_found = void_entries.get(receipt)
            if void_found is None or void_found[0] != jseq:
                bad(jseq, f"void of {receipt} has no matching journal entry")
                continue
            vseq, vdata = void_found
            if vdata != (reason, by, approved, bool(needs_rev)):
                bad(vseq, f"void of {receipt} was altered in the database")
        void_receipts = {r[0] for r in rows["voids"]}
        for receipt, (seq, _d) in void_entries.items():
            if receipt not in void_receipts:
                bad(seq, f"void of {receipt} was deleted from the database")

        for sid, station, user_id, opening_float, closed_at, counted, expected, variance, z in rows["shifts"]:
            so = shift_open.get(sid)
            if so is None:
                bad(0, f"shift {sid} has no journal entry (inserted row)")
                continue
            if (so[1]["float"], so[1]["user"], so[1]["station"]) != (opening_float, user_id, station):
                bad(so[0], f"shift {sid} opening was altered in the database")
            sc = shift_close.get(sid)
            if (closed_at is None) != (sc is None):
                bad(sc[0] if sc else so[0], f"shift {sid} open/closed state does not match the journal")
            elif sc is not None:
                sd = sc[1]
                if (sd["counted"], sd["expected"], sd["variance"], sd["z"]) != (counted, expected, variance, z):
                    bad(sc[0], f"shift {sid} closing (Z {z}) was altered in the database")
        for sid, (seq, _opened) in shift_open.items():
            if sid not in {r[0] for r in rows["shifts"]}:
                bad(seq, f"shift {sid} was deleted from the database")

        for uid, username, role, code, active, locked, pw in rows["users"]:
            ulast = user_last.get(uid)
            if ulast is None:
                bad(0, f"user {username} has no journal entry (inserted row)")
                continue
            ud = ulast[1]
            if (ud["username"], ud["role"], ud["code"], ud["active"], ud["locked"]) != (
                username, role, code, bool(active), bool(locked)
            ):
                bad(ulast[0], f"user {username} was altered in the database (role, code or status)")
            elif ud.get("pw") != pw:
                bad(ulast[0], f"user {username}'s password hash was replaced in the database")

        lost_rows = {r[0]: r for r in rows.get("lost_bills", ())}
        for bill_id, (rseq, released_by) in index.lost_bills.items():
            lost_row = lost_rows.get(bill_id)
            if lost_row is None:
                bad(rseq, f"bill {bill_id}'s block after restore #{rseq} was deleted from the database")
            elif lost_row[3] != released_by:
                bad(rseq, f"bill {bill_id}'s block after restore #{rseq} was released outside a payment")

        baskets = {r[0]: r for r in rows.get("baskets", ())}
        for code, jseq, total, tendered, change, receipts in baskets.values():
            bfound = index.baskets.get(code)
            if bfound is None or bfound[0] != jseq:
                bad(jseq or 0, f"basket {code} has no matching journal entry")
            elif bfound[1] != (total, tendered, change) or not set(receipts) <= set(bfound[2]):
                bad(bfound[0], f"basket {code} was altered in the database (tender, change or receipts)")
        for code, (seq, _money, _receipts) in index.baskets.items():
            if code not in baskets:
                bad(seq, f"basket {code} was deleted from the database")

        for (bill_id,) in rows["collected_without_payment"]:
            bad(0, f"bill {bill_id} is marked collected without an active payment")

        if not problems:
            return None
        return min(problems, key=lambda p: (p.seq == 0, p.seq))  # rows with no entry last

    # -- one receipt ------------------------------------------------------------------------
    def verify_receipt(self, receipt_no: str, code: str) -> ReceiptCheck:
        """Is a printed receipt (number + verification code) genuine and unaltered here?"""
        receipt_no = (receipt_no or "").strip().upper()
        p = self.payments.payment(receipt_no)
        if p is None:
            raise NotFound("ledger.receipt_unknown", receipt=receipt_no)
        secret = self.secrets.secret(create=False)
        given = normalise_verification(code)
        entry = self.store.journal_entry(p.station, p.journal_seq)
        from cashier.core.journal import entry_hash

        detail: Message | None = None
        if entry is None or entry.kind != "payment":
            detail = Message("receipt.detail.missing", {"seq": p.journal_seq})
        elif entry_hash(secret, entry.seq, entry.ts, entry.kind, entry.payload, entry.prev_hash) != entry.hash:
            detail = Message("receipt.detail.edited", {"seq": entry.seq})
        else:
            data = json.loads(entry.payload)
            if data.get("receipt") != p.receipt_no or data.get("total") != p.total or data.get("customer") != p.customer.code:
                detail = Message("receipt.detail.differs", {"seq": entry.seq})
        if detail is not None:
            why = Message("receipt.altered", {"receipt": receipt_no, "detail": detail})
            return ReceiptCheck(False, receipt_no, p, why)
        expected = verification_code(secret, entry.hash)  # type: ignore[union-attr]
        if given != expected or p.verification != expected:
            why = Message("receipt.bad_code", {"receipt": receipt_no, "code": code})
            return ReceiptCheck(False, receipt_no, p, why)
        from cashier.core.money import format_number

        params = {
            "receipt": receipt_no,
            "total": format_number(p.total),
            "customer": p.customer.code,
            "created_at": p.created_at.strftime("%H:%M %d/%m/%Y"),
            "status": p.status.value,
        }
        return ReceiptCheck(True, receipt_no, p, Message("receipt.ok", params))

    def require_valid(self) -> VerifyResult:
        result = self.verify()
        if not result.ok and result.problem is not None:
            raise IntegrityError("integrity_error", detail=result.problem.message)
        return result
