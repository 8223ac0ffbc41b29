"""An import never silently turns many bills "paid elsewhere" (issue 11 §4): above the setting
(default 2% of the unpaid bills in the units the file covers) it stops before applying and says
how many, of how many, per unit; it goes ahead only when told (accept_missing)."""

from __future__ import annotations

import json

import pytest
from cache_helpers import bill_row, table_dump, write_extract

from cashier.services.cache_import import PaidElsewhereNeedsConfirmation


def day1():
    rows = [bill_row(f"PC12AA{i:07d}", str(i)) for i in range(1, 101)]
    rows += [bill_row(f"PC12BB{i:07d}", str(500 + i)) for i in range(1, 51)]
    return rows


def test_too_many_missing_bills_stop_the_import_before_it_changes_anything(station, tmp_path):
    station.cache.import_extract(write_extract(tmp_path / "1.csv", day1()))
    before = table_dump(station)
    cut = day1()[:90] + day1()[100:140]  # 10 of PC12AA's 100 and 10 of PC12BB's 50 are missing
    path = write_extract(tmp_path / "2.csv", cut)
    with pytest.raises(PaidElsewhereNeedsConfirmation) as err:
        station.cache.import_extract(path)
    e = err.value
    assert (e.missing, e.unpaid) == (20, 150)
    assert e.preview.by_unit == {"PC12AA": (10, 100), "PC12BB": (10, 50)}
    vi = e.text("vi")
    assert "20 trong số 150" in vi and "đã thu nơi khác" in vi and "PC12BB: 10/50" in vi
    assert "--accept-missing" in str(e)
    assert table_dump(station) == before
    s = station.cache.import_extract(path, accept_missing=True)
    assert s.paid_elsewhere == 20


def test_a_maximum_count_is_accepted_up_to_that_count(station, tmp_path):
    station.cache.import_extract(write_extract(tmp_path / "1.csv", day1()))
    before = table_dump(station)
    path = write_extract(tmp_path / "2.csv", day1()[5:])  # 5 missing
    with pytest.raises(PaidElsewhereNeedsConfirmation) as err:
        station.cache.import_extract(path, accept_missing=4)
    assert err.value.code == "import.missing_over_accepted" and err.value.missing == 5
    assert table_dump(station) == before
    assert station.cache.import_extract(path, accept_missing=5).paid_elsewhere == 5


def test_few_missing_bills_need_no_confirmation_and_the_ratio_is_a_setting(station, tmp_path):
    station.cache.import_extract(write_extract(tmp_path / "1.csv", day1()))
    s = station.cache.import_extract(write_extract(tmp_path / "2.csv", day1()[3:]))  # 3 of 150: 2%
    assert s.paid_elsewhere == 3
    station.db.execute_sql(
        "INSERT INTO setting (key, value) VALUES ('cache.max_paid_elsewhere_ratio', ?)", (json.dumps(0.5),)
    )
    s = station.cache.import_extract(write_extract(tmp_path / "3.csv", day1()[53:]))  # 50 of 147
    assert s.paid_elsewhere == 50
