"""Command line: ``cashier COMMAND ...`` (also ``python -m cashier``).

Each group of commands lives in its own module with ``register(subparsers)``; a command's
handler receives ``(args, station)`` and returns the exit code. Refusals print one line on
stderr and exit with their own code (below); ``--json`` output goes to stdout; progress goes to
stderr. No error the user can reach prints a traceback (``-v`` adds one on stderr for an
unexpected error).

Global options, accepted before, after or between the command words (one definition,
:data:`cashier.cli.options.GLOBAL_OPTIONS`): ``--db PATH``, ``--printer URL``, ``--user NAME``,
``--manager NAME``, ``--json``, ``-v``, ``--station CODE`` (the counter on a ``postgresql://``
``--db``). The recurring command options (``--out FILE``,
``--out-dir DIR``, ``--force``, ``--date``...) are defined once in cashier/cli/options.py. With
``--json`` every command prints one JSON document on stdout, a failure too
(cashier/cli/output.py). ``cashier gui`` takes the options of ``cashier-gui``
(cashier/cli/gui_options.py).

Exit codes (:data:`EXIT_CODES`; docs/ledger.md):

    0  done
    1  unexpected internal error (one line; -v shows the traceback)
    2  usage error (argparse: unknown option, missing argument)
    3  refused: invalid input, unknown customer/receipt, a state that does not allow it,
       an output path that would overwrite the database, a key, a backup or an existing file
    4  authentication failed (no user, wrong password, locked) or permission denied
    5  input/output error: disk full, read-only medium, no access to a file or folder
    6  integrity: the journal, an export file or a backup does not verify
    7  busy: the database is locked by another program for too long (try again)
    130 interrupted (Ctrl+C); 141 the output pipe closed (``cashier search --json | head``)
"""

from __future__ import annotations

import argparse
import errno
import importlib
import logging
import os
import sys

from cashier import __version__
from cashier.cli.gui_options import GUI_HELP, add_gui_options, gui_argv
from cashier.cli.options import (
    Parser,
    UsageError,
    add_global_options,
    all_parsers,
    fill_global_defaults,
)
from cashier.cli.output import json_printed, print_error_json
from cashier.core.errors import AuthenticationFailed, DomainError, IntegrityError, PermissionDenied

#: the command modules, each with ``register(subparsers)``, in the order ``cashier --help`` lists them
COMMAND_MODULES = [
    "cashier.cli.cache_commands",
    "cashier.cli.users_commands",
    "cashier.cli.shift_commands",
    "cashier.cli.ledger_commands",
    "cashier.cli.device_commands",
    "cashier.cli.scanner_commands",
    "cashier.cli.export_commands",
    "cashier.cli.system_commands",
    "cashier.cli.server_commands",
]

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_REFUSED = 3
EXIT_AUTH = 4
EXIT_IO = 5
EXIT_INTEGRITY = 6
EXIT_BUSY = 7
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141

EXIT_CODES = {
    EXIT_OK: "done",
    EXIT_ERROR: "unexpected internal error",
    EXIT_USAGE: "usage error (argparse)",
    EXIT_REFUSED: "refused (input, state, protected or existing output file)",
    EXIT_AUTH: "authentication failed or permission denied",
    EXIT_IO: "input/output error (disk full, read-only, no access)",
    EXIT_INTEGRITY: "does not verify (journal, export file, backup)",
    EXIT_BUSY: "database busy (locked by another program)",
    EXIT_INTERRUPTED: "interrupted",
    EXIT_BROKEN_PIPE: "output pipe closed",
}

def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="cashier",
        description="Cashier station for electricity bill collection (CMIS debt cache).",
        epilog="exit codes: " + "; ".join(f"{k} {v}" for k, v in EXIT_CODES.items()),
    )
    parser.add_argument("--version", action="version", version=f"cashier {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    gui = sub.add_parser("gui", help=GUI_HELP, description=GUI_HELP)
    add_gui_options(gui)
    gui.set_defaults(handler=None)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    for p in all_parsers(parser):
        add_global_options(p)
    return parser


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The parsed command line; a usage error exits 2 (with ``--json`` also as a JSON document)."""
    try:
        args = build_parser().parse_args(argv)
    except UsageError as exc:
        if "--json" in argv:
            print_error_json("usage", exc.message, EXIT_USAGE)
        raise
    return fill_global_defaults(args)


def setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


def _say(message: str) -> None:
    try:
        print(f"cashier: {message}", file=sys.stderr)
    except (OSError, ValueError):  # stderr itself gone: nothing more to say
        pass


def _os_error_line(exc: OSError) -> str:
    where = exc.filename or ""
    if exc.errno == errno.ENOSPC:
        what = "the disk is full"
    elif exc.errno == errno.EROFS:
        what = "the medium is read-only"
    elif exc.errno in (errno.EACCES, errno.EPERM):
        what = "permission denied (check the folder's write permission or CASHIER_HOME)"
    else:
        what = exc.strerror or str(exc)
    return f"{what}{': ' + str(where) if where else ''}; nothing was changed by the failed step"


def _database_error(exc: Exception) -> tuple[int, str] | None:
    """sqlite3 / peewee errors the user can cause (full disk, read-only file, a lock)."""
    import sqlite3

    import peewee

    if not isinstance(exc, sqlite3.Error | peewee.PeeweeException):
        return None
    text = str(exc)
    low = text.lower()
    if "disk is full" in low or "disk i/o" in low or "no transaction is active" in low:
        # "cannot rollback - no transaction is active": SQLite already rolled the write back
        # after a full disk (SQLITE_FULL) and peewee's own rollback found nothing left to undo
        return EXIT_IO, f"the disk is full or failing ({text}); the last step was not saved"
    if "readonly" in low or "read-only" in low:
        return EXIT_IO, f"the database cannot be written ({text}): check the medium and its permissions"
    if "locked" in low or "busy" in low:
        return EXIT_BUSY, "the database is busy (another program is writing it); try again in a moment"
    return EXIT_ERROR, f"database error: {text}"


#: DomainError codes that report a failed write (disk full, read-only...): the I/O exit code
IO_ERROR_CODES = frozenset({"output.failed", "export.write_failed", "system.data_dir_readonly"})


#: DomainError codes of a command that does not apply to this kind of database, or of a missing
#: --station on the server: the usage exit code
USAGE_ERROR_CODES = frozenset({"postgres.file_only", "postgres.no_station"})


def _exit_code_of(exc: DomainError) -> int:
    if exc.code in USAGE_ERROR_CODES:
        return EXIT_USAGE
    if exc.code in IO_ERROR_CODES:
        return EXIT_IO
    if isinstance(exc, AuthenticationFailed | PermissionDenied):
        return EXIT_AUTH
    if isinstance(exc, IntegrityError):
        return EXIT_INTEGRITY
    return EXIT_REFUSED


def _broken_pipe() -> int:
    """Python docs, "Note on SIGPIPE": point stdout at devnull so the exit flush is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return EXIT_BROKEN_PIPE


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    setup_logging(args.verbose)
    if args.command in (None, "gui"):
        from cashier.app import main as gui_main

        return gui_main(gui_argv(args))
    return run(args)


def _fail(args: argparse.Namespace, exit_code: int, message: str, code: str) -> int:
    """One line on stderr; with ``--json`` also the error document, unless the command already
    printed its document."""
    _say(message)
    if getattr(args, "json", False) and not json_printed(args):
        print_error_json(code, message, exit_code)
    return exit_code


def run(args: argparse.Namespace) -> int:
    """Run a parsed command; every failure the user can cause ends as one line + exit code."""
    station = None
    try:
        from cashier.app import Station

        # (``server init`` has its own repeatable --station: the counters' roles)
        counter = args.station if isinstance(args.station, str) else None
        station = Station(args.db, printer_url=args.printer, station=counter)
        code = int(args.handler(args, station) or 0)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        return _broken_pipe()
    except DomainError as exc:
        return _fail(args, _exit_code_of(exc), str(exc), exc.code)
    except KeyboardInterrupt:
        return _fail(args, EXIT_INTERRUPTED, "interrupted", "interrupted")
    except OSError as exc:
        return _fail(args, EXIT_IO, _os_error_line(exc), "io")
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one line, never a traceback
        known = _database_error(exc)
        if known is not None:
            return _fail(args, known[0], known[1], "busy" if known[0] == EXIT_BUSY else "database")
        logging.getLogger("cashier.cli").debug("unexpected error", exc_info=True)
        return _fail(args, EXIT_ERROR, f"internal error: {type(exc).__name__}: {exc} (run with -v for details)",
                     "internal")
    finally:
        if station is not None:
            try:
                station.close()
            except Exception:  # noqa: BLE001 - closing after a failure must not print a traceback
                logging.getLogger("cashier.cli").debug("close failed", exc_info=True)
