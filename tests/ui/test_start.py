"""Starting the app: a station that cannot start says why in Vietnamese (no traceback)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from cashier.app_gui import gui_start
from cashier.cli.gui_options import parse_gui_args
from cashier.ui.main import run_gui


def test_unwritable_data_directory_is_refused_in_vietnamese(qapp, monkeypatch, tmp_path):
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda *a, **k: shown.append(a[2])))
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    options = parse_gui_args(["--db", str(not_a_dir / "sub" / "cashier.sqlite3"), "--settings", str(tmp_path / "s.ini")])
    rc = run_gui(options, gui_start)
    assert rc == 1
    assert len(shown) == 1 and shown[0].startswith("Không khởi động được chương trình")
    assert "không ghi được" in shown[0] and "Traceback" not in shown[0]


def test_run_gui_needs_the_station_factory(capsys):
    assert run_gui(parse_gui_args([])) == 2
    assert "factory" in capsys.readouterr().err


def test_unexpected_errors_are_logged_and_shown_in_one_line(counter, monkeypatch, caplog):
    import sys

    from cashier.ui.main import install_excepthook

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    install_excepthook(counter)
    try:
        raise ZeroDivisionError("boom")
    except ZeroDivisionError:
        sys.excepthook(*sys.exc_info())
    kind, text = counter.window.last_message
    assert kind == "error" and "ZeroDivisionError" in text and "Traceback" not in text
    assert any("unexpected error" in r.message and r.exc_info for r in caplog.records)


def test_fresh_start_creates_demo_data_users_and_a_demo_reconnection_fee(tmp_path):
    from cashier.app_gui import DEMO_RECONNECTION_FEE

    station, info = gui_start(str(tmp_path / "c.sqlite3"), f"preview:{tmp_path / 'p'}")
    try:
        db = station.db
        assert db.execute_sql("SELECT COUNT(*) FROM customer").fetchone()[0] == 2000
        assert [u[0] for u in info.demo_users] == ["admin", "quanly", "thungan"]
        code = db.execute_sql(
            "SELECT c.code FROM customer c JOIN bill b ON b.customer_id = c.id "
            "WHERE c.disconnected = 1 AND b.status = 'unpaid' LIMIT 1"
        ).fetchone()[0]
        plan = station.collect.preview(code)
        fees = [ln.amount for ln in plan.lines if str(ln.kind) == "reconnection_fee"]
        assert fees == [DEMO_RECONNECTION_FEE]
    finally:
        station.close()


def test_window_title_shows_the_version(counter):
    from cashier import __version__

    assert __version__ in counter.window.windowTitle()
