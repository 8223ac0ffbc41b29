"""The command line's shared option definitions: one spelling, one meaning, one help text.

Global options (:data:`GLOBAL_OPTIONS`) are given to every parser of the tree, so that they work
before, after or between the command words. The recurring command options are added with the
functions below, never spelt out by a command module:

``--out FILE``
    always the one FILE a command writes (a folder given here is refused: exit 3);
``--out-dir DIR``
    always the FOLDER a command writes its files into (an existing file is refused: exit 3);
    ``--out`` on such a command is a usage error that names ``--out-dir`` (exit 2);
``--force``
    replace an existing output file (never the database, keys/ or backups/);
``--date YYYY-MM-DD``, ``--shift ID``, ``--print``.

The walk over every parser (tests/cli/test_parser_tree.py) checks that ``--out`` and
``--out-dir`` are only ever these definitions.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from cashier.core.errors import InvalidInput

#: (flags, argparse keywords, value when not given): the one definition of the global options
GLOBAL_OPTIONS: tuple[tuple[tuple[str, ...], dict[str, Any], object], ...] = (
    (("--db",), {"metavar": "PATH|URL",
                 "help": "database file, or the collection point's server postgresql://user:password@host:port/dbname "
                         "(default: $CASHIER_DB or the user data dir's file)"}, None),
    (("--station",), {"metavar": "CODE",
                      "help": "which counter this PC is on the PostgreSQL server, e.g. ST01 (default: $CASHIER_STATION)"},
     None),
    (("--printer",), {"metavar": "URL", "help": "printer URL for this run (overrides settings)"}, None),
    (("--user",), {"metavar": "NAME", "help": "who acts (password: $CASHIER_PASSWORD or a prompt)"}, None),
    (("--manager",), {"metavar": "NAME",
                      "help": "a manager authorising this action (password: $CASHIER_MANAGER_PASSWORD or a prompt)"},
     None),
    (("--json",), {"action": "store_true",
                   "help": "one JSON document on stdout, an error too (scan-serial/scan-hid: one per line)"},
     False),
    (("-v", "--verbose"), {"action": "store_true", "help": "debug logging on stderr"}, False),
)

GLOBAL_GROUP_TITLE = "global options (before or after the command)"


class UsageError(SystemExit):
    """A usage error (exit 2), as argparse's own, with its message kept for ``--json``."""

    def __init__(self, message: str) -> None:
        super().__init__(2)
        self.message = message


class Parser(argparse.ArgumentParser):
    """argparse, except that a usage error raises :class:`UsageError` (still a SystemExit 2)
    after printing the usage and the message on stderr, as argparse does."""

    def error(self, message: str) -> Any:
        self.print_usage(sys.stderr)
        text = f"{self.prog}: error: {message}"
        try:
            print(text, file=sys.stderr)
        except (AttributeError, OSError, ValueError):  # no console (the windowed program)
            pass
        raise UsageError(text)


def dest_of(flags: Sequence[str]) -> str:
    return next(f for f in flags if f.startswith("--"))[2:].replace("-", "_")


def add_global_options(parser: argparse.ArgumentParser) -> None:
    """Give ``parser`` the global options with ``default=SUPPRESS``, so that a value given
    before the command is not overwritten by a subcommand's default (and vice versa). An option
    a command already defines keeps its definition but loses its default the same way."""
    group = None
    for flags, kwargs, _ in GLOBAL_OPTIONS:
        existing = [parser._option_string_actions[f] for f in flags if f in parser._option_string_actions]
        if existing:
            for action in existing:
                action.default = argparse.SUPPRESS
            continue
        if group is None:
            group = parser.add_argument_group(GLOBAL_GROUP_TITLE)
        group.add_argument(*flags, dest=dest_of(flags), default=argparse.SUPPRESS, **kwargs)


def fill_global_defaults(args: argparse.Namespace) -> argparse.Namespace:
    """The value of every global option not given (they are parsed with ``SUPPRESS``)."""
    for flags, _, default in GLOBAL_OPTIONS:
        if not hasattr(args, dest_of(flags)):
            setattr(args, dest_of(flags), default)
    return args


def all_parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """``parser`` and every subcommand's parser below it (each once)."""
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                yield from all_parsers(sub)


# -- --out FILE / --out-dir DIR -----------------------------------------------------------------


class OutFile(argparse._StoreAction):
    """``--out FILE``: the one file a command writes."""


class OutDir(argparse._StoreAction):
    """``--out-dir DIR``: the folder a command writes its files into."""


class _OutMeansFile(argparse.Action):
    """``--out`` on a command that writes into a folder: a usage error naming ``--out-dir``."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        parser.error(f"--out names one FILE; {parser.prog.split()[-1]} writes into a folder: "
                     f"use --out-dir {values}")


def add_out_file(parser: argparse.ArgumentParser, what: str, *, example: str, required: bool = False) -> None:
    """``--out FILE``; ``what`` says which file (e.g. ".xlsx, .txt or .csv"), ``example`` is a
    file name the refusal of a folder suggests (e.g. "day.xlsx")."""
    parser.add_argument("--out", action=OutFile, metavar="FILE", required=required,
                        help=f"the file to write: {what}")
    parser.set_defaults(out_example=example)


def add_out_dir(parser: argparse.ArgumentParser, default: str) -> None:
    """``--out-dir DIR``; ``default`` says where the files go without it."""
    parser.add_argument("--out-dir", action=OutDir, dest="out_dir", metavar="DIR",
                        help=f"the folder to write into (default: {default})")
    parser.add_argument("--out", action=_OutMeansFile, metavar="FILE", help=argparse.SUPPRESS)


def out_file(args: argparse.Namespace) -> Path:
    """``--out`` as a Path; a folder (or no ``--out``) is refused with a clear message."""
    value = getattr(args, "out", None)
    if value is None:
        raise InvalidInput("invalid_input", detail="give --out FILE")
    path = Path(value).expanduser()
    if path.is_dir():
        example = Path(value) / getattr(args, "out_example", "name.ext")
        raise InvalidInput("invalid_input", detail=f"--out {value} is a folder: --out names the file "
                                                   f"to write (for example {example})")
    return path


def out_dir(args: argparse.Namespace) -> Path | None:
    """``--out-dir`` as a Path (None when not given); an existing file is refused."""
    value = getattr(args, "out_dir", None)
    if value is None:
        return None
    path = Path(value).expanduser()
    if path.exists() and not path.is_dir():
        raise InvalidInput("invalid_input", detail=f"--out-dir {value} is a file: --out-dir names a folder")
    return path


# -- other recurring options ------------------------------------------------------------------


def add_force(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true",
                        help="replace an existing --out file (never the database, keys, backups)")


def add_date(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--date", metavar="YYYY-MM-DD", help=what)


def add_shift(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--shift", type=int, metavar="ID", help=what)


def add_print(parser: argparse.ArgumentParser, what: str, *, dest: str = "print") -> None:
    parser.add_argument("--print", dest=dest, action="store_true", help=what)
