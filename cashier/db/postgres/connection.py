"""Opening the collection point's PostgreSQL server.

A URL ``postgresql://user:password@host:port/dbname`` (``postgres://`` too); the password may be
left out of it: libpq then reads ``PGPASSWORD`` or ``~/.pgpass`` (``PGPASSFILE``), as every
PostgreSQL client does. The driver is psycopg 3, held by peewee's ``PostgresqlDatabase`` (one
connection per thread, ``atomic()`` transactions and savepoints, ``execute_sql`` for the raw SQL
the stores use on the hot path, as the SQLite stores do).

Connection failures become one clear DomainError (``postgres.*``: unreachable server, refused
password, unknown database, unsupported version) instead of a driver traceback; the URL in a
message never shows the password.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from peewee import OperationalError as PeeweeOperationalError
from peewee import PostgresqlDatabase

from cashier.core.errors import AuthenticationFailed, Conflict, DomainError, InvalidInput

#: the oldest server the schema is written for (identity columns, partial unique indexes, ...)
MIN_SERVER_VERSION = 130000

_SCHEMES = ("postgresql://", "postgres://")

#: how long a statement waits for a row another counter's transaction holds (the same customer's
#: bills) before the counter says the server is busy; set per connection
LOCK_TIMEOUT = "5s"


class ServerUnreachable(DomainError):
    code = "postgres.unreachable"


class ServerTooOld(Conflict):
    code = "postgres.server_too_old"


def is_postgres_url(value: object) -> bool:
    return isinstance(value, str) and value.lower().startswith(_SCHEMES)


def normalise_url(url: str) -> str:
    """The URL with the ``postgresql://`` scheme; refuses one without a host or database name."""
    if not is_postgres_url(url):
        raise InvalidInput("postgres.bad_url", url=safe_url(url))
    if url.lower().startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    parts = urlsplit(url)
    if not parts.hostname or not parts.path.strip("/"):
        raise InvalidInput("postgres.bad_url", url=safe_url(url))
    return url


def safe_url(url: str) -> str:
    """``url`` with the password replaced by ``***`` (for messages and logs)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return re.sub(r":[^:@/]*@", ":***@", url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    user = netloc[0].split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc[1]}"))


def database_name(url: str) -> str:
    return urlsplit(normalise_url(url)).path.strip("/")


def with_database(url: str, dbname: str) -> str:
    """The same server and login, another database (``postgres`` to create one)."""
    return urlunsplit(urlsplit(normalise_url(url))._replace(path="/" + dbname))


def with_login(url: str, user: str, password: str | None) -> str:
    """The same server and database, another login (a counter's role)."""
    parts = urlsplit(normalise_url(url))
    host = parts.netloc.rsplit("@", 1)[-1]
    auth = f"{user}:{password}" if password is not None else user
    return urlunsplit(parts._replace(netloc=f"{auth}@{host}"))


def connect_error(exc: BaseException, url: str) -> DomainError:
    """The DomainError for a failed connection (psycopg's OperationalError text is libpq's)."""
    text = str(getattr(exc, "orig", exc))
    low = text.lower()
    where = safe_url(url)
    if "password authentication failed" in low or "no password supplied" in low:
        return AuthenticationFailed("postgres.bad_password", url=where)
    if "does not exist" in low and "database" in low:
        return Conflict("postgres.no_database", url=where)
    if "does not exist" in low and "role" in low:
        return AuthenticationFailed("postgres.bad_password", url=where)
    return ServerUnreachable("postgres.unreachable", url=where, detail=text.strip().splitlines()[-1] if text else "")


def open_database(url: str, *, connect_timeout: int = 5, application_name: str = "cashier") -> PostgresqlDatabase:
    """A connected ``PostgresqlDatabase`` for ``url``; refuses a server older than PostgreSQL 13."""
    url = normalise_url(url)
    db = PostgresqlDatabase(url, connect_timeout=connect_timeout, application_name=application_name,
                            options=f"-c lock_timeout={LOCK_TIMEOUT}", autoconnect=True)
    try:
        db.connect(reuse_if_open=True)
    except PeeweeOperationalError as exc:
        raise connect_error(exc, url) from None
    version = int(db.connection().pgconn.server_version)
    if version < MIN_SERVER_VERSION:
        db.close()
        raise ServerTooOld("postgres.server_too_old", found=f"{version // 10000}.{version % 10000}",
                           required=f"{MIN_SERVER_VERSION // 10000}")
    return db
