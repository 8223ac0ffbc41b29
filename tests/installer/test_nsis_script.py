"""The NSIS script compiles against a staged build folder and refuses an incomplete one."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NSI = ROOT / "installer" / "cashier.nsi"

spec = importlib.util.spec_from_file_location("cashier_build_script", ROOT / "installer" / "build.py")
build = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build)

needs_makensis = pytest.mark.skipif(
    shutil.which("makensis") is None, reason="makensis not installed (Debian package nsis)"
)


def test_version_comes_from_setup_cfg():
    import cashier

    assert build.read_version() == cashier.__version__


@pytest.mark.parametrize(
    ("version", "numeric"),
    [("0.1.0", "0.1.0.0"), ("1.2", "1.2.0.0"), ("2.0.0rc1", "2.0.0.0"), ("3.4.5+win", "3.4.5.0")],
)
def test_numeric_version(version, numeric):
    assert build.numeric_version(version) == numeric


def _stage(tmp_path: Path, *, with_gui: bool = True) -> Path:
    stage = tmp_path / "stage"
    names = ["cashier.exe", "_internal/base_library.zip", "_internal/resources/profiles/default.json"]
    if with_gui:
        names.append("cashier-gui.exe")
    for rel in names:
        (stage / rel).parent.mkdir(parents=True, exist_ok=True)
        (stage / rel).write_bytes(b"placeholder\n")
    return stage


def _makensis(stage: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            "makensis", "-V2", "-WX", "-DVERSION=1.2.3", "-DVERSION_NUMERIC=1.2.3.0",
            f"-DBUILD_DIR={stage}", f"-DOUT_FILE={out}", str(NSI),
        ],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@needs_makensis
def test_installer_compiles_and_carries_the_staged_files(tmp_path):
    out = tmp_path / "cashier-test-installer.exe"
    res = _makensis(_stage(tmp_path), out)
    assert res.returncode == 0, res.stdout + res.stderr
    assert out.stat().st_size > 50_000
    if shutil.which("7z"):
        listing = subprocess.run(["7z", "l", str(out)], capture_output=True, text=True).stdout
        for name in ("cashier.exe", "cashier-gui.exe", "uninstall.exe", "_internal/resources/profiles/default.json"):
            assert name in listing


@needs_makensis
def test_incomplete_stage_is_refused(tmp_path):
    out = tmp_path / "cashier-test-installer.exe"
    res = _makensis(_stage(tmp_path, with_gui=False), out)
    assert res.returncode != 0
    assert "staged build incomplete" in res.stdout + res.stderr
    assert not out.exists()


def test_script_keeps_data_and_refuses_downgrade():
    """The policies the docs promise are in the script (not only in the docs)."""
    text = NSI.read_text("utf-8")
    assert 'Section /o "un.$(SecRemoveData)"' in text  # data removal is opt-in
    assert "${VersionCompare}" in text and "/ALLOWDOWNGRADE" in text
    assert '"$INSTDIR\\${CLI_EXE}" backup' in text  # backup through the app, not a file copy
    assert "RMDir /r \"$INSTDIR\"" not in text
    assert "$PROGRAMFILES64" in text and "RequestExecutionLevel admin" in text


def test_windows_workflow_is_valid_yaml_and_builds_the_installer():
    import yaml

    wf = yaml.safe_load((ROOT / ".github" / "workflows" / "windows-installer.yml").read_text("utf-8"))
    job = wf["jobs"]["windows-installer"]
    assert job["runs-on"].startswith("windows")
    steps = job["steps"]
    text = "\n".join(str(s.get("run", "")) + str(s.get("uses", "")) + str(s.get("with", "")) for s in steps)
    setup_python = next(s for s in steps if str(s.get("uses", "")).startswith("actions/setup-python"))
    assert setup_python["with"]["python-version"] == "3.11"
    for needed in ('.[dev]', "pytest", "installer/build.py", "cashier.exe selftest --json",
                   "makensis", "actions/upload-artifact"):  # fmt: skip
        assert needed in text
    suite = wf["jobs"]["windows-tests"]
    assert any('-m "not xvfb"' in str(s.get("run", "")) for s in suite["steps"])


def test_linux_stage_names_programs_as_the_windows_build(tmp_path, monkeypatch):
    frozen = tmp_path / "dist" / "cashier"
    (frozen / "_internal" / "resources").mkdir(parents=True)
    for name in ("cashier", "cashier-gui"):
        (frozen / name).write_bytes(b"\x7fELF")
    monkeypatch.setattr(build, "WORK", tmp_path / "work")
    staged = build.stage("linux", frozen)
    assert sorted(p.name for p in staged.iterdir()) == ["_internal", "cashier-gui.exe", "cashier.exe"]
    assert (frozen / "cashier").exists()  # the build itself is left as it was


@needs_makensis
def test_build_script_makes_and_lists_a_placeholder_installer(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "WORK", tmp_path / "work")
    monkeypatch.setattr(build, "DIST", tmp_path / "dist")
    info = build.build_installer("1.2.3", build.stage("placeholder", None), "placeholder", install_tools=False)
    out = Path(info["installer"])
    assert out.name == "cashier-station-1.2.3-setup-staged-placeholder.exe"
    assert info["installer_bytes"] == out.stat().st_size
    if shutil.which("7z"):
        listing = Path(info["listing"]).read_text("utf-8")
        assert "_internal/resources/translations/cashier_vi.qm" in listing
        assert info["listing_files"] > 10
