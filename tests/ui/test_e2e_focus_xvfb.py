"""The cashier's walk under Xvfb with NO window manager (kiosk set-ups), keys from xdotool only:
nobody activates a window but the program itself.

A password typed fast into the login dialog's user field is no scan (never in the log); after F1,
F3 and F6 + Esc a scan (``xdotool type --delay 5``, ~3 ms a key) shows its customer (never an
amount in KHÁCH ĐƯA, nothing collected); a typist at ``--delay 150`` (~75 ms a key) in F3 keeps
what they typed."""

from __future__ import annotations

import sqlite3

from test_e2e_xvfb import ROOT, _wait, pytestmark, start_app, stop, window_named, xdo, xserver  # noqa: F401

__all__ = ["pytestmark", "xserver"]


def test_scans_after_dialogs_typist_and_password_without_window_manager(xserver, tmp_path):
    home = tmp_path / "home"
    db = home / "cashier.sqlite3"
    log = home / "logs" / "cashier.log"
    app = start_app(xserver, home, db, preview=tmp_path / "preview", scratch=tmp_path)

    def logged(text: str) -> bool:
        return log.exists() and text in log.read_text(encoding="utf-8")

    def focused_name() -> str:
        wid = xdo(xserver, "getwindowfocus")
        return xdo(xserver, "getwindowname", wid) if wid.isdigit() else ""

    try:
        window_named(xserver, "Đăng nhập", timeout=90)
        _wait(lambda: focused_name() == "Đăng nhập", 10, "the login dialog to have the keyboard", app)
        # the user name is remembered, the focus is in the password: go back to the user field
        # and type a password into it at scanner speed, then Enter
        xdo(xserver, "key", "shift+Tab", "ctrl+a", "BackSpace")
        secret = "Matkhau2026"
        xdo(xserver, "type", "--delay", "5", secret)
        xdo(xserver, "key", "Return")  # refused login (no such user): the dialog stays, on the password
        xdo(xserver, "key", "shift+Tab", "ctrl+a", "BackSpace")
        xdo(xserver, "type", "--delay", "150", "thungan")
        xdo(xserver, "key", "Tab")
        xdo(xserver, "type", "--delay", "150", "123456")
        xdo(xserver, "key", "Return")
        window_named(xserver, "Mở ca")
        _wait(lambda: focused_name() == "Mở ca", 10, "the shift dialog to have the keyboard", app)
        xdo(xserver, "type", "--delay", "150", "500")  # thousands: 500.000 đ
        xdo(xserver, "key", "Return")
        _wait(lambda: focused_name().startswith("Quầy thu tiền điện"), 10, "the counter to have the keyboard", app)

        con = sqlite3.connect(db)
        codes = [r[0] for r in con.execute(
            "SELECT c.code FROM customer c JOIN bill b ON b.customer_id = c.id "
            "WHERE b.status = 'unpaid' GROUP BY c.code ORDER BY c.code LIMIT 4"
        )]
        con.close()
        xdo(xserver, "type", "--delay", "5", codes[0])
        xdo(xserver, "key", "Return")
        _wait(lambda: logged(f"shown {codes[0]}"), 20, "the first customer", app)

        # a 75 ms typist in F3: the name stays in the box and the search finds it (Enter picks)
        xdo(xserver, "key", "F3")
        _wait(lambda: focused_name() == "Tìm khách hàng", 10, "the search dialog", app)
        xdo(xserver, "type", "--delay", "150", "nguyen van")
        xdo(xserver, "key", "Return")
        _wait(lambda: focused_name().startswith("Quầy thu tiền điện"), 10, "the pick to close the search", app)
        text = log.read_text(encoding="utf-8")
        assert "NGUYENVAN" not in text  # never taken for a (bad) scan

        for key, title, code in (("F1", "Phím tắt", codes[1]), ("F3", "Tìm khách hàng", codes[2]), ("F6", "Hủy biên nhận", codes[3])):
            xdo(xserver, "key", key)
            _wait(lambda title=title: focused_name() == title, 10, f"{key}: {title}", app)
            xdo(xserver, "key", "Escape")
            _wait(lambda: focused_name().startswith("Quầy thu tiền điện"), 10, f"the counter back after {key}", app)
            xdo(xserver, "type", "--delay", "5", code)
            xdo(xserver, "key", "Return")
            _wait(lambda code=code: logged(f"shown {code}"), 20, f"the scan after {key}", app)

        con = sqlite3.connect(db)
        assert con.execute("SELECT COUNT(*) FROM payment").fetchone()[0] == 0  # nothing collected
        con.close()
        text = log.read_text(encoding="utf-8")
        assert secret not in text and secret.upper() not in text
    finally:
        stop(app, 10)
