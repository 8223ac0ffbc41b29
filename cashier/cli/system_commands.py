"""System commands: ``cashier selftest`` and ``cashier info``.

``cashier selftest [--json]`` proves that an install works without a customer at the counter:
every module imports, Qt loads (offscreen) with its plugins and the translations, the bundled
resources are there, a temporary database opens, the bundled sample extract imports, a lookup and
a search find the sample customer, a receipt renders in each print mode, and the real data
directory is writable. Each step is reported with ok/failed/skipped, its time in ms and a detail;
the exit code is 1 when any step failed. The temporary database lives in a temporary directory
that is removed afterwards: the station's own data is never touched (only probed for write
access).

``cashier info [--json]`` prints the version and where this install keeps things (program,
resources, data directory, database, keys, logs) — the first thing a technician asks for.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import pkgutil
import sqlite3
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import cashier
from cashier import paths
from cashier.services.selftest import (
    StepFailed,
    StepResult,
    StepSkipped,
    check_writable_dir,
    run_steps,
)

#: Print modes the devices layer renders (issue 4); every one is rendered by the self-test.
PRINT_MODES = ("text-tcvn3", "text-cp1258", "raster", "ascii")

#: Bundled resources the frozen build must carry: (what, glob under resources/). The PyInstaller
#: spec imports this list and refuses to build when one is missing.
REQUIRED_RESOURCES: tuple[tuple[str, str], ...] = (
    ("receipt font (raster mode)", "fonts/NotoSans-Regular.ttf"),
    ("receipt font, bold (raster mode)", "fonts/NotoSans-Bold.ttf"),
    ("font licence (OFL)", "fonts/OFL.txt"),
    ("Vietnamese UI translation", "translations/cashier_vi.qm"),
    ("English UI translation", "translations/cashier_en.qm"),
    ("Vietnamese for Qt's own dialogs", "translations/qtbase_vi.qm"),
    ("error message catalogue", "messages/common.json"),
    ("column profile (default)", "profiles/default.json"),
    ("application icon (png)", "icons/cashier.png"),
    ("application icon (Windows .ico)", "icons/cashier.ico"),
    ("good-scan sound", "sounds/good.wav"),
    ("error sound", "sounds/error.wav"),
    ("self-test sample extract", "sample/selftest-extract.csv"),
    ("self-test sample expectations", "sample/selftest-extract.json"),
)

#: Modules never imported by the import step (running them has side effects).
_NO_IMPORT = {"cashier.__main__"}

#: File name of the module list that the frozen build carries (written by installer/cashier.spec).
FROZEN_MODULE_LIST = "cashier-modules.txt"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "selftest",
        help="check that this install works (modules, Qt, resources, database, import, lookup, "
        "search, receipts in every print mode)",
    )
    p.add_argument("--json", action="store_true", help="one JSON object on stdout")
    p.add_argument(
        "--keep", action="store_true", help="keep the temporary directory (its path is printed)"
    )
    p.set_defaults(handler=cmd_selftest)

    p = sub.add_parser("info", help="version and where this install keeps its files")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_info)


# -- info -------------------------------------------------------------------------------------


def install_info(db_path: Path) -> dict:
    return {
        "version": cashier.__version__,
        "frozen": bool(getattr(sys, "frozen", False)),
        "executable": sys.executable,
        "python": sys.version.split()[0],
        "sqlite": sqlite3.sqlite_version,
        "resources_dir": str(paths.resources_dir()),
        "data_dir": str(db_path.parent),
        "database": str(db_path),
        "database_exists": db_path.exists(),
        "keys_dir": str(paths.keys_dir(db_path)),
        "backups_dir": str(paths.backups_dir(db_path)),
        "log_dir": str(paths.log_dir()),
        "cashier_home": os.environ.get("CASHIER_HOME", ""),
    }


def cmd_info(args, station) -> int:
    info = install_info(Path(station.db_path))
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=2))
    else:
        width = max(len(k) for k in info)
        for key, value in info.items():
            print(f"{key:<{width}}  {value}")
    return 0


# -- selftest ---------------------------------------------------------------------------------


def cmd_selftest(args, station) -> int:
    def progress(result: StepResult) -> None:
        if not args.json:
            print(f"{result.status.upper():7} {result.name:<20} {result.ms:8.1f} ms  {result.detail}")
            sys.stdout.flush()

    with _isolated_tempdir(keep=args.keep) as tmp:
        ctx = SelfTestContext(
            tmp=tmp, real_db=Path(station.db_path), printer_url=station.printer_url_override
        )
        try:
            report = run_steps(
                ctx.steps(),
                version=cashier.__version__,
                frozen=bool(getattr(sys, "frozen", False)),
                on_result=progress,
            )
        finally:
            ctx.close()
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        verdict = "ALL OK" if report.ok else f"{len(report.failed)} FAILED"
        print(
            f"cashier {report.version} self-test: {verdict} "
            f"({len(report.steps)} steps, {report.total_ms:.0f} ms)"
        )
        if args.keep:
            print(f"temporary files kept in {tmp}")
    return 0 if report.ok else 1


@contextlib.contextmanager
def _isolated_tempdir(*, keep: bool) -> Iterator[Path]:
    """A temporary directory; keys and the escpos capability cache point into it meanwhile."""
    tmp = Path(tempfile.mkdtemp(prefix="cashier-selftest-"))
    saved = {k: os.environ.get(k) for k in ("CASHIER_KEYS", "ESCPOS_CAPABILITIES_PICKLE_DIR")}
    os.environ["CASHIER_KEYS"] = str(tmp / "keys")
    if "escpos" not in sys.modules:
        os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", str(tmp))
    try:
        yield tmp
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        if not keep:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)


def all_module_names() -> list[str]:
    """Every module of the cashier package (walk_packages; plus the frozen build's own list)."""
    names = {cashier.__name__}
    for info in pkgutil.walk_packages(cashier.__path__, prefix="cashier."):
        names.add(info.name)
    frozen_dir = getattr(sys, "_MEIPASS", None)
    if frozen_dir:
        listing = Path(frozen_dir) / FROZEN_MODULE_LIST
        if listing.is_file():
            names.update(n.strip() for n in listing.read_text("utf-8").splitlines() if n.strip())
    return sorted(names - _NO_IMPORT)


def missing_resources(root: Path) -> list[str]:
    """The REQUIRED_RESOURCES not found under ``root`` (as "what (glob)")."""
    return [f"{what} ({pattern})" for what, pattern in REQUIRED_RESOURCES if not any(root.glob(pattern))]


class SelfTestContext:
    """The steps, sharing a temporary station (database in ``tmp``) and what earlier steps found."""

    def __init__(self, *, tmp: Path, real_db: Path, printer_url: str | None) -> None:
        self.tmp = tmp
        self.real_db = real_db
        self.printer_url = printer_url
        self.resources = paths.resources_dir()
        self.station = None
        self.expect: dict = {}
        self.lookup_result = None
        self.payment = None
        self.qt_ok = None

    def steps(self):
        yield "version", self.step_version
        yield "modules", self.step_modules
        yield "resources", self.step_resources
        yield "qt", self.step_qt
        yield "escpos-data", self.step_escpos_data
        yield "database", self.step_database
        yield "import-sample", self.step_import
        yield "lookup", self.step_lookup
        yield "search", self.step_search
        yield "collect", self.step_collect
        yield "journal", self.step_journal
        for mode in PRINT_MODES:
            yield f"receipt-{mode}", lambda mode=mode: self.step_receipt(mode)
        if sys.platform == "win32":
            yield "windows-spooler", self.step_spooler
        yield "data-dir", self.step_data_dir
        yield "printer", self.step_printer

    def close(self) -> None:
        if self.station is not None:
            with contextlib.suppress(Exception):
                self.station.close()
            self.station = None

    # -- steps ------------------------------------------------------------------------------

    def step_version(self) -> str:
        version = cashier.__version__
        if not version or version.startswith("0.0.0"):
            raise StepFailed(f"version unknown ({version!r}): package metadata missing from build")
        frozen = "frozen" if getattr(sys, "frozen", False) else "source"
        return f"cashier {version} ({frozen}), Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}"

    def step_modules(self) -> str:
        names = all_module_names()
        qt_error = _qt_import_error()
        failed, skipped, count = [], [], 0
        for name in names:
            if qt_error and (name == "cashier.ui" or name.startswith("cashier.ui.")):
                skipped.append(name)
                continue
            try:
                importlib.import_module(name)
                count += 1
            except Exception as exc:  # report every broken module, keep going
                failed.append(f"{name}: {type(exc).__name__}: {exc}")
        if failed:
            raise StepFailed(f"{len(failed)} of {len(names)} modules failed: " + "; ".join(failed))
        detail = f"{count} modules imported"
        if skipped:
            detail += f"; {len(skipped)} cashier.ui modules skipped: Qt cannot load ({qt_error})"
        return detail

    def step_resources(self) -> str:
        root = self.resources
        if not root.is_dir():
            raise StepFailed(f"resources folder missing: {root}")
        missing = missing_resources(root)
        if missing:
            raise StepFailed(f"missing under {root}: " + "; ".join(missing))
        files = [p for p in root.rglob("*") if p.is_file()]
        return f"{len(files)} files under {root}"

    def step_qt(self) -> str:
        err = _qt_import_error()
        if err:
            self.qt_ok = False
            raise StepSkipped(f"Qt cannot load here ({err}); the counter app cannot start")
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6 import QtCore, QtGui, QtWidgets

        app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(["cashier-selftest"])
        platform = QtGui.QGuiApplication.platformName()
        # the self-test runs offscreen; the window system plugin the app needs must be there too
        plugins = Path(QtCore.QLibraryInfo.path(QtCore.QLibraryInfo.LibraryPath.PluginsPath))
        wanted = {"win32": "qwindows", "darwin": "qcocoa"}.get(sys.platform, "qxcb")
        found = sorted(p.name for p in (plugins / "platforms").glob("*"))
        if not any(wanted in name for name in found):
            raise StepFailed(f"Qt platform plugin {wanted} missing from {plugins / 'platforms'} ({found})")
        formats = {bytes(f).decode() for f in QtGui.QImageReader.supportedImageFormats()}
        needed = {"png", "jpg", "ico", "svg"} if sys.platform == "win32" else {"png", "jpg", "svg"}
        lacking = sorted(needed - formats)
        if lacking:
            raise StepFailed(f"Qt image format plugins missing: {', '.join(lacking)}")
        loaded = []
        for qm in sorted((self.resources / "translations").glob("*.qm")):
            translator = QtCore.QTranslator(app)
            if not translator.load(str(qm)):
                raise StepFailed(f"translation {qm.name} does not load")
            loaded.append(qm.name)
        charts = "QtCharts ok"
        try:
            importlib.import_module("PySide6.QtCharts")
        except ImportError as exc:
            raise StepFailed(f"PySide6.QtCharts missing (dashboard charts): {exc}") from exc
        self.qt_ok = True
        return (
            f"Qt {QtCore.qVersion()} platform {platform} (+{wanted}); formats {','.join(sorted(needed))}; "
            f"translations {', '.join(loaded) or 'none'}; {charts}"
        )

    def step_escpos_data(self) -> str:
        """python-escpos' printer database, read as data the way cashier.devices reads it.

        Without it the renderer silently falls back to a generic profile, so its absence from a
        build must fail here (it is package data PyInstaller does not collect by itself).
        """
        from cashier.devices import profiles

        path = profiles._capabilities_path()
        if path is None:
            raise StepFailed("escpos/capabilities.json missing (python-escpos printer profiles)")
        names = profiles.profile_names()
        default = profiles.get_profile("default")
        if len(names) < 5 or not default.known:
            raise StepFailed(f"escpos capabilities unusable ({len(names)} profiles in {path})")
        return f"{len(names)} printer profiles from {path.parent.name}/{path.name}"

    def step_database(self) -> str:
        from cashier.app import Station

        self.station = Station(self.tmp / "selftest.sqlite3", printer_url=f"preview:{self.tmp / 'preview'}")
        db = self.station.db
        mode = db.execute_sql("PRAGMA journal_mode").fetchone()[0]
        sync = db.execute_sql("PRAGMA synchronous").fetchone()[0]
        check = db.execute_sql("PRAGMA integrity_check").fetchone()[0]
        version = db.execute_sql("PRAGMA user_version").fetchone()[0]
        if mode != "wal" or sync != 2 or check != "ok":
            raise StepFailed(f"journal_mode={mode} synchronous={sync} integrity={check}")
        tables = db.get_tables()
        return f"schema v{version}, {len(tables)} tables, WAL + synchronous=FULL, integrity ok"

    def _need_station(self):
        if self.station is None:
            raise StepFailed("no database (the database step failed)")
        return self.station

    def step_import(self) -> str:
        station = self._need_station()
        sample = self.resources / "sample" / "selftest-extract.csv"
        expect_file = sample.with_suffix(".json")
        if not sample.is_file() or not expect_file.is_file():
            raise StepFailed(f"sample extract missing: {sample}")
        self.expect = json.loads(expect_file.read_text("utf-8"))
        result = _cache_service(station).import_extract(sample)
        got = _as_dict(result)
        mismatch = [
            f"{key} {got.get(key)} != {self.expect[key]}"
            for key in ("customers", "bills", "total_due")
            if key in got and got.get(key) != self.expect[key]
        ]
        if got.get("rejected"):
            mismatch.append(f"{len(got['rejected'])} rows rejected: {got['rejected'][:3]}")
        if mismatch:
            raise StepFailed("sample import differs: " + "; ".join(mismatch))
        return f"{got.get('customers')} customers, {got.get('bills')} bills, total {got.get('total_due')} đ"

    def step_lookup(self) -> str:
        station = self._need_station()
        code = self.expect.get("lookup_code")
        if not code:
            raise StepFailed("no sample imported")
        result = _cache_service(station).lookup(code)
        unpaid, total = result.unpaid, result.total_due
        if total != self.expect["lookup_total_due"] or len(unpaid) != self.expect["lookup_bills"]:
            raise StepFailed(
                f"{code}: {len(unpaid)} unpaid bills / {total} đ, expected "
                f"{self.expect['lookup_bills']} / {self.expect['lookup_total_due']} đ"
            )
        if fold_name(result.customer.name) != fold_name(self.expect["lookup_name"]):
            raise StepFailed(f"{code} is {result.customer.name!r}, expected {self.expect['lookup_name']!r}")
        self.lookup_result = result
        return f"{code} {result.customer.name}: {len(unpaid)} unpaid bills, {total} đ"

    def step_search(self) -> str:
        station = self._need_station()
        query = self.expect.get("search_text")
        if not query:
            raise StepFailed("no sample imported")
        hits = list(_cache_service(station).search(query))
        codes = [h.code for h in hits]
        if self.expect["lookup_code"] not in codes:
            raise StepFailed(f"search {query!r}: {self.expect['lookup_code']} not among {codes[:10]}")
        rank = codes.index(self.expect["lookup_code"]) + 1
        return f"{query!r}: {len(hits)} hits, {self.expect['lookup_code']} at rank {rank}"

    def step_collect(self) -> str:
        """A real collection on the temporary database: first admin, open shift, pay all bills."""
        station = self._need_station()
        code = self.expect.get("lookup_code")
        if not code or self.lookup_result is None:
            raise StepFailed("no customer looked up (the lookup step failed)")
        import secrets

        password = secrets.token_urlsafe(12)
        user = station.users.add_user("selftest", password, "admin", full_name="Tự kiểm tra")
        station.shifts.open_shift(user, 0)
        due = int(self.expect["lookup_total_due"])
        tendered = -(-due // 100_000) * 100_000  # rounded up to the next 100.000 đ note
        payment = station.collect.collect(user, code, tendered, idempotency_key="selftest-1")
        again = station.collect.collect(user, code, tendered, idempotency_key="selftest-1")
        if payment.total != due or payment.change != tendered - due:
            raise StepFailed(f"paid {payment.total} đ change {payment.change}, expected {due} đ")
        if again.receipt_no != payment.receipt_no:
            raise StepFailed("a retried payment attempt produced a second payment")
        self.payment = payment
        return f"receipt {payment.receipt_no}: {len(payment.lines)} bills, {payment.total} đ, change {payment.change} đ"

    def step_journal(self) -> str:
        station = self._need_station()
        if self.payment is None:
            raise StepFailed("no payment (the collect step failed)")
        result = station.journal.verify()
        if not getattr(result, "ok", False):
            raise StepFailed(f"journal does not verify: {result}")
        check = station.journal.verify_receipt(self.payment.receipt_no, self.payment.verification)
        if not check.ok:
            raise StepFailed(check.message)
        return f"journal verifies; receipt {self.payment.receipt_no} code {self.payment.verification} genuine"

    def step_receipt(self, mode: str) -> str:
        payment, note = self.payment, ""
        if payment is None:  # still prove the printing path with the standard demo receipt
            from cashier.core.clock import SystemClock
            from cashier.core.documents import sample_payment

            payment, note = sample_payment(SystemClock().now()), " (demo receipt: no payment collected)"
        return render_receipt_checked(payment, mode, self.tmp) + note

    def step_spooler(self) -> str:
        """pywin32 is in the build and the Windows spooler answers (win32:NAME printers)."""
        try:
            import win32print  # type: ignore[import-not-found]
        except ImportError as exc:
            raise StepFailed(f"pywin32 missing: win32: printers cannot print ({exc})") from exc
        names = [p[2] for p in win32print.EnumPrinters(2)]
        return f"{len(names)} Windows printers: {', '.join(names[:6]) or 'none'}"

    def step_data_dir(self) -> str:
        data_dir = self.real_db.parent
        if data_dir.exists():
            wal = self.real_db.with_name(self.real_db.name + "-wal")
            detail = _probe(data_dir, files=(self.real_db, wal))
        else:  # created at first start: the nearest existing parent must accept it
            parent = next(p for p in data_dir.parents if p.exists())
            try:
                _probe(parent)
            except StepFailed as exc:
                raise StepFailed(f"{data_dir} does not exist and cannot be created: {exc}") from exc
            detail = f"{data_dir} will be created in writable {parent}"
        if self.real_db.exists():
            size = self.real_db.stat().st_size
            detail += f"; database {self.real_db.name} {size / 1e6:.1f} MB kept as is"
        else:
            detail += "; no database yet (created at first start)"
        return detail

    def step_printer(self) -> str:
        """The printer given with --printer, else the one saved in the station's settings."""
        url, profile, source = self.printer_url, "default", "--printer"
        if not url:
            saved = saved_printer_settings(self.real_db)
            url, profile, source = saved.get("url") or "", saved.get("profile") or "default", "settings"
        if not url:
            raise StepSkipped(
                "no printer configured (the app uses the preview printer); "
                "cashier --printer URL selftest checks one"
            )
        from cashier.core.errors import DomainError
        from cashier.devices.printer import check_printer

        try:
            return f"{check_printer(url, profile=profile)} (from {source})"
        except DomainError as exc:
            raise StepFailed(
                f"{exc} (printer from {source}). Payments are still recorded; receipts that "
                "cannot print are kept as unprinted and can be printed later."
            ) from exc


def saved_printer_settings(db_path: Path) -> dict:
    """The printer settings saved in the station's database, read-only ({} when none)."""
    if not db_path.is_file():
        return {}
    try:
        con = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True, timeout=2)
        try:
            row = con.execute("SELECT value FROM setting WHERE key = 'printer'").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return {}
    try:
        value = json.loads(row[0]) if row else {}
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def fold_name(text: str) -> str:
    from cashier.core.vntext import fold

    return fold(text)


def _probe(path: Path, files=()) -> str:
    from cashier.core.errors import DomainError

    try:
        return check_writable_dir(path, files)
    except DomainError as exc:
        raise StepFailed(str(exc)) from exc


def _qt_import_error() -> str | None:
    try:
        importlib.import_module("PySide6.QtWidgets")
    except Exception as exc:  # ImportError, OSError from a missing libGL/libEGL...
        return f"{type(exc).__name__}: {exc}"
    return None


def _as_dict(obj) -> dict:
    if obj is None:
        return {}
    if isinstance(obj, dict):
        return obj
    for attr in ("as_dict", "to_dict", "to_json_dict"):
        if hasattr(obj, attr):
            return getattr(obj, attr)()
    import dataclasses

    if dataclasses.is_dataclass(obj):
        return dataclasses.asdict(obj)
    return dict(vars(obj))


def _cache_service(station):
    for attr in ("cache", "cache_service", "debt_cache"):
        if hasattr(type(station), attr):
            return getattr(station, attr)
    raise StepFailed("not available: the debt cache service (Station.cache) is not wired yet")


def render_receipt_checked(payment, mode: str, tmp: Path) -> str:
    """Render ``payment``'s receipt in ``mode`` (80 mm), decode the bytes and check them."""
    from cashier.core.documents import money, receipt, receipt_qr_payload
    from cashier.core.vntext import fold
    from cashier.devices.escpos_decoder import decode
    from cashier.devices.render import RenderOptions, render

    data = render(receipt(payment), RenderOptions(mode=mode, width_mm=80))
    (tmp / f"receipt-{mode}.bin").write_bytes(data)
    doc = decode(data)
    problems = []
    code = payment.customer.code
    if code not in {b.data for b in doc.barcodes}:
        problems.append(f"CODE128 of {code} missing")
    if receipt_qr_payload(payment.receipt_no, payment.verification) not in {q.data for q in doc.qrs}:
        problems.append("receipt QR missing")
    if not doc.cuts:
        problems.append("no cut")
    if mode == "raster":
        if not doc.images:
            problems.append("no raster image")
    else:
        text = doc.text
        if mode == "text-tcvn3" and payment.customer.name not in text:
            problems.append(f"name {payment.customer.name!r} not printed with its diacritics")
        if fold(payment.customer.name) not in fold(text):
            problems.append(f"name {payment.customer.name!r} missing")
        if money(payment.total).split()[0] not in text or payment.receipt_no not in text:
            problems.append("total or receipt number missing")
    if problems:
        raise StepFailed(f"{mode}: " + "; ".join(problems))
    if mode == "raster":
        return f"{len(data)} bytes, {len(doc.images)} raster images; CODE128 and QR decoded back"
    return f"{len(data)} bytes; name, total, receipt number, CODE128 and QR decoded back"


