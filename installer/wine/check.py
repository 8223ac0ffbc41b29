"""Run the Windows installer's upgrade / downgrade / backup / uninstall logic under Wine.

    python installer/wine/check.py          # needs wine64 (Debian: apt-get install wine64) and makensis

Not part of the test suite (Wine is big and slow to start); run it after changing cashier.nsi.
The staged "programs" are stand-ins built with makensis (installer/wine/fake_cashier.nsi): they
answer ``cashier.exe backup`` like the real command would (a file in %CASHIER_HOME%\\backups,
or exit 3 when told to fail), so what is checked is the installer's own behaviour:

1. a fresh silent install: files in Program Files, the uninstall entry, CASHIER_HOME machine-wide,
   the data folder in ProgramData;
2. an upgrade over it with a database present: the *installed* (old) cashier.exe makes a backup
   first, the new program replaces the old, the database is untouched;
3. an older installer over the newer install: refused, nothing changed; with /ALLOWDOWNGRADE: done;
4. a backup that fails: the upgrade stops, the old program and the data stay;
5. a silent uninstall: program files and uninstall entry gone, the data kept.

Each check prints PASS/FAIL; the exit code is the number of failures.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NSI = ROOT / "installer" / "cashier.nsi"
FAKE = ROOT / "installer" / "wine" / "fake_cashier.nsi"
UNINST_KEY = r"HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\CashierStation"
ENV_KEY = r"HKLM\System\CurrentControlSet\Control\Session Manager\Environment"

failures = 0


def check(ok: bool, what: str) -> None:
    global failures
    print(f"{'PASS' if ok else 'FAIL'}  {what}", flush=True)
    failures += 0 if ok else 1


def makensis(*args: str) -> None:
    subprocess.run(["makensis", "-V1", *args], check=True)


def build(version: str, work: Path) -> Path:
    """A staged build of ``version`` (stand-in programs) and its installer (64-bit stub)."""
    stage = work / f"stage-{version}"
    (stage / "_internal" / "resources" / "profiles").mkdir(parents=True)
    makensis(f"-DVERSION={version}", f"-DOUT={stage / 'cashier.exe'}", str(FAKE))
    shutil.copy(stage / "cashier.exe", stage / "cashier-gui.exe")
    (stage / "_internal" / "resources" / "profiles" / "default.json").write_text("{}")
    (stage / "_internal" / "version.txt").write_text(version)
    out = work / f"cashier-station-{version}-setup.exe"
    numeric = ".".join((version.split(".") + ["0"] * 4)[:4])
    makensis(
        "-DTARGET=amd64-unicode", f"-DVERSION={version}", f"-DVERSION_NUMERIC={numeric}",
        f"-DBUILD_DIR={stage}", f"-DOUT_FILE={out}", str(NSI),
    )  # fmt: skip
    return out


def main() -> int:
    wine = shutil.which("wine64") or shutil.which("wine")
    if not wine or not shutil.which("makensis"):
        print("needs wine64 and makensis (apt-get install wine64 nsis)")
        return 1
    work = Path(tempfile.mkdtemp(prefix="cashier-wine-"))
    prefix = work / "prefix"
    env = dict(os.environ, WINEPREFIX=str(prefix), WINEDEBUG="-all", WINEDLLOVERRIDES="mscoree,mshtml=")
    env.pop("DISPLAY", None)

    def run(*cmd: str) -> int:
        return subprocess.run([wine, *cmd], env=env, capture_output=True, timeout=300).returncode

    def reg(key: str, value: str) -> str:
        res = subprocess.run([wine, "reg", "query", key, "/v", value], env=env, capture_output=True, text=True)
        for line in res.stdout.splitlines():
            parts = line.split(None, 2)
            if len(parts) == 3 and parts[0] == value:
                return parts[2].strip()
        return ""

    setups = {v: build(v, work) for v in ("0.1.0", "0.2.0", "0.3.0")}
    subprocess.run([wine, "wineboot", "-i"], env=env, capture_output=True, timeout=300)
    drive = prefix / "drive_c"
    app = drive / "Program Files" / "CashierStation"
    data = drive / "ProgramData" / "CashierStation"
    installed = app / "_internal" / "version.txt"

    def version() -> str:
        return installed.read_text() if installed.exists() else "-"

    # 1. fresh install
    rc = run(str(setups["0.1.0"]), "/S")
    check(rc == 0 and version() == "0.1.0", f"fresh install 0.1.0 (rc={rc}, installed={version()})")
    check((app / "cashier-gui.exe").exists() and (app / "uninstall.exe").exists(), "programs and uninstaller in Program Files")
    check(reg(UNINST_KEY, "DisplayVersion") == "0.1.0", "uninstall entry DisplayVersion 0.1.0")
    home = reg(ENV_KEY, "CASHIER_HOME")
    check(home.lower() == r"c:\programdata\cashierstation", f"CASHIER_HOME machine-wide = {home!r}")
    check(data.is_dir(), "data folder created in ProgramData")
    check(not (app / "cashier.sqlite3").exists(), "nothing written as data under Program Files")

    # 2. upgrade with a database: the installed (old) program backs it up first
    db = data / "cashier.sqlite3"
    db.write_text("ORIGINAL DATABASE")
    rc = run(str(setups["0.2.0"]), "/S")
    check(rc == 0 and version() == "0.2.0", f"upgrade 0.1.0 -> 0.2.0 (rc={rc}, installed={version()})")
    check((data / "backups" / "backup-by-0.1.0.sqlite3").exists(), "backup made by the installed 0.1.0 before replacing it")
    check(db.read_text() == "ORIGINAL DATABASE", "database untouched by the upgrade")

    # 3. downgrade refused, then forced
    rc = run(str(setups["0.1.0"]), "/S")
    check(rc != 0 and version() == "0.2.0", f"downgrade 0.2.0 -> 0.1.0 refused (rc={rc}, installed={version()})")
    check(db.read_text() == "ORIGINAL DATABASE", "database untouched by the refused downgrade")
    rc = run(str(setups["0.1.0"]), "/S", "/ALLOWDOWNGRADE")
    check(rc == 0 and version() == "0.1.0", f"downgrade with /ALLOWDOWNGRADE (rc={rc}, installed={version()})")
    check((data / "backups" / "backup-by-0.2.0.sqlite3").exists(), "forced downgrade also backed up first")

    # 4. a failing backup stops the upgrade
    (data / "fail-backup").write_text("x")
    rc = run(str(setups["0.3.0"]), "/S")
    check(rc != 0 and version() == "0.1.0", f"upgrade stopped when the backup fails (rc={rc}, installed={version()})")
    check((app / "cashier.exe").exists() and db.read_text() == "ORIGINAL DATABASE", "old program and data kept")
    (data / "fail-backup").unlink()
    rc = run(str(setups["0.3.0"]), "/S")
    check(rc == 0 and version() == "0.3.0", f"upgrade after fixing the cause (rc={rc}, installed={version()})")

    # 5. uninstall keeps the data
    rc = run(str(app / "uninstall.exe"), "/S", f"_?={'C:'}\\Program Files\\CashierStation")
    check(rc == 0, f"silent uninstall (rc={rc})")
    check(not (app / "_internal").exists() and not (app / "cashier.exe").exists(), "program files removed")
    check(reg(UNINST_KEY, "DisplayVersion") == "", "uninstall entry removed")
    check(db.exists() and db.read_text() == "ORIGINAL DATABASE", "data kept after uninstall")
    calls = (data / "backup-calls.txt").read_text().split()
    check(calls == ["0.1.0", "0.2.0", "0.1.0"], f"one backup per upgrade, by the installed version ({calls})")
    check(len(list((data / "backups").iterdir())) == 2, "backups kept after uninstall")

    subprocess.run([shutil.which("wineserver") or "wineserver", "-k"], env=env, capture_output=True)
    shutil.rmtree(work, ignore_errors=True)
    print(f"{'ALL PASS' if failures == 0 else f'{failures} FAILED'}")
    return failures


if __name__ == "__main__":
    sys.exit(main())
