"""Bring a backup up to the journal's anchor before it is restored: the entries the anchor holds
beyond the backup are copied into the backup's journal verbatim (the chain stays the one the
anchor holds) and, with ``replay``, their effect is applied to the tables again: payments (rows,
lines, bills collected, reconnection orders), voids, reprints, shifts opened and closed,
overrides, users, reconnection order status, earlier restores' lost bills, baskets (thu gộp).

An entry whose effect cannot be applied (its bill is not in the backup's cache, a user's
password hash is known nowhere, a clearing batch) is *lost*: it stays in the journal, the
restore entry lists it, and the admin must accept the list. Whatever happens, the receipt and Z
counters continue from the anchor's high-water mark, never from the backup.

Runs on a scratch copy (raw sqlite3), one savepoint per entry; the live database is untouched.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cashier.core import journal as jr

#: kinds whose entries change no table that verify checks (copied, nothing to apply)
_NO_STATE = {"import", "settings", "selftest", "anchor_rebuild", "printer"}


class Unreplayable(Exception):
    """This entry's effect cannot be applied to the backup (the reason is the message)."""


@dataclass
class Prepared:
    scratch: Path
    backup_seq: int
    anchor_seq: int
    replayed: list[str] = field(default_factory=list)  # receipts brought back
    lost: list[dict] = field(default_factory=list)  # {"seq", "kind", "receipt"?, "bills"?, "reason"}
    notes: list[str] = field(default_factory=list)  # copied entries with no table state (imports)


def _pw_fp(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16] if password_hash else ""


class _Apply:
    def __init__(self, con: sqlite3.Connection, secret: bytes, live: sqlite3.Connection | None) -> None:
        self.con = con
        self.secret = secret
        self.live = live

    def __call__(self, e: jr.Entry) -> str | None:
        """Apply one entry; returns the receipt it brought back (payments) or None."""
        d = json.loads(e.payload)
        fn = getattr(self, "_" + e.kind, None)
        if fn is None:
            raise Unreplayable(f"a {e.kind} entry cannot be applied")
        return fn(e, d)

    def _q1(self, sql: str, params=()):
        return self.con.execute(sql, params).fetchone()

    def _payment(self, e: jr.Entry, d: dict) -> str:
        con = self.con
        cust = self._q1(
            "SELECT id, address, book, book_pos, phone, unit_code FROM customer WHERE code = ?", (d["customer"],)
        )
        if cust is None:
            raise Unreplayable(f"customer {d['customer']} is not in the backup's cache")
        user = self._q1("SELECT full_name FROM app_user WHERE id = ?", (d["cashier"],))
        if user is None:
            raise Unreplayable(f"cashier #{d['cashier']} is not in the backup")
        cur = con.execute(
            "INSERT INTO payment(receipt_no, station, shift_id, cashier_id, cashier_username, cashier_name, "
            "cashier_code, customer_code, customer_name, customer_address, customer_book, customer_book_pos, "
            "customer_phone, customer_unit, total, tendered, change_amount, method, bank_ref, created_at, "
            "status, print_count, printed, journal_seq, verification, idempotency_key, request_fp, "
            "transfer_amount) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'active',1,NULL,?,?,NULL,NULL,?)",
            (d["receipt"], d["station"], d["shift"], d["cashier"], d["cashier_username"], user[0],
             d["cashier_code"], d["customer"], d["customer_name"], cust[1], cust[2], cust[3], cust[4], cust[5],
             d["total"], d["tendered"], d["change"], d["method"], d["bank_ref"], d["created_at"], e.seq,
             jr.verification_code(self.secret, e.hash), int(d.get("transfer") or 0)),
        )
        pid = cur.lastrowid
        fee = 0
        for i, (kind, bill_id, amount, settles) in enumerate(d["lines"], 1):
            if kind == "bill":
                b = self._q1(
                    "SELECT id, ky, thang, nam, kwh, amount, vat, total, series, number, reading_start, "
                    "reading_end, tiers, status FROM bill WHERE bill_id = ? AND customer_code = ?",
                    (bill_id, d["customer"]),
                )
                if b is None:
                    raise Unreplayable(f"bill {bill_id} is not in the backup's cache")
                if settles and b[13] != "unpaid":
                    raise Unreplayable(f"bill {bill_id} is {b[13]} in the backup")
                con.execute(
                    "INSERT INTO payment_line(payment_id, line_no, kind, bill_row, bill_id, ky, thang, nam, kwh, "
                    "bill_amount, vat, bill_total, series, number, reading_start, reading_end, tiers, amount, "
                    "settles, active) VALUES (?,?,'bill',?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1)",
                    (pid, i, b[0], bill_id, *b[1:13], amount, int(settles)),
                )
                if settles:
                    con.execute(
                        "UPDATE bill SET status = 'collected', status_changed_at = ? WHERE id = ?",
                        (d["created_at"], b[0]),
                    )
            else:
                fee += amount
                con.execute(
                    "INSERT INTO payment_line(payment_id, line_no, kind, bill_row, bill_id, amount, settles, "
                    "active) VALUES (?,?,?,NULL,'',?,?,1)",
                    (pid, i, kind, amount, int(settles)),
                )
        if fee:
            c = self._q1("SELECT name FROM customer WHERE id = ?", (cust[0],))
            con.execute(
                "INSERT INTO reconnection_order(customer_id, customer_code, customer_name, customer_address, "
                "customer_book, customer_book_pos, customer_phone, payment_id, fee, created_at, cashier_name, "
                "cashier_code, status) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,'open')",
                (cust[0], d["customer"], c[0] if c else d["customer_name"], cust[1], cust[2], cust[3], cust[4],
                 pid, fee, d["created_at"], user[0], d["cashier_code"]),
            )
        released = d.get("released_lost") or []
        if released:
            marks = ",".join("?" * len(released))
            con.execute(
                f"UPDATE lost_bill SET released_by = ?, released_receipt = ?, released_at = ? "
                f"WHERE bill_id IN ({marks})",
                (d.get("released_by"), d["receipt"], d["created_at"], *released),
            )
        return d["receipt"]

    def _basket(self, e: jr.Entry, d: dict) -> None:
        """A basket (thu gộp): its row, linked to its payments (replayed from their own entries
        just before). A payment of the basket that could not be replayed is lost on its own
        entry; the others, really paid, stay: the basket then links the receipts present."""
        con = self.con
        present = [r for r in d["receipts"]
                   if self._q1("SELECT 1 FROM payment WHERE receipt_no = ?", (r,)) is not None]
        if not present:
            raise Unreplayable(f"no payment of basket {d['basket']} is in the backup")
        bid = con.execute(
            "INSERT INTO basket(code, station, shift_id, cashier_id, created_at, size, total, tendered, "
            "change_amount, journal_seq) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (d["basket"], d["station"], d["shift"], d["cashier"], d["created_at"], len(d["receipts"]), d["total"],
             d["tendered"], d["change"], e.seq),
        ).lastrowid
        for pos, receipt in enumerate(d["receipts"], 1):
            con.execute("UPDATE payment SET basket_id = ?, basket_pos = ? WHERE receipt_no = ?", (bid, pos, receipt))

    def _void(self, e: jr.Entry, d: dict) -> None:
        con = self.con
        p = self._q1("SELECT id, status FROM payment WHERE receipt_no = ?", (d["receipt"],))
        if p is None or p[1] != "active":
            raise Unreplayable(f"payment {d['receipt']} is not an active payment in the backup")
        con.execute("UPDATE payment SET status = 'voided' WHERE id = ?", (p[0],))
        con.execute(
            "UPDATE bill SET status = 'unpaid', status_changed_at = ? WHERE id IN (SELECT bill_row FROM "
            "payment_line WHERE payment_id = ? AND kind = 'bill' AND settles = 1) AND status IN ('collected','cleared')",
            (e.ts, p[0]),
        )
        con.execute("UPDATE payment_line SET active = 0 WHERE payment_id = ?", (p[0],))
        con.execute(
            "UPDATE reconnection_order SET status = 'cancelled' WHERE payment_id = ? AND status = 'open'", (p[0],)
        )
        con.execute(
            "INSERT INTO void(payment_id, reason, voided_by_id, approved_by, created_at, shift_id, journal_seq, "
            "needs_reversal) VALUES (?,?,?,?,?,?,?,?)",
            (p[0], d["reason"], d["by"], d.get("approved_by"), e.ts, d.get("shift"), e.seq,
             int(bool(d.get("needs_reversal")))),
        )

    def _reprint(self, e: jr.Entry, d: dict) -> None:
        cur = self.con.execute(
            "UPDATE payment SET print_count = ?, printed = NULL WHERE receipt_no = ?", (d["print_count"], d["receipt"])
        )
        if cur.rowcount != 1:
            raise Unreplayable(f"payment {d['receipt']} is not in the backup")

    def _shift_open(self, e: jr.Entry, d: dict) -> None:
        self.con.execute(
            "INSERT INTO shift(id, station, user_id, opened_at, opening_float) VALUES (?,?,?,?,?)",
            (d["shift"], d["station"], d["user"], e.ts, d["float"]),
        )

    def _shift_close(self, e: jr.Entry, d: dict) -> None:
        cur = self.con.execute(
            "UPDATE shift SET closed_at = ?, counts = ?, counted = ?, expected = ?, variance = ?, z_number = ?, "
            "closed_by = ?, approved_by = ? WHERE id = ? AND closed_at IS NULL",
            (e.ts, json.dumps(d["counts"]), d["counted"], d["expected"], d["variance"], d["z"], d["closed_by"],
             d.get("approved_by"), d["shift"]),
        )
        if cur.rowcount != 1:
            raise Unreplayable(f"shift {d['shift']} is not open in the backup")

    def _override(self, e: jr.Entry, d: dict) -> None:
        self.con.execute(
            "INSERT INTO override(id, permission, approver_id, for_user_id, reason, created_at, journal_seq) "
            "VALUES (?,?,?,?,?,?,?)",
            (d["override"], d["permission"], d["approver"], d["for_user"], d.get("reason", ""), e.ts, e.seq),
        )

    def _order(self, e: jr.Entry, d: dict) -> None:
        cur = self.con.execute("UPDATE reconnection_order SET status = ? WHERE id = ?", (d["status"], d["order"]))
        if cur.rowcount != 1:
            raise Unreplayable(f"reconnection order {d['order']} is not in the backup")

    def _user(self, e: jr.Entry, d: dict) -> None:
        con = self.con
        row = self._q1("SELECT password_hash, full_name FROM app_user WHERE id = ?", (d["user"],))
        pw, full_name = (row[0], row[1]) if row else ("", "")
        if _pw_fp(pw) != d.get("pw"):
            pw = None
            if self.live is not None:
                with_hash = self.live.execute(
                    "SELECT password_hash, full_name FROM app_user WHERE id = ?", (d["user"],)
                ).fetchone()
                if with_hash and _pw_fp(with_hash[0]) == d.get("pw"):
                    pw, full_name = with_hash[0], full_name or with_hash[1]
            if pw is None:
                raise Unreplayable(f"the password of user {d['username']} after this change is known nowhere")
        if row is None:
            con.execute(
                "INSERT INTO app_user(id, username, full_name, role, cashier_code, password_hash, active, locked, "
                "locked_until, failed_attempts, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,NULL,0,?,?)",
                (d["user"], d["username"], full_name, d["role"], d["code"], pw, int(d["active"]), int(d["locked"]),
                 e.ts, e.ts),
            )
        else:
            con.execute(
                "UPDATE app_user SET username = ?, role = ?, cashier_code = ?, password_hash = ?, active = ?, "
                "locked = ?, locked_until = ?, updated_at = ? WHERE id = ?",
                (d["username"], d["role"], d["code"], pw, int(d["active"]), int(d["locked"]), d.get("until"),
                 e.ts, d["user"]),
            )

    def _restore(self, e: jr.Entry, d: dict) -> None:
        for x in d.get("lost", ()):
            for bill_id in x.get("bills", ()):
                self.con.execute(
                    "INSERT INTO lost_bill(bill_id, receipt, restore_seq, created_at) VALUES (?,?,?,?) "
                        "ON CONFLICT(bill_id) DO UPDATE SET receipt = excluded.receipt, restore_seq = excluded.restore_seq, "
                        "created_at = excluded.created_at, released_by = NULL, released_receipt = NULL, released_at = NULL",
                    (bill_id, x.get("receipt", ""), e.seq, e.ts),
                )


def _lost_item(e: jr.Entry, reason: str) -> dict:
    item: dict = {"seq": e.seq, "kind": e.kind, "reason": reason}
    try:
        d = json.loads(e.payload)
    except ValueError:
        return item
    if e.kind == "payment":
        item["receipt"] = d.get("receipt", "")
        item["total"] = d.get("total", 0)
        item["customer"] = d.get("customer", "")
        item["bills"] = [ln[1] for ln in d.get("lines", ()) if ln and ln[0] == "bill"]
    elif e.kind in ("void", "reprint"):
        item["receipt"] = d.get("receipt", "")
    elif e.kind == "basket":
        item["basket"] = d.get("basket", "")
    elif e.kind == "export":
        item["batch"] = d.get("batch", "")
    return item


def prepare(
    candidate: Path,
    scratch: Path,
    anchor_entries: Iterable[jr.Entry],
    secret: bytes,
    *,
    live_db: Path | None,
    replay: bool = True,
) -> Prepared:
    """Copy ``candidate`` to ``scratch`` and bring its journal up to the anchor (see the module
    docstring). Raises ValueError when the backup's journal is not a prefix of the anchor's."""
    src = sqlite3.connect(f"file:{candidate}?mode=ro", uri=True)
    dst = sqlite3.connect(str(scratch), isolation_level=None)
    try:
        src.backup(dst)
    finally:
        src.close()
    live = None
    if live_db is not None and Path(live_db).is_file():
        try:
            live = sqlite3.connect(f"file:{live_db}?mode=ro", uri=True)
            live.execute("SELECT 1 FROM app_user LIMIT 1")
        except sqlite3.Error:
            live = None
    try:
        return _bring_up(dst, scratch, anchor_entries, secret, live, replay)
    finally:
        dst.close()
        if live is not None:
            live.close()


def _bring_up(con, scratch, anchor_entries, secret, live, replay) -> Prepared:
    con.execute("PRAGMA foreign_keys = ON")
    head = con.execute("SELECT seq, hash FROM journal_head WHERE id = 1").fetchone()
    backup_seq, backup_hash = (head[0], head[1]) if head else (0, jr.GENESIS)
    out = Prepared(scratch=scratch, backup_seq=backup_seq, anchor_seq=backup_seq)
    apply = _Apply(con, secret, live)
    receipts: dict[str, int] = {}
    z: dict[str, int] = {}
    mine = con.execute("SELECT seq, hash FROM journal_entry ORDER BY seq")
    backup_hashes = iter(mine.fetchall())
    voided: set[str] = set()
    con.execute("BEGIN IMMEDIATE")
    try:
        last_hash = backup_hash
        for e in anchor_entries:
            if e.kind == "void":
                voided.add(json.loads(e.payload).get("receipt", ""))
            if e.kind == "payment":
                m = re.match(r"^(.*)-(\d+)$", json.loads(e.payload).get("receipt", ""))
                if m:
                    receipts[m.group(1)] = max(receipts.get(m.group(1), 0), int(m.group(2)))
            elif e.kind == "shift_close":
                d = json.loads(e.payload)
                z[d["station"]] = max(z.get(d["station"], 0), int(d["z"]))
            if e.seq <= backup_seq:
                mine_seq, mine_hash = next(backup_hashes, (None, None))
                if mine_seq != e.seq or mine_hash != e.hash:
                    raise ValueError(f"the backup's journal entry #{e.seq} is not the anchor's (another history)")
                continue
            if e.prev_hash != last_hash:
                raise ValueError(f"the anchor's entry #{e.seq} does not follow the backup's journal")
            con.execute(
                "INSERT INTO journal_entry(seq, ts, kind, payload, prev_hash, hash) VALUES (?,?,?,?,?,?)",
                (e.seq, e.ts, e.kind, e.payload, e.prev_hash, e.hash),
            )
            last_hash, out.anchor_seq = e.hash, e.seq
            if e.kind in _NO_STATE:
                out.notes.append(f"#{e.seq} {e.kind}: copied to the journal, not applied (run it again)")
                continue
            if not replay:
                out.lost.append(_lost_item(e, "not replayed (restore without replay)"))
                continue
            con.execute("SAVEPOINT entry")
            try:
                receipt = apply(e)
            except (Unreplayable, sqlite3.Error, KeyError, TypeError, ValueError) as exc:
                con.execute("ROLLBACK TO entry")
                out.lost.append(_lost_item(e, str(exc)))
            else:
                if receipt:
                    out.replayed.append(receipt)
            con.execute("RELEASE entry")
        # an anchor shorter than the backup (an older copy of keys/ on a new machine) is extended
        # from the restored database afterwards: its entries were all compared above
        for item in out.lost:  # a lost payment that was voided later blocks no bill
            if item.get("kind") == "payment" and item.get("receipt") in voided:
                item["voided_later"] = True
                item["bills"] = []
        if out.anchor_seq > backup_seq:
            fp = jr.key_fingerprint(secret)
            con.execute(
                "INSERT INTO journal_head(id, seq, hash, mac, key_fp) VALUES (1,?,?,?,?) ON CONFLICT(id) DO UPDATE "
                "SET seq = excluded.seq, hash = excluded.hash, mac = excluded.mac, key_fp = excluded.key_fp",
                (out.anchor_seq, last_hash, jr.head_mac(secret, out.anchor_seq, last_hash), fp),
            )
        for name, high in (("receipt", receipts), ("z", z)):
            for station, n in high.items():
                con.execute(
                    "INSERT INTO counter(station, name, value) VALUES (?,?,?) ON CONFLICT(station, name) "
                    "DO UPDATE SET value = max(value, excluded.value)",
                    (station, name, n),
                )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return out
