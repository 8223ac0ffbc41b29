"""Composition root: the only place (with cashier/app_gui.py and cashier/cli) that wires db,
devices and export into the services.

``Station`` is built from explicit parts - the clock, the password hasher, this run's printer
(URL override, printer factory, discovery) - with the production default for each one left out,
and builds each service on first use, bound to one database: ``Station.storage`` is the SQLite
file's (``cashier.db.sqlite.storage``), or for a ``postgresql://`` URL this counter's (``station``)
on the collection point's server (``cashier.db.postgres.storage``; a file's backup and restore are
refused there: ``postgres.file_only``); each service takes only the stores it uses. It implements :class:`cashier.services.station.StationServices`, the
Protocol the UI and the CLI are typed against. Tests build it as
``Station(db, clock=FixedClock(...), hasher=Argon2Hasher.fast_for_tests())``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cashier import paths
from cashier.core.clock import Clock, SystemClock
from cashier.core.errors import InvalidInput

if TYPE_CHECKING:
    from peewee import Database

    from cashier.core.ledger import User
    from cashier.db.journal_anchor import JournalAnchor
    from cashier.db.ledger_crypto import FileSecretStore
    from cashier.db.sqlite.storage import SqliteStorage
    from cashier.devices.print_queue import DeviceJobs
    from cashier.services.backup_service import BackupService, RestorePrepared
    from cashier.services.cache import CacheService
    from cashier.services.cache_ports import CacheStore
    from cashier.services.collect import CollectService
    from cashier.services.device_ports import PrinterFactory
    from cashier.services.export_service import ExportService
    from cashier.services.guard import Guard
    from cashier.services.journal_service import JournalService
    from cashier.services.output_paths import ProtectedPaths
    from cashier.services.ports.credentials import PasswordHasher
    from cashier.services.ports.storage import Storage
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
        station: str | None = None,
    ) -> None:
        from cashier.db.postgres.connection import is_postgres_url, normalise_url

        raw = str(db_path or os.environ.get("CASHIER_DB") or "")
        #: the collection point's server (None: this PC's SQLite file, the default), and this
        #: counter's station code on it (--station / CASHIER_STATION)
        self.server_url: str | None = normalise_url(raw) if is_postgres_url(raw) else None
        self.server_station = station or os.environ.get("CASHIER_STATION") or None
        # (on the server, the counter PC's own files - keys, reports, previews - stay in its data dir)
        self.db_path = (paths.data_dir() / "server.sqlite3" if self.server_url else
                        Path(db_path) if db_path else paths.default_db_path())
        #: every service's clock (one for the whole station)
        self.clock: Clock = clock or SystemClock()
        #: this run's --printer (None: the saved printer settings count)
        self.printer_url_override = printer_url
        self._hasher = hasher
        self._printer_factory = printer_factory
        self._discover_printers = discover_printers or _discover_printer_urls

    on_server = property(lambda self: self.server_url is not None)

    @cached_property
    def storage(self) -> Storage:
        """The SQLite file's (created, migrated), or this counter's on the server (checked only)."""
        if self.server_url is None:
            return self.sqlite_storage
        from cashier.db.postgres.storage import open_postgres_storage

        if not self.server_station:
            raise InvalidInput("postgres.no_station")
        return open_postgres_storage(self.server_url, station=self.server_station, secrets=self.journal_secrets)

    @cached_property
    def sqlite_storage(self) -> SqliteStorage:
        from cashier.db.sqlite.storage import open_sqlite_storage

        self.refuse_on_server("database file")
        self.check_data_dir()
        return open_sqlite_storage(self.db_path, secrets=self.journal_secrets, anchor=self.journal_anchor)

    def refuse_on_server(self, what: str) -> None:
        """What only a SQLite file has (backup, restore): refused on the server (usage exit 2)."""
        if self.server_url is not None:
            from cashier.db.postgres.connection import safe_url

            raise InvalidInput("postgres.file_only", what=what, url=safe_url(self.server_url))

    @property
    def db(self) -> Database:
        """The storage's database (for the debt cache's store)."""
        return self.storage.db  # type: ignore[attr-defined,no-any-return]

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
    def cache_store(self) -> CacheStore:
        from cashier.db.postgres.cache_store import PgCacheStore
        from cashier.db.sqlite.cache_store import SqliteCacheStore

        return PgCacheStore(self.db) if self.on_server else SqliteCacheStore(self.db)  # type: ignore[arg-type]

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
    def device_jobs(self) -> DeviceJobs:
        from cashier.devices.print_queue import DeviceJobs

        return DeviceJobs()

    # -- debt cache (issue: local debt cache) -----------------------------------------------
    @cached_property
    def cache(self) -> CacheService:
        """CacheService: import_extract / lookup / search over the CMIS debt extract."""
        from cashier.db.readers.extract_reader import ExtractLoader
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

        st = self.storage
        return UsersService(st.users, st.settings, self.password_hasher, self.clock)

    @cached_property
    def shifts(self) -> ShiftService:
        from cashier.services.shifts import ShiftService

        return ShiftService(self.storage.shifts, self.users, self.storage.settings, self.clock)

    @cached_property
    def collect(self) -> CollectService:
        from cashier.services.collect import CollectService

        st = self.storage
        return CollectService(
            payments=st.payments, changes=st.payment_changes, orders=st.orders, settings=st.settings,
            users=self.users, shifts=self.shifts, clock=self.clock,
        )

    @cached_property
    def journal(self) -> JournalService:
        from cashier.services.journal_service import JournalService

        st = self.storage
        return JournalService(st.journal, st.payments, st.settings, self.journal_secrets, self.clock,
                              anchor=None if self.on_server else self.journal_anchor)  # (none on the server)

    @cached_property
    def settings(self) -> SettingsService:
        from cashier.services.settings import SettingsService

        return SettingsService(self.storage.settings, guard=self.guard)

    @cached_property
    def station_code(self) -> str:
        return self.storage.settings.ledger().station

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
            # (the server is backed up with PostgreSQL's own tools)
            return None if self.on_server else str(self.backups.backup(label=batch_id))

        return ExportService(
            self.storage.export,
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
        from cashier.export.reports import ReportWriter
        from cashier.services.report_service import ReportService

        return ReportService(
            self.storage.reports, self.storage.payments, ReportWriter(), station=self.station_code, clock=self.clock,
            guard=self.guard, protected=self.protected_paths,
        )

    @cached_property
    def backups(self) -> BackupService:
        from cashier.services.backup_service import BackupService

        self.refuse_on_server("backup and restore")
        return BackupService(
            self.sqlite_storage.backups,
            self.backups_dir,
            clock=self.clock,
            verify_candidate=self._verify_backup_journal,
            authorize=lambda user, permission: self.users.check(user, permission)[0],
            prepare=self._prepare_restore,
            record=self._record_restore,
            anchor_rebuild=self._rebuild_anchor,
            station_empty=lambda: not self.users.has_users() and self.storage.journal.journal_head(self.station_code) is None,
            live_unreadable=lambda: not self.live_database_ok(),
            protected=self.protected_paths,
            login_in_backup=self._login_in_backup,
        )

    def live_database_ok(self) -> bool:
        """Can the live database be read (quick_check, users table)? Checked before anything
        opens it: a damaged database is the commonest reason to restore, and then the admin is
        checked against the backup's users instead."""
        if self.on_server:
            return True  # (no restore on the server: refuse_on_server)
        from cashier.db.sqlite.backups import live_database_ok

        return live_database_ok(self.db_path)

    def _verify_backup_journal(self, path: Path) -> tuple[bool, str]:
        """Verify a backup's journal with this station's key, on a scratch copy of it."""
        from cashier.db.sqlite.storage import backup_storage
        from cashier.services.journal_service import JournalService

        with backup_storage(path, self.journal_secrets) as st:
            result = JournalService(st.journal, st.payments, st.settings, self.journal_secrets).verify()
        if result.ok:
            return True, f"integrity ok, journal ok ({result.checked} entries)"
        return False, "journal does not verify: " + (result.problem.message if result.problem else "?")

    def _login_in_backup(self, backup: Path, username: str, password: str) -> User:
        """The admin's credentials checked against the backup's users (on a scratch copy), for a
        restore over a damaged live database."""
        from cashier.db.sqlite.storage import backup_storage
        from cashier.services.users import UsersService

        with backup_storage(backup, self.journal_secrets, "users.sqlite3") as st:
            return UsersService(st.users, st.settings, self.password_hasher, self.clock).login(username, password)

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
        n = self.storage.journal.rebuild_anchor()
        return self.storage.journal.append_journal(
            self.station_code,
            "anchor_rebuild",
            {"by": admin.id, "by_username": admin.username, "previous": previous, "entries": n,
             "problem": result.problem.message if result.problem else ""},
            self.clock.now(),
        )

    def _record_restore(self, payload: dict[str, Any]) -> int:
        journal = self.storage.journal
        journal.sync_anchor()  # an anchor shorter than the restored backup is extended from it first
        return journal.record_restore(self.station_code, payload, self.clock.now())

    def _prepare_restore(self, backup: Path, scratch: Path, replay: bool) -> RestorePrepared:
        """A copy of ``backup`` brought up to the journal's anchor (db/sqlite/backups.py)."""
        from cashier.db.sqlite.backups import prepare_restore

        live = self.sqlite_storage if self.live_database_ok() else None
        return prepare_restore(backup, scratch, replay, anchor=self.journal_anchor, secrets=self.journal_secrets,
                               live=live, live_db=self.db_path)

    # -- devices (issue 4: printers, print queue, scanners, cards) -----------------------------
    @cached_property
    def printing(self) -> PrintService:
        from cashier.services.printing import PrintService

        factory = self._printer_factory
        if factory is None:
            from cashier.devices.printer import EscPosPrinter

            factory = EscPosPrinter.from_settings  # (url, **overrides: a printer for the settings)
        return PrintService(
            self.storage.settings,
            factory,
            self.device_jobs,
            receipts=self.collect,
            customers=self.storage.payments,
            clock=self.clock,
            url_override=self.printer_url_override,
            default_url=f"preview:{self.preview_dir}",
            discover=self._discover_printers,
            guard=self.guard,
        )

    def close(self) -> None:
        if "device_jobs" in self.__dict__:
            self.device_jobs.close()
            del self.__dict__["device_jobs"]
        if "storage" in self.__dict__:
            self.storage.close()  # the services keep it: its connection reopens on next use


def _discover_printer_urls() -> list[str]:
    from cashier.devices.discovery import discover

    return [d.url for d in discover()]


def main(argv: list[str] | None = None) -> int:
    """Start the counter app (GUI): ``cashier-gui``, ``cashier-gui.exe`` and ``cashier gui``
    (the entry point; the start-up is ``cashier.app_gui.main``)."""
    from cashier.app_gui import main as gui_main

    return gui_main(argv)
