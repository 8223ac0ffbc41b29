"""The counter app's options: one definition for ``cashier gui``, ``cashier-gui`` and the frozen
``cashier-gui.exe``.

``cashier [GLOBAL] gui [--lang vi|en] [--settings FILE]`` and ``cashier-gui [the same]`` take the
same options: :func:`add_gui_options` plus the global ones (``--db``, ``--printer``, ``-v``...;
cashier/cli/options.py). ``cashier gui`` hands its options on as :func:`gui_argv`, which the GUI's
entry point (``cashier.app.main``) parses with :func:`parse_gui_args`, as ``cashier-gui`` does.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from cashier.cli.options import Parser, add_global_options, fill_global_defaults

#: the UI languages (cashier/ui/i18n.py LANGUAGES, checked by a test: Qt stays unloaded here)
LANGUAGE_CODES = ("en", "vi")

GUI_HELP = "start the counter app (the default with no command)"


def add_gui_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=LANGUAGE_CODES,
                        help="UI language for this run (default: the saved setting, vi)")
    parser.add_argument("--settings", metavar="FILE",
                        help="this computer's settings file (QSettings ini; default: $CASHIER_HOME/settings.ini "
                        "or the system's place)")


def build_gui_parser(prog: str = "cashier-gui") -> Parser:
    parser = Parser(prog=prog, description=f"Cashier station: {GUI_HELP}.")
    add_gui_options(parser)
    add_global_options(parser)
    return parser


def parse_gui_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The GUI's options from ``argv`` (None: this program's command line). A usage error raises
    :class:`~cashier.cli.options.UsageError` (a SystemExit 2) after saying it on stderr."""
    args = build_gui_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    fill_global_defaults(args)
    for name in ("lang", "settings"):
        args.__dict__.setdefault(name, None)
    return args


def gui_argv(args: argparse.Namespace) -> list[str]:
    """Parsed GUI options back as the argument list :func:`parse_gui_args` reads."""
    argv: list[str] = []
    for flag, name in (("--db", "db"), ("--station", "station"), ("--printer", "printer"), ("--lang", "lang"), ("--settings", "settings")):
        value = getattr(args, name, None)
        if value:
            argv += [flag, str(value)]
    if getattr(args, "verbose", False):
        argv.append("-v")
    return argv
