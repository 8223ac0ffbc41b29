"""Reading rows by column name: queries through a cursor whose rows are ``sqlite3.Row`` (index
AND name access, made in C), on the peewee connection, leaving the connection's own row factory
alone (the cache's hot paths read plain tuples)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any


def cursor(conn: sqlite3.Connection) -> sqlite3.Cursor:
    cur = conn.cursor()
    cur.row_factory = sqlite3.Row
    return cur


def rows(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
    return cursor(conn).execute(sql, params).fetchall()


def row(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
    return cursor(conn).execute(sql, params).fetchone()


def stream(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = (), batch: int = 2000) -> Iterator[sqlite3.Row]:
    cur = cursor(conn).execute(sql, params)
    while chunk := cur.fetchmany(batch):
        yield from chunk


def scalar(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> Any:
    """The first column of the first row (None without a row)."""
    r = conn.execute(sql, params).fetchone()
    return None if r is None else r[0]
