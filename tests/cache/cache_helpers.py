"""Helpers for the debt-cache tests: a station on a temp database with a fixed clock, rows with
consistent amounts, messy extracts written through the project's own extract writer."""

from __future__ import annotations

from datetime import datetime

from cashier.app import Station
from cashier.core.clock import VN_TZ, FixedClock
from cashier.core.demo_data import DEMO_FIELDS, bill_amounts
from cashier.db.ledger_crypto import Argon2Hasher
from cashier.export.extract_writer import write_table

HEADER = list(DEMO_FIELDS)


def make_station(tmp_path):
    return Station(
        tmp_path / "data" / "cashier.sqlite3",
        clock=FixedClock(datetime(2026, 11, 2, 8, 0, tzinfo=VN_TZ)),
        hasher=Argon2Hasher.fast_for_tests(),
    )


def bill_row(code, bill_id, thang=10, nam=2026, kwh=120, *, name="Nguyễn Văn An",
             address="Số 12 Hùng Vương, P. Tân Lợi, TP. Buôn Ma Thuột", unit=None, card="",
             disconnected="", ky=1, book="AA00001", pos=1, phone="0905000000"):
    """One extract row in DEMO_FIELDS order with consistent amounts."""
    amount, vat, total, tiers = bill_amounts(kwh)
    tier_text = ";".join(f"{k}x{p}" for k, p, _ in tiers)
    return [unit or code[:6], code, name, address, phone, book, pos, bill_id, ky, thang, nam, kwh,
            amount, vat, total, "1K26TAA", f"{int(bill_id) % 10_000_000:07d}", 1000, 1000 + kwh,
            tier_text, card, disconnected]


def write_extract(path, rows, header=None, **kw):
    write_table(path, header or HEADER, rows, **kw)
    return path


def table_dump(station):
    """Everything the cache holds (to prove that a refused import changed nothing)."""
    db = station.db
    out = {}
    for table in ("customer", "bill", "card", "customer_fts"):
        out[table] = db.execute_sql(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
    out["import_batch"] = db.execute_sql(
        "SELECT id, status FROM import_batch WHERE status = 'applied' ORDER BY id"
    ).fetchall()
    return out


class DyingReader:
    """An ExtractReader whose file opening kills the (child) process: a reader crash."""

    def open(self, path):
        import os

        os._exit(3)
