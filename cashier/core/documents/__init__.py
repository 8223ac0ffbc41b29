"""What the station prints, independent of any printer: receipts, bill notices, shift reports,
reconnection orders, the printer test page and customer cards.

A :class:`Document` is a list of blocks (text, "label .... value" pairs, rules, CODE128, QR,
feeds, a cut). :mod:`cashier.core.layout` lays it out for 58 mm (32 columns / 384 dots) or
80 mm (48 columns / 576 dots); :mod:`cashier.devices` renders it to ESC/POS bytes in the mode the
printer needs (code-page text, raster, ASCII).

What lives where (import the names from ``cashier.core.documents``):

* ``blocks``   - the blocks and :class:`Document`;
* ``settings`` - :class:`CompanyInfo` (header, bank account) and :class:`PrinterSettings`;
* ``sections`` - pieces several documents share (header, customer, bill lines, e-invoice, QR
  payload);
* one module per document: ``receipts``, ``notices``, ``shift_reports``,
  ``reconnection_orders``, ``sample_page`` (the printer test page), ``cards``.

A new printed document is a new module here building a :class:`Document` from ``blocks`` and
``sections``, re-exported below.
"""

from __future__ import annotations

from cashier.core.documents.blocks import (
    QR,
    Align,
    Barcode,
    Block,
    Cut,
    Document,
    Feed,
    Image,
    Pair,
    Rule,
    Size,
    Text,
)
from cashier.core.documents.cards import card_slip
from cashier.core.documents.notices import (
    NoticeInfo,
    bill_notice,
    notice_qr_payload,
)
from cashier.core.documents.receipts import (
    receipt,
    sample_payment,
)
from cashier.core.documents.reconnection_orders import reconnection_order
from cashier.core.documents.sample_page import (
    SAMPLE_SENTENCE,
    printer_test_page,
    sample_lines,
    sample_row_length,
)
from cashier.core.documents.sections import (
    METHOD_VI,
    einvoice_display,
    einvoice_ref,
    money,
    parse_receipt_qr,
    receipt_qr_payload,
)
from cashier.core.documents.settings import (
    CompanyInfo,
    PrinterSettings,
)
from cashier.core.documents.shift_reports import shift_report

__all__ = [
    "Align",
    "Size",
    "Text",
    "Pair",
    "Rule",
    "Barcode",
    "QR",
    "Image",
    "Feed",
    "Cut",
    "Block",
    "Document",
    "CompanyInfo",
    "PrinterSettings",
    "METHOD_VI",
    "money",
    "receipt_qr_payload",
    "parse_receipt_qr",
    "einvoice_ref",
    "einvoice_display",
    "receipt",
    "sample_payment",
    "NoticeInfo",
    "notice_qr_payload",
    "bill_notice",
    "shift_report",
    "reconnection_order",
    "SAMPLE_SENTENCE",
    "sample_row_length",
    "sample_lines",
    "printer_test_page",
    "card_slip",
]
