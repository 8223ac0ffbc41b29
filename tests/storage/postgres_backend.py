"""The PostgreSQL backend of the storage conformance suite (tests/storage/backends.py): its two
functions, for the suite's ``Backend("postgres", make_postgres, add_customer_postgres)``.

* ``make_postgres(tmp_path, station, secrets)``: the storage of ``station`` on the session's
  throwaway server (tests/postgres_cluster.py: initdb + pg_ctl, started on first use, stopped at
  exit). One database per test (per ``tmp_path``), created empty with the schema on the first
  call; a second call in the same test (another station) opens the SAME database, so the suite
  sees per-station data stay apart on one server.
* ``add_customer_postgres(storage, code, name, bills, disconnected=False)``: a customer and their
  unpaid bills ``(bill_id, ky, thang, nam, total)``, as the debt cache holds them.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from postgres_cluster import shared_cluster

from cashier.db.postgres.storage import PostgresStorage, open_postgres_storage

_databases: dict[str, str] = {}


def make_postgres(tmp_path: Path, station: str, secrets: Any) -> PostgresStorage:
    key = str(tmp_path)
    url = _databases.get(key)
    if url is None:
        name = "cashier_conf_" + hashlib.sha1(f"{os.getpid()}:{key}".encode()).hexdigest()[:16]
        url = _databases[key] = shared_cluster().create_database(name)
        return open_postgres_storage(url, station=station, secrets=secrets, migrate_schema=True)
    return open_postgres_storage(url, station=station, secrets=secrets)


def add_customer_postgres(storage: PostgresStorage, code: str, name: str,
                          bills: Sequence[tuple[str, int, int, int, int]], *, disconnected: bool = False) -> None:
    db = storage.db
    with db.atomic():
        cid = db.execute_sql(
            "INSERT INTO customer (code, unit_code, name, address, phone, book, book_pos, disconnected, search_text) "
            "VALUES (%s, %s, %s, '12 Lê Lợi', '0905000000', 'SO01', '1', %s, %s) RETURNING id",
            (code, code[:6], name, disconnected, name.lower())).fetchone()[0]
        for bill_id, ky, thang, nam, total in bills:
            vat = total * 8 // 108
            db.execute_sql(
                "INSERT INTO bill (customer_id, customer_code, bill_id, ky, thang, nam, kwh, amount, vat, total, "
                "series, number, status) VALUES (%s, %s, %s, %s, %s, %s, 100, %s, %s, %s, '1K26TAA', %s, 'unpaid')",
                (cid, code, bill_id, ky, thang, nam, total - vat, vat, total, bill_id))
