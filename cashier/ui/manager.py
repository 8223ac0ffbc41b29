"""Manager screens: import the morning extract, users and roles, settings."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cashier.core.money import format_number, format_vnd, parse_amount
from cashier.core.wedge import WedgeConfig
from cashier.ui import customer_display, i18n, tasks
from cashier.ui.dialogs import BaseDialog
from cashier.ui.i18n import error_text
from cashier.ui.models import Column, RowsModel
from cashier.ui.scan_detector import NO_SCAN
from cashier.ui.widgets import big_font, make_table

log = logging.getLogger(__name__)



def file_dialog(parent: QWidget, title: str, directory: str) -> QFileDialog:
    """A file dialog with its labels in the UI language (Qt ships no Vietnamese for its own
    dialogs; a native dialog of a Vietnamese Windows is Vietnamese already)."""
    dlg = QFileDialog(parent, title, directory)
    labels = {
        QFileDialog.DialogLabel.LookIn: QCoreApplication.translate("FileDialog", "Thư mục:"),
        QFileDialog.DialogLabel.FileName: QCoreApplication.translate("FileDialog", "Tên tệp:"),
        QFileDialog.DialogLabel.FileType: QCoreApplication.translate("FileDialog", "Loại tệp:"),
        QFileDialog.DialogLabel.Accept: QCoreApplication.translate("FileDialog", "Chọn"),
        QFileDialog.DialogLabel.Reject: QCoreApplication.translate("FileDialog", "Hủy"),
    }
    for which, text in labels.items():
        dlg.setLabelText(which, text)
    return dlg


# -- import ------------------------------------------------------------------------------------
def rejected_columns() -> list[Column]:
    return [
        Column(QCoreApplication.translate("Columns", "Dòng"), lambda r: r.row, align=Qt.AlignmentFlag.AlignRight),
        Column(QCoreApplication.translate("Columns", "Cột"), lambda r: r.column),
        Column(QCoreApplication.translate("Columns", "Giá trị"), lambda r: r.value),
        Column(QCoreApplication.translate("Columns", "Lý do"), lambda r: r.text(i18n.current_language())),
    ]



def start_close_buttons(dialog: Any, start_text: str, close_text: str) -> tuple[QDialogButtonBox, Any]:
    """The long-running dialogs' button row: a default start button (Enter) wired to
    ``dialog.start`` and a close button (Esc) wired to ``dialog.reject``."""
    box = QDialogButtonBox()
    start = box.addButton(start_text, QDialogButtonBox.ButtonRole.ActionRole)
    start.setDefault(True)
    start.clicked.connect(dialog.start)
    box.addButton(close_text, QDialogButtonBox.ButtonRole.RejectRole)
    box.rejected.connect(dialog.reject)
    return box, start

class ImportDialog(BaseDialog):
    """Choose the extract, import it on the background lane with a progress dialog that can be
    cancelled, then show the summary and the rejected rows."""

    def __init__(self, backend: Any, runner: tasks.TaskRunner, user: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend, self.runner, self.user = backend, runner, user
        self.summary = None
        self.handle: tasks.TaskHandle | None = None
        self.progress: QProgressDialog | None = None
        self.setWindowTitle(self.tr("Nhập dữ liệu nợ (tệp trích xuất CMIS)"))
        self.resize(1000, 620)
        lay = QVBoxLayout(self)
        row = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setObjectName("path")
        self.path.setPlaceholderText(self.tr("tệp .xlsx hoặc .csv"))
        self.pending_accept: int | None = None  # paid-elsewhere count the manager confirmed
        self._stage = ""
        browse = QPushButton(self.tr("Chọn tệp…"))
        browse.setObjectName("browse")
        browse.setAutoDefault(False)  # Enter starts the import (the button says so), never the chooser
        browse.clicked.connect(self.browse)
        self.browse_button = browse
        self.path.returnPressed.connect(self.start)
        self.path.textEdited.connect(lambda _t: self._clear_confirmation())
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        lay.addLayout(row)
        form = QFormLayout()
        self.profile = QComboBox()
        self.profile.addItems(backend.profiles())
        form.addRow(self.tr("Mẫu cột (profile)"), self.profile)
        lay.addLayout(form)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("summary")
        self.summary_label.setWordWrap(True)
        self.summary_label.setFont(big_font(12, bold=False))
        lay.addWidget(self.summary_label)
        self.rejected_model = RowsModel(rejected_columns(), parent=self)
        self.rejected_view = make_table(self.rejected_model, stretch=3)
        lay.addWidget(QLabel(self.tr("Dòng bị loại (kiểm tra lại tệp):")))
        lay.addWidget(self.rejected_view, 1)
        lay.addWidget(self.error)
        box, self.start_button = start_close_buttons(self, self.tr("Nhập (Enter)"), self.tr("Đóng (Esc)"))
        lay.addWidget(box)

    def browse(self) -> None:
        dlg = file_dialog(self, self.tr("Chọn tệp dữ liệu nợ"), str(Path.home()))
        dlg.setFileMode(QFileDialog.FileMode.ExistingFile)
        dlg.setNameFilter(self.tr("Bảng tính (*.xlsx *.csv);;Tất cả (*)"))
        if dlg.exec() and dlg.selectedFiles():
            self.path.setText(dlg.selectedFiles()[0])
            self._clear_confirmation()
            self.start_button.setFocus()  # Enter now imports the chosen file

    def _clear_confirmation(self) -> None:
        if self.pending_accept is not None:
            self.pending_accept = None
            self.start_button.setText(self.tr("Nhập (Enter)"))

    def start(self) -> None:
        path = self.path.text().strip()
        if not path:
            self.show_error(self.tr("Chọn tệp trước."))
            return
        accept = self.pending_accept
        self._clear_confirmation()
        self._stage = ""
        self.error.clear()
        self.summary_label.clear()
        self.rejected_model.set_rows([])
        self.start_button.setEnabled(False)
        profile = self.profile.currentText() or "default"
        progress = QProgressDialog(self.tr("Đang nhập {name}…").format(name=Path(path).name), self.tr("Dừng"), 0, 0, self)
        progress.setWindowTitle(self.tr("Nhập dữ liệu nợ"))
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        self.progress = progress

        def work(handle: tasks.TaskHandle) -> Any:
            return self.backend.import_extract(
                path, profile, handle.report, handle.cancelled, actor=self.user, accept_missing=accept
            )

        self.handle = self.runner.run(work, self._done, self._failed, lane=tasks.BACKGROUND, name="import", with_handle=True)
        self.handle.progress.connect(self._progress)
        progress.canceled.connect(self._cancel)
        progress.show()

    def _cancel(self) -> None:
        if self.handle is not None and not self.handle.done:
            if self._stage == "apply":  # the data is being written: it is finished, not undone
                if self.progress is not None:
                    self.progress.setLabelText(self.tr("Đang ghi dữ liệu, không dừng được nữa: sắp xong…"))
                return
            self.handle.cancel()
            if self.progress is not None:
                self.progress.setLabelText(self.tr("Đang dừng… (dữ liệu cũ được giữ nguyên)"))

    def _progress(self, done: int, total: int, stage: str = "") -> None:
        progress = self.progress
        if progress is None:
            return
        self._stage = stage
        if total:
            progress.setMaximum(1000)
            # a modal QProgressDialog runs the event loop in setValue: the import may finish (and
            # close this dialog) right there
            progress.setValue(min(1000, done * 1000 // total))
            if self.progress is not progress:
                return
        if stage == "prepare":
            progress.setLabelText(self.tr("Đang so sánh với dữ liệu nợ hiện có…"))
        elif stage == "apply":
            progress.setLabelText(self.tr("Đang ghi vào cơ sở dữ liệu… (quầy vẫn thu tiền được)"))
        elif total:
            progress.setLabelText(self.tr("Đang đọc tệp… {pct}%").format(pct=done * 100 // total))

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.canceled.disconnect(self._cancel)
            self.progress.close()
            self.progress = None
        self.start_button.setEnabled(True)

    def _done(self, summary: Any) -> None:
        self._close_progress()
        self.summary = summary
        self.rejected_model.set_rows(list(getattr(summary, "rejected", [])))
        self.summary_label.setStyleSheet("color: #1b5e20;")
        self.summary_label.setText(self.summary_text(summary))

    def summary_text(self, s: Any) -> str:
        text = self.tr(
            "Đã nhập {file}: {rows} dòng, {customers} khách hàng, {bills} hóa đơn nợ, tổng nợ {due}.\n"
            "Mới: {new}; cập nhật: {updated}; đã trả nơi khác (không thu nữa): {elsewhere}; "
            "xung đột (đã thu tại quầy nhưng CMIS báo đã trả nơi khác — kiểm tra thu trùng): {conflicts}; "
            "dòng trùng: {dups}; dòng bị loại: {rejected}."
        ).format(
            file=Path(s.file).name, rows=format_number(s.rows_read), customers=format_number(s.customers),
            bills=format_number(s.bills), due=format_vnd(s.total_due), new=format_number(s.new_bills),
            updated=format_number(s.updated_bills), elsewhere=format_number(s.paid_elsewhere),
            conflicts=format_number(s.conflicts), dups=format_number(s.duplicates), rejected=len(s.rejected),
        )
        if s.paid_elsewhere:
            text += "\n" + self.tr(
                "{n} hóa đơn chưa thu không còn trong tệp đã chuyển sang \"đã thu nơi khác\" "
                "(không thu tại quầy nữa)."
            ).format(n=format_number(s.paid_elsewhere))
        if s.conflicts:
            text += "\n" + self.tr(
                "{n} hóa đơn đã thu tại quầy nhưng CMIS báo đã thu nơi khác: kiểm tra thu trùng."
            ).format(n=format_number(s.conflicts))
        if s.warnings:
            log.info("import warnings: %s", "; ".join(map(str, s.warnings)))
            if i18n.current_language() == "en":  # the importer's notes exist in English only
                text += "\n" + "\n".join(str(w) for w in s.warnings)
            else:
                self.summary_label.setToolTip("\n".join(str(w) for w in s.warnings))
        if s.report_path:
            text += "\n" + self.tr("Báo cáo: {path}").format(path=s.report_path)
        return text

    def ask_confirmation(self, exc: Any) -> None:
        """Too many bills would become paid elsewhere: show the counts per unit; Enter (the
        start button, now "Xác nhận và nhập") runs the import again accepting that many."""
        units = "; ".join(
            self.tr("{unit}: {m} trên {n}").format(unit=u or "?", m=format_number(m), n=format_number(n))
            for u, (m, n) in exc.preview.by_unit.items()
            if m
        )
        self.summary_label.setStyleSheet("color: #e65100;")
        self.summary_label.setText(
            self.tr(
                "Chưa nhập gì. Tệp này sẽ chuyển {m} hóa đơn chưa thu sang \"đã thu nơi khác\" "
                "(trong số {n} hóa đơn chưa thu của các đơn vị có trong tệp, {pct}%; mức cho phép "
                "khi chưa xác nhận: {limit}%).\nTheo đơn vị (sẽ chuyển trên số chưa thu): {units}.\n"
                "Nếu đúng là các hóa đơn này đã được thu nơi khác, bấm \"Xác nhận và nhập\"; nếu "
                "không, kiểm tra lại tệp (có thể tệp bị thiếu dòng)."
            ).format(
                m=format_number(exc.missing), n=format_number(exc.unpaid),
                pct=f"{100 * exc.missing / max(exc.unpaid, 1):.1f}".replace(".", ","),
                limit=f"{100 * exc.ratio:g}".replace(".", ","), units=units,
            )  # fmt: skip
        )
        self.pending_accept = int(exc.missing)
        self.start_button.setText(self.tr("Xác nhận và nhập (Enter)"))
        self.start_button.setFocus()

    def _failed(self, exc: BaseException) -> None:
        self._close_progress()
        self.summary_label.clear()
        rejected = getattr(exc, "summary", None)
        if rejected is not None:
            self.rejected_model.set_rows(list(getattr(rejected, "rejected", [])))
        if self.handle is not None and self.handle.cancelled():
            self.show_error(self.tr("Đã dừng nhập: không nhập gì, dữ liệu cũ giữ nguyên."))
            return
        preview = getattr(exc, "preview", None)
        if preview is not None and getattr(exc, "code", "") in ("import.confirm_paid_elsewhere", "import.missing_over_accepted"):
            self.ask_confirmation(exc)
            return
        self.show_error(self.tr("Tệp bị từ chối, dữ liệu cũ giữ nguyên: {e}").format(e=error_text(exc)))


# -- users -------------------------------------------------------------------------------------
def role_text(role: str) -> str:
    return {
        "cashier": QCoreApplication.translate("Columns", "Thu ngân"),
        "manager": QCoreApplication.translate("Columns", "Quản lý"),
        "admin": QCoreApplication.translate("Columns", "Quản trị"),
    }.get(str(role), str(role))


def user_columns() -> list[Column]:
    def state(u: Any) -> str:
        if not u.active:
            return QCoreApplication.translate("Columns", "Vô hiệu")
        if u.locked:
            return QCoreApplication.translate("Columns", "Bị khóa")
        if u.locked_until is not None:
            return QCoreApplication.translate("Columns", "Khóa tạm đến {t}").format(t=u.locked_until.strftime("%H:%M"))
        return QCoreApplication.translate("Columns", "Hoạt động")

    return [
        Column(QCoreApplication.translate("Columns", "Tên đăng nhập"), lambda u: u.username, bold=True),
        Column(QCoreApplication.translate("Columns", "Họ tên"), lambda u: u.full_name),
        Column(QCoreApplication.translate("Columns", "Vai trò"), lambda u: role_text(u.role)),
        Column(QCoreApplication.translate("Columns", "Mã thu ngân"), lambda u: u.cashier_code),
        Column(QCoreApplication.translate("Columns", "Trạng thái"), state),
    ]


class UsersDialog(BaseDialog):
    def __init__(self, backend: Any, actor: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend, self.actor = backend, actor
        self.setProperty(NO_SCAN, True)  # passwords are typed here: never taken for a scan
        self.setWindowTitle(self.tr("Người dùng và quyền"))
        self.resize(900, 560)
        lay = QVBoxLayout(self)
        self.model = RowsModel(user_columns(), parent=self)
        self.table = make_table(self.model, stretch=1)
        lay.addWidget(self.table, 1)
        add = QGroupBox(self.tr("Thêm người dùng"))
        form = QFormLayout(add)
        self.username = QLineEdit()
        self.full_name = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.code = QLineEdit()
        self.role = QComboBox()
        for key in ("cashier", "manager", "admin"):
            self.role.addItem(role_text(key), key)
        form.addRow(self.tr("Tên đăng nhập"), self.username)
        form.addRow(self.tr("Họ tên"), self.full_name)
        form.addRow(self.tr("Mật khẩu (từ 6 ký tự)"), self.password)
        form.addRow(self.tr("Mã thu ngân (MA_TNGAN)"), self.code)
        form.addRow(self.tr("Vai trò"), self.role)
        add_btn = QPushButton(self.tr("Thêm"))
        add_btn.clicked.connect(self.add_user)
        form.addRow(add_btn)
        lay.addWidget(add)
        row = QHBoxLayout()
        for text, slot in (
            (self.tr("Khóa"), lambda: self.set_locked(True)),
            (self.tr("Mở khóa"), lambda: self.set_locked(False)),
            (self.tr("Đổi vai trò thành đã chọn ở trên"), self.change_role),
            (self.tr("Đặt lại mật khẩu (ô mật khẩu ở trên)"), self.reset_password),
        ):
            b = QPushButton(text)
            b.setAutoDefault(False)
            b.clicked.connect(slot)
            row.addWidget(b)
        lay.addLayout(row)
        lay.addWidget(self.error)
        close = QPushButton(self.tr("Đóng (Esc)"))
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        lay.addWidget(close)
        self.reload()

    def reload(self) -> None:
        try:
            self.model.set_rows(self.backend.list_users(self.actor))
        except Exception as exc:  # noqa: BLE001
            self.show_error(exc)

    def selected(self) -> Any:
        idx = self.table.currentIndex()
        return self.model.row(idx.row()) if idx.isValid() else None

    def _do(self, fn, ok_text: str) -> None:
        try:
            fn()
        except Exception as exc:  # noqa: BLE001
            self.error.setStyleSheet("color: #b00020; font-weight: bold;")
            self.show_error(exc)
            return
        self.error.setStyleSheet("color: #1b5e20; font-weight: bold;")
        self.error.setText(ok_text)
        self.reload()

    def add_user(self) -> None:
        name = self.username.text().strip()
        self._do(
            lambda: self.backend.add_user(
                self.actor, name, self.password.text(), self.role.currentData(), self.full_name.text(), self.code.text()
            ),
            self.tr("Đã thêm {u}.").format(u=name),
        )
        self.password.clear()

    def set_locked(self, locked: bool) -> None:
        u = self.selected()
        if u is None:
            self.show_error(self.tr("Chọn một người dùng trong bảng."))
            return
        self._do(lambda: self.backend.set_user_locked(self.actor, u.username, locked), self.tr("Đã cập nhật {u}.").format(u=u.username))

    def change_role(self) -> None:
        u = self.selected()
        if u is None:
            self.show_error(self.tr("Chọn một người dùng trong bảng."))
            return
        self._do(lambda: self.backend.set_role(self.actor, u.username, self.role.currentData()), self.tr("Đã cập nhật {u}.").format(u=u.username))

    def reset_password(self) -> None:
        u = self.selected()
        if u is None:
            self.show_error(self.tr("Chọn một người dùng trong bảng."))
            return
        pw = self.password.text()
        self._do(lambda: self.backend.change_password(self.actor, u.username, pw), self.tr("Đã đổi mật khẩu của {u}.").format(u=u.username))
        self.password.clear()


# -- settings ----------------------------------------------------------------------------------
class SettingsDialog(BaseDialog):
    """Station, company header, reconnection fee; scanner; printer (discovery, mode, test
    print); confirm rule; language. Station values go to the database through the backend;
    this computer's values (scanner, language, confirm rule) to QSettings."""

    def __init__(
        self,
        backend: Any,
        runner: tasks.TaskRunner,
        settings: QSettings,
        detector: Any,
        user: Any,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.backend, self.runner, self.settings, self.detector, self.user = backend, runner, settings, detector, user
        self.setWindowTitle(self.tr("Cấu hình"))
        self.resize(760, 620)
        lay = QVBoxLayout(self)
        tabs = QTabWidget()
        lay.addWidget(tabs, 1)
        tabs.addTab(self._station_tab(), self.tr("Quầy thu"))
        tabs.addTab(self._scanner_tab(), self.tr("Máy quét"))
        tabs.addTab(self._printer_tab(), self.tr("Máy in"))
        tabs.addTab(self._ui_tab(), self.tr("Giao diện"))
        self.tabs = tabs
        lay.addWidget(self.error)
        box = QDialogButtonBox()
        ok = box.addButton(self.tr("Lưu"), QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setDefault(True)
        box.addButton(self.tr("Hủy (Esc)"), QDialogButtonBox.ButtonRole.RejectRole)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        lay.addWidget(box)

    # station
    def _station_tab(self) -> QWidget:
        w = QWidget()
        form = QFormLayout(w)
        st = self.backend.station_settings()
        self.station_code = QLineEdit(st.get("station", ""))
        self.reconnection_fee = QLineEdit(str(st.get("reconnection_fee", 0)))
        self.variance_limit = QLineEdit(str(st.get("variance_limit", 0)))
        form.addRow(self.tr("Mã quầy"), self.station_code)
        form.addRow(self.tr("Phí đóng điện (đồng)"), self.reconnection_fee)
        form.addRow(self.tr("Giới hạn lệch tiền khi đóng ca (đồng)"), self.variance_limit)
        company = self.backend.company()
        self.company_fields: dict[str, QLineEdit] = {}
        labels = {
            "company": self.tr("Công ty"),
            "unit": self.tr("Điện lực"),
            "collection_point": self.tr("Điểm thu"),
            "hotline": self.tr("Đường dây nóng"),
            "tax_code": self.tr("Mã số thuế"),
            "bank_bin": self.tr("Mã ngân hàng (BIN)"),
            "bank_name": self.tr("Ngân hàng"),
            "bank_account": self.tr("Số tài khoản"),
            "bank_account_name": self.tr("Chủ tài khoản"),
            "footer": self.tr("Dòng cuối biên nhận"),
            "einvoice_url": self.tr("Trang tra cứu HĐ điện tử (in kèm QR; trống = không in)"),
        }
        for key, label in labels.items():
            edit = QLineEdit(str(getattr(company, key, "") or ""))
            self.company_fields[key] = edit
            form.addRow(label, edit)
        return w

    # scanner
    def _scanner_tab(self) -> QWidget:
        w = QWidget()
        form = QFormLayout(w)
        cfg: WedgeConfig = self.detector.config
        self.max_gap = QSpinBox()
        self.max_gap.setRange(10, 500)
        self.max_gap.setSuffix(" ms")
        self.max_gap.setValue(int(round(cfg.max_gap * 1000)))
        self.min_length = QSpinBox()
        self.min_length.setRange(1, 64)
        self.min_length.setValue(cfg.min_length)
        self.require_suffix = QCheckBox(self.tr("Máy quét gửi Enter/Tab sau mã"))
        self.require_suffix.setChecked(cfg.require_suffix)
        self.prefix = QLineEdit(cfg.prefix)
        self.confirm_rule = QComboBox()
        for key, text in (
            ("both", self.tr("Quét lại thẻ hoặc Enter")),
            ("scan", self.tr("Chỉ quét lại thẻ")),
            ("enter", self.tr("Chỉ Enter / F2")),
        ):
            self.confirm_rule.addItem(text, key)
        self.confirm_rule.setCurrentIndex(max(0, self.confirm_rule.findData(str(self.settings.value("counter/confirm", "both")))))
        form.addRow(self.tr("Khoảng cách tối đa giữa 2 ký tự"), self.max_gap)
        form.addRow(self.tr("Độ dài mã tối thiểu"), self.min_length)
        form.addRow("", self.require_suffix)
        form.addRow(self.tr("Tiền tố (nếu máy quét có cài)"), self.prefix)
        form.addRow(self.tr("Xác nhận thu tiền"), self.confirm_rule)
        self.serial_port = QComboBox()
        self.serial_port.setEditable(True)
        self.serial_port.setObjectName("serial_port")
        self.serial_port.addItem("")
        # serial ports, then HID-POS scanners as "hid:auto" / "hid:/dev/hidrawN" (read directly:
        # scans arrive whatever has the focus); the reader is picked from the port (app.py)
        for lister in (self.backend.info.serial_ports, getattr(self.backend.info, "hid_scanners", None)):
            if lister is not None:
                try:
                    self.serial_port.addItems(lister())
                except Exception:  # noqa: BLE001
                    log.exception("scanner ports")
        self.serial_port.setCurrentText(str(self.settings.value("scanner/serial_port", "") or ""))
        self.serial_baud = QComboBox()
        for baud in (9600, 19200, 38400, 57600, 115200):
            self.serial_baud.addItem(str(baud), baud)
        self.serial_baud.setCurrentIndex(max(0, self.serial_baud.findData(int(self.settings.value("scanner/serial_baud", 9600)))))
        form.addRow(self.tr("Máy quét cổng COM hoặc HID-POS (hid:…; để trống nếu cắm USB kiểu bàn phím)"), self.serial_port)
        form.addRow(self.tr("Tốc độ cổng COM"), self.serial_baud)
        self.scan_test = QLabel(self.tr("Thử: quét một thẻ — mã nhận được hiện ở đây."))
        self.scan_test.setObjectName("scan_test")
        self.scan_test.setFont(big_font(14))
        form.addRow(self.scan_test)
        return w

    def accept_scan(self, raw: str) -> bool:
        self.scan_test.setText(self.tr("Đã nhận: {code}").format(code=raw))
        return True

    # printer
    def _printer_tab(self) -> QWidget:
        w = QWidget()
        form = QFormLayout(w)
        ps = self.backend.printer_settings()
        self.printer_url = QComboBox()
        self.printer_url.setEditable(True)
        self.printer_url.setObjectName("printer_url")
        self.printer_url.setCurrentText(ps.get("url", ""))
        discover = QPushButton(self.tr("Tìm máy in"))
        discover.setAutoDefault(False)
        discover.clicked.connect(self.discover)
        row = QHBoxLayout()
        row.addWidget(self.printer_url, 1)
        row.addWidget(discover)
        form.addRow(self.tr("Địa chỉ máy in"), row)
        self.printer_mode = QComboBox()
        for key, text in (
            ("raster", self.tr("Ảnh (mọi máy in, chậm hơn)")),
            ("text-tcvn3", self.tr("Chữ TCVN-3 (Epson)")),
            ("text-cp1258", self.tr("Chữ Windows-1258")),
            ("ascii", self.tr("Chữ không dấu")),
        ):
            self.printer_mode.addItem(text, key)
        self.printer_mode.setCurrentIndex(max(0, self.printer_mode.findData(ps.get("mode", "raster"))))
        form.addRow(self.tr("Chế độ in"), self.printer_mode)
        self.printer_width = QComboBox()
        self.printer_width.addItem("80 mm", 80)
        self.printer_width.addItem("58 mm", 58)
        self.printer_width.setCurrentIndex(max(0, self.printer_width.findData(int(ps.get("width_mm", 80)))))
        form.addRow(self.tr("Khổ giấy"), self.printer_width)
        test = QPushButton(self.tr("In thử"))
        test.setAutoDefault(False)
        test.clicked.connect(self.test_print)
        self.printer_state = QLabel(self.tr("Để trống = máy in xem trước (lưu tệp ảnh trong thư mục dữ liệu)."))
        self.printer_state.setWordWrap(True)
        form.addRow(test, self.printer_state)
        if ps.get("override"):
            note = QLabel(self.tr("Lần chạy này in ra {url} (tham số --printer); cấu hình lưu ở đây dùng cho các lần sau.").format(url=ps["override"]))
            note.setWordWrap(True)
            note.setStyleSheet("color: #e65100;")
            form.addRow(note)
        return w

    def _printer_values(self) -> dict:
        return {
            "url": self.printer_url.currentText().strip(),
            "mode": self.printer_mode.currentData(),
            "width_mm": self.printer_width.currentData(),
        }

    def discover(self) -> None:
        self.printer_state.setText(self.tr("Đang tìm…"))

        def found(urls: list) -> None:
            current = self.printer_url.currentText()
            self.printer_url.clear()
            self.printer_url.addItems([str(u) for u in urls])
            self.printer_url.setCurrentText(current or (str(urls[0]) if urls else ""))
            self.printer_state.setText(self.tr("Tìm thấy {n} máy in.").format(n=len(urls)))

        self.runner.run(self.backend.discover_printers, found, lambda e: self.printer_state.setText(error_text(e)), lane=tasks.PRINTER, name="discover")

    def test_print(self) -> None:
        values = self._printer_values()
        self.printer_state.setText(self.tr("Đang in thử…"))
        self.runner.run(
            lambda: self.backend.test_print(values, self.user),
            lambda _r: self.printer_state.setText(self.tr("Đã in thử. Kiểm tra chữ tiếng Việt trên giấy.")),
            lambda e: self.printer_state.setText(self.tr("In thử lỗi: {e}").format(e=error_text(e))),
            lane=tasks.PRINTER,
            name="test print",
        )

    # ui
    def _ui_tab(self) -> QWidget:
        w = QWidget()
        form = QFormLayout(w)
        self.language = QComboBox()
        for key, name in i18n.LANGUAGES.items():
            self.language.addItem(name, key)
        self.language.setCurrentIndex(max(0, self.language.findData(str(self.settings.value("ui/language", "vi")))))
        form.addRow(self.tr("Ngôn ngữ (khởi động lại để áp dụng)"), self.language)
        self.sound = QCheckBox(self.tr("Âm báo khi quét"))
        self.sound.setChecked(str(self.settings.value("counter/sound", "true")) == "true")
        form.addRow("", self.sound)
        self.customer_display = customer_display.ModeChooser(self.settings)
        form.addRow(customer_display.ModeChooser.label(), self.customer_display)
        from cashier.ui.lock_screen import IDLE_DEFAULT, IDLE_SETTING

        self.lock_idle = QSpinBox()
        self.lock_idle.setObjectName("lock_idle")
        self.lock_idle.setRange(0, 240)
        self.lock_idle.setSuffix(self.tr(" phút"))
        self.lock_idle.setSpecialValueText(self.tr("tắt"))
        self.lock_idle.setValue(int(self.settings.value(IDLE_SETTING, IDLE_DEFAULT) or 0))
        form.addRow(self.tr("Tự khóa quầy khi không dùng (Ctrl+L: khóa ngay)"), self.lock_idle)
        return w

    def accept(self) -> None:
        try:
            fee = parse_amount(self.reconnection_fee.text() or "0")
            limit = parse_amount(self.variance_limit.text() or "0")
            cfg = WedgeConfig(
                max_gap=self.max_gap.value() / 1000,
                min_length=self.min_length.value(),
                require_suffix=self.require_suffix.isChecked(),
                prefix=self.prefix.text(),
            )
            self.backend.save_station_settings(
                self.user,
                station=self.station_code.text().strip(),
                reconnection_fee=fee,
                variance_limit=limit,
                company={k: e.text().strip() for k, e in self.company_fields.items()},
                printer=self._printer_values(),
            )
        except Exception as exc:  # noqa: BLE001
            self.show_error(exc)
            return
        self.settings.setValue("scanner/max_gap_ms", self.max_gap.value())
        self.settings.setValue("scanner/min_length", self.min_length.value())
        self.settings.setValue("scanner/require_suffix", "true" if cfg.require_suffix else "false")
        self.settings.setValue("scanner/prefix", cfg.prefix)
        self.settings.setValue("counter/confirm", self.confirm_rule.currentData())
        self.settings.setValue("scanner/serial_port", self.serial_port.currentText().strip())
        self.settings.setValue("scanner/serial_baud", self.serial_baud.currentData())
        self.settings.setValue("ui/language", self.language.currentData())
        self.settings.setValue("counter/sound", "true" if self.sound.isChecked() else "false")
        self.customer_display.save()
        self.settings.setValue("counter/lock_idle_minutes", self.lock_idle.value())
        self.settings.sync()
        self.detector.set_config(cfg)
        super().accept()


__all__ = ["ImportDialog", "UsersDialog", "SettingsDialog", "QDialog"]


# -- end-of-day export -------------------------------------------------------------------------
class ExportDialog(BaseDialog):
    """The clearing file for CMIS (issue 6's export service) on the background lane."""

    def __init__(self, backend: Any, runner: tasks.TaskRunner, user: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend, self.runner, self.user = backend, runner, user
        self.result_export = None
        self.handle: tasks.TaskHandle | None = None
        self.setWindowTitle(self.tr("Xuất tệp gạch nợ cho CMIS"))
        self.resize(760, 360)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("Mọi khoản thu chưa xuất (và các biên nhận đã hủy sau khi xuất) vào một lô mới, có ký số.")))
        row = QHBoxLayout()
        self.folder = QLineEdit(str(backend.export_dir()))
        self.folder.setObjectName("folder")
        browse = QPushButton(self.tr("Chọn thư mục…"))
        browse.setAutoDefault(False)
        browse.clicked.connect(self.browse)
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        lay.addLayout(row)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.summary, 1)
        lay.addWidget(self.error)
        box, self.start_button = start_close_buttons(self, self.tr("Xuất (Enter)"), self.tr("Đóng (Esc)"))
        lay.addWidget(box)

    def browse(self) -> None:
        dlg = file_dialog(self, self.tr("Thư mục lưu tệp gạch nợ"), self.folder.text())
        dlg.setFileMode(QFileDialog.FileMode.Directory)
        dlg.setOption(QFileDialog.Option.ShowDirsOnly, True)
        if dlg.exec() and dlg.selectedFiles():
            self.folder.setText(dlg.selectedFiles()[0])

    def start(self) -> None:
        folder = self.folder.text().strip()
        self.error.clear()
        self.summary.setText(self.tr("Đang xuất…"))
        self.start_button.setEnabled(False)
        self.handle = self.runner.run(
            lambda: self.backend.export_clearing(self.user, folder), self._done, self._failed, name="export"
        )

    def _done(self, r: Any) -> None:
        self.start_button.setEnabled(True)
        self.result_export = r
        if not r.batch_id:
            self.summary.setText(r.message or self.tr("Không có khoản thu nào chưa xuất."))
            return
        self.summary.setStyleSheet("color: #1b5e20;")
        self.summary.setText(
            self.tr(
                "Lô {batch}: {rows} dòng hóa đơn, biên nhận {first} … {last}, {reversals} dòng hủy đảo, "
                "tổng {total}.\nTệp: {files}\nSao lưu: {backup}"
            ).format(
                batch=r.batch_id, first=r.first_receipt or "-", last=r.last_receipt or "-",
                reversals=r.reversals, rows=r.rows, total=format_vnd(r.grand_total),
                files="\n".join(r.files), backup=r.backup or "-",
            )
        )

    def _failed(self, exc: BaseException) -> None:
        self.start_button.setEnabled(True)
        self.summary.clear()
        self.show_error(exc)
