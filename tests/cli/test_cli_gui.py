"""`cashier`, `cashier gui` and their per-run overrides reach the GUI entry point."""

from __future__ import annotations

import pytest

import cashier.app
from cashier.cli import main


@pytest.fixture
def gui_calls(monkeypatch):
    calls = []
    monkeypatch.setattr(cashier.app, "main", lambda argv=None: calls.append(argv) or 0)
    return calls


def test_no_command_starts_the_gui(gui_calls):
    assert main([]) == 0
    assert gui_calls == [[]]


def test_gui_overrides_for_one_run_are_forwarded(gui_calls, tmp_path):
    db = str(tmp_path / "x.sqlite3")
    assert main(["--db", db, "--printer", "preview:/tmp/p", "gui", "--lang", "en"]) == 0
    assert gui_calls == [["--db", db, "--printer", "preview:/tmp/p", "--lang", "en"]]


def test_unknown_language_is_refused_by_the_parser(gui_calls, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["gui", "--lang", "fr"])
    assert exc.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
    assert gui_calls == []
