"""One command-line grammar, checked on every subcommand's parser (the argparse tree walked):
each has help, ``--help`` exits 0, the global options work before, after and between the command
words, ``--json`` is there, and ``--out`` / ``--out-dir`` mean the same everywhere."""

from __future__ import annotations

import argparse
import json

import pytest
from cli_tree import command_tree, leaf_ids, leaves, required_args

from cashier.cli import build_parser, main, parse_args
from cashier.cli.options import GLOBAL_OPTIONS, OutDir, OutFile, all_parsers

GLOBALS = ["--db", "g.sqlite3", "--printer", "preview:/tmp/g", "--user", "u1", "--manager", "m1", "--json", "-v"]
EXPECTED = {"db": "g.sqlite3", "printer": "preview:/tmp/g", "user": "u1", "manager": "m1", "json": True,
            "verbose": True}


def test_the_tree_has_the_commands():
    names = set(leaf_ids())
    assert {"gui", "collect", "users add", "shift close", "report day", "export", "backup", "selftest"} <= names
    assert len(names) >= 40


@pytest.mark.parametrize(("words", "help_text"), [(w, h) for w, _, h in command_tree()], ids=lambda v: str(v))
def test_every_command_has_help(words, help_text):
    assert len(help_text) >= 10, f"{' '.join(words)}: no help in the command list"


@pytest.mark.parametrize("words", [w for w, _, _ in command_tree()], ids=" ".join)
def test_help_exits_0_for_every_command(words, capsys):
    with pytest.raises(SystemExit) as exc:
        parse_args([*words, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: cashier " + " ".join(words))
    assert "global options (before or after the command)" in out


@pytest.mark.parametrize(("words", "parser"), leaves(), ids=leaf_ids())
def test_global_options_work_in_every_position(words, parser):
    rest = required_args(parser)
    words = list(words)
    positions = {
        "before": [*GLOBALS, *words, *rest],
        "after": [*words, *rest, *GLOBALS],
        **{f"after {words[i - 1]}": [*words[:i], *GLOBALS, *words[i:], *rest] for i in range(1, len(words))},
    }
    for where, argv in positions.items():
        args = parse_args(argv)
        got = {k: getattr(args, k) for k in EXPECTED}
        assert got == EXPECTED, f"{' '.join(words)}: global options {where}: {got}"
    args = parse_args([*words, *rest])  # not given: the defaults
    assert {flags[-1].lstrip("-").replace("-", "_"): getattr(args, flags[-1].lstrip("-").replace("-", "_"))
            for flags, _, _ in GLOBAL_OPTIONS} == {"db": None, "station": None, "printer": None, "user": None,
                                                    "manager": None, "json": False, "verbose": False}


@pytest.mark.parametrize(("words", "parser"), leaves(), ids=leaf_ids())
def test_every_command_takes_json(words, parser):
    assert parser._option_string_actions["--json"].dest == "json"


def test_out_is_always_a_file_and_out_dir_always_a_folder():
    file_commands, dir_commands = [], []
    for parser in all_parsers(build_parser()):
        actions = parser._option_string_actions
        if "--out-dir" in actions:
            assert isinstance(actions["--out-dir"], OutDir) and actions["--out-dir"].metavar == "DIR"
            assert actions["--out"].help == argparse.SUPPRESS  # only the pointer to --out-dir
            dir_commands.append(parser.prog)
        elif "--out" in actions:
            assert isinstance(actions["--out"], OutFile) and actions["--out"].metavar == "FILE", parser.prog
            assert actions["--out"].help.startswith("the file to write: "), parser.prog
            file_commands.append(parser.prog)
        for action in parser._actions:  # no other option names a folder or an output of its own
            assert action.metavar not in ("DIR", "FOLDER") or isinstance(action, OutDir), (parser.prog, action)
    assert sorted(file_commands) == ["cashier card", "cashier demo-data", "cashier export-key", "cashier report day"]
    assert sorted(dir_commands) == ["cashier backup", "cashier export"]


@pytest.mark.parametrize("command", ["export", "backup"])
def test_out_on_a_folder_command_names_out_dir(command, capsys):
    with pytest.raises(SystemExit) as exc:
        parse_args([command, "--out", "E:/"])
    assert exc.value.code == 2
    assert f"cashier {command}: error: --out names one FILE; {command} writes into a folder: use --out-dir E:/" \
        in capsys.readouterr().err


def test_a_usage_error_with_json_is_a_json_document(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["lookup", "PC12AA0000001", "--json", "--no-such-option"])
    assert exc.value.code == 2
    out, err = capsys.readouterr()
    error = json.loads(out)["error"]
    assert error["code"] == "usage" and error["exit_code"] == 2 and "--no-such-option" in error["message"]
    assert "unrecognized arguments: --no-such-option" in err
