"""What the UI and the command line use of a station: its services, and a few facts about this
run. ``cashier.app.Station`` (the composition root) implements it; the UI and the CLI are typed
against this Protocol and never reach past it to a store, a device or the database."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from cashier.services.backup_service import BackupService
from cashier.services.cache import CacheService
from cashier.services.collect import CollectService
from cashier.services.export_service import ExportService
from cashier.services.journal_service import JournalService
from cashier.services.output_paths import ProtectedPaths
from cashier.services.ports.journal import AnchorPort
from cashier.services.printing import PrintService
from cashier.services.report_service import ReportService
from cashier.services.settings import SettingsService
from cashier.services.shifts import ShiftService
from cashier.services.users import UsersService


class StationServices(Protocol):
    # -- the use cases ----------------------------------------------------------------------
    @property
    def users(self) -> UsersService: ...

    @property
    def shifts(self) -> ShiftService: ...

    @property
    def collect(self) -> CollectService: ...

    @property
    def cache(self) -> CacheService: ...

    @property
    def printing(self) -> PrintService: ...

    @property
    def export(self) -> ExportService: ...

    @property
    def reports(self) -> ReportService: ...

    @property
    def journal(self) -> JournalService: ...

    @property
    def backups(self) -> BackupService: ...

    @property
    def settings(self) -> SettingsService: ...

    # -- this station and this run ----------------------------------------------------------
    @property
    def station_code(self) -> str: ...

    @property
    def db_path(self) -> Path: ...

    @property
    def printer_url_override(self) -> str | None:
        """This run's --printer (None: the saved printer settings count)."""
        ...

    @property
    def protected_paths(self) -> ProtectedPaths:
        """What no output may overwrite (the database and its companions, keys/, backups/)."""
        ...

    @property
    def journal_anchor(self) -> AnchorPort: ...

    def live_database_ok(self) -> bool:
        """Can the live database be read (checked before anything opens it, for a restore)?"""
        ...

    def close(self) -> None: ...
