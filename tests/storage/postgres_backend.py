"""The PostgreSQL backend of the storage conformance suite (tests/storage/backends.py lists the
backends; this module is its PostgreSQL row): a fresh database on the session's throwaway server
(tests/postgres_cluster.py) per call, the schema migrated, and :class:`PostgresBackend` with the
storage ports of one station and the test data helpers the suite needs.

    from postgres_backend import open_postgres_backend
    backend = open_postgres_backend("ST01")      # a new empty database
    backend.storage.payments.commit_payment(...)  # the ports (services/ports/)
    backend.add_customer("PC12AA0000001", "Nguyễn Văn A", [("HD1", 1, 10, 2026, 100_000)])
    second = backend.counter("ST02")              # another counter on the same database
    backend.close()
"""

from __future__ import annotations

import itertools
import os

from postgres_cluster import shared_cluster

from cashier.db.postgres.storage import PostgresStorage, open_postgres_storage

_names = itertools.count(1)


class MemorySecret:
    """A station's journal key held in memory (the counter PC's key file in production)."""

    def __init__(self, station: str) -> None:
        self._key = ("conformance-key-" + station).encode().ljust(32, b".")

    def secret(self, create: bool = True) -> bytes:
        return self._key

    def exists(self) -> bool:
        return True


class PostgresBackend:
    def __init__(self, url: str, station: str) -> None:
        self.url = url
        self.station = station
        self.storage: PostgresStorage = open_postgres_storage(url, station=station, secrets=MemorySecret(station),
                                                              migrate_schema=True)
        self._others: list[PostgresStorage] = []

    def counter(self, station: str) -> PostgresStorage:
        """Another counter's storage on the same database (closed with this backend)."""
        other = open_postgres_storage(self.url, station=station, secrets=MemorySecret(station))
        self._others.append(other)
        return other

    def add_customer(self, code: str, name: str = "Nguyễn Văn A", bills=(), *, address: str = "12 Lê Lợi",
                     book: str = "SO01", disconnected: bool = False, phone: str = "0905000000") -> int:
        """As tests/station_helpers.add_customer: bills (bill_id, ky, thang, nam, total[, status])."""
        db = self.storage.db
        with db.atomic():
            cid = db.execute_sql(
                "INSERT INTO customer (code, unit_code, name, address, phone, book, book_pos, disconnected, "
                "search_text) VALUES (%s, %s, %s, %s, %s, %s, '1', %s, %s) RETURNING id",
                (code, code[:6], name, address, phone, book, disconnected, name.lower())).fetchone()[0]
            for b in bills:
                bill_id, ky, thang, nam, total = b[:5]
                status = b[5] if len(b) > 5 else "unpaid"
                vat = total * 8 // 108
                db.execute_sql(
                    "INSERT INTO bill (customer_id, customer_code, bill_id, ky, thang, nam, kwh, amount, vat, total, "
                    "series, number, reading_start, reading_end, tiers, status) "
                    "VALUES (%s, %s, %s, %s, %s, %s, 100, %s, %s, %s, '1K26TAA', %s, 1000, 1100, %s, %s)",
                    (cid, code, bill_id, ky, thang, nam, total - vat, vat, total, bill_id,
                     "[[50, 1984, 99200], [50, 2050, 102500]]", status))
        return int(cid)

    def close(self) -> None:
        for other in self._others:
            other.close()
        self.storage.close()


def open_postgres_backend(station: str = "ST01") -> PostgresBackend:
    """A fresh database (``cashier_conf_<pid>_<n>``) on the throwaway server."""
    cluster = shared_cluster()
    return PostgresBackend(cluster.create_database(f"cashier_conf_{os.getpid()}_{next(_names)}"), station)
