"""A void of a receipt (reversed on the clearing file when the payment was already exported)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


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
