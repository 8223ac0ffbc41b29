"""Schema versions and ordered migrations (PRAGMA user_version holds the version).

An existing database is backed up (SQLite backup API, never a file copy) before any migration.
To change the schema: append a function to :data:`MIGRATIONS`; never edit a released one.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from peewee import SqliteDatabase

log = logging.getLogger(__name__)


def _all_models() -> tuple[list, list[str]]:
    from cashier.db import models

    found = list(models.CACHE_MODELS)
    ddl = list(models.CACHE_EXTRA_DDL)
    # The ledger and export models register here as they are added.
    for modname in ("cashier.db.ledger_models", "cashier.db.export_models", "cashier.db.search_index"):
        try:
            mod = __import__(modname, fromlist=["MODELS"])
        except ModuleNotFoundError as exc:
            if exc.name != modname:
                raise
            continue
        found += list(getattr(mod, "MODELS", []))
        ddl += list(getattr(mod, "EXTRA_DDL", []))
    return found, ddl


def _v1_initial(db: SqliteDatabase) -> None:
    models, ddl = _all_models()
    db.create_tables(models, safe=True)
    for stmt in ddl:
        db.execute_sql(stmt)


def _v2_split_payment(db: SqliteDatabase) -> None:
    """Split payments (cash + bank transfer): ``payment.transfer_amount``, see
    :func:`add_split_payment_column` (self-contained: renumber freely at a merge)."""
    add_split_payment_column(db.connection())


def add_split_payment_column(conn: sqlite3.Connection) -> None:
    """Add ``payment.transfer_amount`` (idempotent; also used on a backup being restored).

    The bank-transfer part of a split payment (method 'cash'); 0 for every other payment. Its
    CHECK: never negative, and when set: method cash, less than the total, a bank reference. With
    the existing ``change_amount = tendered - total`` (tendered = cash handed over + transfer
    part) the change only ever comes out of the cash part, and cash + transfer = total due.
    """
    cols = {r[1] for r in conn.execute("PRAGMA table_info(payment)").fetchall()}
    if not cols or "transfer_amount" in cols:
        return
    conn.execute(
        "ALTER TABLE payment ADD COLUMN transfer_amount INTEGER NOT NULL DEFAULT 0 "
        "CONSTRAINT payment_split_transfer CHECK (transfer_amount >= 0 AND (transfer_amount = 0 OR "
        "(method = 'cash' AND transfer_amount < total AND tendered - transfer_amount >= 0 "
        "AND bank_ref <> '')))"
    )


def _v3_basket(db: SqliteDatabase) -> None:
    """Baskets (one payer, several customers): see ``db.basket_store.add_basket_tables``."""
    from cashier.db.basket_store import add_basket_tables

    add_basket_tables(db.connection())


#: (version, description, function). Version N's function takes the schema from N-1 to N.
MIGRATIONS: list[tuple[int, str, Callable[[SqliteDatabase], None]]] = [
    (1, "initial schema: debt cache, ledger, export", _v1_initial),
    (2, "split payments: payment.transfer_amount", _v2_split_payment),
    (3, "baskets: basket table, payment.basket_id and basket_pos", _v3_basket),
]

SCHEMA_VERSION = MIGRATIONS[-1][0]


def current_version(db: SqliteDatabase) -> int:
    return int(db.execute_sql("PRAGMA user_version").fetchone()[0])


def backup_before_migration(path: Path, version: int, backup_dir: Path | None = None) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target_dir = backup_dir or path.parent
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / f"{path.stem}.v{version}-{stamp}.bak.sqlite3"
    src = sqlite3.connect(str(path))
    try:
        dst = sqlite3.connect(str(target))
        with dst:
            src.backup(dst)
        dst.close()
    finally:
        src.close()
    log.info("backed up %s to %s before migrating", path, target)
    return target


def migrate(db: SqliteDatabase, path: Path | None = None, backup_dir: Path | None = None) -> int:
    """Bring the schema to :data:`SCHEMA_VERSION`; return the version it was at."""
    before = current_version(db)
    if before > SCHEMA_VERSION:
        raise RuntimeError(
            f"database schema v{before} is newer than this program (v{SCHEMA_VERSION}): "
            "install the newer version of the station"
        )
    if before == SCHEMA_VERSION:
        return before
    has_tables = db.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
    if has_tables and path is not None and str(path) != ":memory:":
        backup_before_migration(path, before, backup_dir)
    for version, description, func in MIGRATIONS:
        if version <= before:
            continue
        log.info("migrating schema to v%d: %s", version, description)
        with db.atomic("IMMEDIATE"):
            func(db)
            db.execute_sql(f"PRAGMA user_version = {int(version)}")
    return before
