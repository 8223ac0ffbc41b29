"""What ``JournalService.verify`` keeps of the journal while it streams it: a digest per
payment and the last state of every other row it cross-checks (journals of any length)."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from typing import Any

from cashier.core.journal import Entry, canonical

_PAYMENT_KEYS = (
    "receipt", "station", "shift", "cashier", "cashier_username", "cashier_code", "customer",
    "customer_name", "lines", "total", "tendered", "change", "method", "bank_ref", "created_at",
    "transfer",
)


def payment_digest(fields: dict) -> bytes:
    return hashlib.sha256(canonical({k: fields.get(k) for k in _PAYMENT_KEYS})).digest()[:16]


class JournalIndex:
    """What the cross-check needs from the journal, kept small (a digest per payment) so that
    verify streams journals of any length."""

    def __init__(self) -> None:
        self.payments: dict[str, tuple[int, bytes]] = {}
        self.reprints: dict[str, list[int]] = defaultdict(list)
        self.voids: dict[str, tuple[int, tuple]] = {}
        self.shift_open: dict[int, tuple[int, dict]] = {}
        self.shift_close: dict[int, tuple[int, dict]] = {}
        self.user_history: dict[int, list[tuple[int, dict]]] = defaultdict(list)
        #: entries a restore declared lost (accepted by an admin): their state is not expected
        self.lost: set[int] = set()
        #: bill id -> [restore seq, released by] of the bills of payments a restore lost
        self.lost_bills: dict[str, list] = {}
        #: basket code -> (seq, (total, tendered, change), receipts) of the baskets (thu gộp)
        self.baskets: dict[str, tuple[int, tuple, list]] = {}

    def add(self, e: Entry) -> None:
        kind = e.kind
        if kind not in ("payment", "reprint", "void", "shift_open", "shift_close", "user", "restore", "basket"):
            return
        data = json.loads(e.payload)
        if kind == "basket":
            self.baskets[data["basket"]] = (e.seq, (data["total"], data["tendered"], data["change"]),
                                            data["receipts"])
            return
        if kind == "payment":
            self.payments[data["receipt"]] = (e.seq, payment_digest(data))
            for bill_id in data.get("released_lost") or ():
                if bill_id in self.lost_bills:
                    self.lost_bills[bill_id][1] = data.get("released_by")
        elif kind == "reprint":
            self.reprints[data["receipt"]].append(e.seq)
        elif kind == "void":
            self.voids[data["receipt"]] = (
                e.seq, (data.get("reason"), data.get("by"), data.get("approved_by"), data.get("needs_reversal")))
        elif kind == "shift_open":
            self.shift_open[data["shift"]] = (e.seq, data)
        elif kind == "shift_close":
            self.shift_close[data["shift"]] = (e.seq, data)
        elif kind == "restore":
            self.lost.update(int(x["seq"]) for x in data.get("lost", ()))
            for x in data.get("lost", ()):
                for bill_id in x.get("bills", ()):
                    self.lost_bills[bill_id] = [e.seq, None]  # blocked again by this restore
        else:
            self.user_history[data["user"]].append((e.seq, data))

    def settle(self) -> None:
        """After the walk: forget what restores declared lost (the restored tables never had it)."""
        lost = self.lost
        self.reprint_count = {r: sum(1 for s in seqs if s not in lost) for r, seqs in self.reprints.items()}
        self.users = {}
        for uid, hist in self.user_history.items():
            kept = [h for h in hist if h[0] not in lost]
            if kept:
                self.users[uid] = kept[-1]
        if not lost:
            return
        tables: tuple[dict[Any, Any], ...] = (self.payments, self.voids, self.shift_open, self.shift_close,
                                               self.baskets)
        for table in tables:
            for k in [k for k, v in table.items() if v[0] in lost]:
                del table[k]
