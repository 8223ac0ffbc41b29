"""Where the station keeps its files (platformdirs), overridable by CASHIER_HOME / CASHIER_DB.

Data and keys live in the user's data directory, never next to the program (Program Files is
read-only for users and is replaced on upgrade). Keys (journal secret, signing key) are kept
outside the database file on purpose: a copied database alone cannot forge entries.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from cashier.core import resources as core_resources

APP_NAME = "CashierStation"
APP_AUTHOR = "CashierStation"


def data_dir() -> Path:
    home = os.environ.get("CASHIER_HOME")
    if home:
        return Path(home)
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def default_db_path() -> Path:
    env = os.environ.get("CASHIER_DB")
    if env:
        return Path(env)
    return data_dir() / "cashier.sqlite3"


def keys_dir(db_path: Path | None = None) -> Path:
    """Keys live beside the data directory, in ``keys/`` (0700), not inside the database."""
    env = os.environ.get("CASHIER_KEYS")
    if env:
        return Path(env)
    base = db_path.parent if db_path is not None else data_dir()
    return base / "keys"


def reports_dir(db_path: Path) -> Path:
    return db_path.parent / "reports"


def backups_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def log_dir() -> Path:
    home = os.environ.get("CASHIER_HOME")
    if home:
        return Path(home) / "logs"
    return Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


def resources_dir() -> Path:
    """The bundled resources/ folder (source tree, installed package data or a frozen build)."""
    return core_resources.resources_dir()
