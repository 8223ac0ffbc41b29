"""Rendering the day report (implements ``services.report_service.ReportWriter``).

``.xlsx``: one sheet per section, typed cells (text never becomes a formula), bar chart of the
day by hour and a pie chart by method. ``.txt``: the same as printable fixed-width text.
``.csv``: the unpaid customers with phone numbers for the SMS notice service (UTF-8 with BOM).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, PieChart, Reference
from openpyxl.styles import Font

from cashier.core.money import format_number
from cashier.export.clearing_file import csv_guard
from cashier.export.xlsx import encode_text
from cashier.services.output_paths import atomic_write

METHOD_VI = {"cash": "Tiền mặt", "transfer": "Chuyển khoản", "mixed": "Tiền mặt + chuyển khoản"}

SECTIONS: list[tuple[str, str, list[tuple[str, str]]]] = [
    # key, sheet title, [(header, kind)]  kind: t text, n integer
    ("by_cashier", "Theo thu ngân", [("Mã thu ngân", "t"), ("Tài khoản", "t"), ("Họ tên", "t"), ("Số giao dịch", "n"),
                                      ("Tổng tiền", "n"), ("Tiền mặt", "n"), ("Chuyển khoản", "n")]),
    ("by_method", "Theo hình thức", [("Hình thức", "t"), ("Số giao dịch", "n"), ("Tổng tiền", "n")]),
    ("by_hour", "Theo giờ", [("Giờ", "n"), ("Số giao dịch", "n"), ("Tổng tiền", "n")]),
    ("shifts", "Ca - Z", [("Ca", "n"), ("Thu ngân", "t"), ("Họ tên", "t"), ("Mở ca", "t"), ("Đóng ca", "t"),
                          ("Số Z", "n"), ("Tiền đầu ca", "n"), ("Tiền mặt thu", "n"), ("Chuyển khoản", "n"),
                          ("Số giao dịch", "n"), ("Tiền mặt phải có", "n"), ("Tiền mặt kiểm đếm", "n"),
                          ("Chênh lệch", "n")]),
    ("voids", "Hủy biên nhận", [("Biên nhận", "t"), ("Mã KH", "t"), ("Số tiền", "n"), ("Thời điểm", "t"),
                                ("Lý do", "t"), ("Người hủy", "t")]),
    ("debt_by_book", "Nợ theo sổ GCS", [("Sổ GCS", "t"), ("Số khách hàng", "n"), ("Số hóa đơn", "n"),
                                         ("Tổng nợ", "n")]),
    ("reconnections", "Lệnh đóng điện", [("Số lệnh", "n"), ("Mã KH", "t"), ("Tên KH", "t"), ("Địa chỉ", "t"),
                                          ("Điện thoại", "t"), ("Sổ GCS", "t"), ("Biên nhận", "t"), ("Phí", "n"),
                                          ("Thời điểm", "t"), ("Trạng thái", "t")]),
]
UNPAID_HEADER = [("MA_KHANG", "t"), ("TEN_KHANG", "t"), ("DIA_CHI", "t"), ("SO_DTHOAI", "t"), ("MA_SOGCS", "t"),
                 ("SO_HDON_NO", "n"), ("TONG_NO", "n")]


def _put(ws, row: int, col: int, value: Any, kind: str, bold: bool = False) -> None:
    cell = ws.cell(row=row, column=col)
    if kind == "n" and isinstance(value, int) and not isinstance(value, bool):
        cell.value = value
        cell.number_format = "#,##0"
    elif value is None:
        return
    else:
        cell._value = encode_text(str(value))[0]  # always a text cell, never a formula
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)


def _display(key: str, row: tuple) -> tuple:
    if key == "by_method":
        return (METHOD_VI.get(row[0], row[0]), *row[1:])
    return row


class ReportWriter:
    def write(self, report, path: Path, *, overwrite: bool = False) -> Path:
        """Write the report at ``path`` atomically (temporary name, fsync, rename): a full disk
        leaves no half (or 0-byte) file; an existing file is replaced only with ``overwrite``."""
        path = Path(path)
        suffix = path.suffix.lower()
        with atomic_write(path, overwrite=overwrite) as fh:
            if suffix == ".csv":
                fh.write(self._csv(report))
            elif suffix == ".txt":
                fh.write(self.text(report).encode("utf-8"))
            else:
                # built in memory, then written: a full disk fails on our write, not inside the
                # zip writer (whose half-closed archive would complain again at garbage collection)
                buf = io.BytesIO()
                self._xlsx(report, buf)
                fh.write(buf.getvalue())
        return path

    def _csv(self, report) -> bytes:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow([h for h, _ in UNPAID_HEADER])
        for r in report.unpaid:
            w.writerow([v if isinstance(v, int) else csv_guard(str(v or "")) for v in r])
        return buf.getvalue().encode("utf-8-sig")

    def _xlsx(self, report, path) -> None:
        wb = Workbook()
        ws = wb.active
        ws.title = "Tổng hợp"
        summary = report.summary()
        lines = [("Ngày", report.date, "t"), ("Điểm thu", report.station, "t"),
                 ("Số giao dịch", summary["payments"], "n"), ("Tổng thu", summary["total"], "n"),
                 ("Không dùng tiền mặt", summary["cashless_total"], "n"),
                 ("Tỷ lệ không dùng tiền mặt (%)", f"{summary['cashless_share'] * 100:.1f}", "t"),
                 ("Lập lúc", report.generated_at, "t")]
        for i, (label, value, kind) in enumerate(lines, 1):
            _put(ws, i, 1, label, "t", bold=True)
            _put(ws, i, 2, value, kind)
        ws.column_dimensions["A"].width = 32
        ws.column_dimensions["B"].width = 28
        sheets = {}
        for key, title, header in SECTIONS:
            sh = wb.create_sheet(title)
            sheets[key] = sh
            for c, (h, _) in enumerate(header, 1):
                _put(sh, 1, c, h, "t", bold=True)
                sh.column_dimensions[sh.cell(row=1, column=c).column_letter].width = max(12, len(h) + 4)
            for r, row in enumerate(report.sections.get(key, []), 2):
                for c, ((_, kind), value) in enumerate(zip(header, _display(key, row), strict=False), 1):
                    _put(sh, r, c, value, kind)
        by_hour = sheets["by_hour"]
        n = len(report.sections.get("by_hour", []))
        if n:
            chart = BarChart()
            chart.title = "Tiền thu theo giờ"
            chart.add_data(Reference(by_hour, min_col=3, min_row=1, max_row=n + 1), titles_from_data=True)
            chart.set_categories(Reference(by_hour, min_col=1, min_row=2, max_row=n + 1))
            by_hour.add_chart(chart, "E2")
        by_method = sheets["by_method"]
        n = len(report.sections.get("by_method", []))
        if n:
            pie = PieChart()
            pie.title = "Theo hình thức thanh toán"
            pie.add_data(Reference(by_method, min_col=3, min_row=1, max_row=n + 1), titles_from_data=True)
            pie.set_categories(Reference(by_method, min_col=1, min_row=2, max_row=n + 1))
            by_method.add_chart(pie, "E2")
        unpaid = wb.create_sheet("KH còn nợ")
        for c, (h, _) in enumerate(UNPAID_HEADER, 1):
            _put(unpaid, 1, c, h, "t", bold=True)
        for r, row in enumerate(report.unpaid, 2):
            for c, ((_, kind), value) in enumerate(zip(UNPAID_HEADER, row, strict=True), 1):
                _put(unpaid, r, c, value, kind)
        wb.save(path)

    def text(self, report) -> str:
        s = report.summary()
        out = [f"BÁO CÁO THU NGÀY {report.date} - ĐIỂM THU {report.station}", "=" * 64,
               f"Số giao dịch: {s['payments']}   Tổng thu: {format_number(s['total'])} đ",
               f"Không dùng tiền mặt: {format_number(s['cashless_total'])} đ ({s['cashless_share'] * 100:.1f}%)", ""]
        for key, title, header in SECTIONS:
            rows = report.sections.get(key, [])
            out.append(title.upper())
            out.append("-" * 64)
            if not rows:
                out.append("  (không có)")
            for row in rows:
                cells = []
                for (_, kind), v in zip(header, _display(key, row), strict=False):
                    cells.append(format_number(v) if kind == "n" and isinstance(v, int) else str(v if v is not None else ""))
                out.append("  " + " | ".join(cells))
            out.append("")
        out.append(f"Lập lúc {report.generated_at}")
        return "\n".join(out) + "\n"
