"""Building a counter on the throwaway server for the tests: the schema, customers with bills
(written straight into the tables: the COPY import is a later step of issue 13), and a counter's
services (users, shifts, collect) on the PostgreSQL ledger store."""

from __future__ import annotations

from dataclasses import dataclass

from cashier.db.ledger_crypto import Argon2Hasher
from cashier.db.postgres.storage import PostgresStorage, open_postgres_storage
from cashier.services.collect import CollectService
from cashier.services.shifts import ShiftService
from cashier.services.users import UsersService

PASSWORD = "counter-pw-1"


class StaticSecret:
    """A station's journal key held in memory (the counter PC's key file in production)."""

    def __init__(self, station: str) -> None:
        self._key = ("test-journal-key-" + station).encode().ljust(32, b".")

    def secret(self, create: bool = True) -> bytes:
        return self._key

    def exists(self) -> bool:
        return True


def customer_code(i: int) -> str:
    return f"PC12BB{i:07d}"


def add_customers(db, n: int, *, bills_each: int = 2, start: int = 1) -> None:
    """Customers ``start`` .. ``start + n - 1``, each with ``bills_each`` unpaid bills."""
    with db.atomic():
        for i in range(start, start + n):
            code = customer_code(i)
            cid = db.execute_sql(
                "INSERT INTO customer (code, unit_code, name, address, phone, book, book_pos, search_text) "
                "VALUES (%s, 'PC12BB', %s, '12 Lê Lợi', '0905000000', 'SO01', %s, %s) RETURNING id",
                (code, f"Nguyễn Văn {i}", str(i), f"nguyen van {i}")).fetchone()[0]
            for k in range(1, bills_each + 1):
                total = 100_000 + i * 10 + k
                vat = total * 8 // 108
                db.execute_sql(
                    "INSERT INTO bill (customer_id, customer_code, bill_id, ky, thang, nam, kwh, amount, vat, total, "
                    "series, number, reading_start, reading_end, status) "
                    "VALUES (%s, %s, %s, 1, %s, 2026, 100, %s, %s, %s, '1K26TAA', %s, 1000, 1100, 'unpaid')",
                    (cid, code, f"HD{i:07d}{k}", k, total - vat, vat, total, f"{i:07d}{k}"))


@dataclass
class Counter:
    storage: PostgresStorage
    users: UsersService
    shifts: ShiftService
    collect: CollectService

    def close(self) -> None:
        self.storage.close()


def open_counter(url: str, station: str, *, migrate: bool = False) -> Counter:
    storage = open_postgres_storage(url, station=station, secrets=StaticSecret(station), migrate_schema=migrate)
    users = UsersService(storage.users, storage.settings, Argon2Hasher.fast_for_tests())
    shifts = ShiftService(storage.shifts, users, storage.settings)
    collect = CollectService(payments=storage.payments, changes=storage.payment_changes, orders=storage.orders,
                             settings=storage.settings, users=users, shifts=shifts)
    return Counter(storage, users, shifts, collect)


def add_cashier(counter: Counter, username: str) -> None:
    """A cashier (the first call on an empty server also makes the admin)."""
    users = counter.users
    if not users.has_users():
        users.add_user("admin", PASSWORD, "admin", full_name="Quản Trị")
    admin = users.login("admin", PASSWORD)
    users.add_user(username, PASSWORD, "cashier", full_name=f"Thu ngân {username}", cashier_code=username.upper(),
                   actor=admin)
