"""peewee models of the local debt cache (customers, bills, cards, imports) and settings.

Ledger models (users, shifts, payments, journal) live in ``ledger_models.py``; export models in
``export_models.py``. Every model binds to :data:`cashier.db.sqlite.connection.database`.
Hot paths (lookup, search, bulk import) use raw SQL through the same connection: peewee's
per-row model queries are ~10x slower (DESIGN.md §4).
"""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from cashier.db.sqlite.connection import database


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class Setting(BaseModel):
    """Station settings as JSON values (company header, printer URL, fees...)."""

    key = CharField(primary_key=True)
    value = TextField()  # JSON


class ImportBatch(BaseModel):
    """One applied (or refused) debt extract import."""

    file_name = TextField()
    file_sha256 = CharField(max_length=64)
    profile = CharField()
    started_at = CharField()  # ISO, Asia/Ho_Chi_Minh
    finished_at = CharField(null=True)
    status = CharField(default="applied")  # applied | refused
    rows_read = IntegerField(default=0)
    customers = IntegerField(default=0)
    bills = IntegerField(default=0)
    new_bills = IntegerField(default=0)
    paid_elsewhere = IntegerField(default=0)
    conflicts = IntegerField(default=0)
    rejected = IntegerField(default=0)
    total_due = IntegerField(default=0)
    report_path = TextField(null=True)


class Customer(BaseModel):
    code = CharField(unique=True)  # MA_KHANG, normalised
    unit_code = CharField(default="")  # MA_DVIQLY
    name = TextField()
    address = TextField(default="")
    phone = CharField(default="")
    book = CharField(default="", index=True)  # MA_SOGCS
    book_pos = CharField(default="")  # STT
    disconnected = BooleanField(default=False)
    search_text = TextField(default="")  # folded "code name address" (FTS source)
    last_batch = IntegerField(null=True)


class Card(BaseModel):
    """Optional card code (MA_THE) -> customer mapping, when cards do not carry MA_KHANG."""

    card_code = CharField(primary_key=True)
    customer = ForeignKeyField(Customer, on_delete="CASCADE", backref="cards")


class Bill(BaseModel):
    # no index of its own: bill_customer_period (customer_id, nam, thang, ky) serves lookups
    customer = ForeignKeyField(Customer, on_delete="RESTRICT", backref="bills", index=False)
    customer_code = CharField()
    bill_id = CharField()  # ID_HDON
    ky = IntegerField()
    thang = IntegerField()
    nam = IntegerField()
    kwh = IntegerField(default=0)
    amount = IntegerField()  # SO_TIEN, before VAT
    vat = IntegerField()  # TIEN_GTGT
    total = IntegerField()  # TONG_TIEN
    series = CharField(default="")  # KIHIEU_SERY
    number = CharField(default="")  # SO_SERY
    reading_start = IntegerField(null=True)  # CS_DKY
    reading_end = IntegerField(null=True)  # CS_CKY
    tiers = TextField(null=True)  # JSON [[kwh, price, amount], ...]
    status = CharField(default="unpaid", index=True)  # cashier.core.debt.BillStatus
    double_collection = BooleanField(default=False)
    first_batch = IntegerField(null=True)
    last_batch = IntegerField(null=True)  # last import that changed the bill
    status_changed_at = CharField(null=True)

    class Meta:
        indexes = ((("customer_code", "bill_id"), True),)


CACHE_MODELS = [Setting, ImportBatch, Customer, Card, Bill]

#: DDL that peewee's create_tables does not express (run after the tables exist).
CACHE_EXTRA_DDL = [
    "CREATE INDEX IF NOT EXISTS bill_customer_period ON bill (customer_id, nam, thang, ky)",
]
