"""peewee models of the end of day: clearing-file batches and their rows, CMIS's clearing results,
and the refund cases they raise (double collections).

The database enforces "every collected bill line is cleared exactly once": ``export_row`` has a
UNIQUE (line, kind) index, so one payment line can be in at most one batch as a payment row and in
at most one batch as a reversal row.
"""

from __future__ import annotations

from peewee import CharField, Check, ForeignKeyField, IntegerField, TextField

from cashier.db.sqlite.cache_models import BaseModel
from cashier.db.sqlite.ledger_models import Payment, PaymentLine, Void


class ExportBatch(BaseModel):
    batch_id = CharField(unique=True)  # "<station>-<yyyymmdd>-<sequence>"
    station = CharField()
    sequence = IntegerField()  # per station, 1, 2, 3 ...
    created_at = CharField()  # ISO, Asia/Ho_Chi_Minh (also stamped into the files)
    created_by = CharField(default="")
    filters = TextField(default="{}")  # JSON {"date": ..., "shift": ..., "cashier": ...}
    profile = CharField(default="default")
    profile_json = TextField(default="{}")  # the clearing profile the files were written with
    rows = IntegerField(default=0)
    payments = IntegerField(default=0)
    reversals = IntegerField(default=0)
    total_amount = IntegerField(default=0)
    vat = IntegerField(default=0)
    grand_total = IntegerField(default=0)
    first_receipt = CharField(default="")
    last_receipt = CharField(default="")
    journal_head = CharField(default="")
    files = TextField(default="[]")  # JSON [{"name", "kind", "sha256", "size"}]
    out_dir = TextField(default="")

    class Meta:
        table_name = "export_batch"
        indexes = ((("station", "sequence"), True),)


class ExportRow(BaseModel):
    batch = ForeignKeyField(ExportBatch, on_delete="RESTRICT", backref="items")
    row_no = IntegerField()  # 1-based data row (the spreadsheet row is row_no + 1)
    kind = CharField(constraints=[Check("kind IN ('payment','reversal')")])
    payment = ForeignKeyField(Payment, on_delete="RESTRICT")
    line = ForeignKeyField(PaymentLine, on_delete="RESTRICT")
    void = ForeignKeyField(Void, null=True, on_delete="RESTRICT")
    total = IntegerField()

    class Meta:
        table_name = "export_row"
        indexes = (
            (("batch", "row_no"), True),
            (("line", "kind"), True),
        )


class ClearingImport(BaseModel):
    """One CMIS clearing-result file read by ``cashier reconcile``."""

    file_name = TextField()
    file_sha256 = CharField(max_length=64, unique=True)
    created_at = CharField()
    rows = IntegerField(default=0)
    cleared = IntegerField(default=0)
    refused = IntegerField(default=0)
    paid_elsewhere = IntegerField(default=0)

    class Meta:
        table_name = "clearing_import"


class ClearingResultRow(BaseModel):
    clearing_import = ForeignKeyField(ClearingImport, on_delete="CASCADE", backref="results")
    row = IntegerField()
    customer_code = CharField()
    bill_id = CharField()
    status = CharField(constraints=[Check("status IN ('cleared','refused','paid_elsewhere')")])
    reason = TextField(default="")
    receipt_no = CharField(default="")
    payment = ForeignKeyField(Payment, null=True, on_delete="RESTRICT")

    class Meta:
        table_name = "clearing_result"


class RefundCase(BaseModel):
    """A bill collected here that CMIS reports as already paid elsewhere: give the money back."""

    customer_code = CharField(index=True)
    customer_name = TextField(default="")
    customer_address = TextField(default="")
    customer_phone = CharField(default="")
    bill_id = CharField()
    receipt_no = CharField()
    amount = IntegerField(constraints=[Check("amount >= 0")])
    reason = TextField(default="")
    created_at = CharField()
    status = CharField(default="open", constraints=[Check("status IN ('open','refunded','cancelled')")])
    clearing_import = ForeignKeyField(ClearingImport, null=True, on_delete="SET NULL")

    class Meta:
        table_name = "refund_case"
        indexes = ((("receipt_no", "bill_id"), True),)


MODELS = [ExportBatch, ExportRow, ClearingImport, ClearingResultRow, RefundCase]

EXTRA_DDL = [
    "CREATE INDEX IF NOT EXISTS export_row_payment ON export_row (payment_id)",
]
