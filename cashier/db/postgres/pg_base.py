"""What every PostgreSQL store shares: the station it writes for, transactions, raw SQL, the
station's journal chain, and driver errors turned into domain errors.

One journal chain per station: ``journal_head`` has one row per station, locked ``FOR UPDATE``
by the appending transaction, so two counters never wait on each other's head; entries are keyed
(station, seq). A station's first entry inserts its head row: a second PC using the same station
code at the same moment fails on the head's primary key, and the store says so
(``postgres.station_in_use``) instead of forking the chain.

Errors: a unique violation the caller did not expect becomes ``Conflict("ledger.db_refused")``;
a lost connection or a server going down becomes ``postgres.connection_lost`` (nothing of the
transaction was committed: PostgreSQL rolls back whatever a dead connection left open); a lock
wait past the statement's lock timeout becomes ``storage.busy``.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

import peewee
import psycopg
from peewee import PostgresqlDatabase

from cashier.core import journal as jr
from cashier.core.errors import Conflict, DomainError, IntegrityError
from cashier.core.messages import Message
from cashier.core.storage_errors import busy


class SecretStore(Protocol):
    """The station's journal key (the services' SecretStore port, structurally)."""

    def secret(self, create: bool = True) -> bytes: ...

    def exists(self) -> bool: ...


class ConnectionLost(DomainError):
    code = "postgres.connection_lost"


def driver_error(exc: BaseException) -> BaseException:
    """The psycopg exception under a peewee one (peewee wraps a failed reconnect twice)."""
    while isinstance(getattr(exc, "orig", None), BaseException):
        exc = exc.orig  # type: ignore[attr-defined]
    return exc


def constraint_of(exc: BaseException) -> str:
    orig = driver_error(exc)
    diag = getattr(orig, "diag", None)
    return (getattr(diag, "constraint_name", None) or "") if diag is not None else ""


def translate(exc: BaseException, what: Message) -> DomainError | None:
    """A domain error for a connection/lock failure, else None."""
    orig = driver_error(exc)
    if isinstance(orig, psycopg.errors.LockNotAvailable | psycopg.errors.QueryCanceled):
        return busy(what)
    if isinstance(orig, psycopg.OperationalError | psycopg.InterfaceError) or isinstance(
        exc, peewee.InterfaceError
    ):
        return ConnectionLost("postgres.connection_lost", what=what)
    return None


class PgStoreBase:
    """The shared plumbing (mixed into every PostgreSQL store of one station)."""

    def __init__(self, db: PostgresqlDatabase, secrets: SecretStore, *, station: str) -> None:
        self.db = db
        self.station = station
        self._secrets = secrets
        self._secret: bytes | None = None
        self._fp: str | None = None

    # -- plumbing -------------------------------------------------------------------------
    @contextlib.contextmanager
    def _tx(self, what: str = "storage.step.writing") -> Iterator[None]:
        """One transaction (a savepoint when nested); connection failures as domain errors."""
        try:
            with self.db.atomic():
                yield
        except ConnectionLost as exc:
            self._reset_connection()
            raise ConnectionLost("postgres.connection_lost", what=Message(what)) from exc
        except (peewee.OperationalError, peewee.InterfaceError) as exc:
            err = translate(exc, Message(what))
            if err is None:
                raise
            self._reset_connection()
            raise err from exc

    def _reset_connection(self) -> None:
        """After a lost connection: the next statement reconnects (peewee autoconnect)."""
        if self.db.in_transaction():
            return
        with contextlib.suppress(Exception):
            self.db.close()

    def _exec(self, sql: str, params: Sequence[Any]) -> Any:
        """One statement; a dropped connection is ``postgres.connection_lost`` (outside a
        transaction the connection is reset: the next statement reconnects)."""
        try:
            return self.db.execute_sql(sql, tuple(params))
        except (peewee.OperationalError, peewee.InterfaceError) as exc:
            err = translate(exc, Message("postgres.step.reading"))
            if err is None:
                raise
            if isinstance(err, ConnectionLost):
                self._reset_connection()
            raise err from exc

    def _q(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return list(self._exec(sql, params).fetchall())

    def _q1(self, sql: str, params: Sequence[Any] = ()) -> tuple | None:
        return self._exec(sql, params).fetchone()

    def _x(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Execute; the number of rows it changed."""
        return int(self._exec(sql, params).rowcount)

    def secret(self, create: bool = True) -> bytes:
        if self._secret is None:
            self._secret = self._secrets.secret(create)
            self._fp = jr.key_fingerprint(self._secret)
        return self._secret

    def key_fingerprint(self) -> str:
        self.secret()
        return self._fp or ""

    # -- settings (the server's, shared by every counter) -----------------------------------
    def get_setting(self, key: str, default: Any = None) -> Any:
        row = self._q1("SELECT value FROM setting WHERE key = %s", (key,))
        if row is None:
            return default
        try:
            return json.loads(row[0])
        except ValueError:
            return row[0]

    def set_setting(self, key: str, value: Any) -> None:
        with self._tx():
            self._x("INSERT INTO setting (key, value) VALUES (%s, %s) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (key, json.dumps(value, ensure_ascii=False)))

    # -- the station's journal chain --------------------------------------------------------
    def _append(self, kind: str, payload: dict, ts: str, station: str | None = None) -> jr.Entry:
        """Append one entry to ``station``'s chain (this station's by default; another station's
        is refused ``journal.wrong_key`` unless this storage holds its key); the caller holds
        the transaction."""
        station = station or self.station
        head = self._q1("SELECT seq, hash, key_fp FROM journal_head WHERE station = %s FOR UPDATE", (station,))
        secret = self.secret(create=head is None)
        if head is None:
            last = self._q1("SELECT max(seq) FROM journal_entry WHERE station = %s", (station,))
            if last and last[0]:
                raise IntegrityError("journal.head", seq=last[0])
            seq, prev = 1, jr.GENESIS
        else:
            if head[2] != self._fp:
                raise IntegrityError("journal.wrong_key")
            seq, prev = int(head[0]) + 1, head[1]
        entry = jr.make_entry(secret, seq, ts, kind, payload, prev)
        mac = jr.head_mac(secret, entry.seq, entry.hash)
        self._x("INSERT INTO journal_entry (station, seq, ts, kind, payload, prev_hash, hash) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s)",
                (station, entry.seq, entry.ts, entry.kind, entry.payload, entry.prev_hash, entry.hash))
        if head is None:
            try:
                with self.db.atomic():
                    self._x("INSERT INTO journal_head (station, seq, hash, mac, key_fp) VALUES (%s, %s, %s, %s, %s)",
                            (station, entry.seq, entry.hash, mac, self._fp))
            except peewee.IntegrityError as exc:
                raise Conflict("postgres.station_in_use", station=station) from exc
        else:
            self._x("UPDATE journal_head SET seq = %s, hash = %s, mac = %s WHERE station = %s",
                    (entry.seq, entry.hash, mac, station))
        return entry
