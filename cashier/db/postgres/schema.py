"""Versioned schema migrations of the PostgreSQL server, with the SQLite discipline
(db/migrations.py): ordered, append-only, each one transaction; a schema newer than the program is
refused. The version lives in ``schema_version`` (one row per applied migration, its description
and time), not a PRAGMA.

PostgreSQL's DDL is transactional: a migration either applies whole or not at all. Every run
takes a transaction-scoped advisory lock first, so two counters (or ``cashier server init``)
starting at the same moment migrate once, one after the other; the second sees the version done.

To change the schema: append to :data:`MIGRATIONS`; never edit a released one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from peewee import PostgresqlDatabase

from cashier.core.errors import Conflict
from cashier.db.postgres.ddl import V1_TABLES, V2_SEARCH, V3_OUTBOX

log = logging.getLogger(__name__)

#: pg_advisory_xact_lock key of the migrations ("cashier" schema lock)
MIGRATION_LOCK = 0x63617368


def _v1_initial(db: PostgresqlDatabase) -> None:
    for stmt in V1_TABLES:
        db.execute_sql(stmt)


def _v2_search(db: PostgresqlDatabase) -> None:
    for stmt in V2_SEARCH:
        db.execute_sql(stmt)


def _v3_outbox(db: PostgresqlDatabase) -> None:
    for stmt in V3_OUTBOX:
        db.execute_sql(stmt)


#: (version, description, function). Version N's function takes the schema from N-1 to N.
MIGRATIONS: list[tuple[int, str, Callable[[PostgresqlDatabase], None]]] = [
    (1, "initial schema: debt cache, ledger (one journal chain per station), export, baskets", _v1_initial),
    (2, "customer search: pg_trgm GIN index on the folded text, code prefix index", _v2_search),
    (3, "outbox: uploaded payments, each station's last applied sequence, offline shifts", _v3_outbox),
]

SCHEMA_VERSION = MIGRATIONS[-1][0]

_VERSION_TABLE = (
    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
    "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
)


class SchemaTooNew(Conflict):
    code = "postgres.schema_too_new"


def current_version(db: PostgresqlDatabase) -> int:
    """The schema version of the database (0: no schema yet)."""
    row = db.execute_sql("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()
    if not row[0]:
        return 0
    return int(db.execute_sql("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0])


def migrate(db: PostgresqlDatabase) -> tuple[int, int]:
    """Bring the schema to :data:`SCHEMA_VERSION`; return (version before, version after).

    ``db`` must be allowed to create tables (the owner: ``cashier server init``); a counter's
    role only checks (:func:`check_version`).
    """
    before = current_version(db)
    if before > SCHEMA_VERSION:
        raise SchemaTooNew(found=before, supported=SCHEMA_VERSION)
    if before == SCHEMA_VERSION:
        return before, before
    with db.atomic():
        db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        db.execute_sql(_VERSION_TABLE)
        before = current_version(db)  # another process may have migrated meanwhile
        if before > SCHEMA_VERSION:
            raise SchemaTooNew(found=before, supported=SCHEMA_VERSION)
        for version, description, func in MIGRATIONS:
            if version <= before:
                continue
            log.info("migrating the PostgreSQL schema to v%d: %s", version, description)
            with db.atomic():
                func(db)
                db.execute_sql("INSERT INTO schema_version (version, description) VALUES (%s, %s)",
                             (version, description))
    return before, SCHEMA_VERSION


class SchemaMissing(Conflict):
    code = "postgres.schema_missing"


def check_version(db: PostgresqlDatabase) -> int:
    """A counter's check: the schema is there and not newer than this program (it never migrates:
    its role has no DDL right). Returns the version."""
    found = current_version(db)
    if found > SCHEMA_VERSION:
        raise SchemaTooNew(found=found, supported=SCHEMA_VERSION)
    if found < SCHEMA_VERSION:
        raise SchemaMissing(found=found, supported=SCHEMA_VERSION)
    return found
