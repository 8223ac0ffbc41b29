"""F10 -> settings: station and company, scanner, printer, this computer's interface."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cashier.core.money import parse_amount
from cashier.core.wedge import WedgeConfig
from cashier.ui import customer_display_placement, i18n, tasks
from cashier.ui.dialogs.base import BaseDialog
from cashier.ui.i18n import error_text
from cashier.ui.widgets import big_font

log = logging.getLogger(__name__)


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
        self.serial_baud.setCurrentIndex(max(0, self.serial_baud.findData(int(str(self.settings.value("scanner/serial_baud", 9600))))))
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

        self.runner.run(self.backend.discover_printers, found, lambda e: self.printer_state.setText(error_text(e)), lane=tasks.BACKGROUND, name="discover")

    def test_print(self) -> None:
        values = self._printer_values()
        self.printer_state.setText(self.tr("Đang in thử…"))
        self.runner.submit(
            lambda done: self.backend.test_print(values, self.user, done),
            lambda _r: self.printer_state.setText(self.tr("Đã in thử. Kiểm tra chữ tiếng Việt trên giấy.")),
            lambda e: self.printer_state.setText(self.tr("In thử lỗi: {e}").format(e=error_text(e))),
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
        self.customer_display = customer_display_placement.ModeChooser(self.settings)
        form.addRow(customer_display_placement.ModeChooser.label(), self.customer_display)
        from cashier.ui.lock_screen import IDLE_DEFAULT, IDLE_SETTING

        self.lock_idle = QSpinBox()
        self.lock_idle.setObjectName("lock_idle")
        self.lock_idle.setRange(0, 240)
        self.lock_idle.setSuffix(self.tr(" phút"))
        self.lock_idle.setSpecialValueText(self.tr("tắt"))
        self.lock_idle.setValue(int(str(self.settings.value(IDLE_SETTING, IDLE_DEFAULT) or 0)))
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
