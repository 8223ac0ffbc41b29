"""The station database's schema: versions and ordered migrations (PRAGMA user_version holds
the version), and :func:`open_station_database` (open + migrate).

An existing database is backed up (SQLite backup API, never a file copy) before any migration.
To change the schema: append a function to :data:`MIGRATIONS`; never edit a released one.
The models are imported explicitly (no module hidden from import-linter); connection.py does
not import this module (the old connection -> migrations -> models -> connection circle).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from peewee import SqliteDatabase

from cashier.db.sqlite import cache_models, export_models, ledger_models, search_index
from cashier.db.sqlite.connection import open_database, private_file

log = logging.getLogger(__name__)


def _all_models() -> tuple[list, list[str]]:
    found = [*cache_models.CACHE_MODELS, *ledger_models.MODELS, *export_models.MODELS, *search_index.MODELS]
    ddl = [*cache_models.CACHE_EXTRA_DDL, *ledger_models.EXTRA_DDL, *export_models.EXTRA_DDL, *search_index.EXTRA_DDL]
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
    """Baskets (one payer, several customers): see :func:`add_basket_tables`."""
    add_basket_tables(db.connection())


BASKET_DDL = (
    "CREATE TABLE IF NOT EXISTS basket ("
    "id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, station TEXT NOT NULL, "
    "shift_id INTEGER NOT NULL REFERENCES shift(id), cashier_id INTEGER NOT NULL REFERENCES app_user(id), "
    "created_at TEXT NOT NULL, size INTEGER NOT NULL CHECK (size >= 2), "
    "total INTEGER NOT NULL CHECK (total > 0), tendered INTEGER NOT NULL, "
    "change_amount INTEGER NOT NULL CHECK (change_amount >= 0 AND change_amount = tendered - total), "
    "journal_seq INTEGER UNIQUE, idempotency_key TEXT UNIQUE, request_fp TEXT)",
    "CREATE UNIQUE INDEX IF NOT EXISTS payment_basket_customer ON payment (basket_id, customer_code) "
    "WHERE basket_id IS NOT NULL",
    "CREATE UNIQUE INDEX IF NOT EXISTS payment_basket_pos ON payment (basket_id, basket_pos) "
    "WHERE basket_id IS NOT NULL",
)


def add_basket_tables(conn: sqlite3.Connection) -> None:
    """Migration 3 (idempotent; also used on a backup being restored): the ``basket`` table
    (the one tender and change: CHECK change = tendered - total >= 0), ``payment.basket_id``
    and ``basket_pos``; a unique index refuses the same customer twice in a basket."""
    cols = {r[1] for r in conn.execute("PRAGMA table_info(payment)").fetchall()}
    if not cols:
        return
    conn.execute(BASKET_DDL[0])
    if "basket_id" not in cols:
        conn.execute("ALTER TABLE payment ADD COLUMN basket_id INTEGER REFERENCES basket(id)")
    if "basket_pos" not in cols:
        conn.execute("ALTER TABLE payment ADD COLUMN basket_pos INTEGER")
    for stmt in BASKET_DDL[1:]:
        conn.execute(stmt)


def _v4_outbox(db: SqliteDatabase) -> None:
    """The durable outbox (issue 13 item 3): see :func:`add_outbox_columns`."""
    add_outbox_columns(db.connection())


OUTBOX_DDL = (
    "CREATE UNIQUE INDEX IF NOT EXISTS payment_client_uuid ON payment (client_uuid) WHERE client_uuid IS NOT NULL",
    "CREATE UNIQUE INDEX IF NOT EXISTS payment_client_seq ON payment (station, client_seq) "
    "WHERE client_seq IS NOT NULL",
    "CREATE TABLE IF NOT EXISTS outbox_state ("
    "payment_id INTEGER PRIMARY KEY REFERENCES payment(id), "
    "state TEXT NOT NULL CHECK (state IN ('uploaded', 'set_aside')), at TEXT NOT NULL, "
    "outcome TEXT CHECK (outcome IS NULL OR outcome IN ('applied', 'refund_case')), "
    "server_receipt TEXT, reason_code TEXT, reason TEXT, "
    "CHECK ((state = 'uploaded') = (outcome IS NOT NULL)))",
)


def add_outbox_columns(conn: sqlite3.Connection) -> None:
    """Migration 4 (idempotent; also for a backup being restored): ``payment.client_uuid`` (the
    payment's identity on the server, assigned at commit, unique) and ``client_seq`` (its place
    in the station's upload order: the receipt counter, unique per station), and
    ``outbox_state``: a payment with a client UUID and no state row waits to upload; 'uploaded'
    (with the server's answer) or 'set_aside' (a non-transient refusal, with its reason)."""
    cols = {r[1] for r in conn.execute("PRAGMA table_info(payment)").fetchall()}
    if not cols:
        return
    if "client_uuid" not in cols:
        conn.execute("ALTER TABLE payment ADD COLUMN client_uuid TEXT")
    if "client_seq" not in cols:
        conn.execute("ALTER TABLE payment ADD COLUMN client_seq INTEGER")
    for stmt in OUTBOX_DDL:
        conn.execute(stmt)


#: (version, description, function). Version N's function takes the schema from N-1 to N.
MIGRATIONS: list[tuple[int, str, Callable[[SqliteDatabase], None]]] = [
    (1, "initial schema: debt cache, ledger, export", _v1_initial),
    (2, "split payments: payment.transfer_amount", _v2_split_payment),
    (3, "baskets: basket table, payment.basket_id and basket_pos", _v3_basket),
    (4, "outbox: payment.client_uuid and client_seq, outbox_state", _v4_outbox),
]

SCHEMA_VERSION = MIGRATIONS[-1][0]


def current_version(db: SqliteDatabase) -> int:
    return int(db.execute_sql("PRAGMA user_version").fetchone()[0])


def backup_before_migration(path: Path, version: int, backup_dir: Path | None = None) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target_dir = backup_dir or path.parent
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / f"{path.stem}.v{version}-{stamp}.bak.sqlite3"
    private_file(target)  # the database's own 0600: a backup holds the same data
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


def open_station_database(path: str | Path, *, backup_dir: Path | None = None) -> SqliteDatabase:
    """Open (creating if needed) the station database at ``path`` and bring its schema to
    :data:`SCHEMA_VERSION` (backing an existing file up first when it is migrated)."""
    db = open_database(path)
    migrate(db, Path(path), backup_dir=backup_dir)
    return db
