"""The self-test runner and the data-directory check (stdlib-only service code)."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import pytest

from cashier.core.errors import DomainError
from cashier.services import selftest
from cashier.services.selftest import StepFailed, StepSkipped, check_writable_dir, run_steps


def _boom():
    raise ValueError("bad value")


def _missing_module():
    raise ModuleNotFoundError("No module named 'cashier.devices.nothing'", name="cashier.devices.nothing")


def _failing():
    raise StepFailed("3 != 4")


def _skipped():
    raise StepSkipped("Qt cannot load")


def test_each_step_reported_with_status_time_and_detail():
    seen = []
    report = run_steps(
        [
            ("good", lambda: "fine"),
            ("failed", _failing),
            ("skipped", _skipped),
            ("missing", _missing_module),
            ("crash", _boom),
            ("after", lambda: "still runs"),
        ],
        version="9.9.9",
        frozen=False,
        on_result=seen.append,
    )
    by_name = {s.name: s for s in report.steps}
    assert [s.name for s in seen] == ["good", "failed", "skipped", "missing", "crash", "after"]
    assert by_name["good"].status == "ok" and by_name["good"].detail == "fine"
    assert by_name["failed"].status == "failed" and by_name["failed"].detail == "3 != 4"
    assert by_name["skipped"].status == "skipped" and by_name["skipped"].ok
    assert by_name["missing"].status == "failed"
    assert by_name["missing"].detail == "not available: module cashier.devices.nothing is missing"
    assert by_name["crash"].detail.startswith("ValueError: bad value (at test_selftest_runner.py:")
    assert by_name["after"].status == "ok"
    assert all(s.ms >= 0 for s in report.steps)
    assert not report.ok
    assert [s.name for s in report.failed] == ["failed", "missing", "crash"]
    data = json.loads(json.dumps(report.as_dict()))
    assert data["ok"] is False and data["version"] == "9.9.9"
    assert [s["status"] for s in data["steps"]] == ["ok", "failed", "skipped", "failed", "failed", "ok"]
    assert "3 FAILED" in report.format_text()


def test_skipped_steps_do_not_fail_the_run():
    report = run_steps([("a", lambda: "x"), ("b", _skipped)], version="1", frozen=True)
    assert report.ok
    assert report.as_dict()["frozen"] is True


def test_writable_dir_is_created_and_left_clean(tmp_path):
    target = tmp_path / "new" / "data"
    assert "writable" in check_writable_dir(target)
    assert target.is_dir() and list(target.iterdir()) == []


def _readonly_dir(tmp_path: Path) -> Path:
    """A directory this process really cannot write to (chmod; /sys when running as root)."""
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        fd, probe = tempfile.mkstemp(dir=ro)
    except OSError:
        return ro
    os.close(fd)
    os.unlink(probe)  # root ignores the mode bits: use a kernel filesystem that refuses files
    if sys.platform.startswith("linux") and Path("/sys").is_dir():
        return Path("/sys/cashier-selftest-probe")
    pytest.skip("no read-only directory available to this user on this platform")


def test_readonly_dir_gives_clear_message_in_both_languages(tmp_path):
    ro = _readonly_dir(tmp_path)
    with pytest.raises(DomainError) as info:
        check_writable_dir(ro)
    err = info.value
    assert err.code == "system.data_dir_readonly"
    assert str(ro) in str(err) and "CASHIER_HOME" in str(err)
    assert "không ghi được" in err.text("vi")
    assert selftest.OK == "ok"


def test_database_file_that_cannot_be_opened_for_writing_is_refused(tmp_path):
    fake_db = tmp_path / "cashier.sqlite3"
    fake_db.mkdir()  # opening it read-write fails whoever we are
    with pytest.raises(DomainError) as info:
        check_writable_dir(tmp_path, files=[fake_db, tmp_path / "absent-wal"])
    assert info.value.code == "system.data_dir_readonly"
    assert "cashier.sqlite3" in str(info.value)
