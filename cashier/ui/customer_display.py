"""The customer-facing display: a second screen (or, by setting, a window) that shows the
customer what the counter is doing for them, in Vietnamese and large type.

* idle: the power company, the collection point and "Xin mời quý khách";
* a customer scanned: their code and name, the amount due, what they handed over and the change
  (followed as the cashier types the tendered amount);
* F8 bank transfer: the VietQR code with the exact amount and content (the same payload as the
  printed bill notice, :func:`cashier.core.documents.notice_qr_payload`), bank and account;
* after a payment: the amount paid, the change and the receipt number for ``RECEIPT_MS``.

It follows the counter through the controller's signals (``customer_changed``, ``collected``)
and the tendered field's ``textChanged``; it never shows the cashier's name, the banner's hints
or errors meant for the cashier. Its window never takes the keyboard (the scanner's keys must
reach the counter window).

Where it goes: ``customer_display_placement.choose_placement`` (auto / window / off, this
computer's setting); the placement is redone when a screen is attached or removed
(``QGuiApplication.screenAdded/screenRemoved``).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from cashier.core.documents import CompanyInfo, notice_qr_payload
from cashier.core.errors import DomainError
from cashier.core.money import format_vnd
from cashier.core.vietqr import clean_purpose
from cashier.ui.customer_display_pages import (
    LEFT,
    LIGHT_ROLES,
    ROLE_PX,
    BasketLine,
    BasketPage,
    ReceiptPage,
    TransferPage,
    label,
    marks_room,
)
from cashier.ui.customer_display_placement import (
    GEOMETRY_KEY,
    MODE_AUTO,
    MODE_KEY,
    Placement,
    choose_placement,
)
from cashier.ui.qr_view import qr_matrix

log = logging.getLogger(__name__)

#: how long the receipt number stays after a payment (ms)
RECEIPT_MS = 8000


class CustomerDisplay(QWidget):
    """The customer's window; :meth:`place` shows it where :func:`choose_placement` says."""

    def __init__(
        self,
        controller: Any,
        backend: Any,
        settings: QSettings,
        counter: QWidget,
        *,
        tendered_changed: Any = None,
        encode: Callable[[str], list[list[bool]]] = qr_matrix,
    ) -> None:
        # a window of its own, owned by the counter window (deleted with it, never keeps the
        # program running)
        super().__init__(counter, Qt.WindowType.Window | Qt.WindowType.WindowDoesNotAcceptFocus)
        self.setObjectName("customer_display")
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWindowTitle(self.tr("Màn hình khách hàng"))
        self.setStyleSheet("#customer_display { background: #0d3b66; }")
        self.controller, self.backend, self.settings, self.counter = controller, backend, settings, counter
        self.company = CompanyInfo()
        self.mode = MODE_AUTO
        self.placement: Placement | None = None
        #: what the page shows: idle | customer | transfer | receipt
        self.phase = "idle"
        self.due = 0
        #: times the keyboard was handed back to the counter (a platform activated this window)
        self.handed_back = 0
        self.receipt_timer = QTimer(self)
        self.receipt_timer.setSingleShot(True)
        self.receipt_timer.timeout.connect(self._after_receipt)
        self._build(encode)

        controller.customer_changed.connect(self._on_customer)
        controller.collected.connect(self._on_collected)
        if tendered_changed is not None:
            tendered_changed.connect(lambda *_: self._paint_tendered())
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):  # always, in the window; a bare core app has no screens
            app.screenAdded.connect(self._screens_changed)
            app.screenRemoved.connect(self._screens_changed)
        counter.installEventFilter(self)
        self.apply_settings(place=False)
        self.show_idle()

    # -- layout ----------------------------------------------------------------------------
    def _build(self, encode: Callable[[str], list[list[bool]]]) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(24, 14, 24, 14)
        self.header = label("header", "#ffd166")
        self.subheader = label("sub", "#e0e7ef")
        root.addWidget(self.header)
        root.addWidget(self.subheader)
        self.pages = QStackedWidget()
        root.addWidget(self.pages, 1)

        idle = QWidget()
        lay = QVBoxLayout(idle)
        self.hello = label("hello")
        self.hello_hint = label("text", "#e0e7ef")
        lay.addStretch(1)
        lay.addWidget(self.hello)
        lay.addWidget(self.hello_hint)
        lay.addStretch(1)
        self.idle_page = idle

        cust = QWidget()
        grid = QGridLayout(cust)
        self.customer_line = label("name")
        self.status_line = label("text", "#ffd166")
        grid.addWidget(self.customer_line, 0, 0, 1, 2)
        grid.addWidget(self.status_line, 1, 0, 1, 2)
        left, right = LEFT, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        self.amount_labels: dict[str, QLabel] = {}
        for row, (key, colour) in enumerate((("due", "#ffffff"), ("tendered", "#e0e7ef"), ("change", "#9ef01a")), 2):
            name = label("label", "#e0e7ef", left)
            value = label("amount", colour, right)
            value.setObjectName(f"customer_{key}")
            grid.addWidget(name, row, 0)
            grid.addWidget(value, row, 1)
            self.amount_labels[key] = value
            self.amount_labels[key + "_name"] = name
        grid.setColumnStretch(1, 1)
        self.customer_page = cust

        transfer = TransferPage(encode)  # F8 (the whole amount) and Shift+F8 (a split)
        self.qr, self.transfer_title = transfer.qr, transfer.title
        self.transfer_amount, self.transfer_details = transfer.amount, transfer.details
        self.transfer_page = transfer

        done = ReceiptPage()  # after a payment
        self.done_title, self.done_amount, self.done_lines = done.title, done.amount, done.lines
        self.done_receipt = done.receipt
        self.receipt_page = done
        self.basket_page = BasketPage()  # Shift+F2: one payer, several customers
        for page in (idle, cust, transfer, done, self.basket_page):
            # the fonts follow the window's size (resizeEvent): no page holds the window bigger
            page.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
            self.pages.addWidget(page)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 (Qt API)
        scale = max(0.6, min(self.width() / 800, self.height() / 480))
        for lbl in self.findChildren(QLabel):
            role = lbl.property("role")
            if role in ROLE_PX:
                font = QFont(lbl.font())
                font.setPixelSize(int(ROLE_PX[role] * scale))
                font.setBold(role not in LIGHT_ROLES)
                lbl.setFont(font)
                lbl.setContentsMargins(0, marks_room(font), 0, 0)
        self.qr.setMinimumSize(int(260 * scale), int(260 * scale))
        super().resizeEvent(event)

    def texts(self) -> list[str]:
        """Every text the customer can see now (tests)."""
        page = self.pages.currentWidget()
        labels = page.findChildren(QLabel) if page is not None else []
        return [w.text() for w in (self.header, self.subheader, *labels) if w.text()]

    # -- settings and placement ------------------------------------------------------------
    def apply_settings(self, place: bool = True) -> None:
        self.mode = str(self.settings.value(MODE_KEY, MODE_AUTO) or MODE_AUTO)
        try:
            self.company = self.backend.company()
        except Exception:  # noqa: BLE001 (the example header is shown; logged)
            log.exception("company for the customer display")
        self.header.setText(self.company.company)
        self.subheader.setText(" — ".join(x for x in (self.company.unit, self.company.collection_point) if x))
        if place:
            self.place()

    def place(self) -> None:
        """Show the display where it belongs now (or hide it)."""
        if not self.counter.isVisible():
            return
        screens = QGuiApplication.screens()
        placement = choose_placement(screens, self.counter.screen(), self.mode)
        self.placement = placement
        if placement is None:
            self.hide()
            return
        self.setScreen(placement.screen)
        geo = placement.screen.geometry()
        if placement.fullscreen:
            self.setGeometry(geo)
            self.showFullScreen()
        else:
            saved = self.settings.value(GEOMETRY_KEY)
            if saved is None or not self.restoreGeometry(saved) or not geo.intersects(self.geometry()):
                self.setGeometry(geo.x() + 40, geo.y() + 40, min(800, geo.width() - 80), min(480, geo.height() - 80))
            self.showNormal()
        log.info(
            "customer display on %s %dx%d %s", placement.screen.name(), geo.width(), geo.height(),
            "full screen" if placement.fullscreen else "window",
        )

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        # a platform that activates every new window (offscreen, some window managers) gets the
        # keyboard handed back at once: to the dialog open on the counter, else the counter
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            QTimer.singleShot(0, self, self._give_keyboard_back)
        super().changeEvent(event)

    def _give_keyboard_back(self) -> None:
        target = QApplication.activeModalWidget() or self.counter
        if self.isActiveWindow() and target.isVisible():
            target.activateWindow()
            self.handed_back += 1
            log.info("keyboard handed back from the customer display")

    def _screens_changed(self, _screen: Any) -> None:
        QTimer.singleShot(0, self, self.place)  # once Qt has moved its windows off a removed one

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if obj is self.counter:
            if event.type() == QEvent.Type.Show:
                QTimer.singleShot(0, self, self.place)
            elif event.type() == QEvent.Type.Close:
                self.shut()
        return False

    def shut(self) -> None:
        if self.isVisible() and self.placement is not None and not self.placement.fullscreen:
            self.settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        self.receipt_timer.stop()
        self.close()

    # -- pages -----------------------------------------------------------------------------
    def show_idle(self) -> None:
        self.phase = "idle"
        self.receipt_timer.stop()
        self.hello.setText(self.tr("Xin mời quý khách"))
        self.hello_hint.setText(self.tr("Vui lòng đưa thẻ khách hàng hoặc giấy báo tiền điện cho thu ngân"))
        self.pages.setCurrentWidget(self.idle_page)

    def _on_customer(self, lookup: Any, state: Any) -> None:
        if lookup is None:
            self.show_idle()
            return
        self.receipt_timer.stop()
        self.phase = "customer"
        c = lookup.customer
        self.customer_line.setText(f"{c.code} — {c.name}")
        collectable = state is not None and state.collectable
        self.due = state.due if collectable else 0
        if collectable:
            text = self.tr("{n} hóa đơn tiền điện").format(n=len(lookup.unpaid))
            if state.fee:
                text += " " + self.tr("và phí đóng điện {fee}").format(fee=format_vnd(state.fee))
        else:
            kind = state.kind if state is not None else "nothing"
            text = {
                "collected": self.tr("Hóa đơn đã được thanh toán tại quầy"),
                "paid_elsewhere": self.tr("Hóa đơn đã được thanh toán nơi khác (ngân hàng/ví điện tử)"),
            }.get(kind, self.tr("Quý khách không còn nợ tiền điện"))
        self.status_line.setText(text)
        self.amount_labels["due_name"].setText(self.tr("SỐ TIỀN PHẢI TRẢ"))
        self.amount_labels["due"].setText(format_vnd(self.due))
        self._paint_tendered()
        self.pages.setCurrentWidget(self.customer_page)

    def _tendered(self) -> int | None:
        provider = getattr(self.controller, "tendered_provider", None)
        if provider is None:
            return None
        try:
            return provider()
        except ValueError:
            return None

    def _paint_tendered(self) -> None:
        names, due, tendered = self.amount_labels, self.due, self._tendered()
        names["tendered_name"].setText(self.tr("KHÁCH ĐƯA"))
        names["tendered"].setText(format_vnd(tendered) if tendered is not None and due else "—")
        change = (tendered - due) if tendered is not None and due else 0
        if change < 0:
            names["change_name"].setText(self.tr("CÒN THIẾU"))
            names["change"].setText(format_vnd(-change))
            names["change"].setStyleSheet("color: #ff8fa3;")
        else:
            names["change_name"].setText(self.tr("TIỀN THỪA"))
            names["change"].setText(format_vnd(change))
            names["change"].setStyleSheet("color: #9ef01a;")

    @contextlib.contextmanager
    def transfer(self, customer_code: str, amount: int) -> Iterator[None]:
        """While the F8 dialog is open: the VietQR code for ``amount``; back to the customer
        page after (the receipt page when the transfer was recorded)."""
        self.show_transfer(customer_code, amount)
        try:
            yield
        finally:
            self._back_from("transfer")

    @contextlib.contextmanager
    def split(self, customer_code: str, plan: Any) -> Iterator[None]:
        """While the Shift+F8 dialog has a plan: :meth:`show_split`; back after, as ``transfer``."""
        self.show_split(customer_code, plan)
        try:
            yield
        finally:
            self._back_from("split")

    def _back_from(self, phase: str) -> None:
        """The page of the counter's customer again, unless a payment replaced ``phase``."""
        if self.phase == phase:
            self._on_customer(self.controller.lookup, self.controller.state)

    def transfer_payload(self, customer_code: str, amount: int) -> str:
        """The VietQR string shown for the transfer ("" when no valid bank account is set)."""
        try:
            return notice_qr_payload(self.company, customer_code, amount) or ""
        except DomainError as exc:
            log.warning("no VietQR on the customer display: %s", exc)
            return ""

    def show_transfer(self, customer_code: str, amount: int) -> None:
        self._paint_transfer(customer_code, amount, "transfer")
        self.transfer_page.paint_whole(amount)

    def show_split(self, customer_code: str, plan: Any) -> None:
        """A split payment (``plan``: total, transfer, cash, cash_tendered, change - the split
        dialog's SplitPlan): the VietQR of the exact transfer part, and the cash part with what
        was handed over and the change (out of the cash part only)."""
        self._paint_transfer(customer_code, plan.transfer, "split")
        self.transfer_page.paint_split(plan)

    def _paint_transfer(self, customer_code: str, amount: int, phase: str) -> None:
        self.receipt_timer.stop()
        self.phase = phase
        payload = self.transfer_payload(customer_code, amount)
        self.qr.set_payload(payload)
        self.transfer_page.paint_payload(payload, clean_purpose(f"TIEN DIEN {customer_code}"), self.company)
        self.pages.setCurrentWidget(self.transfer_page)

    # -- basket (Shift+F2) -----------------------------------------------------------------
    def show_basket(self, lines: Sequence[BasketLine], tendered: int | None) -> None:
        """The basket as it fills: each customer with its amount, the total, KHÁCH ĐƯA (None:
        nothing typed, exact money) and the change or what is missing."""
        self.receipt_timer.stop()
        self.phase = "basket"
        self.basket_page.paint_filling(lines, tendered)
        self.pages.setCurrentWidget(self.basket_page)

    def show_basket_paid(self, result: Any) -> None:
        """``result``: the BasketResult (its payments in basket order, one receipt each)."""
        b = result.basket
        lines = [BasketLine(p.customer.code, p.customer.name, p.total, p.receipt_no) for p in result.payments]
        self.phase = "receipt"
        self.basket_page.paint_paid(lines, b.code, b.tendered, b.change)
        self.pages.setCurrentWidget(self.basket_page)
        self.receipt_timer.start(RECEIPT_MS)

    def basket_closed(self) -> None:
        """The basket dialog closed without a payment: the counter's customer (or idle) again."""
        self._back_from("basket")

    def _on_collected(self, payment: Any) -> None:
        self.phase = "receipt"
        self.receipt_page.paint(payment)
        self.pages.setCurrentWidget(self.receipt_page)
        self.receipt_timer.start(RECEIPT_MS)

    def _after_receipt(self) -> None:
        state = self.controller.state
        if self.controller.lookup is not None and state is not None and state.collectable:
            self._on_customer(self.controller.lookup, state)  # bills left (F7 took some)
        else:
            self.show_idle()
