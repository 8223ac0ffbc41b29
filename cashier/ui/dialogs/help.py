"""F1: the keys of the counter."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class HelpDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Phím tắt"))
        lay = QVBoxLayout(self)
        text = QLabel(self.tr(
            "<b>Quét thẻ</b>: hiện khách hàng và hóa đơn nợ.<br>"
            "<b>Quét lại thẻ / Enter / F2</b>: thu đủ tiền và in biên nhận.<br>"
            "<b>Ô khách đưa</b>: gõ số nghìn đồng (500 = 500.000 đ, 2000 = 2.000.000 đ), trống = đủ tiền; "
            "Alt+1 đủ tiền, Alt+2/3/4 thêm 100/200/500 nghìn.<br>"
            "<b>F3</b> tìm khách hàng · <b>F4</b> in giấy báo · <b>F5</b> in lại · <b>F6</b> hủy biên nhận<br>"
            "<b>F7</b> chọn hóa đơn · <b>F8</b> chuyển khoản · <b>F9</b> ca làm việc · <b>F10</b> quản lý<br>"
            "<b>F11</b> lệnh đóng điện · <b>Esc</b> xóa màn hình"
        ))
        text.setWordWrap(True)
        lay.addWidget(text)
        more = QLabel(self.tr("<b>Ctrl+L</b> khóa quầy / đổi thu ngân (không đóng ca) · <b>F12</b> thu một phần hóa đơn"
                               " · <b>Shift+F8</b> tiền mặt + chuyển khoản · <b>Shift+F2</b> thu gộp nhiều khách"))
        more.setWordWrap(True)
        lay.addWidget(more)
        ok = QPushButton(self.tr("Đóng"))
        ok.clicked.connect(self.accept)
        lay.addWidget(ok)
