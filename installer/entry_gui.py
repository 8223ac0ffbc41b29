"""Frozen entry point of ``cashier-gui`` / ``cashier-gui.exe`` (windowed): the counter app.

With no arguments it starts the GUI; ``cashier-gui --db PATH`` and ``--printer URL`` work as for
``cashier gui``. Other commands belong to the console ``cashier.exe`` (a windowed program has no
console to print to).
"""

import multiprocessing
import sys

from cashier.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a big extract is parsed in a child process (spawn)
    argv = sys.argv[1:]
    sys.exit(main(argv if any(a.startswith("-") for a in argv) else ["gui"]))
