"""Build the frozen cashier station and, where makensis is available, the Windows installer.

    python installer/build.py                 # frozen app + installer (makensis when available)
    python installer/build.py --no-installer  # frozen app only
    python installer/build.py --installer-only --stage placeholder   # compile the .nsi only

Steps, each one stopping the build on failure:

1. Read the version from setup.cfg (the one place) and make sure PyInstaller is installed
   (``pip install 'pyinstaller>=6.10'`` when it is not).
2. Run PyInstaller on installer/cashier.spec into installer/dist/cashier (work files in
   installer/build). The spec refuses to build when a required resource is missing.
3. Smoke-test the frozen build from a copy in a clean temporary directory, with a minimal
   environment (no source tree, no venv on PATH): ``cashier --version`` must print the setup.cfg
   version, ``cashier-gui --lang en --help`` must exit 0 (the options of ``cashier gui``) and
   ``cashier selftest --json`` must report every step ok. Size and start time are
   measured and written to installer/dist/build-report.json.
4. Installer: stage the build folder and compile installer/cashier.nsi with makensis
   (/DVERSION, /DVERSION_NUMERIC, /DBUILD_DIR, /DOUT_FILE), warnings as errors, then list the
   installer with 7z when available. On Windows the staged folder is the real build. Elsewhere
   it is the host's frozen build with its two programs copied under the Windows names
   (cashier.exe, cashier-gui.exe) -- ``--stage linux`` -- or empty placeholder files --
   ``--stage placeholder`` (fast; for tests). Such an installer is marked "-staged-<os>" in its
   name: it proves the script compiles and carries the expected files, it does not run on
   Windows. In the "linux" stage the symlinks PyInstaller makes on Linux are left out.

makensis is searched on PATH and in the usual Windows folders; on Debian/Ubuntu it is installed
with apt-get (package ``nsis``; ``p7zip-full`` for the listing) when missing and root/sudo is
available.
"""

from __future__ import annotations

import argparse
import configparser
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTALLER = ROOT / "installer"
DIST = INSTALLER / "dist"
WORK = INSTALLER / "build"
SPEC = INSTALLER / "cashier.spec"
NSI = INSTALLER / "cashier.nsi"
WIN = sys.platform == "win32"
EXE = ".exe" if WIN else ""


def log(msg: str) -> None:
    print(f"[build] {msg}", file=sys.stderr, flush=True)


def fail(msg: str) -> None:
    log(f"FAILED: {msg}")
    raise SystemExit(1)


def read_version() -> str:
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    return cfg["metadata"]["version"].strip()


def numeric_version(version: str) -> str:
    """'1.2.3' -> '1.2.3.0', '1.2.0rc1' -> '1.2.0.0' (Windows file versions are four numbers)."""
    head = re.match(r"^(\d+)(?:\.(\d+))?(?:\.(\d+))?", version)
    parts = [int(x) for x in head.groups() if x is not None] if head else [0]
    parts = (parts + [0, 0, 0, 0])[:4]
    return ".".join(str(p) for p in parts)


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    log("$ " + " ".join(str(c) for c in cmd))
    return subprocess.run([str(c) for c in cmd], check=False, **kw)


def have_root_or_sudo() -> list[str] | None:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return []
    if shutil.which("sudo"):
        return ["sudo", "-n"]
    return None


def apt_install(*packages: str) -> bool:
    """Install Debian packages when apt-get and root/sudo are available; True on success."""
    prefix = have_root_or_sudo()
    if not shutil.which("apt-get") or prefix is None:
        return False
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run([*prefix, "apt-get", "update", "-qq"], env=env, stdout=subprocess.DEVNULL)
    res = run([*prefix, "apt-get", "install", "-y", "-qq", *packages], env=env, stdout=subprocess.DEVNULL)
    return res.returncode == 0


def ensure_pyinstaller() -> None:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        res = run([sys.executable, "-m", "pip", "install", "-q", "pyinstaller>=6.10"])
        if res.returncode != 0:
            fail("PyInstaller is not installed and pip could not install it")


def find_makensis(install: bool) -> str | None:
    found = shutil.which("makensis")
    if found:
        return found
    if WIN:
        for base in (os.environ.get("PROGRAMFILES(X86)"), os.environ.get("PROGRAMFILES")):
            if base and (Path(base) / "NSIS" / "makensis.exe").is_file():
                return str(Path(base) / "NSIS" / "makensis.exe")
        return None
    if install and apt_install("nsis"):
        return shutil.which("makensis")
    return None


def find_7z(install: bool) -> str | None:
    for name in ("7z", "7za"):
        if shutil.which(name):
            return shutil.which(name)
    if WIN:
        cand = Path(os.environ.get("PROGRAMFILES", r"C:\Program Files")) / "7-Zip" / "7z.exe"
        return str(cand) if cand.is_file() else None
    if install and apt_install("p7zip-full"):
        return shutil.which("7z")
    return None


def dir_size(path: Path) -> tuple[int, int]:
    """Bytes and files, each file once (PyInstaller links some Linux libraries by symlink)."""
    files = [p for p in path.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


# -- 2. PyInstaller ---------------------------------------------------------------------------


def build_frozen(version: str) -> Path:
    ensure_pyinstaller()
    t0 = time.perf_counter()
    res = run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            SPEC,
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            DIST,
            "--workpath",
            WORK,
        ],
        cwd=ROOT,
    )
    if res.returncode != 0:
        fail(f"PyInstaller exited with {res.returncode}")
    out = DIST / "cashier"
    log(f"frozen build in {out} ({time.perf_counter() - t0:.0f} s)")
    return out


# -- 3. smoke test from a clean directory -----------------------------------------------------


def clean_env(home: Path) -> dict[str, str]:
    """A minimal environment: no venv, no PYTHONPATH, a fresh home and data directory."""
    env = {
        "HOME": str(home),
        "CASHIER_HOME": str(home / "data"),
        "QT_QPA_PLATFORM": "offscreen",
        "LANG": "C.UTF-8",
    }
    if WIN:
        for key in ("SYSTEMROOT", "WINDIR", "TEMP", "TMP", "USERPROFILE", "LOCALAPPDATA", "APPDATA"):
            if key in os.environ:
                env[key] = os.environ[key]
        env["PATH"] = os.path.join(os.environ.get("SYSTEMROOT", r"C:\Windows"), "System32")
    else:
        env["PATH"] = "/usr/bin:/bin"
    return env


def smoke_test(frozen: Path, version: str) -> dict:
    size, nfiles = dir_size(frozen)
    report: dict = {"version": version, "platform": platform.platform(), "size_bytes": size, "files": nfiles}
    with tempfile.TemporaryDirectory(prefix="cashier-frozen-") as tmp:
        copy = Path(tmp) / "app"
        shutil.copytree(frozen, copy, symlinks=True)
        home = Path(tmp) / "home"
        home.mkdir()
        env = clean_env(home)
        exe = copy / f"cashier{EXE}"

        starts = []
        for _ in range(3):
            t0 = time.perf_counter()
            res = subprocess.run([str(exe), "--version"], cwd=tmp, env=env, capture_output=True, text=True)
            starts.append((time.perf_counter() - t0) * 1000)
            if res.returncode != 0 or version not in res.stdout:
                fail(f"frozen --version: rc={res.returncode} out={res.stdout!r} err={res.stderr[-2000:]!r}")
        report["version_output"] = res.stdout.strip()

        # the windowed program takes the options of `cashier gui` (one parser): --help stops
        # before Qt starts; a windowed Windows program has no stdout, its exit code still tells
        gui = copy / f"cashier-gui{EXE}"
        res = subprocess.run([str(gui), "--lang", "en", "--help"], cwd=tmp, env=env, capture_output=True, text=True)
        if res.returncode != 0 or (not WIN and "--lang {en,vi}" not in res.stdout):
            fail(f"frozen cashier-gui --lang en --help: rc={res.returncode} out={res.stdout[-1000:]!r} "
                 f"err={res.stderr[-2000:]!r}")
        report["start_ms_first"] = round(starts[0])
        report["start_ms_warm"] = round(min(starts[1:]))

        t0 = time.perf_counter()
        res = subprocess.run(
            [str(exe), "selftest", "--json"], cwd=tmp, env=env, capture_output=True, text=True
        )
        report["selftest_wall_ms"] = round((time.perf_counter() - t0) * 1000)
        try:
            selftest = json.loads(res.stdout)
        except json.JSONDecodeError:
            fail(f"frozen selftest printed no JSON: rc={res.returncode} err={res.stderr[-3000:]!r}")
        report["selftest"] = selftest
        for step in selftest["steps"]:
            log(f"  selftest {step['status']:7} {step['name']:<20} {step['ms']:8.1f} ms  {step['detail'][:110]}")
        if res.returncode != 0 or not selftest.get("ok"):
            bad = [s["name"] for s in selftest["steps"] if s["status"] == "failed"]
            report["selftest_failed"] = bad
            (DIST / "build-report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
            fail(f"frozen selftest failed: {', '.join(bad)}")
    log(
        f"frozen build OK: {size / 1e6:.1f} MB in {nfiles} files; --version {report['start_ms_first']} ms "
        f"(warm {report['start_ms_warm']} ms); selftest {report['selftest_wall_ms']} ms"
    )
    return report


# -- 4. installer -----------------------------------------------------------------------------


def stage(kind: str, frozen: Path | None) -> Path:
    """The folder makensis packs; see the module docstring for the three kinds."""
    if kind == "real":
        if frozen is None or not (frozen / "cashier.exe").is_file():
            fail("--stage real needs the Windows frozen build (cashier.exe)")
        return frozen
    target = WORK / f"stage-{kind}"
    shutil.rmtree(target, ignore_errors=True)
    if kind == "placeholder":
        for rel in ("cashier.exe", "cashier-gui.exe", "_internal/base_library.zip"):
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            (target / rel).write_bytes(b"placeholder: not a Windows program\n")
        shutil.copytree(ROOT / "resources", target / "_internal" / "resources")
        return target
    if frozen is None or not (frozen / "cashier").is_file():
        fail(f"--stage {kind} needs the frozen build in {DIST / 'cashier'} (run without --installer-only)")
    # symlinks (Linux only: PyInstaller links some libraries twice) are left out, as a Windows
    # build has none; makensis would otherwise pack their targets twice
    shutil.copytree(frozen, target, symlinks=True, ignore=_symlinks)
    for name in ("cashier", "cashier-gui"):
        (target / name).rename(target / f"{name}.exe")
    return target


def _symlinks(folder: str, names: list[str]) -> set[str]:
    return {n for n in names if os.path.islink(os.path.join(folder, n))}


def build_installer(version: str, staged: Path, kind: str, install_tools: bool) -> dict:
    makensis = find_makensis(install_tools)
    if not makensis:
        fail("makensis not found (Debian: apt-get install nsis; Windows: choco install nsis)")
    suffix = "" if kind == "real" else f"-staged-{kind}"  # not a Windows program inside
    out = DIST / f"cashier-station-{version}-setup{suffix}.exe"
    out.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    # makensis on Windows takes /D..., elsewhere -D... (both accept the other prefix on their OS only)
    opt = "/" if WIN else "-"
    res = run(
        [
            makensis,
            f"{opt}V2",
            f"{opt}WX",
            f"{opt}DVERSION={version}",
            f"{opt}DVERSION_NUMERIC={numeric_version(version)}",
            f"{opt}DBUILD_DIR={staged}",
            f"{opt}DOUT_FILE={out}",
            NSI,
        ]
    )
    if res.returncode != 0 or not out.is_file():
        fail(f"makensis exited with {res.returncode}")
    info = {
        "installer": str(out),
        "installer_bytes": out.stat().st_size,
        "stage": kind,
        "makensis_s": round(time.perf_counter() - t0, 1),
    }
    log(f"installer {out.name}: {out.stat().st_size / 1e6:.1f} MB ({kind} stage)")
    seven = find_7z(install_tools)
    if seven:
        listing = subprocess.run([seven, "l", str(out)], capture_output=True, text=True)
        listing_file = out.with_suffix(".listing.txt")
        listing_file.write_text(listing.stdout, encoding="utf-8")
        names = [line[53:] for line in listing.stdout.splitlines() if line[:4].isdigit() or line.startswith("    ")]
        missing = [
            n
            for n in ("cashier.exe", "cashier-gui.exe", "uninstall.exe", "_internal/resources/profiles")
            if not any(x.startswith(n) for x in names)
        ]
        info["listing"] = str(listing_file)
        info["listing_files"] = len(names)
        if missing:
            fail(f"installer lacks {missing} (see {listing_file})")
        log(f"installer listing ({len(names)} entries) in {listing_file}")
    return info


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--no-installer", action="store_true", help="frozen build only")
    ap.add_argument("--installer-only", action="store_true", help="reuse installer/dist/cashier")
    ap.add_argument("--no-smoke", action="store_true", help="skip the clean-directory smoke test")
    ap.add_argument(
        "--stage",
        choices=("auto", "real", "linux", "placeholder"),
        default="auto",
        help="what makensis packs (auto: the real build on Windows, the host build elsewhere)",
    )
    ap.add_argument("--no-install-tools", action="store_true", help="never apt-get nsis/p7zip")
    args = ap.parse_args(argv)

    version = read_version()
    log(f"cashier-station {version} ({platform.system()} {platform.machine()}, Python {platform.python_version()})")
    report: dict = {"version": version}
    report_file = DIST / "build-report.json"
    if args.installer_only and report_file.is_file():  # keep the frozen build's figures
        previous = json.loads(report_file.read_text("utf-8"))
        if previous.get("version") == version:
            report = previous
    frozen: Path | None = DIST / "cashier"
    if not args.installer_only:
        frozen = build_frozen(version)
        if not args.no_smoke:
            report.update(smoke_test(frozen, version))
    elif not frozen.is_dir():
        frozen = None

    if not args.no_installer:
        kind = args.stage
        if kind == "auto":
            kind = "real" if WIN else "linux"
        makensis_ok = find_makensis(not args.no_install_tools)
        if makensis_ok is None and not WIN and args.stage == "auto":
            log("makensis not available: Windows installer skipped (apt-get install nsis)")
        else:
            report.update(build_installer(version, stage(kind, frozen), kind, not args.no_install_tools))
    DIST.mkdir(parents=True, exist_ok=True)
    report_file.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    log(f"report: {report_file}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
