"""A station on a temp CASHIER_HOME with the three roles, customers, an open shift and a payment,
driven through ``cashier.cli.main`` (in process; fast argon2)."""

from __future__ import annotations

import pytest
from station_helpers import add_customer

from cashier.app import Station
from cashier.cli import main
from cashier.db.ledger_crypto import Argon2Hasher

PASSWORDS = {"admin": "admin-pw-1", "ql": "manager-pw-1", "thu1": "cashier-pw-1"}


class Cli:
    def __init__(self, home, db, monkeypatch, capsys):
        self.home, self.db, self.monkeypatch, self.capsys = home, db, monkeypatch, capsys

    def __call__(self, *argv, password=None, db=True):
        if password is None:
            self.monkeypatch.delenv("CASHIER_PASSWORD", raising=False)
        else:
            self.monkeypatch.setenv("CASHIER_PASSWORD", password)
        self.capsys.readouterr()
        rc = main([*(["--db", str(self.db)] if db else []), *argv])
        out, err = self.capsys.readouterr()
        return rc, out, err

    def as_(self, user, *argv, password=None):
        """Run as ``user`` with that user's password (or the one given)."""
        return self(*argv, "--user", user, password=PASSWORDS[user] if password is None else password)


def seed_station(db_path):
    st = Station(db_path)
    try:
        st.users.add_user("admin", PASSWORDS["admin"], "admin", full_name="Quản Trị")
        admin = st.users.login("admin", PASSWORDS["admin"])
        st.users.add_user("ql", PASSWORDS["ql"], "manager", full_name="Quản Lý", cashier_code="QL01", actor=admin)
        st.users.add_user("thu1", PASSWORDS["thu1"], "cashier", full_name="Lê Thị Thu", cashier_code="TN01",
                          actor=admin)
        for i in range(1, 4):
            add_customer(st.db, f"PC12AA{i:07d}", f"Nguyễn Văn {i}", [(f"HD{i}", 1, 10, 2026, 100_000 + i)])
        thu = st.users.login("thu1", PASSWORDS["thu1"])
        st.shifts.open_shift(thu, 500_000)
        st.collect.collect(thu, "PC12AA0000001", 200_000)
    finally:
        st.close()


@pytest.fixture
def home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    for var in ("CASHIER_KEYS", "CASHIER_DB", "CASHIER_USER", "CASHIER_MANAGER_PASSWORD", "CASHIER_NEW_PASSWORD"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("CASHIER_HOME", str(home))
    monkeypatch.setattr(Station, "password_hasher", property(lambda self: Argon2Hasher.fast_for_tests()))
    return home


@pytest.fixture
def cli(home, monkeypatch, capsys):
    db = home / "cashier.sqlite3"
    seed_station(db)
    return Cli(home, db, monkeypatch, capsys)
