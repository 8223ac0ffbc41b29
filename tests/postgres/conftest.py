"""The throwaway PostgreSQL server of these tests (tests/postgres_cluster.py): one cluster per
session, a fresh database per test."""

from __future__ import annotations

import itertools

import pytest
from postgres_cluster import PostgresCluster, shared_cluster

_names = itertools.count(1)


@pytest.fixture(scope="session")
def pg_cluster() -> PostgresCluster:
    return shared_cluster()


@pytest.fixture
def pg_dbname(pg_cluster: PostgresCluster) -> str:
    """The name of a database that does not exist yet (dropped if a previous run left it)."""
    import psycopg
    from psycopg import sql

    name = f"cashier_t{next(_names)}"
    with psycopg.connect(pg_cluster.admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    return name


@pytest.fixture
def pg_url(pg_cluster: PostgresCluster, pg_dbname: str) -> str:
    """A fresh empty database (its superuser URL)."""
    return pg_cluster.create_database(pg_dbname)
