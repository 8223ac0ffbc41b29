"""Frozen entry point of ``cashier`` / ``cashier.exe`` (console): the command line."""

import sys

from cashier.cli import main

if __name__ == "__main__":
    sys.exit(main())
