"""Starting the app: a station that cannot start says why in Vietnamese (no traceback)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from cashier.app import gui_start
from cashier.ui.main import run_gui


def test_unwritable_data_directory_is_refused_in_vietnamese(qapp, monkeypatch, tmp_path):
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda *a, **k: shown.append(a[2])))
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    rc = run_gui(["--db", str(not_a_dir / "sub" / "cashier.sqlite3"), "--settings", str(tmp_path / "s.ini")], gui_start)
    assert rc == 1
    assert len(shown) == 1 and shown[0].startswith("Không khởi động được chương trình")
    assert "không ghi được" in shown[0] and "Traceback" not in shown[0]


def test_run_gui_needs_the_station_factory(capsys):
    assert run_gui([]) == 2
    assert "factory" in capsys.readouterr().err
