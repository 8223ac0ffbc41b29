"""Composition root: the only place (with cashier/app_gui.py and cashier/cli) that wires db,
devices and export into the services.

``Station`` is built from explicit parts - the clock, the password hasher, this run's printer
(URL override, printer factory, discovery) - with the production default for each one left out,
and builds each service on first use, bound to one database file (the stores are the SQLite
ones on that file). It implements :class:`cashier.services.station.StationServices`, the
Protocol the UI and the CLI are typed against. Tests build it as
``Station(db, clock=FixedClock(...), hasher=Argon2Hasher.fast_for_tests())``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cashier import paths
from cashier.core.clock import Clock, SystemClock

if TYPE_CHECKING:
    from peewee import SqliteDatabase

    from cashier.core.ledger import User
    from cashier.db.cache_store import SqliteCacheStore
    from cashier.db.export_store import SqliteExportStore
    from cashier.db.journal_anchor import JournalAnchor
    from cashier.db.ledger_crypto import FileSecretStore
    from cashier.db.ledger_store import SqliteLedgerStore
    from cashier.db.settings_store import SqliteSettingsStore
    from cashier.devices.print_queue import DeviceJobs
    from cashier.services.backup_service import BackupService, RestorePrepared
    from cashier.services.cache import CacheService
    from cashier.services.collect import CollectService
    from cashier.services.device_ports import PrinterFactory
    from cashier.services.export_service import ExportService
    from cashier.services.guard import Guard
    from cashier.services.journal_service import JournalService
    from cashier.services.ledger_ports import PasswordHasher
    from cashier.services.output_paths import ProtectedPaths
    from cashier.services.printing import PrintService
    from cashier.services.report_service import ReportService
    from cashier.services.settings import SettingsService
    from cashier.services.shifts import ShiftService
    from cashier.services.users import UsersService


class Station:
    """Everything one station needs, built lazily from a database path and the given parts."""

    def __init__(
        self,
        db_path: str | Path | None = None,
        *,
        clock: Clock | None = None,
        hasher: PasswordHasher | None = None,
        printer_url: str | None = None,
        printer_factory: PrinterFactory | None = None,
        discover_printers: Callable[[], list[str]] | None = None,
    ) -> None:
        self.db_path = Path(db_path) if db_path else paths.default_db_path()
        #: every service's clock (one for the whole station)
        self.clock: Clock = clock or SystemClock()
        #: this run's --printer (None: the saved printer settings count)
        self.printer_url_override = printer_url
        self._hasher = hasher
        self._printer_factory = printer_factory
        self._discover_printers = discover_printers or _discover_printer_urls

    @cached_property
    def db(self) -> SqliteDatabase:
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

    @property
    def backups_dir(self) -> Path:
        return paths.backups_dir(self.db_path)

    @property
    def preview_dir(self) -> Path:
        return self.db_path.parent / "previews"

    @property
    def password_hasher(self) -> PasswordHasher:
        if self._hasher is None:
            from cashier.db.ledger_crypto import Argon2Hasher

            self._hasher = Argon2Hasher()
        return self._hasher

    @property
    def guard(self) -> Guard:
        """The permission check every service calls (UsersService.require; services/guard.py)."""
        return self.users.require

    @cached_property
    def protected_paths(self) -> ProtectedPaths:
        """What no output may overwrite: the database (and -wal/-shm/-journal), keys/, backups/."""
        from cashier.services.output_paths import ProtectedPaths

        return ProtectedPaths.for_station(self.db_path, self.keys_dir, self.backups_dir)

    # -- stores -----------------------------------------------------------------------------
    @cached_property
    def cache_store(self) -> SqliteCacheStore:
        from cashier.db.cache_store import SqliteCacheStore

        return SqliteCacheStore(self.db)

    @cached_property
    def journal_secrets(self) -> FileSecretStore:
        from cashier.db.ledger_crypto import FileSecretStore

        return FileSecretStore(self.keys_dir)

    @cached_property
    def journal_anchor(self) -> JournalAnchor:
        """The journal's anchor beside the keys (where a database restore does not reach)."""
        from cashier.db.journal_anchor import JournalAnchor, file_name_for

        return JournalAnchor(self.keys_dir, file_name_for(self.db_path.name))

    @cached_property
    def ledger_store(self) -> SqliteLedgerStore:
        from cashier.db.ledger_store import SqliteLedgerStore

        store = SqliteLedgerStore(self.db, self.journal_secrets, anchor=self.journal_anchor)
        if self.journal_anchor.exists():  # heal an anchor left behind by a crash after a commit
            store.sync_anchor(quiet=True)
        return store

    @cached_property
    def export_store(self) -> SqliteExportStore:
        from cashier.db.export_store import SqliteExportStore

        return SqliteExportStore(self.db)

    @cached_property
    def settings_store(self) -> SqliteSettingsStore:
        from cashier.db.settings_store import SqliteSettingsStore

        return SqliteSettingsStore(self.db, lambda: self.ledger_store.settings())

    @cached_property
    def device_jobs(self) -> DeviceJobs:
        from cashier.devices.print_queue import DeviceJobs

        return DeviceJobs()

    # -- debt cache (issue: local debt cache) -----------------------------------------------
    @cached_property
    def cache(self) -> CacheService:
        """CacheService: import_extract / lookup / search over the CMIS debt extract."""
        from cashier.db.extract_loader import ExtractLoader
        from cashier.services.cache import CacheService

        return CacheService(
            self.cache_store,
            ExtractLoader(),
            profiles_dir=paths.resources_dir() / "profiles",
            reports_dir=self.reports_dir,
            clock=self.clock,
            journal=lambda kind, payload: self.journal.record(kind, payload),
            guard=self.guard,
        )

    # -- ledger (issue 3: payments, receipts, journal, users, shifts) -------------------------
    @cached_property
    def users(self) -> UsersService:
        from cashier.services.users import UsersService

        return UsersService(self.ledger_store, self.password_hasher, self.clock)

    @cached_property
    def shifts(self) -> ShiftService:
        from cashier.services.shifts import ShiftService

        return ShiftService(self.ledger_store, self.users, self.clock)

    @cached_property
    def collect(self) -> CollectService:
        from cashier.services.collect import CollectService

        return CollectService(self.ledger_store, self.users, self.shifts, self.clock)

    @cached_property
    def journal(self) -> JournalService:
        from cashier.services.journal_service import JournalService

        return JournalService(self.ledger_store, self.journal_secrets, self.clock, anchor=self.journal_anchor)

    @cached_property
    def settings(self) -> SettingsService:
        from cashier.services.settings import SettingsService

        return SettingsService(self.settings_store, guard=self.guard)

    @cached_property
    def station_code(self) -> str:
        return self.ledger_store.settings().station

    # -- end of day (issue 6: clearing file, verify, reconciliation, reports, backups) --------
    def _journal_check(self) -> tuple[bool, str]:
        result = self.journal.verify()
        if result.ok:
            return True, f"journal ok ({result.checked} entries)"
        return False, result.problem.message if result.problem else "journal does not verify"

    @cached_property
    def export(self) -> ExportService:
        from cashier.export.clearing_exporter import ClearingExporter
        from cashier.export.profiles import load_profiles
        from cashier.export.reconcile_reader import read_results
        from cashier.export.signing import StationKey
        from cashier.services.export_service import ExportService

        clearing, reconcile = load_profiles(paths.resources_dir() / "profiles" / "default.json")

        def after_export(batch_id: str) -> str | None:
            return str(self.backups.backup(label=batch_id))

        return ExportService(
            self.export_store,
            ClearingExporter(StationKey(self.keys_dir)),
            clearing,
            station=self.station_code,
            default_dir=self.db_path.parent / "exports",
            clock=self.clock,
            reconcile_profile=reconcile,
            result_reader=read_results,
            after_export=after_export,
            journal_check=self._journal_check,
            journal_record=self.journal.record,
            guard=self.guard,
            protected=self.protected_paths,
        )

    @cached_property
    def reports(self) -> ReportService:
        from cashier.db.report_store import SqliteReportStore
        from cashier.export.reports import ReportWriter
        from cashier.services.report_service import ReportService

        return ReportService(
            SqliteReportStore(self.db), ReportWriter(), station=self.station_code, clock=self.clock,
            guard=self.guard, protected=self.protected_paths,
        )

    @cached_property
    def backups(self) -> BackupService:
        from cashier.db.backup_store import SqliteBackups
        from cashier.db.migrations import SCHEMA_VERSION
        from cashier.services.backup_service import BackupService

        return BackupService(
            SqliteBackups(self.db_path, schema_version=SCHEMA_VERSION),
            self.backups_dir,
            clock=self.clock,
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

    def live_database_ok(self) -> bool:
        """Can the live database be read (quick_check, users table)? Checked before anything
        opens it: a damaged database is the commonest reason to restore, and then the admin is
        checked against the backup's users instead."""
        from cashier.db.backup_checks import live_database_ok

        return live_database_ok(self.db_path)

    def _verify_backup_journal(self, path: Path) -> tuple[bool, str]:
        """Verify a backup's journal with this station's key, on a scratch copy of it."""
        from cashier.db.backup_checks import backup_ledger
        from cashier.services.journal_service import JournalService

        with backup_ledger(path, self.journal_secrets) as store:
            result = JournalService(store, self.journal_secrets).verify()
        if result.ok:
            return True, f"integrity ok, journal ok ({result.checked} entries)"
        return False, "journal does not verify: " + (result.problem.message if result.problem else "?")

    def _login_in_backup(self, backup: Path, username: str, password: str) -> User:
        """The admin's credentials checked against the backup's users (on a scratch copy), for a
        restore over a damaged live database."""
        from cashier.db.backup_checks import backup_ledger
        from cashier.services.users import UsersService

        with backup_ledger(backup, self.journal_secrets, "users.sqlite3") as store:
            return UsersService(store, self.password_hasher, self.clock).login(username, password)

    def _rebuild_anchor(self, admin: User) -> int:
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
            self.clock.now(),
        )

    def _record_restore(self, payload: dict[str, Any]) -> int:
        store = self.ledger_store
        store.sync_anchor()  # an anchor shorter than the restored backup is extended from it first
        return store.record_restore(payload, self.clock.now())

    def _prepare_restore(self, backup: Path, scratch: Path, replay: bool) -> RestorePrepared:
        """A copy of ``backup`` brought up to the journal's anchor (db/backup_checks.py)."""
        from cashier.db.backup_checks import prepare_restore

        live = self.ledger_store if self.live_database_ok() else None
        return prepare_restore(backup, scratch, replay, anchor=self.journal_anchor, secrets=self.journal_secrets,
                               live_store=live, live_db=self.db_path)

    # -- devices (issue 4: printers, print queue, scanners, cards) -----------------------------
    @cached_property
    def printing(self) -> PrintService:
        from cashier.services.printing import PrintService

        factory = self._printer_factory
        if factory is None:
            from cashier.devices.printer import EscPosPrinter

            factory = EscPosPrinter.from_settings  # (url, **overrides: a printer for the settings)
        return PrintService(
            self.settings_store,
            factory,
            self.device_jobs,
            receipts=self.collect,
            customers=self.ledger_store,
            clock=self.clock,
            url_override=self.printer_url_override,
            default_url=f"preview:{self.preview_dir}",
            discover=self._discover_printers,
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


def main(argv: list[str] | None = None) -> int:
    """Start the counter app (GUI): ``cashier-gui``, ``cashier-gui.exe`` and ``cashier gui`` take
    the same options (cashier/cli/gui_options.py); ``argv`` None: this program's command line."""
    from cashier.app_gui import gui_start
    from cashier.cli import setup_logging
    from cashier.cli.gui_options import parse_gui_args

    options = parse_gui_args(argv)
    setup_logging(options.verbose)
    from cashier.ui.main import run_gui  # noqa: PLC0415 (Qt only loads for the GUI)

    return run_gui(options, gui_start)
