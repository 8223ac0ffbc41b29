"""Reduced runs of bench/crash_harness.py (SIGKILL) and bench/concurrency.py (processes racing
for the same bills). The full runs (300 kills, 4 x 500) are in bench/ and in the report."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import concurrency  # noqa: E402
import crash_harness  # noqa: E402

pytestmark = pytest.mark.slow


def test_sigkill_never_loses_an_acknowledged_payment(tmp_path):
    r = crash_harness.run(tmp_path / "crash.sqlite3", kills=12, customers=2000, seed=7, max_delay=0.15,
                          quiet=True)
    assert r["acknowledged_payments"] > 0
    assert r["lost_acknowledged_payments"] == 0
    assert r["altered_acknowledged_payments"] == 0
    assert r["lost_acknowledged_voids"] == 0
    assert r["integrity_check"] == "ok" and r["journal_verifies"] is True
    assert r["problems"] == []


def test_processes_racing_for_the_same_bills(tmp_path):
    r = concurrency.run(tmp_path / "race.sqlite3", procs=3, bills=80)
    assert r["outcomes"] == {"ok": 80, "ledger.already_collected": 160}
    assert r["payments"] == 80 and r["distinct_bills_paid"] == 80 and r["settling_lines"] == 80
    assert r["distinct_receipts"] == 80
    assert r["problems"] == [] and r["journal_verifies"] is True
