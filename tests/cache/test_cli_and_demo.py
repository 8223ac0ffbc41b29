"""The `cashier` commands (JSON shapes of issue 2) and the demo-data generator."""

from __future__ import annotations

import collections
import json
import os
import subprocess
import sys

import pytest
from cache_helpers import bill_row, write_extract

from cashier.cli import main
from cashier.core.demo_data import DEMO_FIELDS, TIER_PRICES, bill_amounts, generate_rows


def run(capsys, *args):
    rc = main(list(args))
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_import_lookup_search_json_shapes(tmp_path, capsys):
    db = str(tmp_path / "c.sqlite3")
    bad = bill_row("PC12AA0000009", "9")
    bad[14] = "12,5"
    path = write_extract(tmp_path / "x.csv", [bill_row("PC12AA0000001", "1"), bill_row("PC12AA0000001", "2", thang=9), bad])
    rc, out, err = run(capsys, "--db", db, "import", str(path), "--json")
    assert rc == 0
    data = json.loads(out)
    assert {"customers", "bills", "rejected", "warnings", "total_due"} <= set(data)
    assert (data["customers"], data["bills"]) == (1, 2)
    assert data["rejected"][0]["row"] == 4 and isinstance(data["rejected"][0]["reason"], str)
    assert isinstance(data["warnings"], list) and isinstance(data["total_due"], int)
    assert "import" in err  # progress on stderr

    rc, out, _ = run(capsys, "--db", db, "lookup", "pc12aa0000001", "--json")
    data = json.loads(out)
    assert rc == 0 and set(data) == {"customer", "bills", "total_due"}
    assert {"code", "name", "address", "phone"} <= set(data["customer"])
    assert [b["thang"] for b in data["bills"]] == [9, 10]
    for b in data["bills"]:
        assert {"bill_id", "ky", "thang", "nam", "kwh", "amount", "vat", "total", "status"} <= set(b)
        assert b["status"] == "unpaid" and b["amount"] + b["vat"] == b["total"]
    assert data["total_due"] == sum(b["total"] for b in data["bills"])

    rc, out, _ = run(capsys, "--db", db, "search", "ngu", "van", "--limit", "5", "--json")
    hits = json.loads(out)
    assert rc == 0 and hits[0]["code"] == "PC12AA0000001"
    assert {"code", "name", "address", "total_due"} <= set(hits[0])

    rc, out, _ = run(capsys, "--db", db, "lookup", "PC12AA0000001")
    assert rc == 0 and "Nguyễn Văn An" in out and "total due" in out


def test_refusals_exit_non_zero_with_a_message(tmp_path, capsys):
    db = str(tmp_path / "c.sqlite3")
    rc, out, err = run(capsys, "--db", db, "lookup", "PC12AA0000001", "--json")
    assert rc == 3 and "not in the debt cache" in err
    # with --json the refusal is also the one JSON document on stdout
    error = json.loads(out)["error"]
    assert error["code"] == "cache.unknown_code" and error["exit_code"] == 3 and "debt cache" in error["message"]
    rc, out, err = run(capsys, "--db", db, "lookup", "nonsense")
    assert rc == 3 and "not a valid customer code" in err
    rc, out, err = run(capsys, "--db", db, "import", str(tmp_path / "missing.csv"))
    assert rc == 3 and "not found" in err


def test_demo_data_command_then_import_via_subprocess(tmp_path):
    out = tmp_path / "demo.csv"
    env = {**os.environ, "CASHIER_DB": str(tmp_path / "c.sqlite3")}
    p = subprocess.run([sys.executable, "-m", "cashier", "demo-data", "--customers", "200", "--out", str(out),
                        "--seed", "7"], capture_output=True, text=True, env=env, timeout=120)  # fmt: skip
    assert p.returncode == 0, p.stderr
    assert out.exists() and "200 customers" in p.stderr
    p = subprocess.run([sys.executable, "-m", "cashier", "import", str(out), "--json"],
                       capture_output=True, text=True, env=env, timeout=120)  # fmt: skip
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    assert data["customers"] == 200 and data["rejected"] == []


def test_demo_data_is_deterministic_and_streams():
    gen = generate_rows(50, seed=3)
    assert iter(gen) is gen  # a generator: 600k customers never sit in memory
    assert list(generate_rows(50, seed=3)) == list(generate_rows(50, seed=3))
    assert list(generate_rows(50, seed=3)) != list(generate_rows(50, seed=4))


@pytest.fixture(scope="module")
def demo():
    return [dict(zip(DEMO_FIELDS, r, strict=True)) for r in generate_rows(6000, seed=11)]


def test_demo_data_is_realistic(demo):
    customers = {r["MA_KHANG"]: r for r in demo}
    assert len(customers) == 6000 and 1.5 < len(demo) / 6000 < 1.9  # several periods for some
    surnames = collections.Counter(r["TEN_KHANG"].split()[0] for r in customers.values())
    share = {k: v / 6000 for k, v in surnames.items()}
    assert 0.34 < share["Nguyễn"] < 0.42 and 0.08 < share["Trần"] < 0.14 and 0.07 < share["Lê"] < 0.12
    assert {"Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"} <= set(surnames)
    names = collections.Counter(r["TEN_KHANG"] for r in customers.values())
    assert names.most_common(1)[0][1] >= 5  # customers sharing a name
    assert any("Hùng Vương" in r["DIA_CHI"] for r in demo) and all("Đắk Lắk" in r["DIA_CHI"] for r in demo)
    assert any(r["DIA_CHI"].startswith("Thôn") for r in demo)
    assert 0 < sum(1 for r in customers.values() if r["CAT_DIEN"]) < 600
    assert len({r["ID_HDON"] for r in demo}) == len(demo)
    for r in demo[:500]:
        amount, vat, total, tiers = bill_amounts(r["DIEN_TTHU"])
        assert (r["SO_TIEN"], r["TIEN_GTGT"], r["TONG_TIEN"]) == (amount, vat, total)
        assert r["TIEN_GTGT"] == round(r["SO_TIEN"] * 0.08)
        assert r["CS_CKY"] - r["CS_DKY"] == r["DIEN_TTHU"]


def test_tier_amounts():
    amount, vat, total, tiers = bill_amounts(120)
    assert tiers == [(50, 1984, 99200), (50, 2050, 102500), (20, 2380, 47600)]
    assert (amount, vat, total) == (249300, 19944, 269244)
    assert bill_amounts(1000)[3][-1] == (600, TIER_PRICES[-1], 600 * 3460)
