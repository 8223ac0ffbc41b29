"""The reconnection order (lệnh đóng điện) handed to the field crew."""

from __future__ import annotations

from cashier.core.documents.blocks import Barcode, Cut, Document, Feed, Pair, Rule, Text
from cashier.core.documents.sections import customer_blocks, header, money, timestamp
from cashier.core.documents.settings import CompanyInfo
from cashier.core.ledger import ReconnectionOrder


def reconnection_order(order: ReconnectionOrder, company: CompanyInfo = CompanyInfo()) -> Document:
    """Lệnh đóng điện for the field crew."""
    o = order
    blocks = header(company, "LỆNH ĐÓNG ĐIỆN", f"Số: {o.id}")
    blocks += [
        Pair("Ngày giờ:", timestamp(o.created_at)),
        Rule(),
        *customer_blocks(o.customer.code, o.customer.name, o.customer.address, o.customer.book, o.customer.book_pos),
    ]
    if o.customer.phone:
        blocks.append(Pair("Điện thoại KH:", o.customer.phone))
    blocks += [
        Rule(),
        Text("Khách hàng đã thanh toán tiền điện nợ và phí đóng điện lại."),
        Pair("Phí đóng điện:", money(o.fee), bold=True),
        Pair("Theo biên nhận:", o.receipt_no),
        Text(f"Người lập: {o.cashier_name}" + (f" ({o.cashier_code})" if o.cashier_code else "")),
        Barcode(o.customer.code),
        Text("Đề nghị tổ thao tác đóng điện trong ngày.", "center"),
        Pair("Giờ đóng điện:", "..........."),
        Pair("Người thực hiện:", "..........."),
        Feed(2),
        Cut(),
    ]
    return Document("reconnection", tuple(blocks), title=f"Lệnh đóng điện {o.id}")
