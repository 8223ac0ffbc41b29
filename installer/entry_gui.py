"""Frozen entry point of ``cashier-gui`` / ``cashier-gui.exe`` (windowed): the counter app.

It takes the options of ``cashier gui`` (``--lang vi|en``, ``--settings FILE``, ``--db PATH``,
``--printer URL``, ``-v``...), parsed by the one GUI parser (cashier/cli/gui_options.py) through
``cashier.app.main``, as the ``cashier-gui`` console script does. Other commands belong to the
console ``cashier.exe``. A windowed program has no console: a usage error is also shown in a
message box.
"""

import multiprocessing
import sys

from cashier.app import main
from cashier.cli.options import UsageError


def show_usage_error(message: str) -> None:
    """The usage error in a message box (a windowed program's stderr goes nowhere)."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    from cashier.cli.gui_options import build_gui_parser

    _app = QApplication.instance() or QApplication(sys.argv[:1])
    QMessageBox.critical(None, "cashier-gui", f"{message}\n\n{build_gui_parser().format_usage()}")


def run(argv: list[str]) -> int:
    try:
        return main(argv)
    except UsageError as exc:
        if sys.stderr is None:  # windowed: nobody reads the usage on stderr
            show_usage_error(exc.message)
        return 2


if __name__ == "__main__":
    multiprocessing.freeze_support()  # a big extract is parsed in a child process (spawn)
    sys.exit(run(sys.argv[1:]))
