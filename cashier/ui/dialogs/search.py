"""F3: find a customer by code, name or address."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from cashier.core.errors import DomainError
from cashier.ui import tasks
from cashier.ui.dialogs.base import BaseDialog, buttons
from cashier.ui.models import SearchModel
from cashier.ui.widgets import big_font, make_table


class SearchDialog(BaseDialog):
    """F3: code, name or address, with or without diacritics; results as you type.

    With a task runner the queries run on their own lane (a common prefix over 600k customers can
    take a few hundred ms: typing never waits for it); only the newest query's results are shown,
    and Enter pressed before they arrive picks from them when they do.
    """

    SEARCH_LANE = tasks.SEARCH
    #: rows shown; one more is fetched to know whether there are more (never a full count)
    PAGE = 100

    def __init__(
        self,
        backend: Any,
        parent: QWidget | None = None,
        *,
        delay_ms: int = 120,
        runner: tasks.TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.backend = backend
        self.runner = runner
        self.picked: str | None = None
        self.shown_for: str | None = None  # the query the table's rows answer
        self._running = False
        self._pending: str | None = None
        self._accept_when_done = False
        self.setWindowTitle(self.tr("Tìm khách hàng"))
        self.resize(1100, 560)
        lay = QVBoxLayout(self)
        self.query = QLineEdit()
        self.query.setObjectName("query")
        self.query.setFont(big_font(16, bold=False))
        self.query.setPlaceholderText(
            self.tr("Mã KH, tên hoặc địa chỉ (gõ có dấu hoặc không dấu), ↓ để chọn, Enter để lấy")
        )
        lay.addWidget(self.query)
        self.model = SearchModel(self)
        self.table = make_table(self.model, stretch=2)
        lay.addWidget(self.table, 1)
        self.count_label = QLabel()
        lay.addWidget(self.count_label)
        lay.addWidget(self.error)
        lay.addWidget(buttons(self, self.tr("Chọn (Enter)")))
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.run_search)
        self.query.textChanged.connect(lambda _t: self._timer.start())
        self.table.doubleClicked.connect(lambda _i: self.accept())
        self.query.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        # arrow keys in the search box move the selection in the table
        if obj is self.query and event.type() == event.Type.KeyPress and event.key() in (
            Qt.Key.Key_Down,
            Qt.Key.Key_Up,
            Qt.Key.Key_PageDown,
            Qt.Key.Key_PageUp,
        ):
            self.table.setFocus()
            self.table.keyPressEvent(event)
            self.query.setFocus()
            return True
        return super().eventFilter(obj, event)

    @property
    def busy(self) -> bool:
        return self._running or self._pending is not None or self._timer.isActive()

    def run_search(self) -> None:
        self._timer.stop()
        text = self.query.text().strip()
        self.error.clear()
        if len(text) < 2:
            self._pending = None
            self._show(text, [])
            return
        if self.runner is None:
            try:
                hits = self.backend.search(text, self.PAGE + 1)
            except Exception as exc:  # noqa: BLE001
                self.show_error(exc)
                return
            self._show(text, hits)
            return
        self._pending = text
        self._kick()

    def _kick(self) -> None:
        if self._running or self._pending is None or self.runner is None:
            return
        text, self._pending = self._pending, None
        self._running = True
        self.runner.run(
            lambda: self.backend.search(text, self.PAGE + 1),
            lambda hits: self._arrived(text, hits),
            self._failed,
            lane=self.SEARCH_LANE,
            name="search",
        )

    def _arrived(self, text: str, hits: list) -> None:
        self._running = False
        if self._pending is None and text == self.query.text().strip():
            self._show(text, hits)
            if self._accept_when_done:
                self._accept_when_done = False
                self.accept()
                return
        self._kick()

    def _failed(self, exc: BaseException) -> None:
        self._running = False
        self._accept_when_done = False
        self.show_error(exc)
        self._kick()

    def _show(self, text: str, hits: list) -> None:
        self.shown_for = text
        more = len(hits) > self.PAGE
        hits = hits[: self.PAGE]
        self.model.set_rows(hits)
        if hits:
            self.table.selectRow(0)
        if len(text) < 2:
            self.count_label.setText("")
            return
        if more:
            self.count_label.setText(
                self.tr("{n} kết quả đầu tiên — còn nhiều hơn {n}: gõ thêm để thu hẹp").format(n=self.PAGE)
            )
        else:
            self.count_label.setText(self.tr("{n} kết quả").format(n=len(hits)))

    def accept_scan(self, raw: str) -> bool:
        # a card scanned while searching is the customer the cashier was looking for
        try:
            lookup = self.backend.lookup(raw)  # customer code (IME-repaired) or card code
        except DomainError as exc:
            self.show_error(exc)
            return True  # said here; nothing typed into the search box
        self.picked = lookup.customer.code
        super().accept()
        return True

    def accept(self) -> None:
        if self._timer.isActive() or self._pending is not None or self._running:
            if self._timer.isActive():
                self.run_search()
            if self.busy:  # Enter before the results of what was typed: pick when they arrive
                self._accept_when_done = True
                return
        idx = self.table.currentIndex()
        row = idx.row() if idx.isValid() else (0 if self.model.rowCount() == 1 else -1)
        if row < 0:
            self.show_error(self.tr("Chưa chọn khách hàng: dùng ↓ ↑ để chọn rồi Enter."))
            return
        self.picked = self.model.row(row).code
        super().accept()
