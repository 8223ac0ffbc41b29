"""The money side of the station: users and roles, shifts, payments, voids, reconnection orders.

Pure dataclasses and rules (stdlib only). Storage lives in ``cashier/db/ledger_store.py``; the use
cases in ``cashier/services/{users,shifts,collect,journal_service}.py``.

Rules kept here so that the service, the store (re-checking inside its transaction) and the UI
(previewing) apply exactly the same ones:

* :func:`plan_payment` - which bills a payment settles (oldest first, no newer bill while an older
  one is open, partial amounts on one bill only), the reconnection-fee line and the total.
* :func:`compute_change` / :func:`change_notes` - change and how to give it in VND notes.
* :func:`parse_denominations` / :func:`count_total` - a cash count by denomination.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from cashier.core.debt import Bill, BillStatus, Customer, TierLine
from cashier.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from cashier.core.messages import Message
from cashier.core.money import MAX_AMOUNT, format_number, parse_amount

# ---------------------------------------------------------------------------------------------
# Roles and permissions


class Role(StrEnum):
    CASHIER = "cashier"
    MANAGER = "manager"
    ADMIN = "admin"


class Permission(StrEnum):
    COLLECT = "collect"
    OPEN_SHIFT = "open_shift"
    PARTIAL_PAYMENT = "partial_payment"
    REPRINT = "reprint"
    VOID = "void"
    CLOSE_SHIFT_VARIANCE = "close_shift_variance"  # close with a variance over the limit
    CLOSE_OTHERS_SHIFT = "close_others_shift"
    VIEW_REPORTS = "view_reports"  # every shift's reports, every receipt
    IMPORT = "import"
    EXPORT = "export"
    AUTHORISE = "authorise"  # give an override to a cashier
    MANAGE_USERS = "manage_users"
    SETTINGS = "settings"
    VERIFY = "verify"
    RECONCILE = "reconcile"  # apply CMIS's clearing result (bill states change)
    OPEN_DRAWER = "open_drawer"  # open the cash drawer outside a cash payment ("no sale")
    BACKUP = "backup"
    RESTORE = "restore"  # put a backup in place of the database (admin)
    COLLECT_LOST = "collect_lost"  # collect a bill whose payment a restore lost (manager)


def permission_name(permission: Permission) -> Message:
    """The action's name in refusals (``permission.*`` in the message catalogue)."""
    return Message(f"permission.{permission.value}")

_CASHIER = frozenset({Permission.COLLECT, Permission.OPEN_SHIFT, Permission.VERIFY})
_MANAGER = _CASHIER | {
    Permission.PARTIAL_PAYMENT,
    Permission.REPRINT,
    Permission.VOID,
    Permission.CLOSE_SHIFT_VARIANCE,
    Permission.CLOSE_OTHERS_SHIFT,
    Permission.VIEW_REPORTS,
    Permission.IMPORT,
    Permission.EXPORT,
    Permission.AUTHORISE,
    Permission.RECONCILE,
    Permission.OPEN_DRAWER,
    Permission.BACKUP,
    Permission.COLLECT_LOST,
}
_ADMIN = _MANAGER | {Permission.MANAGE_USERS, Permission.SETTINGS, Permission.RESTORE}

PERMISSIONS: Mapping[Role, frozenset[Permission]] = {
    Role.CASHIER: _CASHIER,
    Role.MANAGER: frozenset(_MANAGER),
    Role.ADMIN: frozenset(_ADMIN),
}


def has_permission(role: Role | str, permission: Permission | str) -> bool:
    return Permission(permission) in PERMISSIONS[Role(role)]


#: What each permission guards (the role matrix in docs/ledger.md is made from this and PERMISSIONS).
PERMISSION_USES: dict[Permission, str] = {
    Permission.COLLECT: "`collect`, the counter's payment",
    Permission.OPEN_SHIFT: "`shift open`, `shift close` (own shift, variance within the limit)",
    Permission.VERIFY: "journal checks from the window (the CLI's `verify` is open, read-only)",
    Permission.PARTIAL_PAYMENT: "`collect --partial` (or a cashier with `--manager`)",
    Permission.REPRINT: "`reprint` (or a cashier with `--manager`)",
    Permission.VOID: "`void` (or a cashier with `--manager`)",
    Permission.CLOSE_SHIFT_VARIANCE: "`shift close` over the variance limit (or `--manager`)",
    Permission.CLOSE_OTHERS_SHIFT: "closing another cashier's shift",
    Permission.VIEW_REPORTS: "`report day`, `shift report --shift`, every receipt, `users list`",
    Permission.IMPORT: "`import` (on a station with no user yet, the first imports need none)",
    Permission.EXPORT: "`export`, `export --rewrite`, `export-key`",
    Permission.AUTHORISE: "giving a `--manager` override",
    Permission.RECONCILE: "`reconcile` (CMIS's clearing result)",
    Permission.OPEN_DRAWER: "`drawer` (opening the drawer outside a cash payment)",
    Permission.BACKUP: "`backup` (a backup asked for by a person; the one after an export comes with the export)",
    Permission.MANAGE_USERS: "`users add/lock/unlock/passwd NAME` (the first admin of an empty station needs no user)",
    Permission.SETTINGS: "`printer-config` with a change, the window's settings",
    Permission.RESTORE: "`restore`, `anchor-rebuild` (docs/recovery.md)",
    Permission.COLLECT_LOST: "`collect --manager` of a bill whose payment a restore lost",
}


def role_matrix_markdown() -> str:
    """The role matrix as a Markdown table (docs/ledger.md shows exactly this)."""
    roles = (Role.CASHIER, Role.MANAGER, Role.ADMIN)
    lines = ["| permission | " + " | ".join(r.value for r in roles) + " | guards |",
             "|---|" + "---|" * len(roles) + "---|"]
    for perm in Permission:
        marks = " | ".join("yes" if perm in PERMISSIONS[r] else "-" for r in roles)
        lines.append(f"| {perm.value} | {marks} | {PERMISSION_USES[perm]} |")
    return "\n".join(lines)


def minimum_role(permission: Permission | str) -> Role:
    for role in (Role.CASHIER, Role.MANAGER, Role.ADMIN):
        if Permission(permission) in PERMISSIONS[role]:
            return role
    return Role.ADMIN


@dataclass(frozen=True, slots=True)
class User:
    """A station user as the services see it (never carries the password hash)."""

    id: int
    username: str
    full_name: str
    role: Role
    cashier_code: str = ""  # MA_TNGAN
    active: bool = True
    locked: bool = False  # locked by an admin
    locked_until: datetime | None = None  # locked after repeated failures
    failed_attempts: int = 0
    created_at: datetime | None = None

    def can(self, permission: Permission | str) -> bool:
        return self.active and has_permission(self.role, permission)

    def require(self, permission: Permission | str) -> None:
        if not self.can(permission):
            perm = Permission(permission)
            raise PermissionDenied(
                "ledger.permission",
                user=self.username,
                role=self.role.value,
                action=permission_name(perm),
            )


@dataclass(frozen=True, slots=True)
class Approval:
    """A manager's authorisation of one action for a cashier (recorded as an override)."""

    approver: User
    permission: Permission
    for_user_id: int
    override_id: int
    reason: str = ""


# ---------------------------------------------------------------------------------------------
# Cash: denominations, change, counts

#: VND notes in circulation (polymer and cotton), largest first.
DENOMINATIONS: tuple[int, ...] = (
    500_000, 200_000, 100_000, 50_000, 20_000, 10_000, 5_000, 2_000, 1_000, 500,
)

_COUNT_ITEM = re.compile(r"^\s*([\d.]+)\s*[x×*]\s*(\d+)\s*$", re.IGNORECASE)


def parse_denominations(text: str) -> dict[int, int]:
    """'500000x3,200000x1' -> {500000: 3, 200000: 1}. Repeated notes add up."""
    counts: dict[int, int] = {}
    if not text or not text.strip():
        return counts
    for part in re.split(r"[,;]", text):
        if not part.strip():
            continue
        m = _COUNT_ITEM.match(part)
        if not m:
            raise InvalidInput("ledger.count_syntax", value=part.strip())
        denom = parse_amount(m.group(1))
        if denom not in DENOMINATIONS:
            raise InvalidInput("ledger.denomination", value=m.group(1))
        n = int(m.group(2))
        if n > 100_000:
            raise InvalidInput("ledger.count_syntax", value=part.strip())
        counts[denom] = counts.get(denom, 0) + n
    return counts


def validate_counts(counts: Mapping[int, int]) -> dict[int, int]:
    out: dict[int, int] = {}
    for denom, n in counts.items():
        if int(denom) not in DENOMINATIONS:
            raise InvalidInput("ledger.denomination", value=str(denom))
        if int(n) < 0 or int(n) > 100_000:
            raise InvalidInput("ledger.count_syntax", value=f"{denom}x{n}")
        if n:
            out[int(denom)] = out.get(int(denom), 0) + int(n)
    return dict(sorted(out.items(), reverse=True))


def count_total(counts: Mapping[int, int]) -> int:
    return sum(int(d) * int(n) for d, n in counts.items())


def format_counts(counts: Mapping[int, int]) -> str:
    return ",".join(f"{d}x{n}" for d, n in sorted(counts.items(), reverse=True) if n)


def compute_change(total: int, tendered: int) -> int:
    """Change to give back; refuses tendered < total."""
    if tendered < total:
        raise Conflict(
            "ledger.tendered_short", tendered=format_number(tendered), total=format_number(total)
        )
    return tendered - total


def change_notes(change: int) -> tuple[list[tuple[int, int]], int]:
    """Greedy breakdown of ``change`` into notes; returns (notes, remainder below 500 đ)."""
    notes = []
    rest = change
    for denom in DENOMINATIONS:
        n, rest = divmod(rest, denom)
        if n:
            notes.append((denom, n))
    return notes, rest


# ---------------------------------------------------------------------------------------------
# Payments


class Method(StrEnum):
    CASH = "cash"
    TRANSFER = "transfer"


class PaymentStatus(StrEnum):
    ACTIVE = "active"
    VOIDED = "voided"


class LineKind(StrEnum):
    BILL = "bill"
    RECONNECTION_FEE = "reconnection_fee"


@dataclass(frozen=True, slots=True)
class PaymentLine:
    kind: LineKind
    amount: int  # what this payment pays on the line (== total unless partial)
    bill_row: int | None = None  # bill.id in the cache
    bill_id: str = ""  # ID_HDON
    ky: int = 0
    thang: int = 0
    nam: int = 0
    kwh: int = 0
    bill_amount: int = 0  # SO_TIEN, before VAT
    vat: int = 0
    bill_total: int = 0  # TONG_TIEN
    series: str = ""
    number: str = ""
    reading_start: int | None = None
    reading_end: int | None = None
    tiers: tuple[TierLine, ...] = ()
    settles: bool = True  # False for a partial amount that leaves the bill open

    @property
    def period(self) -> str:
        if self.kind is LineKind.RECONNECTION_FEE:
            return ""
        return f"Kỳ {self.ky} T{self.thang:02d}/{self.nam}"

    @property
    def partial(self) -> bool:
        return self.kind is LineKind.BILL and not self.settles

    def as_dict(self) -> dict:
        return {
            "kind": self.kind.value,
            "amount": self.amount,
            "bill_id": self.bill_id,
            "ky": self.ky,
            "thang": self.thang,
            "nam": self.nam,
            "kwh": self.kwh,
            "bill_amount": self.bill_amount,
            "vat": self.vat,
            "bill_total": self.bill_total,
            "series": self.series,
            "number": self.number,
            "reading_start": self.reading_start,
            "reading_end": self.reading_end,
            "tiers": [[t.kwh, t.price, t.amount] for t in self.tiers],
            "settles": self.settles,
        }


@dataclass(frozen=True, slots=True)
class CustomerSnapshot:
    """The customer as printed on the receipt (copied at payment time)."""

    code: str
    name: str
    address: str = ""
    book: str = ""
    book_pos: str = ""
    phone: str = ""
    unit_code: str = ""

    @classmethod
    def of(cls, c: Customer) -> CustomerSnapshot:
        return cls(c.code, c.name, c.address, c.book, c.book_pos, c.phone, c.unit_code)


@dataclass(frozen=True, slots=True)
class Payment:
    """Everything a receipt shows, and its bookkeeping."""

    receipt_no: str
    station: str
    shift_id: int
    cashier_id: int
    cashier_username: str
    cashier_name: str
    cashier_code: str  # MA_TNGAN
    customer: CustomerSnapshot
    lines: tuple[PaymentLine, ...]
    total: int
    tendered: int
    change: int
    method: Method
    created_at: datetime
    bank_ref: str = ""
    status: PaymentStatus = PaymentStatus.ACTIVE
    print_count: int = 1
    printed: bool | None = None  # None: not attempted yet; True/False: last print ok/failed
    journal_seq: int = 0
    verification: str = ""
    idempotency_key: str | None = None
    export_batch: str | None = None
    void_export_batch: str | None = None
    voided_at: datetime | None = None
    void_reason: str = ""
    #: a split payment's bank-transfer part (method CASH; 0 < transfer_amount < total); 0 otherwise
    transfer_amount: int = 0
    id: int | None = None

    @property
    def is_split(self) -> bool:
        return self.method is Method.CASH and self.transfer_amount > 0

    @property
    def cash_part(self) -> int:
        """What goes into the cash drawer (net of change)."""
        return self.total - self.transfer_amount if self.method is Method.CASH else 0

    @property
    def transfer_part(self) -> int:
        return self.total if self.method is Method.TRANSFER else self.transfer_amount

    @property
    def cash_tendered(self) -> int:
        """The cash handed over (``tendered`` of a split payment also counts the transfer)."""
        return self.tendered - self.transfer_amount if self.method is Method.CASH else 0

    @property
    def clearing_method(self) -> str:
        """The method on the clearing file's rows (one row per bill, one method a row): a split
        payment goes out with the method of its larger part (a tie is cash)."""
        return clearing_method(self.method, self.total, self.transfer_amount)

    @property
    def bill_ids(self) -> list[str]:
        return [ln.bill_id for ln in self.lines if ln.kind is LineKind.BILL]

    @property
    def is_copy(self) -> bool:
        return self.print_count > 1

    @property
    def copy_label(self) -> str:
        """'BẢN SAO — In lần N' on every print after the first, '' on the original."""
        return f"BẢN SAO — In lần {self.print_count}" if self.print_count > 1 else ""

    @property
    def verification_display(self) -> str:
        return format_verification(self.verification)

    @property
    def reconnection_fee(self) -> int:
        return sum(ln.amount for ln in self.lines if ln.kind is LineKind.RECONNECTION_FEE)


def clearing_method(method: Method | str, total: int, transfer_amount: int) -> str:
    """See :attr:`Payment.clearing_method` (db/export_store.py applies the same rule in SQL)."""
    if Method(method) is Method.CASH and transfer_amount * 2 > total:
        return Method.TRANSFER.value
    return Method(method).value


def format_verification(code: str) -> str:
    """'ABCDEFGH' -> 'ABCD-EFGH' (easier to read over the phone)."""
    return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code


def normalise_verification(text: str) -> str:
    """Upper-case, separators dropped; 0/1/8 (never in base32) read as O/I/B over the phone."""
    return re.sub(r"[\s\-_.]", "", text or "").upper().translate(str.maketrans("018", "OIB"))


@dataclass(frozen=True, slots=True)
class PaymentRequest:
    """What the cashier asks for. ``bill_ids`` None = every unpaid bill."""

    customer_code: str
    tendered: int
    bill_ids: tuple[str, ...] | None = None
    method: Method = Method.CASH
    bank_ref: str = ""
    partial_amount: int | None = None  # pay this much on the (single) selected bill
    idempotency_key: str | None = None
    #: split payment: this much by bank transfer (``bank_ref``), ``tendered`` is then the cash part
    transfer_amount: int = 0

    def fingerprint(self) -> dict:
        """The parts that must match when the same idempotency key comes back."""
        fp = {
            "customer": self.customer_code,
            "bills": sorted(self.bill_ids) if self.bill_ids is not None else None,
            "tendered": self.tendered,
            "method": self.method.value,
            "partial": self.partial_amount,
        }
        if self.transfer_amount:
            fp["transfer"] = self.transfer_amount
        return fp


@dataclass(frozen=True, slots=True)
class PaymentPlan:
    lines: tuple[PaymentLine, ...]
    total: int
    tendered: int
    change: int
    reconnection: bool  # a reconnection order is raised with this payment
    #: split payment: the bank-transfer part (``tendered`` = cash handed over + this)
    transfer_amount: int = 0

    @property
    def cash_due(self) -> int:
        return self.total - self.transfer_amount


def validate_request(req: PaymentRequest) -> PaymentRequest:
    """Input checks that need no state (amounts, method, reference)."""
    tendered = parse_amount(req.tendered, limit=MAX_AMOUNT)
    try:
        method = Method(req.method)
    except ValueError:
        raise InvalidInput("ledger.method", method=str(req.method)) from None
    partial = req.partial_amount
    if partial is not None:
        partial = parse_amount(partial)
    bank_ref = (req.bank_ref or "").strip()
    if method is Method.TRANSFER and not bank_ref:
        raise InvalidInput("ledger.transfer_ref")
    transfer = parse_amount(req.transfer_amount or 0, limit=MAX_AMOUNT)
    if transfer:
        if method is not Method.CASH:
            raise InvalidInput("ledger.split_method")
        if not bank_ref:
            raise InvalidInput("ledger.split_ref")
    bills = req.bill_ids
    if bills is not None:
        bills = tuple(dict.fromkeys(b.strip() for b in bills if b and b.strip()))
        if not bills:
            raise InvalidInput("ledger.nothing_to_pay")
    if partial is not None and (bills is None or len(bills) != 1):
        raise InvalidInput("ledger.partial_one_bill")
    key = (req.idempotency_key or "").strip() or None
    return PaymentRequest(
        customer_code=req.customer_code,
        tendered=tendered,
        bill_ids=bills,
        method=method,
        bank_ref=bank_ref,
        partial_amount=partial,
        idempotency_key=key,
        transfer_amount=transfer,
    )


def _refuse_status(bill: Bill, receipt: str | None) -> None:
    if bill.status == BillStatus.UNPAID:
        return
    if bill.status in (BillStatus.COLLECTED, BillStatus.CLEARED):
        raise Conflict("ledger.already_collected", bill=bill.bill_id, receipt=receipt or "?")
    if bill.status == BillStatus.PAID_ELSEWHERE:
        raise Conflict("ledger.paid_elsewhere", bill=bill.bill_id)
    raise Conflict("ledger.not_collectable", bill=bill.bill_id, status=str(bill.status))


def select_bills(
    bills: Sequence[Bill], requested: Iterable[str] | None, *, customer_code: str = ""
) -> list[Bill]:
    """Oldest-first selection rule.

    ``bills``: every bill of the customer (any status). ``requested``: bill ids (ID_HDON), or
    None for all unpaid. Returns the selected bills oldest first. Refuses an unknown bill, a bill
    that is not unpaid, and a newer bill while an older unpaid one is not selected.
    """
    open_bills = sorted((b for b in bills if b.status == BillStatus.UNPAID), key=lambda b: b.sort_key)
    if requested is None:
        if not open_bills:
            raise Conflict("ledger.no_bills", code=customer_code)
        return open_bills
    by_id = {b.bill_id: b for b in bills}
    wanted = []
    for bid in requested:
        bill = by_id.get(bid)
        if bill is None:
            raise NotFound("ledger.unknown_bill", bill=bid, code=customer_code)
        _refuse_status(bill, bill.receipt)
        wanted.append(bill)
    if not wanted:
        raise InvalidInput("ledger.nothing_to_pay")
    wanted_ids = {b.bill_id for b in wanted}
    newest = max(wanted, key=lambda b: b.sort_key)
    for older in open_bills:
        if older.sort_key >= newest.sort_key:
            break
        if older.bill_id not in wanted_ids:
            offender = min(
                (b for b in wanted if b.sort_key > older.sort_key), key=lambda b: b.sort_key
            )
            raise Conflict(
                "ledger.oldest_first",
                bill=offender.bill_id,
                period=offender.period,
                older=older.bill_id,
                older_period=older.period,
            )
    return sorted(wanted, key=lambda b: b.sort_key)


def bill_line(bill: Bill, amount: int | None = None, *, settles: bool = True) -> PaymentLine:
    return PaymentLine(
        kind=LineKind.BILL,
        amount=bill.total if amount is None else amount,
        bill_row=bill.id,
        bill_id=bill.bill_id,
        ky=bill.ky,
        thang=bill.thang,
        nam=bill.nam,
        kwh=bill.kwh,
        bill_amount=bill.amount,
        vat=bill.vat,
        bill_total=bill.total,
        series=bill.series,
        number=bill.number,
        reading_start=bill.reading_start,
        reading_end=bill.reading_end,
        tiers=bill.tiers,
        settles=settles,
    )


def _refuse_absurd_change(tendered: int, due: int, change: int, max_change: int) -> None:
    """A change as large as the cash due (and over the limit) is a typing slip, not a payment."""
    if max_change and change >= max(max_change, due):
        raise InvalidInput(
            "ledger.change_absurd",
            tendered=format_number(tendered),
            total=format_number(due),
            change=format_number(change),
        )


def plan_payment(
    req: PaymentRequest,
    customer: Customer,
    bills: Sequence[Bill],
    *,
    paid_so_far: Mapping[str, int] | None = None,
    reconnection_fee: int = 0,
    reconnection_open: bool = False,
    max_change: int = 0,
) -> PaymentPlan:
    """Lines, total and change of a payment (pure; the store re-runs it inside its transaction).

    ``paid_so_far``: bill id -> amount already paid by active partial payments.
    ``reconnection_fee``: the configured fee; added when the customer is flagged disconnected and
    no reconnection order is open for them yet (``reconnection_open``).
    ``max_change``: refuse a cash tender whose change would reach both this and the total due (a
    typing slip such as 5,000,000 for 500,000; 2,000,000 for 1,496,947 is fine); 0 = no limit.
    """
    paid_so_far = paid_so_far or {}
    add_fee = bool(customer.disconnected and reconnection_fee > 0 and not reconnection_open)
    open_bills = [b for b in bills if b.status == BillStatus.UNPAID]
    if req.bill_ids is None and not open_bills and add_fee:
        selected: list[Bill] = []  # only the reconnection fee is due
    else:
        selected = select_bills(bills, req.bill_ids, customer_code=customer.code)
    lines: list[PaymentLine] = []
    for bill in selected:
        remaining = bill.total - paid_so_far.get(bill.bill_id, 0)
        if req.partial_amount is not None:
            if not 0 < req.partial_amount <= remaining:
                raise InvalidInput(
                    "ledger.partial_range",
                    amount=format_number(req.partial_amount),
                    remaining=format_number(remaining),
                    bill=bill.bill_id,
                )
            lines.append(bill_line(bill, req.partial_amount, settles=req.partial_amount == remaining))
        else:
            lines.append(bill_line(bill, remaining))
    if add_fee:
        lines.append(PaymentLine(kind=LineKind.RECONNECTION_FEE, amount=reconnection_fee))
    total = sum(ln.amount for ln in lines)
    if total > MAX_AMOUNT:
        raise InvalidInput("money.too_large", value=str(total), limit=format_number(MAX_AMOUNT))
    if req.method is Method.TRANSFER:
        if req.tendered != total:
            raise Conflict(
                "ledger.transfer_amount",
                total=format_number(total),
                tendered=format_number(req.tendered),
            )
        change = 0
    elif req.transfer_amount:
        # split: the transfer part is exact, change only ever comes out of the cash part
        transfer = req.transfer_amount
        if not 0 < transfer < total:
            raise InvalidInput(
                "ledger.split_range", transfer=format_number(transfer), total=format_number(total)
            )
        cash_due = total - transfer
        if req.tendered < cash_due:
            raise Conflict(
                "ledger.split_cash_short",
                tendered=format_number(req.tendered),
                cash=format_number(cash_due),
                total=format_number(total),
                transfer=format_number(transfer),
            )
        change = req.tendered - cash_due
        _refuse_absurd_change(req.tendered, cash_due, change, max_change)
        return PaymentPlan(
            lines=tuple(lines),
            total=total,
            tendered=req.tendered + transfer,
            change=change,
            reconnection=add_fee,
            transfer_amount=transfer,
        )
    else:
        change = compute_change(total, req.tendered)
        _refuse_absurd_change(req.tendered, total, change, max_change)
    return PaymentPlan(
        lines=tuple(lines),
        total=total,
        tendered=req.tendered,
        change=change,
        reconnection=add_fee,
    )


# ---------------------------------------------------------------------------------------------
# Voids, reconnection orders, shifts


@dataclass(frozen=True, slots=True)
class Void:
    receipt_no: str
    reason: str
    voided_by: int
    voided_by_name: str
    approved_by: int | None
    created_at: datetime
    shift_id: int | None
    journal_seq: int
    #: True when the payment had been exported: the void goes out as a reversal
    needs_reversal: bool = False
    reversal_batch: str | None = None
    id: int | None = None


class OrderStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class ReconnectionOrder:
    """Lệnh đóng điện: reconnect a customer whose reconnection fee was paid."""

    id: int
    customer: CustomerSnapshot
    receipt_no: str
    fee: int
    created_at: datetime
    cashier_name: str
    cashier_code: str
    status: OrderStatus = OrderStatus.OPEN


class ShiftStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class Shift:
    id: int
    station: str
    user_id: int
    username: str
    opened_at: datetime
    opening_float: int
    status: ShiftStatus = ShiftStatus.OPEN
    closed_at: datetime | None = None
    counts: Mapping[int, int] = field(default_factory=dict)
    counted: int | None = None
    expected: int | None = None
    variance: int | None = None
    z_number: int | None = None
    closed_by: int | None = None
    approved_by: int | None = None


@dataclass(frozen=True, slots=True)
class ShiftTotals:
    """Money moved during a shift (computed by the store)."""

    payments: int = 0  # active payments taken in the shift
    cash_total: int = 0
    transfer_total: int = 0
    bills: int = 0
    reconnection_fees: int = 0
    voids: int = 0  # payments of this shift voided (any time)
    voided_total: int = 0
    refunds_cash: int = 0  # cash handed back in this shift for voids of earlier shifts' payments
    reprints: int = 0


@dataclass(frozen=True, slots=True)
class ShiftReport:
    """X report (kind 'X', mid-shift) or Z report (kind 'Z', at closing, numbered)."""

    kind: str
    station: str
    shift: Shift
    cashier_name: str
    totals: ShiftTotals
    expected_cash: int
    generated_at: datetime
    z_number: int | None = None
    counts: Mapping[int, int] = field(default_factory=dict)
    counted: int | None = None
    variance: int | None = None

    def as_dict(self) -> dict:
        s = self.shift
        return {
            "kind": self.kind,
            "z_number": self.z_number,
            "station": self.station,
            "shift": s.id,
            "cashier": s.username,
            "cashier_name": self.cashier_name,
            "opened_at": s.opened_at.isoformat(),
            "closed_at": s.closed_at.isoformat() if s.closed_at else None,
            "opening_float": s.opening_float,
            "payments": self.totals.payments,
            "bills": self.totals.bills,
            "cash_total": self.totals.cash_total,
            "transfer_total": self.totals.transfer_total,
            "reconnection_fees": self.totals.reconnection_fees,
            "voids": self.totals.voids,
            "voided_total": self.totals.voided_total,
            "refunds_cash": self.totals.refunds_cash,
            "reprints": self.totals.reprints,
            "expected_cash": self.expected_cash,
            "counts": {str(k): v for k, v in sorted(self.counts.items(), reverse=True)},
            "counted": self.counted,
            "variance": self.variance,
            "generated_at": self.generated_at.isoformat(),
        }


def expected_cash(opening_float: int, totals: ShiftTotals) -> int:
    return opening_float + totals.cash_total - totals.refunds_cash


@dataclass(frozen=True, slots=True)
class LedgerSettings:
    """Configurable rules (Setting rows ``ledger.*``; defaults here)."""

    station: str = "ST01"
    reconnection_fee: int = 0  # đồng; 0 = not configured: no fee line is added
    variance_limit: int = 10_000  # |counted - expected| above this needs a manager
    #: a cash tender whose change reaches this AND the total due is taken for a typing slip
    #: (0 = no limit)
    max_change: int = 500_000
    max_failed_logins: int = 5
    lockout_minutes: int = 15
    min_password_length: int = 6
