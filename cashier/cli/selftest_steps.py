"""The steps of ``cashier selftest`` (cashier/cli/system_commands.py): a temporary station in
a temporary folder, the bundled sample extract, a real collection, a receipt in each print mode,
and probes of the real data folder and printer (never written).
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import cashier
from cashier import paths
from cashier.cli.install_contents import all_module_names, missing_resources
from cashier.cli.selftest_probes import (
    as_dict,
    cache_service,
    fold_name,
    probe,
    qt_import_error,
    render_receipt_checked,
    saved_printer_settings,
)
from cashier.services.selftest import StepFailed, StepSkipped

#: Print modes the devices layer renders (issue 4); every one is rendered by the self-test.
PRINT_MODES = ("text-tcvn3", "text-cp1258", "raster", "ascii")

class SelfTestContext:
    """The steps, sharing a temporary station (database in ``tmp``) and what earlier steps found."""

    def __init__(self, *, tmp: Path, real_db: Path, printer_url: str | None) -> None:
        self.tmp = tmp
        self.real_db = real_db
        self.printer_url = printer_url
        self.resources = paths.resources_dir()
        self.station: Any = None  # the temporary Station (the database step)
        self.expect: dict[str, Any] = {}
        self.lookup_result: Any = None
        self.payment: Any = None
        self.qt_ok: bool | None = None

    def steps(self) -> Iterator[tuple[str, Callable[[], str]]]:
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
            yield f"receipt-{mode}", functools.partial(self.step_receipt, mode)
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
        qt_error = qt_import_error()
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
        err = qt_import_error()
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
        formats = {bytes(f.data()).decode() for f in QtGui.QImageReader.supportedImageFormats()}
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

    def _need_station(self) -> Any:
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
        result = cache_service(station).import_extract(sample)
        got = as_dict(result)
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
        result = cache_service(station).lookup(code)
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
        hits = list(cache_service(station).search(query))
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
            detail = probe(data_dir, files=(self.real_db, wal))
        else:  # created at first start: the nearest existing parent must accept it
            parent = next(p for p in data_dir.parents if p.exists())
            try:
                probe(parent)
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
