"""The e-invoice lookup address in the settings dialog (F10 → Quầy thu): the demo station comes
with the example address, a bad one is refused in Vietnamese and saves nothing, a good one is
printed on the next receipt."""

from __future__ import annotations

from cashier.app_gui import DEMO_EINVOICE_URL
from cashier.ui.dialogs.settings import SettingsDialog


def test_einvoice_address_in_the_settings_dialog(session, qtbot):
    backend = session.backend
    assert backend.company().einvoice_url == DEMO_EINVOICE_URL  # the demo station's example
    fee = backend.station_settings()["reconnection_fee"]
    admin = backend.login("admin", "admin123")
    dlg = SettingsDialog(backend, session.runner, session.settings, session.detector, admin, session.window)
    qtbot.addWidget(dlg)
    field = dlg.company_fields["einvoice_url"]
    assert field.text() == DEMO_EINVOICE_URL
    dlg.reconnection_fee.setText(f"{fee + 1000}")
    field.setText("hoadon evn vn")
    dlg.accept()
    assert dlg.result() != dlg.DialogCode.Accepted
    assert "phải bắt đầu bằng https://" in dlg.error.text()
    # refused before anything was saved
    assert backend.station_settings()["reconnection_fee"] == fee
    assert backend.company().einvoice_url == DEMO_EINVOICE_URL
    field.setText("https://tracuu.dienluc.example/hd")
    dlg.accept()
    assert dlg.result() == dlg.DialogCode.Accepted, dlg.error.text()
    assert backend.company().einvoice_url == "https://tracuu.dienluc.example/hd"
    assert backend.station_settings()["reconnection_fee"] == fee + 1000
