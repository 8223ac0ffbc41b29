"""The composition root built from explicit parts (clock, hasher, printer factory, discovery),
and the settings service the UI and the CLI change settings through."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest
from station_helpers import PASSWORD, add_customer

from cashier.app import Station
from cashier.core.clock import VN_TZ, FixedClock
from cashier.core.errors import AuthenticationFailed, PermissionDenied
from cashier.db.ledger_crypto import Argon2Hasher


class CountingHasher:
    """The fast test hasher, counting what the station asks of it."""

    def __init__(self) -> None:
        self.inner = Argon2Hasher.fast_for_tests()
        self.hashed: list[str] = []

    def hash(self, password: str) -> str:
        self.hashed.append(password)
        return self.inner.hash(password)

    def verify(self, hashed: str, password: str) -> bool:
        return self.inner.verify(hashed, password)

    def needs_rehash(self, hashed: str) -> bool:
        return self.inner.needs_rehash(hashed)


@dataclass(frozen=True)
class Sent:
    bytes_sent: int
    seconds: float


class RecordingPrinter:
    """A printer port that keeps the documents it was given."""

    def __init__(self, settings, log: list) -> None:
        self.settings = settings
        self.log = log

    def render(self, doc, *, mode=None, kick_drawer=None) -> bytes:
        return b"doc"

    def print_document(self, doc, *, mode=None, kick_drawer=None) -> Sent:
        self.log.append((self.settings.url, doc))
        return Sent(3, 0.0)

    def kick_drawer(self) -> None:
        self.log.append((self.settings.url, "drawer"))

    def preview_png(self, doc, *, mode=None) -> bytes:
        return b""

    def status(self, timeout: float = 0.5):
        return None


def test_the_station_uses_the_parts_it_is_given(tmp_path, monkeypatch):
    monkeypatch.delenv("CASHIER_KEYS", raising=False)
    clock = FixedClock(datetime(2026, 11, 23, 6, 45, tzinfo=VN_TZ))
    hasher = CountingHasher()
    printed: list = []
    st = Station(
        tmp_path / "cashier.sqlite3",
        clock=clock,
        hasher=hasher,
        printer_url="preview:/nowhere",
        printer_factory=lambda settings: RecordingPrinter(settings, printed),
        discover_printers=lambda: ["serial:/dev/ttyUSB7"],
    )
    try:
        admin = st.users.add_user("admin", PASSWORD, "admin", full_name="Quản Trị")
        assert hasher.hashed == [PASSWORD]
        shift = st.shifts.open_shift(st.users.login("admin", PASSWORD), 0)
        assert shift.opened_at == clock.now()
        st.printing.print_test()
        assert [url for url, _doc in printed] == ["preview:/nowhere"]  # this run's --printer
        st.printing.kick_drawer(actor=admin)
        assert printed[-1] == ("preview:/nowhere", "drawer")
        assert st.printing.discover_printers() == ["serial:/dev/ttyUSB7"]
        assert st.printer_url_override == "preview:/nowhere"
    finally:
        st.close()


def test_the_default_parts_are_the_production_ones(tmp_path):
    st = Station(tmp_path / "cashier.sqlite3")
    try:
        assert type(st.password_hasher).__name__ == "Argon2Hasher"
        assert type(st.clock).__name__ == "SystemClock"
        assert st.printing.printer_settings().url == f"preview:{tmp_path / 'previews'}"
    finally:
        st.close()


def test_ledger_settings_change_with_the_settings_permission_only(station, admin, manager, cashier, db):
    settings = station.settings
    before = settings.ledger()
    for user in (cashier, manager):  # an admin's right (docs/ledger.md)
        with pytest.raises(PermissionDenied):
            settings.save_ledger(actor=user, station="ST09", reconnection_fee=1, variance_limit=1)
    with pytest.raises(AuthenticationFailed):
        settings.save_ledger(actor=None, station="ST09", reconnection_fee=1, variance_limit=1)
    assert settings.ledger() == before
    after = settings.save_ledger(actor=admin, station="", reconnection_fee=150_000, variance_limit=20_000)
    assert (after.station, after.reconnection_fee, after.variance_limit) == (before.station, 150_000, 20_000)
    # what the counter collects with
    add_customer(db, "PC12AA0000009", "Phạm Văn C", [("HD-C-10", 1, 10, 2026, 200_000)], disconnected=True)
    plan = station.collect.preview("PC12AA0000009")
    assert plan.reconnection and plan.total == 350_000
    assert settings.save_ledger(actor=admin, station="ST09", reconnection_fee=0, variance_limit=10_000).station == "ST09"


def test_settings_values_round_trip_and_need_the_permission(station, admin, manager):
    settings = station.settings
    value = {"ghi chú": "Điện lực Buôn Ma Thuột", "n": 3, "list": [1, "á"]}
    with pytest.raises(PermissionDenied):
        settings.set("demo.note", value, actor=manager)
    assert settings.get("demo.note", "none") == "none"
    settings.set("demo.note", value, actor=admin)
    assert settings.get("demo.note") == value
    # the printing service reads the same store
    settings.set("company", {"company": "Điện lực Đắk Lắk"}, actor=admin)
    assert station.printing.company().company == "Điện lực Đắk Lắk"
