"""The counter app on the collection point's server (offscreen): the GUI's Station built by
cashier.app / app_gui for ``--db postgresql://... --station ST01`` opens, logs in, searches and
looks up the server's cache; no demo data is ever written to the shared server."""

from __future__ import annotations

import pytest

from cashier.app import Station
from cashier.app_gui import gui_station_factory
from cashier.cli.gui_options import parse_gui_args
from cashier.cli.server_commands import init_server
from cashier.core.demo_data import DEMO_FIELDS, generate_rows
from cashier.db.ledger_crypto import Argon2Hasher


@pytest.fixture
def server(pg_url, tmp_path, monkeypatch):
    for var in ("CASHIER_KEYS", "CASHIER_DB", "CASHIER_STATION"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("CASHIER_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(Station, "password_hasher", property(lambda self: Argon2Hasher.fast_for_tests()))
    init_server(pg_url, [])
    st = Station(pg_url, station="ST09")
    try:
        st.cache.import_rows([list(DEMO_FIELDS), *generate_rows(40, 5)], name="morning")
        admin = st.users.add_user("admin", "admin-pw-1", "admin")
        st.users.add_user("thu1", "thu1-pw-1", "cashier", cashier_code="TN01", actor=admin)
    finally:
        st.close()
    return pg_url


def test_the_counter_app_opens_on_the_server(server, qtbot, qapp, tmp_path):
    from cashier.ui.main import build

    options = parse_gui_args(["--db", server, "--station", "ST01", "--printer", f"preview:{tmp_path / 'p'}",
                              "--settings", str(tmp_path / "ui.ini")])
    assert options.station == "ST01"
    app = build(options, gui_station_factory(options.station), qapp)
    try:
        qtbot.addWidget(app.window)
        app.window.show()
        qtbot.waitExposed(app.window)
        station = app.station
        assert station.on_server and station.station_code == "ST01"
        assert station.cache.stats()["customers"] == 40  # the server's import, no demo data added
        assert not app.info.demo_users
        user = app.backend.login("thu1", "thu1-pw-1")
        shift = app.backend.open_shift(user, 0)
        assert shift.station == "ST01"
        hits = app.backend.search("nguyen")
        assert hits
        assert app.backend.lookup(hits[0].code).customer.code == hits[0].code
    finally:
        app.window.close()
        app.close()
