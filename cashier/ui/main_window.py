"""The main window: counter screen, F-key bar, status bar; routes scans and keys.

Its flows are its base classes, one module each: ``shift_flows`` (F9: login, shift),
``receipt_flows`` (F4 notice, F5 reprint, F6 void), ``manager_flows`` (F10) and
``window_status`` (status bar, printer and scanner state, notices and alerts).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

from cashier import __version__
from cashier.core.errors import DomainError
from cashier.ui import actions, tasks
from cashier.ui.basket import open_basket
from cashier.ui.counter import CONFIRM_SCAN, CounterController
from cashier.ui.counter_view import CounterView
from cashier.ui.customer_display import CustomerDisplay
from cashier.ui.dialogs.help import HelpDialog
from cashier.ui.dialogs.orders import OrdersDialog
from cashier.ui.dialogs.payment import SelectBillsDialog, TransferDialog
from cashier.ui.dialogs.search import SearchDialog
from cashier.ui.feedback import Feedback
from cashier.ui.focus import FocusKeeper
from cashier.ui.i18n import error_text
from cashier.ui.lock_screen import install_lock
from cashier.ui.manager_flows import ManagerFlows
from cashier.ui.partial_payment import open_partial_payment
from cashier.ui.receipt_flows import ReceiptFlows
from cashier.ui.scan_detector import ScanDetector
from cashier.ui.session import SessionController
from cashier.ui.shift_flows import ShiftFlows
from cashier.ui.split_payment import open_split_payment
from cashier.ui.widgets import FKeyButton
from cashier.ui.window_status import WindowStatus

log = logging.getLogger(__name__)


class MainWindow(ReceiptFlows, ManagerFlows, WindowStatus, ShiftFlows):
    """Counter screen + F-keys + status bar. Needs a logged-in user and an open shift to
    collect; without them, scans still show customers (read-only)."""

    #: emitted when the counter is ready for the next customer (after start and after each
    #: payment); used by tests and the benchmark
    ready = Signal()

    def __init__(
        self,
        backend: Any,
        runner: tasks.TaskRunner,
        detector: ScanDetector,
        feedback: Feedback,
        settings: QSettings,
        *,
        status_note: str = "",
    ) -> None:
        super().__init__()
        self.setObjectName("main")
        self.backend = backend
        self.runner = runner
        self.detector = detector
        self.feedback = feedback
        self.settings = settings
        self.setWindowTitle(self.tr("Quầy thu tiền điện") + f" — {__version__}")
        self.controller = CounterController(backend, runner, self)
        self.session = SessionController(backend, runner, self)  # login, shift rules (session.py)
        self.session.changed.connect(self._on_session)
        self.controller.confirm_rule = str(settings.value("counter/confirm", "both"))
        self.view = CounterView(self.controller)
        self.controller.tendered_provider = self.view.tendered
        # the customer's screen (a second monitor, or a window by setting): follows the controller
        self.customer_display = CustomerDisplay(
            self.controller, backend, settings, self, tendered_changed=self.view.tendered_edit.textChanged
        )
        central = QWidget()
        central.setObjectName("central")
        lay = QVBoxLayout(central)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.view, 1)
        lay.addLayout(self._build_fkeys())
        self.setCentralWidget(central)
        self.feedback.set_flash_target(self.view)
        self._build_status(status_note)

        self.controller.notice.connect(self._on_notice)
        self.controller.print_state.connect(self._on_print_state)
        self.controller.payments_changed.connect(self.refresh_payments)
        self.detector.scanned.connect(self.on_scan)
        # a fast burst typed into a text field that is no code stays there as typed
        self.detector.classifier = backend.is_scan_code
        # while locked the keyboard goes to the lock screen's password field
        self.focus_keeper = FocusKeeper(self, lambda: self._lock_focus() or self.view.tendered_edit)
        self.detector.receiving.connect(self._on_receiving)
        self.runner.failed.connect(lambda name, exc: self.alert(error_text(exc)))

        geometry = settings.value("window/geometry")
        #: first start on this computer: fill the screen (run_gui shows it maximized)
        self.first_start = geometry is None
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            avail = self.screen().availableGeometry()
            self.resize(min(1280, avail.width()), min(860, avail.height()))
        self._pending_scan = ""
        self._pending_timer = QTimer(self)
        self._pending_timer.setInterval(150)
        self._pending_timer.timeout.connect(self._show_pending_scan)
        self.controller.clear()
        self.update_session()
        self.lock = install_lock(self, settings)  # Ctrl+L, idle auto-lock (lock_screen.py)
        self.lock.changed.connect(self._on_lock_changed)

    def _on_lock_changed(self, locked: bool) -> None:
        if locked:  # the customer's screen shows nobody's bills either
            self.customer_display.show_idle()

    def _lock_focus(self) -> Any:
        lock = getattr(self, "lock", None)
        return lock.screen.focus_target() if lock is not None else None

    # -- layout ----------------------------------------------------------------------------
    def _build_fkeys(self) -> QHBoxLayout:
        """Shortcuts and the F-key bar from the actions table (actions.py)."""
        bar = QHBoxLayout()
        bar.setContentsMargins(8, 0, 8, 6)
        bar.setSpacing(4)
        self.fkeys: dict[str, FKeyButton] = {}
        for row in actions.shortcuts():
            slot = getattr(self, row.slot)
            if row.button:
                btn = FKeyButton(row.key, row.text())
                btn.clicked.connect(lambda _checked=False, slot=slot: slot())
                bar.addWidget(btn)
                self.fkeys[row.key] = btn
            action = QAction(row.text(), self)
            action.setShortcut(QKeySequence(row.key))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _checked=False, slot=slot: slot())
            self.addAction(action)
        return bar

    def allowed(self, row: actions.Action) -> bool:
        """May the table's ``row`` run now (its permission, its open shift)? Says why not."""
        if self.lock.locked:
            return False
        if row.permission is not None and not self._require(row.what_text(), row.permission):
            return False
        return not row.needs_shift or self._need_shift()

    # -- session ---------------------------------------------------------------------------
    @property
    def user(self) -> Any:
        return self.controller.user

    @property
    def shift(self) -> Any:
        return self.controller.shift

    def set_session(self, user: Any, shift: Any) -> None:
        """The session as it is now (the lock screen's unlock and switch call this)."""
        self.session.set(user, shift)

    def _on_session(self, user: Any, shift: Any) -> None:
        self.controller.set_session(user, shift)
        self.controller.repaint_banner()  # it says whether a shift is open and what to press
        self.update_session()
        self.refresh_payments()
        self.ready.emit()

    def update_session(self) -> None:
        user, shift = self.controller.user, self.controller.shift
        if user is None:
            self.user_label.setText(self.tr("Chưa đăng nhập"))
        elif shift is None:
            self.user_label.setText(self.tr("{name} — chưa mở ca").format(name=user.full_name))
        else:
            self.user_label.setText(
                self.tr("{name} — ca {shift} từ {time}").format(
                    name=user.full_name, shift=shift.id, time=shift.opened_at.strftime("%H:%M")
                )
            )

    def refresh_payments(self) -> None:
        shift = self.controller.shift
        if shift is None:
            self.view.set_payments([])
            return
        try:
            self.view.set_payments(self.backend.shift_payments(self.controller.user, shift))
        except Exception:  # noqa: BLE001
            log.exception("shift payments")

    # -- scans and keys --------------------------------------------------------------------
    def attach_serial_scanner(self, bridge: Any) -> None:
        """A serial scanner's codes take the same path as the wedge's."""
        self.serial = bridge
        bridge.code.connect(self.on_scan)
        bridge.rejected.connect(self.alert)
        bridge.status.connect(self._on_serial_status)

    def on_scan(self, raw: str) -> None:
        if self.lock.locked:
            return  # locked: no lookup, nothing shown, nothing collected
        t0 = time.perf_counter()
        modal = QApplication.activeModalWidget()
        if modal is not None:
            taker = getattr(modal, "accept_scan", None)
            if taker is not None and taker(raw):
                return
            # nothing typed into the dialog, nothing collected: the customer is shown (never
            # collected) once the dialog is closed
            self.feedback.error()
            self._pending_scan = raw.strip()
            self._pending_timer.start()
            text = self.tr(
                "Đã nhận mã quét \"{code}\" khi đang mở hộp thoại: không nhập vào ô nào; "
                "khách hàng sẽ hiện khi đóng hộp thoại (Esc)."
            ).format(code=raw.strip())
            self.show_message("error", text)
            show_error = getattr(modal, "show_error", None)
            if show_error is not None:  # said where the cashier is looking
                show_error(text)
            return
        popup = QApplication.activePopupWidget()
        if popup is not None:
            popup.close()  # an F9/F10 menu left open
        # a scan goes to the lookup wherever the focus is (never into the tendered amount)
        self.controller.handle_scan(raw, t0)

    def _show_pending_scan(self) -> None:
        if QApplication.activeModalWidget() is not None:
            return
        if self.lock.locked:
            self._pending_timer.stop()
            self._pending_scan = ""
            return
        self._pending_timer.stop()
        raw, self._pending_scan = self._pending_scan, ""
        if not raw:
            return
        try:
            lookup = self.backend.lookup(raw)  # a customer or a card code
        except DomainError as exc:
            self._on_notice("error", error_text(exc))
            return
        # shown only: a held scan never confirms a payment
        self.controller.show_customer(lookup.customer.code, lookup=lookup)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.confirm(via_enter=True)
            return
        super().keyPressEvent(event)

    @actions.checked
    def confirm(self, via_enter: bool = False) -> None:
        """Enter / F2: collect the full amount (or what the cashier typed as tendered)."""
        if self.controller.lookup is None:
            self.show_message("error", self.tr("Chưa có khách hàng: quét thẻ hoặc bấm F3 để tìm."))
            self.feedback.error()
            return
        if via_enter and self.controller.confirm_rule == CONFIRM_SCAN:
            # Enter is not a confirm at this station (F2 still is)
            self.show_message("info", self.tr("Quét lại thẻ (hoặc bấm F2) để thu."))
            return
        try:
            tendered = self.view.tendered()
        except ValueError:
            tendered = None
        self.controller.collect(tendered=tendered)

    # -- actions ---------------------------------------------------------------------------
    def _need_shift(self) -> bool:
        if self.controller.user is None or self.controller.shift is None:
            self.alert(self.tr("Chưa mở ca: bấm F9 để mở ca."))
            return False
        return True

    @actions.checked
    def clear_customer(self) -> None:
        self.controller.clear()

    @actions.checked
    def partial_payment(self) -> Any:
        return open_partial_payment(self)  # F12 (partial_payment.py)

    @actions.checked
    def split_payment(self) -> Any:
        return open_split_payment(self)  # Shift+F8 cash + bank transfer (split_payment.py)

    @actions.checked
    def basket(self) -> Any:
        return open_basket(self)  # Shift+F2 one payer, several customers (basket.py)

    def lock_counter(self) -> None:
        self.lock.lock()  # Ctrl+L: the shortcut is lock_screen.install_lock's

    @actions.checked
    def show_help(self) -> None:
        HelpDialog(self).exec()

    @actions.checked
    def open_search(self) -> None:
        dlg = SearchDialog(self.backend, self, runner=self.runner)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.picked:
            self.controller.show_customer(dlg.picked)

    @actions.checked
    def select_bills(self) -> None:
        lookup, st = self.controller.lookup, self.controller.state
        if lookup is None or st is None or not st.collectable:
            self.show_message("error", self.tr("Không có hóa đơn nợ để chọn."))
            return
        dlg = SelectBillsDialog(self.controller, lookup, self)
        dlg.exec()

    @actions.checked
    def transfer(self) -> None:
        lookup, st = self.controller.lookup, self.controller.state
        if lookup is None or st is None or not st.collectable:
            self.show_message("error", self.tr("Không có hóa đơn nợ để thu."))
            return
        dlg = TransferDialog(self.controller, lookup, st.due, self)
        with self.customer_display.transfer(lookup.customer.code, st.due):  # the VietQR for the customer
            dlg.exec()

    @actions.checked
    def reconnection_orders(self) -> None:
        OrdersDialog(self.backend, self.runner, self, user=self.controller.user).exec()

    def _require(self, what: str, permission: str) -> bool:
        user = self.controller.user
        if user is None:
            self.show_message("error", self.tr("Hãy đăng nhập trước."))
            return False
        if user.can(permission):
            return True
        self._on_notice(
            "error",
            self.tr("{name} không có quyền {what}: cần tài khoản quản lý.").format(name=user.full_name, what=what),
        )
        return False

    # -- closing ---------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.controller.printing:
            # a receipt being printed is finished before the program ends (the payment itself
            # is already committed either way)
            self.show_message("info", self.tr("Đang in nốt biên nhận trước khi thoát…"))
            QApplication.processEvents()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.runner.shutdown(15000)
        super().closeEvent(event)

