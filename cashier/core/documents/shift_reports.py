"""The X (mid-shift) and Z (closing) shift report."""

from __future__ import annotations

from cashier.core.documents.blocks import Cut, Document, Feed, Pair, Rule, Text
from cashier.core.documents.sections import header, money, timestamp
from cashier.core.documents.settings import CompanyInfo
from cashier.core.ledger import ShiftReport
from cashier.core.money import format_number


def shift_report(report: ShiftReport, company: CompanyInfo = CompanyInfo()) -> Document:
    """Báo cáo ca thu X (giữa ca) / Z (đóng ca)."""
    r, t, s = report, report.totals, report.shift
    title = f"BÁO CÁO CA - {r.kind}" + (f" SỐ {r.z_number}" if r.z_number is not None else "")
    blocks = header(company, title)
    blocks += [
        Pair("Quầy:", r.station),
        Pair("Ca số:", str(s.id)),
        Text(f"Thu ngân: {r.cashier_name} ({s.username})"),
        Pair("Mở ca:", timestamp(s.opened_at)),
    ]
    if s.closed_at is not None:
        blocks.append(Pair("Đóng ca:", timestamp(s.closed_at)))
    blocks += [
        Pair("In lúc:", timestamp(r.generated_at)),
        Rule(),
        Pair("Số biên nhận:", format_number(t.payments)),
        Pair("Số hóa đơn:", format_number(t.bills)),
        Pair("Tiền mặt:", money(t.cash_total), fill="."),
        Pair("Chuyển khoản:", money(t.transfer_total), fill="."),
        Pair("Phí đóng điện:", money(t.reconnection_fees), fill="."),
        Pair("Hủy:", f"{t.voids} / {money(t.voided_total)}"),
        Pair("Hoàn tiền mặt:", money(t.refunds_cash), fill="."),
        Pair("In lại:", format_number(t.reprints)),
        Rule(),
        Pair("Tiền đầu ca:", money(s.opening_float), fill="."),
        Pair("Tiền mặt phải có:", money(r.expected_cash), bold=True),
    ]
    if r.counts:
        blocks.append(Text("Kiểm đếm:", bold=True))
        for denom, n in sorted(r.counts.items(), reverse=True):
            blocks.append(Pair(f"  {format_number(denom)} x {n}", format_number(denom * n)))
    if r.counted is not None:
        blocks.append(Pair("Thực đếm:", money(r.counted), bold=True))
    if r.variance is not None:
        sign = "+" if r.variance > 0 else ("-" if r.variance < 0 else "")
        blocks.append(Pair("Chênh lệch:", f"{sign}{money(abs(r.variance))}", bold=True))
    blocks += [
        Rule(),
        Pair("Thu ngân ký", "Quản lý ký"),
        Feed(3),
        Cut(),
    ]
    return Document("shift_report", tuple(blocks), title=title)
