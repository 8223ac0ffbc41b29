"""Command line: ``cashier COMMAND ...`` (also ``python -m cashier``).

Each group of commands lives in its own module with ``register(subparsers)``; a command's
handler receives ``(args, station)`` and returns the exit code. Refusals print one line on
stderr and exit non-zero; ``--json`` output goes to stdout; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from cashier import __version__
from cashier.core.errors import DomainError

COMMAND_MODULES = [
    "cashier.cli.cache_commands",
    "cashier.cli.ledger_commands",
    "cashier.cli.device_commands",
    "cashier.cli.export_commands",
    "cashier.cli.system_commands",
]

EXIT_REFUSED = 2
EXIT_ERROR = 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cashier",
        description="Cashier station for electricity bill collection (CMIS debt cache).",
    )
    parser.add_argument("--version", action="version", version=f"cashier {__version__}")
    parser.add_argument("--db", metavar="PATH", help="database file (default: $CASHIER_DB or the user data dir)")
    parser.add_argument("--printer", metavar="URL", help="printer URL for this run (overrides settings)")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging on stderr")
    parser.add_argument(
        "--user", metavar="NAME", help="who acts (password: $CASHIER_PASSWORD or a prompt); also after the command"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    gui = sub.add_parser("gui", help="start the counter app (the default with no command)")
    gui.add_argument("--lang", choices=["vi", "en"], help="UI language for this run (default: saved setting, vi)")
    gui.set_defaults(handler=None)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if args.command in (None, "gui"):
        from cashier.app import main as gui_main

        gui_argv = []
        if args.db:
            gui_argv += ["--db", args.db]
        if args.printer:
            gui_argv += ["--printer", args.printer]
        if getattr(args, "lang", None):
            gui_argv += ["--lang", args.lang]
        return gui_main(gui_argv)

    from cashier.app import Station

    station = Station(args.db, printer_url=args.printer)
    try:
        return int(args.handler(args, station) or 0)
    except DomainError as exc:
        print(f"cashier: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        print("cashier: interrupted", file=sys.stderr)
        return 130
    except PermissionError as exc:  # e.g. a read-only data or backup folder: one line, no traceback
        print(f"cashier: permission denied: {exc.filename or ''} ({exc.strerror}); "
              "check the folder's write permission or CASHIER_HOME", file=sys.stderr)
        return EXIT_ERROR
    finally:
        station.close()
