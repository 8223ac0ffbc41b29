"""CI guard: the fast subset of bench/adversarial.py (real subprocesses on a scratch station)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_quick_doors_all_hold(tmp_path):
    r = subprocess.run([sys.executable, str(ROOT / "bench" / "adversarial.py"), "--quick", "--home", str(tmp_path / "h")],
                       capture_output=True, text=True, timeout=600, check=False)
    lines = r.stdout.strip().splitlines()
    assert r.returncode == 0, r.stdout + r.stderr
    doors = [ln for ln in lines[:-1]]
    assert len(doors) >= 10 and all(ln.startswith("HELD") for ln in doors), r.stdout
    assert lines[-1].startswith("ALL HELD: 0 door(s) broken")
    kinds = " ".join(doors)
    for kind in ("no --user", "without a password", "wrong password", "cashier's own password", "the database",
                 "keys/", "existing file", "before the command"):
        assert kind in kinds, kind


def test_a_door_group_module_is_picked_up(tmp_path, monkeypatch):
    """bench/adversarial_*.py modules add their doors through doors(run)."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import adversarial
    finally:
        sys.path.remove(str(ROOT / "bench"))
    extra = tmp_path / "adversarial_probe.py"
    extra.write_text(
        "from adversarial import Door\n"
        "def doors(run):\n"
        "    yield Door('probe: info is open', ['info'], held=(0,), quick=True)\n"
        "    yield Door('probe: collect with no user', ['collect', 'X', '--tendered', '1'], quick=True)\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(adversarial, "HERE", tmp_path)
    groups = adversarial.extra_groups(quick=True)
    assert len(groups) == 1

    class FakeRun:
        def __call__(self, argv, password=None, env=None):
            return adversarial.Result(0 if argv == ["info"] else 4, "", "")

        def fingerprint(self):
            return "same"

    out = []
    broken = adversarial.try_doors(FakeRun(), groups, quick=True, out=out.append)
    assert broken == 0 and [ln.split()[0] for ln in out] == ["HELD", "HELD"]
