"""End to end: the real app as a subprocess under Xvfb, typed into with xdotool like a
keyboard-wedge scanner (``xdotool type --delay 5`` ~ 3 ms between keys), checked through the
database, the log and the preview printer's files.

Skipped only when the Xvfb or xdotool binaries are absent (``make test`` installs them through
scripts/system-deps.sh)."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.xvfb,
    pytest.mark.skipif(
        not (shutil.which("Xvfb") and shutil.which("xdotool")), reason="needs the Xvfb and xdotool binaries"
    ),
]

ROOT = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def running_xvfb(*screens: str):
    """A throwaway Xvfb; Xvfb picks a free display itself (-displayfd) and says it when it is
    ready, so two test runs at once never race for one number. ``screens``: "1366x900x24", ..."""
    read_fd, write_fd = os.pipe()
    args = [a for i, geom in enumerate(screens) for a in ("-screen", str(i), geom)]
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), *args, "-nolisten", "tcp"],
        pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as ready:  # one line with the display number, once it accepts clients
            number = ready.readline().strip()
        if not number:
            raise AssertionError(f"Xvfb did not start (exit {proc.poll()})")
        yield f":{number}"
    finally:
        stop(proc, 5)


def stop(proc: subprocess.Popen, timeout: float = 10) -> None:
    """Ask a child (the app, Xvfb) to end; kill it when it has not within ``timeout``."""
    proc.terminate()
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()


def _wait(predicate, timeout: float, what: str, proc: subprocess.Popen | None = None):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        if proc is not None and proc.poll() is not None:
            out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
            raise AssertionError(f"the app exited ({proc.returncode}) while waiting for {what}:\n{out[-3000:]}")
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def xserver():
    with running_xvfb("1366x900x24") as display:
        yield display


def xdo(display: str, *args: str, timeout: float = 20) -> str:
    env = dict(os.environ, DISPLAY=display)
    out = subprocess.run(["xdotool", *args], env=env, capture_output=True, text=True, timeout=timeout)
    return out.stdout.strip()


def start_app(display: str, home: Path, db: Path, *, preview: Path, scratch: Path) -> subprocess.Popen:
    """The real app (``python -m cashier --db DB --printer preview:DIR gui``) on ``display``, with
    its own CASHIER_HOME and config/escpos folders under ``scratch``; output on its stdout pipe."""
    env = dict(
        os.environ,
        DISPLAY=display,
        QT_QPA_PLATFORM="xcb",
        CASHIER_HOME=str(home),
        XDG_CONFIG_HOME=str(scratch / "config"),
        ESCPOS_CAPABILITIES_PICKLE_DIR=str(scratch / "escpos"),
    )
    env.pop("CASHIER_DB", None)
    return subprocess.Popen(
        [sys.executable, "-m", "cashier", "--db", str(db), "--printer", f"preview:{preview}", "gui"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip


def window_named(display: str, name: str, timeout: float = 60) -> str:
    return _wait(lambda: xdo(display, "search", "--onlyvisible", "--name", name).split("\n")[0], timeout, f"window {name!r}")


def test_scan_collect_print_under_xvfb(xserver, tmp_path):
    home = tmp_path / "home"
    preview = tmp_path / "preview"
    db = home / "cashier.sqlite3"
    app = start_app(xserver, home, db, preview=preview, scratch=tmp_path)
    try:
        # first start: demo data + demo users, then the login dialog (user name filled in)
        login = window_named(xserver, "Đăng nhập", timeout=90)
        xdo(xserver, "windowactivate", "--sync", login)
        xdo(xserver, "type", "--delay", "40", "123456")
        xdo(xserver, "key", "Return")
        shift = window_named(xserver, "Mở ca")
        xdo(xserver, "windowactivate", "--sync", shift)
        xdo(xserver, "type", "--delay", "40", "500")  # thousands: 500.000 đ
        xdo(xserver, "key", "Return")
        main = window_named(xserver, "Quầy thu tiền điện")
        _wait(lambda: not xdo(xserver, "search", "--onlyvisible", "--name", "Mở ca"), 10, "the shift dialog to close", app)

        # a customer with unpaid bills, read straight from the database the app created
        con = sqlite3.connect(db)
        code = con.execute(
            "SELECT c.code FROM customer c JOIN bill b ON b.customer_id = c.id "
            "WHERE b.status = 'unpaid' GROUP BY c.code ORDER BY c.code LIMIT 1"
        ).fetchone()[0]
        con.close()

        xdo(xserver, "windowactivate", "--sync", main)
        xdo(xserver, "type", "--delay", "5", code)
        xdo(xserver, "key", "Return")
        log = home / "logs" / "cashier.log"
        _wait(lambda: log.exists() and f"shown {code}" in log.read_text(encoding="utf-8"), 20, "the customer on screen", app)
        shot = tmp_path / "counter.png"
        subprocess.run(["import", "-display", xserver, "-window", "root", str(shot)], check=False, timeout=30)

        xdo(xserver, "key", "Return")  # confirm: collect the full amount
        def paid():
            con = sqlite3.connect(db)
            try:
                return con.execute(
                    "SELECT receipt_no, printed FROM payment WHERE customer_code = ? AND status = 'active'", (code,)
                ).fetchall()
            finally:
                con.close()

        rows = _wait(lambda: [r for r in paid() if r[1] == 1], 30, "the payment to be collected and printed", app)
        assert len(paid()) == 1 and len(rows) == 1
        receipt_no = rows[0][0]
        files = list(preview.rglob("*"))
        assert any(f.suffix == ".bin" and f.stat().st_size > 200 for f in files), files
        assert any(f.suffix == ".png" for f in files), files
        assert f"collected {receipt_no}" in log.read_text(encoding="utf-8")
    finally:
        stop(app, 10)
