"""Frozen entry point of ``cashier`` / ``cashier.exe`` (console): the command line."""

import multiprocessing
import sys

from cashier.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a big extract is parsed in a child process (spawn)
    sys.exit(main())
