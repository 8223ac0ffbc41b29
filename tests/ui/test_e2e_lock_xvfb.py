"""Ctrl+L under Xvfb with NO window manager, keys from xdotool only: after a dialog (F1 + Esc)
the lock takes the keyboard; a scan while locked is never looked up; a wrong password is
refused; the right one unlocks and the next scan shows its customer."""

from __future__ import annotations

import sqlite3

from test_e2e_xvfb import ROOT, _wait, pytestmark, start_app, stop, window_named, xdo, xserver  # noqa: F401

__all__ = ["pytestmark", "xserver"]


def test_lock_scan_wrong_password_unlock_without_window_manager(xserver, tmp_path):
    home = tmp_path / "home"
    db = home / "cashier.sqlite3"
    log = home / "logs" / "cashier.log"
    app = start_app(xserver, home, db, preview=tmp_path / "preview", scratch=tmp_path)

    def text() -> str:
        return log.read_text(encoding="utf-8") if log.exists() else ""

    def focused_name() -> str:
        wid = xdo(xserver, "getwindowfocus")
        return xdo(xserver, "getwindowname", wid) if wid.isdigit() else ""

    def counter_has_keys() -> bool:
        return focused_name().startswith("Quầy thu tiền điện")

    try:
        window_named(xserver, "Đăng nhập", timeout=90)
        _wait(lambda: focused_name() == "Đăng nhập", 10, "the login dialog to have the keyboard", app)
        xdo(xserver, "type", "--delay", "150", "123456")
        xdo(xserver, "key", "Return")
        window_named(xserver, "Mở ca")
        _wait(lambda: focused_name() == "Mở ca", 10, "the shift dialog to have the keyboard", app)
        xdo(xserver, "type", "--delay", "150", "500")
        xdo(xserver, "key", "Return")
        _wait(counter_has_keys, 10, "the counter to have the keyboard", app)
        con = sqlite3.connect(db)
        codes = [r[0] for r in con.execute(
            "SELECT c.code FROM customer c JOIN bill b ON b.customer_id = c.id "
            "WHERE b.status = 'unpaid' GROUP BY c.code ORDER BY c.code LIMIT 2"
        )]
        con.close()
        xdo(xserver, "key", "F1")
        _wait(lambda: focused_name() == "Phím tắt", 10, "F1", app)
        xdo(xserver, "key", "Escape")
        _wait(counter_has_keys, 10, "the counter back after F1", app)

        xdo(xserver, "key", "ctrl+l")
        _wait(lambda: "counter locked (Ctrl+L) by thungan" in text(), 20, "the lock", app)
        xdo(xserver, "type", "--delay", "5", codes[0])  # the scanner, into the lock screen
        xdo(xserver, "key", "Return")
        xdo(xserver, "type", "--delay", "150", "sai-mat-khau")
        xdo(xserver, "key", "Return")
        _wait(lambda: "unlock refused for thungan" in text(), 20, "the wrong password refused", app)
        assert f"shown {codes[0]}" not in text() and codes[0] not in text()  # never looked up
        xdo(xserver, "type", "--delay", "150", "123456")
        xdo(xserver, "key", "Return")
        _wait(lambda: "counter unlocked by thungan" in text(), 20, "the unlock", app)
        _wait(counter_has_keys, 10, "the counter to have the keyboard after the unlock", app)
        xdo(xserver, "type", "--delay", "5", codes[1])
        xdo(xserver, "key", "Return")
        _wait(lambda: f"shown {codes[1]}" in text(), 20, "the scan after the unlock", app)
        assert "sai-mat-khau" not in text() and "123456" not in text()
        con = sqlite3.connect(db)
        assert con.execute("SELECT COUNT(*) FROM payment").fetchone()[0] == 0  # nothing collected
        con.close()
    finally:
        stop(app, 10)
