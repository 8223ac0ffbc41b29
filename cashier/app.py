"""Composition root: the only place (with cashier/cli) that wires db, devices and export into the
services. ``Station`` builds each service on first use, bound to one database file.
"""

from __future__ import annotations

import logging
from functools import cached_property
from pathlib import Path

from cashier import paths

log = logging.getLogger(__name__)


class Station:
    """Everything one station needs, built lazily from a database path."""

    def __init__(self, db_path: str | Path | None = None, *, printer_url: str | None = None) -> None:
        self.db_path = Path(db_path) if db_path else paths.default_db_path()
        self.printer_url_override = printer_url

    @cached_property
    def db(self):
        from cashier.db.connection import open_database

        self.check_data_dir()
        return open_database(self.db_path)

    def check_data_dir(self) -> None:
        """Refuse a read-only data directory with a clear message (DomainError
        ``system.data_dir_readonly``) before SQLite fails on it half-way."""
        if str(self.db_path) != ":memory:":
            from cashier.services.selftest import check_writable_dir

            wal = self.db_path.with_name(self.db_path.name + "-wal")
            check_writable_dir(self.db_path.parent, files=(self.db_path, wal))

    @property
    def keys_dir(self) -> Path:
        return paths.keys_dir(self.db_path)

    @property
    def reports_dir(self) -> Path:
        return paths.reports_dir(self.db_path)

    # -- debt cache (issue: local debt cache) ---------------------------------------------
    # Services are added below as cached properties, one per use case, each wiring its
    # concrete store/device/exporter implementation.
    @cached_property
    def cache_store(self):
        from cashier.db.cache_store import SqliteCacheStore

        return SqliteCacheStore(self.db)

    @cached_property
    def cache(self):
        """CacheService: import_extract / lookup / search over the CMIS debt extract."""
        from cashier.core.clock import SystemClock
        from cashier.db.extract_loader import ExtractLoader
        from cashier.services.cache import CacheService

        return CacheService(
            self.cache_store,
            ExtractLoader(),
            profiles_dir=paths.resources_dir() / "profiles",
            reports_dir=self.reports_dir,
            clock=getattr(self, "clock", None) or SystemClock(),
            journal=lambda kind, payload: self.journal.record(kind, payload),
            guard=self.guard,
        )

    @property
    def guard(self):
        """The permission check every service calls (UsersService.require; services/guard.py)."""
        return self.users.require

    @cached_property
    def protected_paths(self):
        """What no output may overwrite: the database (and -wal/-shm/-journal), keys/, backups/."""
        from cashier.services.output_paths import ProtectedPaths

        return ProtectedPaths.for_station(self.db_path, self.keys_dir, self.backups_dir)

    def ensure_demo_data(self, customers: int = 2000, seed: int = 1):
        """Fill an EMPTY cache with generated demo customers (first start); return the
        ImportSummary, or None when the cache already has customers. ~1 s for 2,000."""
        if not self.cache.is_empty():
            return None
        from cashier.core.demo_data import DEMO_FIELDS, generate_rows

        rows = [list(DEMO_FIELDS), *generate_rows(customers, seed)]
        return self.cache.import_rows(rows, name=f"demo-{customers}")

    # -- ledger (issue 3: payments, receipts, journal, users, shifts) -------------------------
    @cached_property
    def journal_secrets(self):
        from cashier.db.ledger_crypto import FileSecretStore

        return FileSecretStore(self.keys_dir)

    @cached_property
    def journal_anchor(self):
        """The journal's anchor beside the keys (where a database restore does not reach)."""
        from cashier.db.journal_anchor import JournalAnchor, file_name_for

        return JournalAnchor(self.keys_dir, file_name_for(self.db_path.name))

    @cached_property
    def ledger_store(self):
        from cashier.db.ledger_store import SqliteLedgerStore

        store = SqliteLedgerStore(self.db, self.journal_secrets, anchor=self.journal_anchor)
        if self.journal_anchor.exists():  # heal an anchor left behind by a crash after a commit
            store.sync_anchor(quiet=True)
        return store

    @cached_property
    def password_hasher(self):
        from cashier.db.ledger_crypto import Argon2Hasher

        return Argon2Hasher()

    def _ledger_clock(self):
        from cashier.core.clock import SystemClock

        return getattr(self, "clock", None) or SystemClock()

    @cached_property
    def users(self):
        from cashier.services.users import UsersService

        return UsersService(self.ledger_store, self.password_hasher, self._ledger_clock())

    @cached_property
    def shifts(self):
        from cashier.services.shifts import ShiftService

        return ShiftService(self.ledger_store, self.users, self._ledger_clock())

    @cached_property
    def collect(self):
        from cashier.services.collect import CollectService

        return CollectService(self.ledger_store, self.users, self.shifts, self._ledger_clock())

    @cached_property
    def journal(self):
        from cashier.services.journal_service import JournalService

        return JournalService(
            self.ledger_store, self.journal_secrets, self._ledger_clock(), anchor=self.journal_anchor
        )

    # -- end of day (issue 6: clearing file, verify, reconciliation, reports, backups) --------
    @property
    def backups_dir(self) -> Path:
        return paths.backups_dir(self.db_path)

    @cached_property
    def export_profiles(self):
        from cashier.export.profiles import load_profiles

        return load_profiles(paths.resources_dir() / "profiles" / "default.json")

    @cached_property
    def export_store(self):
        from cashier.db.export_store import SqliteExportStore

        return SqliteExportStore(self.db)

    @cached_property
    def station_code(self) -> str:
        return self.ledger_store.settings().station

    def _journal_check(self) -> tuple[bool, str]:
        result = self.journal.verify()
        if result.ok:
            return True, f"journal ok ({result.checked} entries)"
        return False, result.problem.message if result.problem else "journal does not verify"

    @cached_property
    def export(self):
        from cashier.export.clearing_exporter import ClearingExporter
        from cashier.export.reconcile_reader import read_results
        from cashier.export.signing import StationKey
        from cashier.services.export_service import ExportService

        clearing, reconcile = self.export_profiles

        def after_export(batch_id: str) -> str | None:
            return str(self.backups.backup(label=batch_id))

        return ExportService(
            self.export_store,
            ClearingExporter(StationKey(self.keys_dir)),
            clearing,
            station=self.station_code,
            default_dir=self.db_path.parent / "exports",
            clock=self._ledger_clock(),
            reconcile_profile=reconcile,
            result_reader=read_results,
            after_export=after_export,
            journal_check=self._journal_check,
            journal_record=self.journal.record,
            guard=self.guard,
            protected=self.protected_paths,
        )

    def _verify_backup_journal(self, path: Path) -> tuple[bool, str]:
        """Verify a backup's journal with this station's key, on a scratch copy of it."""
        from cashier.db.backup_store import scratch_copy
        from cashier.db.ledger_store import SqliteLedgerStore
        from cashier.services.journal_service import JournalService

        with scratch_copy(path) as cand:
            result = JournalService(SqliteLedgerStore(cand, self.journal_secrets), self.journal_secrets).verify()
        if result.ok:
            return True, f"integrity ok, journal ok ({result.checked} entries)"
        return False, "journal does not verify: " + (result.problem.message if result.problem else "?")

    @cached_property
    def backups(self):
        from cashier.db.backup_store import SqliteBackups
        from cashier.db.migrations import SCHEMA_VERSION
        from cashier.services.backup_service import BackupService

        return BackupService(
            SqliteBackups(self.db_path, schema_version=SCHEMA_VERSION),
            self.backups_dir,
            clock=self._ledger_clock(),
            verify_candidate=self._verify_backup_journal,
            authorize=lambda user, permission: self.users.check(user, permission)[0],
            prepare=self._prepare_restore,
            record=self._record_restore,
            anchor_rebuild=self._rebuild_anchor,
            station_empty=lambda: not self.users.has_users() and self.ledger_store.journal_head() is None,
            live_unreadable=lambda: not self.live_database_ok(),
            protected=self.protected_paths,
            login_in_backup=self._login_in_backup,
        )

    def _rebuild_anchor(self, admin) -> int:
        """anchor-rebuild: only for a missing or damaged anchor (never over a rollback)."""
        from cashier.core.errors import Conflict, IntegrityError

        result = self.journal.verify()
        if result.ok:
            raise Conflict("anchor.not_needed", detail=f"{result.checked} entries")
        code = result.problem.code if result.problem else ""
        if code not in ("journal.anchor_missing", "journal.anchor_altered", "journal.anchor_behind"):
            raise IntegrityError("anchor.refused", detail=result.problem.message if result.problem else code)
        previous = "missing" if not self.journal_anchor.exists() else "damaged"
        n = self.ledger_store.rebuild_anchor()
        return self.ledger_store.append_journal(
            "anchor_rebuild",
            {"by": admin.id, "by_username": admin.username, "previous": previous, "entries": n,
             "problem": result.problem.message if result.problem else ""},
            self._ledger_clock().now(),
        )

    def live_database_ok(self) -> bool:
        """Can the live database be read (quick_check, users table)? Checked on its own sqlite3
        connection, before anything opens it: a damaged database is the commonest reason to
        restore, and then the admin is checked against the backup's users instead."""
        import sqlite3

        if not self.db_path.is_file():
            return True  # a new station
        try:
            con = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=10)
            try:
                if con.execute("PRAGMA quick_check(1)").fetchone()[0] != "ok":
                    return False
                con.execute("SELECT count(*) FROM app_user").fetchone()
            finally:
                con.close()
        except sqlite3.Error:
            return False
        return True

    def _login_in_backup(self, backup: Path, username: str, password: str):
        """The admin's credentials checked against the backup's users (on a scratch copy), for a
        restore over a damaged live database."""
        from cashier.db.backup_store import scratch_copy
        from cashier.db.ledger_store import SqliteLedgerStore
        from cashier.services.users import UsersService

        with scratch_copy(backup, "users.sqlite3") as cand:
            store = SqliteLedgerStore(cand, self.journal_secrets)
            return UsersService(store, self.password_hasher, self._ledger_clock()).login(username, password)

    def _record_restore(self, payload: dict) -> int:
        store = self.ledger_store
        store.sync_anchor()  # an anchor shorter than the restored backup is extended from it first
        return store.record_restore(payload, self._ledger_clock().now())

    def _prepare_restore(self, backup: Path, scratch: Path, replay: bool):
        """A copy of ``backup`` brought up to the journal's anchor (db.journal_replay)."""
        from cashier.core.journal import check_anchor_chain
        from cashier.db.journal_replay import prepare

        anchor = self.journal_anchor
        live_ok = self.live_database_ok()
        if live_ok:
            store = self.ledger_store
            store.sync_anchor(quiet=True)  # the anchor first holds everything the live database has
            if not anchor.exists() and store.journal_head() is None:
                anchor.create()  # a new station (disaster recovery): nothing here to lose, the backup counts
        if not anchor.exists():
            raise ValueError(
                f"the journal anchor {anchor.path} is missing: what this backup lacks cannot be told; "
                "an admin runs `cashier anchor-rebuild` first (journalled)"
            )
        secret = self.journal_secrets.secret(create=False)

        def checked():
            for e, problem in check_anchor_chain(secret, anchor.iter_entries()):
                if problem:
                    raise ValueError(f"the journal anchor is altered ({problem}): it cannot be trusted")
                yield e

        return prepare(backup, scratch, checked(), secret, live_db=self.db_path if live_ok else None,
                       replay=replay)

    @cached_property
    def reports(self):
        from cashier.db.report_store import SqliteReportStore
        from cashier.export.reports import ReportWriter
        from cashier.services.report_service import ReportService

        return ReportService(
            SqliteReportStore(self.db), ReportWriter(), station=self.station_code, clock=self._ledger_clock(),
            guard=self.guard, protected=self.protected_paths,
        )

    # -- devices (issue 4: printers, print queue, scanners, cards) -----------------------------
    @cached_property
    def settings_table(self):
        return _SettingsTable(self)

    @cached_property
    def device_jobs(self):
        from cashier.devices.print_queue import DeviceJobs

        return DeviceJobs()

    @property
    def preview_dir(self) -> Path:
        return self.db_path.parent / "previews"

    @cached_property
    def printing(self):
        from cashier.devices.printer import EscPosPrinter
        from cashier.services.printing import PrintService

        return PrintService(
            self.settings_table,
            EscPosPrinter.from_settings,
            self.device_jobs,
            receipts=self.collect,
            customers=self.ledger_store,
            clock=self._ledger_clock(),
            url_override=self.printer_url_override,
            default_url=f"preview:{self.preview_dir}",
            discover=_discover_printer_urls,
            guard=self.guard,
        )

    def close(self) -> None:
        from cashier.db.connection import close_database

        if "device_jobs" in self.__dict__:
            self.device_jobs.close()
            del self.__dict__["device_jobs"]
        if "db" in self.__dict__:
            close_database()
            del self.__dict__["db"]


def _discover_printer_urls() -> list[str]:
    from cashier.devices.discovery import discover

    return [d.url for d in discover()]


class _SettingsTable:
    """The ``setting`` table (JSON values by key) as the services' SettingsPort."""

    def __init__(self, station: Station) -> None:
        self.station = station

    def get(self, key: str, default=None):
        import json

        row = self.station.db.execute_sql('SELECT value FROM "setting" WHERE key = ?', (key,)).fetchone()
        if row is None:
            return default
        try:
            return json.loads(row[0])
        except ValueError:
            return row[0]

    def set(self, key: str, value) -> None:
        import json

        with self.station.db.atomic("IMMEDIATE"):
            self.station.db.execute_sql(
                'INSERT INTO "setting"(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
                (key, json.dumps(value, ensure_ascii=False)),
            )


#: demo accounts made on a fresh machine by the counter app (issue 5): (user, password, role)
DEMO_USERS = (("admin", "admin123", "admin"), ("quanly", "quanly123", "manager"), ("thungan", "123456", "cashier"))


#: demo only (Settings → reconnection fee sets the real one)
DEMO_RECONNECTION_FEE = 30_000

#: demo only, a placeholder (Settings → company → e-invoice lookup site sets the real one)
DEMO_EINVOICE_URL = "https://hoadon.evn.example/tra-cuu"


def gui_start(db_path: str | None = None, printer_url: str | None = None):
    """The counter app's Station (issue 5). On a fresh machine: demo debt data, demo users, and
    the preview printer (the printing service's default), said in the status bar."""
    from cashier.ui.backend import StartInfo

    station = Station(db_path, printer_url=printer_url)
    info = StartInfo(
        db_path=station.db_path,
        printer_url=printer_url or "",
        log_path=paths.log_dir() / "cashier.log",
        resources_dir=paths.resources_dir(),
    )
    if not station.users.has_users():
        ensure = getattr(station, "ensure_demo_data", None)
        if ensure is not None:
            ensure()
        admin = station.users.add_user(DEMO_USERS[0][0], DEMO_USERS[0][1], "admin", full_name="Quản trị (demo)")
        station.users.add_user(DEMO_USERS[1][0], DEMO_USERS[1][1], "manager", full_name="Trần Thị Quản Lý (demo)", cashier_code="QL01", actor=admin)
        station.users.add_user(DEMO_USERS[2][0], DEMO_USERS[2][1], "cashier", full_name="Nguyễn Văn Thu (demo)", cashier_code="TN01", actor=admin)
        station.settings_table.set("demo.users", [list(u) for u in DEMO_USERS])
        # a demo reconnection fee so that disconnected demo customers show the fee line and the
        # reconnection order; a real station sets its own in Settings (F10)
        station.ledger_store.set_setting("ledger.reconnection_fee", DEMO_RECONNECTION_FEE)
        # an EXAMPLE e-invoice lookup address (reserved .example name), so that demo receipts show
        # the e-invoice line and QR; a real station sets its power company's site (F10 / company-config)
        station.printing.save_company(actor=admin, einvoice_url=DEMO_EINVOICE_URL)
    demo = station.settings_table.get("demo.users")
    if demo:
        info.demo_users = tuple(tuple(u) for u in demo)
    info.serial_scanner = _serial_scanner
    info.serial_ports = _serial_ports
    info.hid_scanners = _hid_scanners
    return station, info


def _serial_scanner(port: str, **kwargs):
    """A scanner reader (its own thread) for the counter app: a serial port, or a HID-POS
    scanner when the configured port is ``hid:...`` (hid:auto, hid:/dev/hidrawN, hid:VVVV:PPPP)."""
    if port.startswith("hid:"):
        from cashier.devices.hid_scanner import HidScanner

        kwargs.pop("baudrate", None)
        return HidScanner(port, **kwargs)
    from cashier.devices.serial_scanner import SerialScanner

    return SerialScanner(port, **kwargs)


def _hid_scanners() -> list[str]:
    from cashier.devices.discovery import hid_pos_ports

    return hid_pos_ports()


def _serial_ports() -> list[str]:
    from cashier.devices.discovery import serial_ports

    return [d.url.split(":", 1)[1].split("?", 1)[0] for d in serial_ports()]


def main(argv: list[str] | None = None) -> int:
    """Start the counter app (GUI): ``cashier-gui``, ``cashier-gui.exe`` and ``cashier gui`` take
    the same options (cashier/cli/gui_options.py); ``argv`` None: this program's command line."""
    from cashier.cli import setup_logging
    from cashier.cli.gui_options import parse_gui_args

    options = parse_gui_args(argv)
    setup_logging(options.verbose)
    from cashier.ui.main import run_gui  # noqa: PLC0415 (Qt only loads for the GUI)

    return run_gui(options, gui_start)
