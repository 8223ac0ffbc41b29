"""`cashier`, `cashier gui`, `cashier-gui` and the frozen `cashier-gui.exe` take the same options
(one parser: cashier/cli/gui_options.py) and reach the counter app with them."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import pytest

import cashier.app
import cashier.ui.main
from cashier.cli import build_parser, main
from cashier.cli.gui_options import LANGUAGE_CODES, build_gui_parser, parse_gui_args

ENTRY_GUI = Path(__file__).resolve().parents[2] / "installer" / "entry_gui.py"


@pytest.fixture
def gui_calls(monkeypatch):
    """What `cashier gui` hands to the GUI's entry point (cashier.app.main)."""
    calls = []
    monkeypatch.setattr(cashier.app, "main", lambda argv=None: calls.append(argv) or 0)
    return calls


@pytest.fixture
def started(monkeypatch):
    """The options the counter app starts with (run_gui not run)."""
    seen = []
    monkeypatch.setattr(cashier.ui.main, "run_gui", lambda options, start: seen.append(options) or 0)
    return seen


def test_no_command_starts_the_gui(gui_calls):
    assert main([]) == 0
    assert gui_calls == [[]]


def test_gui_overrides_for_one_run_are_forwarded(gui_calls, tmp_path):
    db = str(tmp_path / "x.sqlite3")
    assert main(["--db", db, "--printer", "preview:/tmp/p", "gui", "--lang", "en", "--settings", "s.ini", "-v"]) == 0
    assert gui_calls == [["--db", db, "--printer", "preview:/tmp/p", "--lang", "en", "--settings", "s.ini", "-v"]]


def test_unknown_language_is_refused_by_the_parser(gui_calls, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["gui", "--lang", "fr"])
    assert exc.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
    assert gui_calls == []


def test_cashier_gui_takes_its_command_line(monkeypatch, started, tmp_path):
    """The `cashier-gui` script calls cashier.app:main() without arguments: sys.argv counts."""
    db = str(tmp_path / "x.sqlite3")
    monkeypatch.setattr(sys, "argv", ["cashier-gui", "--lang", "en", "--db", db, "--printer", "preview:/tmp/p"])
    assert cashier.app.main() == 0
    (options,) = started
    assert (options.lang, options.db, options.printer, options.settings) == ("en", db, "preview:/tmp/p", None)


def test_cashier_gui_and_cashier_gui_command_parse_the_same(monkeypatch, started, tmp_path):
    argv = ["--db", str(tmp_path / "x.sqlite3"), "--lang", "vi", "--settings", str(tmp_path / "s.ini")]
    assert main(["gui", *argv]) == 0
    assert cashier.app.main(argv) == 0
    first, second = started
    assert vars(first) == vars(second) == vars(parse_gui_args(argv))


def test_cashier_gui_refuses_what_cashier_gui_command_refuses(started, capsys):
    for argv in (["--lang", "fr"], ["--no-such-option"], ["selftest"]):
        with pytest.raises(SystemExit) as exc:
            cashier.app.main(argv)
        assert exc.value.code == 2
        with pytest.raises(SystemExit) as exc:
            main(["gui", *argv])
        assert exc.value.code == 2
    assert started == []


def test_frozen_gui_entry_takes_the_same_options(monkeypatch, started, tmp_path):
    """installer/entry_gui.py (cashier-gui.exe): `--lang en` reaches the app."""
    db = str(tmp_path / "x.sqlite3")
    monkeypatch.setattr(sys, "argv", ["cashier-gui.exe", "--lang", "en", "--db", db])
    with pytest.raises(SystemExit) as exc:
        runpy.run_path(str(ENTRY_GUI), run_name="__main__")
    assert exc.value.code == 0
    (options,) = started
    assert (options.lang, options.db) == ("en", db)


def test_frozen_gui_entry_shows_a_usage_error_when_windowed(monkeypatch, started):
    entry = runpy.run_path(str(ENTRY_GUI))  # not __main__: only the functions
    shown = []
    monkeypatch.setitem(entry["run"].__globals__, "show_usage_error", shown.append)
    monkeypatch.setattr(sys, "stderr", None)  # a windowed program has no console
    assert entry["run"](["--lang", "fr"]) == 2
    assert len(shown) == 1 and "invalid choice: 'fr'" in shown[0]
    assert started == []


def test_the_gui_command_and_cashier_gui_have_the_same_options():
    gui = next(a for a in build_parser()._subparsers._group_actions)._name_parser_map["gui"]
    assert set(gui._option_string_actions) == set(build_gui_parser()._option_string_actions)


def test_language_choices_are_the_ui_languages():
    from cashier.ui.i18n import LANGUAGES

    assert sorted(LANGUAGES) == list(LANGUAGE_CODES)
