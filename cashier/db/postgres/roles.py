"""The server's database and roles: what ``cashier server init`` sets up.

* ``cashier_counter``: a group role (NOLOGIN) holding exactly the rights a counter needs: read
  every table; INSERT and UPDATE on the ledger (payments, lines, shifts, voids, baskets, counters,
  the journal head, exports...), where UPDATE on payments, their lines, bills and baskets is
  limited to the columns a counter changes (:data:`UPDATABLE_COLUMNS`: never an amount); the journal itself INSERT-only (no UPDATE, no DELETE: the chain
  is append-only); the import's tables (customers, cards, import batches) and CMIS's clearing
  results read-only (the server imports them); no DELETE anywhere, no DDL (the schema's owner is
  the login that ran ``server init``; PostgreSQL 15 no longer grants CREATE on ``public``, older
  servers have it revoked here).
* one LOGIN role per counter PC, ``cashier_<station>`` (``cashier_st01``), member of the group,
  with its own password, so a counter can be shut out alone (``ALTER ROLE ... NOLOGIN``).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from peewee import PostgresqlDatabase
from psycopg import sql

from cashier.core.errors import InvalidInput
from cashier.db.postgres.ddl import APPEND_ONLY, READ_ONLY_FOR_COUNTERS

GROUP_ROLE = "cashier_counter"

#: tables whose recorded money a counter never rewrites: it may UPDATE only these columns
#: (status, print count, export marks...), never a total, a tendered amount, a bill it points at
UPDATABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "payment": ("status", "print_count", "printed", "exported_batch", "void_exported_batch",
                "basket_id", "basket_pos"),
    "payment_line": ("active",),
    "bill": ("status", "status_changed_at", "double_collection"),
    "basket": ("code", "total", "change_amount", "journal_seq"),
}
STATION_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,15}$")


def check_station(code: str) -> str:
    if not STATION_CODE.match(code or ""):
        raise InvalidInput("postgres.bad_station", station=code)
    return code.upper()


def role_name(station: str) -> str:
    return "cashier_" + check_station(station).lower().replace("-", "_")


@dataclass(frozen=True)
class CounterRole:
    station: str
    role: str
    created: bool
    #: the new password (None when the role existed and kept its password)
    password: str | None


def _q(db: PostgresqlDatabase, query: sql.Composable) -> None:
    db.execute_sql(query.as_string(db.connection()))


def ensure_database(admin: PostgresqlDatabase, dbname: str) -> bool:
    """Create ``dbname`` on the server ``admin`` is connected to (any database of it) unless it
    exists; True when it was created."""
    found = admin.execute_sql("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone()
    if found:
        return False
    _q(admin, sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(sql.Identifier(dbname)))
    return True


def _role_exists(db: PostgresqlDatabase, name: str) -> bool:
    return db.execute_sql("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone() is not None


def grant_counter_rights(db: PostgresqlDatabase, dbname: str) -> None:
    """(Re)grant the group role its rights on every table of the schema (idempotent)."""
    if not _role_exists(db, GROUP_ROLE):
        _q(db, sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(GROUP_ROLE)))
    group = sql.Identifier(GROUP_ROLE)
    _q(db, sql.SQL("REVOKE CREATE ON SCHEMA public FROM PUBLIC"))
    _q(db, sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(sql.Identifier(dbname), group))
    _q(db, sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(group))
    tables = [r[0] for r in db.execute_sql(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename").fetchall()]
    for table in tables:
        ident = sql.Identifier(table)
        _q(db, sql.SQL("REVOKE ALL ON {} FROM {}").format(ident, group))
        if table in APPEND_ONLY:
            rights = "SELECT, INSERT"
        elif table in READ_ONLY_FOR_COUNTERS or table == "schema_version":
            rights = "SELECT"
        elif table in UPDATABLE_COLUMNS:
            cols = sql.SQL(", ").join(sql.Identifier(c) for c in UPDATABLE_COLUMNS[table])
            _q(db, sql.SQL("GRANT SELECT, INSERT ON {} TO {}").format(ident, group))
            _q(db, sql.SQL("GRANT UPDATE ({}) ON {} TO {}").format(cols, ident, group))
            continue
        else:
            rights = "SELECT, INSERT, UPDATE"
        _q(db, sql.SQL("GRANT " + rights + " ON {} TO {}").format(ident, group))
    _q(db, sql.SQL("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {}").format(group))


def ensure_counter_role(db: PostgresqlDatabase, station: str, *, reset_password: bool = False) -> CounterRole:
    """The login role of counter ``station`` (created with a new random password, or kept)."""
    code = check_station(station)
    name = role_name(code)
    exists = _role_exists(db, name)
    password: str | None = None
    if not exists or reset_password:
        password = secrets.token_urlsafe(18)
        verb = "ALTER" if exists else "CREATE"
        _q(db, sql.SQL(verb + " ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT PASSWORD {}")
           .format(sql.Identifier(name), sql.Literal(password)))
    _q(db, sql.SQL("GRANT {} TO {}").format(sql.Identifier(GROUP_ROLE), sql.Identifier(name)))
    return CounterRole(station=code, role=name, created=not exists, password=password)
