"""The clearing profile: the bundled default, per-company changes, invalid profiles refused."""

from __future__ import annotations

import io
import json
from datetime import datetime

import pytest

from cashier import paths
from cashier.core.clearing import (
    DEFAULT_CLEARING,
    PAYMENT,
    ClearingProfile,
    ClearingRow,
    ReconcileProfile,
)
from cashier.core.clock import VN_TZ
from cashier.core.errors import InvalidInput
from cashier.export.clearing_file import table, write_csv
from cashier.export.profiles import load_profiles


def test_bundled_default_has_the_cmis_columns():
    path = paths.resources_dir() / "profiles" / "default.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert "extract" in data and "clearing" in data  # one file, both directions
    clearing, reconcile = load_profiles(path)
    assert clearing.header() == [c["header"] for c in DEFAULT_CLEARING["columns"]]
    assert reconcile.status_of("đã gạch") == "cleared" and reconcile.status_of("Đã thu nơi khác") == "paid_elsewhere"


def test_company_profile_changes_order_names_dates_and_delimiter():
    prof = ClearingProfile.from_dict({
        "columns": [{"field": "receipt_no", "header": "SO_BN"}, {"field": "customer_code", "header": "MA_KH"},
                    {"field": "bill_id", "header": "HD"}, {"field": "paid_at", "header": "NGAY"},
                    {"field": "total", "header": "TIEN"}],
        "date_format": "%Y%m%d", "csv": {"delimiter": ";"},
    }, "pc_x")
    row = ClearingRow(PAYMENT, "PC12AA", "PC12AA0000001", "HD1", 1, 10, 2026, 100, 8, 108,
                      datetime(2026, 11, 23, 9, 30, tzinfo=VN_TZ), "TN01", "DT01", "R1", "cash")
    assert table([row], prof) == [["R1", "PC12AA0000001", "HD1", "20261123", 108]]
    buf = io.BytesIO()
    write_csv(buf, [row], prof)
    assert buf.getvalue().decode("utf-8-sig").splitlines()[0] == "SO_BN;MA_KH;HD;NGAY;TIEN"


@pytest.mark.parametrize("bad", [
    {"columns": []},
    {"columns": [{"field": "nope"}]},
    {"columns": ["customer_code", "bill_id", "total"]},  # no receipt column
    {"columns": DEFAULT_CLEARING["columns"], "csv": {"delimiter": ";;"}},
    {"columns": DEFAULT_CLEARING["columns"], "sheet_name": "a/b"},
    {"columns": DEFAULT_CLEARING["columns"], "csv": {"encoding": "ascii"}},
])
def test_invalid_profiles_are_refused(bad):
    with pytest.raises(InvalidInput):
        ClearingProfile.from_dict(bad, "bad")


def test_reconcile_profile_rejects_unknown_status():
    with pytest.raises(InvalidInput):
        ReconcileProfile.from_dict({"status_values": {"maybe": ["X"]}})
