"""The storage backends the conformance suite runs against (tests/storage, written against
``cashier.services.ports`` only).

Each :class:`Backend` gives:

* ``make(tmp_path, station, secrets) -> Storage`` - the storage station ``station`` uses, its
  journal keyed with ``secrets`` (a ``SecretStore``), settings saying the station code. Called
  twice in one test for two stations: a backend holding several stations in one database
  returns storages on the SAME database (the tests then see whether per-station data - receipt
  numbers, shifts, Z numbers, journal chains - stays apart); a backend holding one station per
  database (SQLite) returns a second database. ``make`` may call ``pytest.skip(reason)`` ONLY
  when the backend's server is absent (e.g. no PostgreSQL reachable); nothing else is skipped.
* ``add_customer(storage, code, name, bills, disconnected=False)`` - test data: a customer and
  their unpaid bills ``(bill_id, ky, thang, nam, total)`` as the debt cache would hold them (the
  cache is another port; this is the backend's own way to seed it).

To add a backend: append a ``Backend`` to :data:`BACKENDS`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cashier.services.ports.credentials import SecretStore
from cashier.services.ports.storage import Storage

BillSeed = tuple[str, int, int, int, int]


@dataclass(frozen=True)
class Backend:
    name: str
    make: Callable[[Path, str, SecretStore], Storage]
    add_customer: Callable[..., None]


def _make_sqlite(tmp_path: Path, station: str, secrets: SecretStore) -> Storage:
    from cashier.db.journal_anchor import JournalAnchor, file_name_for
    from cashier.db.sqlite.storage import open_sqlite_storage

    path = tmp_path / f"{station}.sqlite3"
    anchor = JournalAnchor(tmp_path / f"keys-{station}", file_name_for(path.name))
    storage = open_sqlite_storage(path, secrets=secrets, anchor=anchor)
    storage.settings.set("station.code", station)
    return storage


def _add_customer_sqlite(
    storage: Any, code: str, name: str, bills: Sequence[BillSeed], *, disconnected: bool = False
) -> None:
    db = storage.db
    with db.atomic():
        cid = db.execute_sql(
            "INSERT INTO customer(code, unit_code, name, address, phone, book, book_pos, disconnected, search_text) "
            "VALUES (?,?,?,?,?,?,?,?,?)",
            (code, code[:6], name, "12 Lê Lợi", "0905000000", "SO01", "1", int(disconnected), name.lower()),
        ).lastrowid
        for bill_id, ky, thang, nam, total in bills:
            vat = total * 8 // 108
            db.execute_sql(
                "INSERT INTO bill(customer_id, customer_code, bill_id, ky, thang, nam, kwh, amount, vat, total, "
                "series, number, status, double_collection) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,'unpaid',0)",
                (cid, code, bill_id, ky, thang, nam, 100, total - vat, vat, total, "1K26TAA", bill_id),
            )


BACKENDS: list[Backend] = [
    Backend("sqlite", _make_sqlite, _add_customer_sqlite),
]

from postgres_backend import add_customer_postgres, make_postgres  # noqa: E402

BACKENDS.append(Backend("postgres", make_postgres, add_customer_postgres))
