"""Cashier station for Vietnamese electricity bill collection."""

from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("cashier-station")
except _metadata.PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+src"
