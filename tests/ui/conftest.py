"""pytest-qt fixtures for the counter app (offscreen): a real Station on a temporary database
with the demo data, demo users and the preview printer, driven through the real widgets."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if os.environ["QT_QPA_PLATFORM"] == "offscreen":
    # one virtual screen of the smallest size a counter PC has (1024x768), not offscreen's
    # default 800x800: the tests see the window on a screen it is made for
    import json
    import tempfile

    _screen = Path(tempfile.gettempdir()) / "cashier-test-screen-1024x768.json"
    _screen.write_text(json.dumps({"screens": [{"name": "counter", "x": 0, "y": 0, "width": 1024, "height": 768, "logicalDpi": 96, "dpr": 1}]}))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_screen}"
os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", os.path.join(os.sep, "tmp", "escpos-caps"))

import pytest  # noqa: E402
from uihelpers import FakeClock  # noqa: E402


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """One demo database built once per test session and copied for each test (building the
    demo debt data is the slow part)."""
    from cashier.app_gui import gui_start

    home = tmp_path_factory.mktemp("demo-template")
    old = os.environ.get("CASHIER_HOME")
    os.environ["CASHIER_HOME"] = str(home)
    try:
        station, _info = gui_start(str(home / "cashier.sqlite3"), f"preview:{home / 'preview'}")
        station.close()
    finally:
        if old is None:
            os.environ.pop("CASHIER_HOME", None)
        else:
            os.environ["CASHIER_HOME"] = old
    return home


@pytest.fixture
def counter(qtbot, qapp, tmp_path, monkeypatch, demo_template):
    """The running counter app on a copy of the demo database; nobody logged in yet."""
    import shutil

    from cashier.app_gui import gui_start
    from cashier.cli.gui_options import parse_gui_args
    from cashier.ui.main import build

    home = tmp_path / "home"
    shutil.copytree(demo_template, home, ignore=shutil.ignore_patterns("preview", "logs"))
    monkeypatch.setenv("CASHIER_HOME", str(home))
    preview = tmp_path / "preview"
    preview.mkdir()
    printer = os.environ.get("CASHIER_TEST_PRINTER") or f"preview:{preview}"
    state = {}

    def start(db, pr):
        station, info = gui_start(db, pr)
        state["station"] = station
        return station, info

    app = build(
        parse_gui_args(["--db", str(home / "cashier.sqlite3"), "--printer", printer,
                        "--settings", str(tmp_path / "ui.ini")]),
        start,
        qapp,
    )
    app.preview = preview
    app.clock = FakeClock()
    app.detector.clock = app.clock
    app.feedback.sound_enabled = False
    qtbot.addWidget(app.window)
    app.window.show()
    qtbot.waitExposed(app.window)
    yield app
    app.window.close()
    app.close()


@pytest.fixture
def session(counter):
    """The counter with the demo cashier logged in and a shift open (float 500.000 đ)."""
    backend = counter.backend
    user = backend.login("thungan", "123456")
    shift = backend.current_shift() or backend.open_shift(user, 500_000)
    counter.window.set_session(user, shift)
    counter.user = user
    return counter
