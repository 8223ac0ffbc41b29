"""The manager's dashboard for the day: collected per hour, per cashier, by method (QtCharts)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import QLocale, QMargins, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QDialog, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from cashier.core.day_figures import day_figures
from cashier.core.money import format_number, format_vnd
from cashier.ui.i18n import error_text
from cashier.ui.models import method_text
from cashier.ui.widgets import big_font

log = logging.getLogger(__name__)

FIRST_HOUR, LAST_HOUR = 6, 20


@dataclass
class DayFigures:
    """The numbers behind the charts (pure: computed from Payment objects)."""

    total: int = 0
    receipts: int = 0
    bills: int = 0
    voided: int = 0
    voided_total: int = 0
    per_hour: dict[int, int] = field(default_factory=dict)
    per_cashier: dict[str, int] = field(default_factory=dict)
    per_method: dict[str, int] = field(default_factory=dict)


def figures(payments: list[Any]) -> DayFigures:
    """The dashboard's numbers, from the one day-figure aggregation (cashier.core.day_figures)."""
    f = day_figures(payments)
    return DayFigures(
        total=f.total, receipts=f.receipts, bills=f.bills, voided=f.voided, voided_total=f.voided_total,
        per_hour={h: x.total for h, x in f.by_hour.items()}, per_cashier=f.cashier_labels(),
        per_method=dict(f.amount_by_method),
    )


def _millions(amount: int) -> float:
    return round(amount / 1_000_000, 1)


class DashboardDialog(QDialog):
    def __init__(self, backend: Any, parent: QWidget | None = None, *, day: date | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.setWindowTitle(self.tr("Bảng điều khiển trong ngày"))
        # 1200x800 where the screen has room; never bigger than the screen (1366x768, 1024x768)
        avail = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        self.resize(min(1200, avail.width() - 20), min(800, avail.height() - 40))
        lay = QVBoxLayout(self)
        user = getattr(parent, "user", None)
        try:
            payments = backend.payments_on(user, day)
            self.error = ""
        except Exception as exc:  # noqa: BLE001
            payments = []
            self.error = error_text(exc)
        self.figures = f = figures(payments)
        kpis = QGridLayout()
        for col, (label, value) in enumerate(
            (
                (self.tr("Đã thu hôm nay"), format_vnd(f.total)),
                (self.tr("Số biên nhận"), format_number(f.receipts)),
                (self.tr("Số hóa đơn"), format_number(f.bills)),
                (self.tr("Đã hủy"), f"{f.voided} ({format_vnd(f.voided_total)})"),
            )
        ):
            title = QLabel(label)
            title.setStyleSheet("color: #546e7a;")
            number = QLabel(value)
            number.setFont(big_font(22))
            kpis.addWidget(title, 0, col)
            kpis.addWidget(number, 1, col)
        lay.addLayout(kpis)
        if self.error:
            err = QLabel(self.error)
            err.setStyleSheet("color: #b00020; font-weight: bold;")
            lay.addWidget(err)
        grid = QGridLayout()
        self.hour_chart = self._hour_chart(f)
        self.cashier_chart = self._cashier_chart(f)
        self.method_chart = self._method_chart(f)
        grid.addWidget(self._view(self.hour_chart), 0, 0, 1, 2)
        grid.addWidget(self._view(self.cashier_chart), 1, 0)
        grid.addWidget(self._view(self.method_chart), 1, 1)
        lay.addLayout(grid, 1)
        close = QPushButton(self.tr("Đóng (Esc)"))
        close.clicked.connect(self.accept)
        lay.addWidget(close)

    @staticmethod
    def _view(chart: QChart) -> QChartView:
        view = QChartView(chart)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setMinimumHeight(200)
        return view

    def _chart(self, title: str) -> QChart:
        chart = QChart()
        chart.setTitle(title)
        font = big_font(13)
        chart.setTitleFont(font)
        chart.setMargins(QMargins(6, 6, 6, 6))
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.setLocalizeNumbers(True)  # 1,5 in Vietnamese: "1.500" would read as fifteen hundred
        chart.setLocale(QLocale())
        return chart

    def _hour_chart(self, f: DayFigures) -> QChart:
        chart = self._chart(self.tr("Tiền thu theo giờ (triệu đồng)"))
        hours = list(range(FIRST_HOUR, LAST_HOUR + 1))
        extra = sorted(h for h in f.per_hour if h not in hours)
        hours = sorted(set(hours) | set(extra))
        bars = QBarSet(self.tr("Đã thu"))
        bars.setColor(QColor("#1565c0"))
        for h in hours:
            bars.append(_millions(f.per_hour.get(h, 0)))
        series = QBarSeries()
        series.append(bars)
        series.setLabelsVisible(True)
        series.setLabelsFormat("@value")
        series.setLabelsPrecision(2)
        chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        axis_x.append([f"{h}h" for h in hours])
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_x)
        axis_y = QValueAxis()
        axis_y.setLabelFormat("%.1f")
        axis_y.setRange(0, max([_millions(v) for v in f.per_hour.values()] + [1.0]) * 1.15)
        axis_y.applyNiceNumbers()
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_y)
        chart.legend().setVisible(False)
        return chart

    def _cashier_chart(self, f: DayFigures) -> QChart:
        chart = self._chart(self.tr("Theo thu ngân (triệu đồng)"))
        bars = QBarSet(self.tr("Đã thu"))
        bars.setColor(QColor("#2e7d32"))
        names = list(f.per_cashier) or [self.tr("(chưa có)")]
        for name in names:
            bars.append(_millions(f.per_cashier.get(name, 0)))
        series = QHorizontalBarSeries()
        series.append(bars)
        series.setLabelsVisible(True)
        chart.addSeries(series)
        axis_y = QBarCategoryAxis()
        axis_y.append(names)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_y)
        axis_x = QValueAxis()
        axis_x.setLabelFormat("%.1f")
        axis_x.setRange(0, max([_millions(v) for v in f.per_cashier.values()] + [1.0]) * 1.2)
        axis_x.applyNiceNumbers()
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_x)
        chart.legend().setVisible(False)
        return chart

    def _method_chart(self, f: DayFigures) -> QChart:
        chart = self._chart(self.tr("Theo hình thức thanh toán"))
        series = QPieSeries()
        colours = {"cash": "#f9a825", "transfer": "#6a1b9a"}
        total = sum(f.per_method.values())
        for method, amount in sorted(f.per_method.items()):
            share = 100 * amount / total if total else 0
            sl = series.append(f"{method_text(method)}: {format_vnd(amount)} ({share:.0f}%)", amount)
            sl.setColor(QColor(colours.get(method, "#78909c")))
            sl.setLabelVisible(True)
        if not f.per_method:
            sl = series.append(self.tr("Chưa có khoản thu"), 1)
            sl.setColor(QColor("#cfd8dc"))
            sl.setLabelVisible(True)
        series.setPieSize(0.6)
        chart.addSeries(series)
        chart.legend().setVisible(False)  # the slices carry their labels
        return chart
