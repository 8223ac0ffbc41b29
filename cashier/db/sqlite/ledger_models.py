"""peewee models of the ledger: users, shifts, payments and their lines, voids, reconnection
orders, overrides, the hash-chained journal and gapless counters.

The database itself enforces the money rules that must hold whatever the code does:

* at most one active, settling payment line per bill (partial UNIQUE index
  ``payment_line_one_settling``); partial payments (``settles=0``) may be several, the store
  caps their sum at the bill's total inside the payment transaction;
* amounts are never negative and ``change = tendered - total`` (CHECK constraints);
* at most one open shift per station, Z numbers unique per station;
* receipt numbers and journal sequence numbers unique (the store allocates them gaplessly
  inside the same transaction as the payment).

Hot paths (collect, lookup of a receipt) use raw SQL in ``payments.py`` and ``payment_rows.py``.
"""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    Check,
    CompositeKey,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from cashier.db.sqlite.cache_models import BaseModel, Bill, Customer


class AppUser(BaseModel):
    username = CharField(unique=True)  # lower-case
    full_name = TextField(default="")
    role = CharField(constraints=[Check("role IN ('cashier','manager','admin')")])
    cashier_code = CharField(default="")  # MA_TNGAN
    password_hash = TextField()
    active = BooleanField(default=True)
    locked = BooleanField(default=False)  # by an admin
    locked_until = CharField(null=True)  # after repeated failures (ISO)
    failed_attempts = IntegerField(default=0)
    created_at = CharField()
    updated_at = CharField()

    class Meta:
        table_name = "app_user"


class Shift(BaseModel):
    station = CharField()
    user = ForeignKeyField(AppUser, on_delete="RESTRICT", backref="shifts")
    opened_at = CharField()
    opening_float = IntegerField(constraints=[Check("opening_float >= 0")])
    closed_at = CharField(null=True)
    counts = TextField(null=True)  # JSON {"500000": 3, ...}
    counted = IntegerField(null=True, constraints=[Check("counted IS NULL OR counted >= 0")])
    expected = IntegerField(null=True)
    variance = IntegerField(null=True)
    z_number = IntegerField(null=True)
    closed_by = IntegerField(null=True)
    approved_by = IntegerField(null=True)


class Payment(BaseModel):
    receipt_no = CharField(unique=True)
    station = CharField()
    shift = ForeignKeyField(Shift, on_delete="RESTRICT", backref="payments")
    cashier = ForeignKeyField(AppUser, on_delete="RESTRICT")
    cashier_username = CharField()
    cashier_name = TextField(default="")
    cashier_code = CharField(default="")
    customer_code = CharField(index=True)
    customer_name = TextField(default="")
    customer_address = TextField(default="")
    customer_book = CharField(default="")
    customer_book_pos = CharField(default="")
    customer_phone = CharField(default="")
    customer_unit = CharField(default="")
    total = IntegerField(constraints=[Check("total >= 0")])
    tendered = IntegerField(constraints=[Check("tendered >= 0")])
    change_amount = IntegerField(
        constraints=[Check("change_amount >= 0"), Check("change_amount = tendered - total")]
    )
    method = CharField(constraints=[Check("method IN ('cash','transfer')")])
    bank_ref = CharField(default="")
    created_at = CharField(index=True)
    status = CharField(default="active", constraints=[Check("status IN ('active','voided')")])
    print_count = IntegerField(default=1, constraints=[Check("print_count >= 1")])
    printed = BooleanField(null=True)  # NULL: not attempted; 1/0: last print ok/failed
    journal_seq = IntegerField(unique=True)
    verification = CharField()
    idempotency_key = CharField(null=True, unique=True)
    request_fp = TextField(null=True)
    #: set by the export (clearing file batch id) when the payment went out for clearing
    exported_batch = CharField(null=True, index=True)
    #: set by the export when the void of an exported payment went out as a reversal
    void_exported_batch = CharField(null=True)


class PaymentLine(BaseModel):
    payment = ForeignKeyField(Payment, on_delete="RESTRICT", backref="lines")
    line_no = IntegerField()
    kind = CharField(constraints=[Check("kind IN ('bill','reconnection_fee')")])
    #: the cached bill (NULL for the reconnection-fee line)
    bill = ForeignKeyField(Bill, null=True, on_delete="RESTRICT", column_name="bill_row")
    bill_id = CharField(default="")  # ID_HDON
    ky = IntegerField(default=0)
    thang = IntegerField(default=0)
    nam = IntegerField(default=0)
    kwh = IntegerField(default=0)
    bill_amount = IntegerField(default=0)
    vat = IntegerField(default=0)
    bill_total = IntegerField(default=0)
    series = CharField(default="")
    number = CharField(default="")
    reading_start = IntegerField(null=True)
    reading_end = IntegerField(null=True)
    tiers = TextField(null=True)
    amount = IntegerField(constraints=[Check("amount >= 0")])
    settles = BooleanField(default=True)  # 0: partial amount, the bill stays open
    active = BooleanField(default=True)  # 0 once the payment is voided

    class Meta:
        indexes = ((("payment", "line_no"), True),)
        constraints = [
            Check("(kind = 'bill') = (bill_row IS NOT NULL)"),
            Check("amount <= bill_total OR kind = 'reconnection_fee'"),
        ]


class Void(BaseModel):
    payment = ForeignKeyField(Payment, unique=True, on_delete="RESTRICT", backref="voids")
    reason = TextField(constraints=[Check("length(trim(reason)) > 0")])
    voided_by = ForeignKeyField(AppUser, on_delete="RESTRICT")
    approved_by = IntegerField(null=True)
    created_at = CharField()
    shift_id = IntegerField(null=True)  # the shift open when the void was made (cash refund)
    journal_seq = IntegerField(unique=True)
    needs_reversal = BooleanField(default=False)  # payment was exported: send a reversal


class ReconnectionOrder(BaseModel):
    customer = ForeignKeyField(Customer, null=True, on_delete="SET NULL")
    customer_code = CharField(index=True)
    customer_name = TextField(default="")
    customer_address = TextField(default="")
    customer_book = CharField(default="")
    customer_book_pos = CharField(default="")
    customer_phone = CharField(default="")
    payment = ForeignKeyField(Payment, on_delete="RESTRICT")
    fee = IntegerField(constraints=[Check("fee >= 0")])
    created_at = CharField()
    cashier_name = TextField(default="")
    cashier_code = CharField(default="")
    status = CharField(default="open", constraints=[Check("status IN ('open','done','cancelled')")])


class Override(BaseModel):
    permission = CharField()
    approver = ForeignKeyField(AppUser, on_delete="RESTRICT")
    for_user = ForeignKeyField(AppUser, on_delete="RESTRICT", backref="overrides")
    reason = TextField(default="")
    created_at = CharField()
    journal_seq = IntegerField(unique=True)


class JournalEntry(BaseModel):
    seq = IntegerField(primary_key=True)  # INTEGER PRIMARY KEY, allocated gaplessly
    ts = CharField()
    kind = CharField()
    payload = TextField()
    prev_hash = CharField(max_length=64)
    hash = CharField(max_length=64)


class JournalHead(BaseModel):
    """One row (id=1): last seq, last hash, a keyed MAC of both and the key's fingerprint."""

    seq = IntegerField()
    hash = CharField(max_length=64)
    mac = CharField(max_length=64)
    key_fp = CharField(max_length=16)


class LostBill(BaseModel):
    """A bill whose settling payment a restore lost (the admin accepted the loss): it cannot be
    collected again without a manager, who is recorded here (and in the payment's journal entry)."""

    bill_id = CharField(primary_key=True)  # ID_HDON
    receipt = CharField(default="")  # the lost payment's receipt
    restore_seq = IntegerField()  # the restore's journal entry
    created_at = CharField()
    released_by = IntegerField(null=True)  # the manager who let it be collected again
    released_receipt = CharField(null=True)
    released_at = CharField(null=True)

    class Meta:
        table_name = "lost_bill"


class Counter(BaseModel):
    """Gapless per-station counters: 'receipt', 'z'."""

    station = CharField()
    name = CharField()
    value = IntegerField(default=0)

    class Meta:
        primary_key = CompositeKey("station", "name")


MODELS = [
    AppUser,
    Shift,
    Payment,
    PaymentLine,
    Void,
    ReconnectionOrder,
    Override,
    JournalEntry,
    JournalHead,
    LostBill,
    Counter,
]

EXTRA_DDL = [
    # the database itself refuses a second active settling payment on a bill
    "CREATE UNIQUE INDEX IF NOT EXISTS payment_line_one_settling "
    "ON payment_line (bill_row) WHERE active = 1 AND settles = 1",
    "CREATE INDEX IF NOT EXISTS payment_line_bill ON payment_line (bill_row)",
    "CREATE UNIQUE INDEX IF NOT EXISTS shift_one_open ON shift (station) WHERE closed_at IS NULL",
    "CREATE UNIQUE INDEX IF NOT EXISTS shift_z_number ON shift (station, z_number) "
    "WHERE z_number IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS payment_shift ON payment (shift_id, status)",
    "CREATE INDEX IF NOT EXISTS reconnection_status ON reconnection_order (status)",
]
