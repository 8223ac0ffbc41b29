"""Reading rows by column name: each query's rows come back as named tuples of its own columns
(``row.receipt_no``; the class is made once per column list, and a tuple is what the driver
gives, so reading by name costs what reading by position does), on the peewee connection,
leaving the connection's own row factory alone (the cache's hot paths read plain tuples)."""

from __future__ import annotations

import sqlite3
from collections import namedtuple
from collections.abc import Iterator, Sequence
from typing import Any

#: namedtuple, called with the columns a query returns (not a class statement mypy could check)
_row_class: Any = namedtuple
#: query text -> the constructor of its rows (the columns of a query never change)
_MAKERS: dict[str, Any] = {}


def _maker(cur: sqlite3.Cursor, sql: str) -> Any:
    make = _MAKERS.get(sql)
    if make is None:
        if len(_MAKERS) > 512:  # queries with a varying IN (?,?...) list: keep the cache small
            _MAKERS.clear()
        columns = [d[0] for d in cur.description]
        make = _MAKERS[sql] = _row_class("Row", columns, rename=True)._make
    return make


def rows(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> list[Any]:
    cur = conn.execute(sql, params)
    return list(map(_maker(cur, sql), cur.fetchall()))


def row(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> Any | None:
    cur = conn.execute(sql, params)
    found = cur.fetchone()
    return None if found is None else _maker(cur, sql)(found)


def stream(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = (), batch: int = 2000) -> Iterator[Any]:
    cur = conn.execute(sql, params)
    make = _maker(cur, sql)
    while chunk := cur.fetchmany(batch):
        yield from map(make, chunk)

