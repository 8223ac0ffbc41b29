"""``cashier collect CODE1 CODE2 --tendered N``: a basket (thu gộp) from the command line."""

from __future__ import annotations

import json

from station_helpers import add_customer
from test_ledger_cli import cli, seed  # noqa: F401 - the fixture

from cashier.app import Station

THU = ("--user", "thu1")


def _seed(cli):  # noqa: F811
    seed(cli)
    station = Station(cli.db)
    add_customer(station.db, "PC12AA0000002", "Trần Thị B", [("B3", 1, 11, 2026, 150_000)])
    station.close()
    assert cli("shift", "open", "--float", "0", *THU, password="thu1-pw")[0] == 0


def test_several_codes_make_one_basket(cli):  # noqa: F811
    _seed(cli)
    rc, out, err = cli("collect", "PC12AA0000001", "PC12AA0000002", "--tendered", "400000", "--json", *THU,
                       password="thu1-pw")
    assert rc == 0, err
    d = json.loads(out)
    assert (d["total"], d["tendered"], d["change"]) == (350_000, 400_000, 50_000)
    assert [p["customer"] for p in d["payments"]] == ["PC12AA0000001", "PC12AA0000002"]
    assert d["receipts"] == [p["receipt"] for p in d["payments"]] and d["basket"] == f"G-{d['receipts'][0]}"
    rc, out, _ = cli("receipts", "--json", *THU, password="thu1-pw")
    assert rc == 0 and len(json.loads(out)) == 2
    rc, out, _ = cli("verify", "--json")
    assert rc == 0, out


def test_basket_refusals_on_the_command_line(cli):  # noqa: F811
    _seed(cli)
    rc, _, err = cli("collect", "PC12AA0000001", "PC12AA0000001", "--tendered", "900000", *THU, password="thu1-pw")
    assert rc != 0 and "already in the basket" in err
    rc, _, err = cli("collect", "PC12AA0000001", "PC12AA0000002", "--tendered", "300000", *THU, password="thu1-pw")
    assert rc != 0 and "less than" in err
    rc, _, err = cli("collect", "PC12AA0000001", "PC12AA0000002", "--tendered", "400000", "--bills", "B1", *THU,
                     password="thu1-pw")
    assert rc != 0 and "--bills takes one customer code" in err
    rc, out, err = cli("collect", "PC12AA0000001", "PC12AA0000002", "--tendered", "400000", "--user", "ql",
                       password="wrong")
    assert rc != 0
    rc, out, _ = cli("receipts", "--json", *THU, password="thu1-pw")
    assert json.loads(out) == []  # nothing was collected
    rc, out, err = cli("collect", "PC12AA0000002", "--tendered", "150000", *THU, password="thu1-pw")
    assert rc == 0 and "receipt" in out  # one code: the ordinary collect, unchanged
