"""Port of the journal: the hash-chained, MACed log of every money and user event, and the
rows ``JournalService.verify`` cross-checks against it; and the port of its anchor.

The chain is per station (``station``): seq 1, 2, 3... without gaps, each entry hashing the
previous one (``cashier.core.journal.make_entry``), the head MACed with the station's key. A
backend holding one station per database (SQLite) keeps one chain per database and may ignore
``station``. Entries of money writes are appended by the stores inside the write's own
transaction; :meth:`JournalStore.append_journal` is for events with no row of their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from cashier.core.journal import Entry

#: (receipt_no, journal_seq, station, shift_id, cashier_id, cashier_username, cashier_code,
#: customer_code, customer_name, total, tendered, change, method, bank_ref, created_at (ISO),
#: status, print_count, transfer_amount), and its lines as [kind, bill_id, amount, settles]
PaymentState = tuple[tuple[Any, ...], list[list[Any]]]


class JournalStore(Protocol):
    def append_journal(self, station: str, kind: str, payload: dict[str, Any], ts: datetime) -> int:
        """Append one entry in its own transaction; returns its seq. Raises IntegrityError
        (``journal.head``, ``journal.wrong_key``, ``journal.rolled_back``...) when the chain or
        its anchor does not allow a new entry."""
        ...

    def journal_entry(self, station: str, seq: int) -> Entry | None: ...

    def iter_journal(self, station: str) -> Iterator[Entry]:
        """Every entry in seq order, streamed (journals of any length)."""
        ...

    def journal_head(self, station: str) -> tuple[int, str, str, str] | None:
        """(seq, hash, mac, key fingerprint) of the chain's head, or None (empty journal)."""
        ...

    def iter_payment_state(self, station: str) -> Iterator[PaymentState]:
        """Every payment of the station in id order with its lines, streamed (verify compares
        each with its journal entry)."""
        ...

    def state_rows(self, station: str) -> dict[str, list[Any]]:
        """What verify cross-checks besides payments, each a list of tuples:

        * ``voids``: (receipt_no, journal_seq, reason, voided_by_id, approved_by, needs_reversal)
        * ``shifts``: (id, station, user_id, opening_float, closed_at, counted, expected,
          variance, z_number)
        * ``users``: (id, username, role, cashier_code, active, locked, password fingerprint)
        * ``lost_bills``: (bill_id, receipt, restore_seq, released_by)
        * ``baskets``: (code, journal_seq, total, tendered, change, [receipts in order])
        * ``collected_without_payment``: (bill_id,) of bills collected with no active payment
        """
        ...

    def record_restore(self, station: str, payload: dict[str, Any], ts: datetime) -> int:
        """A restore's journal entry and, in the same transaction, the bills whose payments it
        lost (``payload['lost']``: [{'receipt', 'bills'}]); returns the entry's seq."""
        ...

    def sync_anchor(self, *, quiet: bool = False) -> int | None:
        """Bring the journal's anchor up to the committed journal; returns the anchor's last
        seq (None: no anchor, or a failure logged with ``quiet``). Raises IntegrityError when
        the database is behind its anchor (rolled back) or of another history."""
        ...

    def rebuild_anchor(self) -> int:
        """Write the anchor again from the journal (admin's anchor-rebuild); returns the number
        of entries written."""
        ...


class AnchorPort(Protocol):
    """An append-only copy of the journal kept where a database restore does not reach
    (``cashier.db.journal_anchor.JournalAnchor``)."""

    path: Path

    def exists(self) -> bool: ...

    def tail(self) -> tuple[int, str] | None:
        """(last seq, last hash); None when the anchor file is missing."""
        ...

    def iter_entries(self) -> Iterator[Entry]:
        """Every entry of the anchor in seq order (ValueError on an unreadable line)."""
        ...
