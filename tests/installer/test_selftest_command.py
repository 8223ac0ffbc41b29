"""`cashier selftest` / `cashier info` from the source tree (what the frozen build runs too)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(args, env_extra, tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", **env_extra)
    env.pop("CASHIER_DB", None)
    env.pop("CASHIER_KEYS", None)
    return subprocess.run(
        [sys.executable, "-m", "cashier", *args],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_selftest_json_all_steps_ok(tmp_path):
    home = tmp_path / "home"
    res = _run(["selftest", "--json"], {"CASHIER_HOME": str(home)}, tmp_path)
    report = json.loads(res.stdout)
    failed = {s["name"]: s["detail"] for s in report["steps"] if s["status"] == "failed"}
    assert failed == {}
    assert res.returncode == 0 and report["ok"] is True
    names = [s["name"] for s in report["steps"]]
    for needed in ("modules", "resources", "qt", "database", "import-sample", "lookup", "search",
                   "receipt-text-tcvn3", "receipt-text-cp1258", "receipt-raster", "receipt-ascii",
                   "data-dir"):  # fmt: skip
        assert needed in names
    assert all(isinstance(s["ms"], float | int) for s in report["steps"])
    # the self-test never creates the station's own database
    assert not (home / "cashier.sqlite3").exists()


def test_selftest_reports_readonly_data_dir_and_keeps_the_data(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    db = data / "cashier.sqlite3"
    db.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    before = db.read_bytes()
    data.chmod(0o500)
    try:
        probe = data / "probe"
        try:
            probe.write_bytes(b"x")
            probe.unlink()
            if not sys.platform.startswith("linux"):
                pytest.skip("running with rights that ignore directory permissions")
            home = Path("/sys/cashier-selftest-probe")  # refuses file creation even for root
        except OSError:
            home = data
        res = _run(["selftest", "--json"], {"CASHIER_HOME": str(home)}, tmp_path)
    finally:
        data.chmod(0o700)
    report = json.loads(res.stdout)
    step = next(s for s in report["steps"] if s["name"] == "data-dir")
    assert res.returncode == 1
    assert step["status"] == "failed"
    assert "not writable" in step["detail"] and "CASHIER_HOME" in step["detail"]
    assert db.read_bytes() == before


def test_info_json_names_the_data_directory(tmp_path):
    home = tmp_path / "station"
    res = _run(["info", "--json"], {"CASHIER_HOME": str(home)}, tmp_path)
    assert res.returncode == 0, res.stderr
    info = json.loads(res.stdout)
    assert info["data_dir"] == str(home)
    assert info["database"] == str(home / "cashier.sqlite3")
    assert info["frozen"] is False
    assert Path(info["resources_dir"]) == ROOT / "resources"
