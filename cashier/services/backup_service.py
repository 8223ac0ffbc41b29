"""Backups: online backup at each export and on demand (kept with a retention count), and restore.

A restore is an admin's action (``Permission.RESTORE``, checked here). It refuses, and changes
nothing, unless the candidate passes ``PRAGMA integrity_check``, is a station database of this
program's schema, its journal verifies with this station's key (so a foreign or tampered backup
is refused) and is a prefix of the journal's anchor (the append-only copy beside the keys).
What the anchor holds beyond the backup is brought back (``prepare``: copied into the journal and
replayed into the tables: payments, voids, shifts...); whatever cannot be brought back is *lost*
and the restore is refused with the list unless ``accept_loss``. The database being replaced is
kept aside; the restore itself is journalled (who, from which file, what was replayed and lost),
and the lost payments' bills cannot be collected again without a manager.
"""

from __future__ import annotations

import builtins
import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from cashier.core.clock import Clock, SystemClock, iso, to_vn
from cashier.core.errors import IntegrityError, PermissionDenied
from cashier.core.ledger import Permission, User
from cashier.services.output_paths import ProtectedPaths, check_output_dir
from cashier.services.ports.backups import BackupStore


def describe_lost(item: dict) -> str:
    """One lost event in a line: ``#14 payment ST01-0000006 (PC12AA0000006, 100006 đ): reason``."""
    what = f"#{item['seq']} {item['kind']}"
    if item.get("receipt"):
        what += f" {item['receipt']}"
    if item.get("customer"):
        what += f" ({item['customer']}, {item.get('total', 0)} đ)"
    if item.get("batch"):
        what += f" batch {item['batch']}"
    return f"{what}: {item.get('reason', '')}".rstrip(": ")

_NAME = re.compile(r"^cashier-\d{8}-\d{6}(-[\w.-]+)?\.sqlite3$")


@dataclass
class RestoreResult:
    restored_from: str
    kept_aside: str
    journal: str
    replayed: list[str] = field(default_factory=list)  # receipts brought back from the anchor
    lost: list[dict] = field(default_factory=list)  # events accepted as lost (describe_lost)
    notes: list[str] = field(default_factory=list)
    journal_seq: int = 0  # the restore's own journal entry

    def as_dict(self) -> dict:
        return dict(self.__dict__)


class RestorePrepared(Protocol):
    scratch: Path
    backup_seq: int
    anchor_seq: int
    replayed: list[str]
    lost: list[dict]
    notes: list[str]


class BackupService:
    def __init__(
        self,
        store: BackupStore,
        backups_dir: Path,
        *,
        keep: int = 30,
        clock: Clock | None = None,
        verify_candidate: Callable[[Path], tuple[bool, str]] | None = None,
        authorize: Callable[[User, Permission], User] | None = None,
        prepare: Callable[[Path, Path, bool], RestorePrepared] | None = None,
        record: Callable[[dict], int] | None = None,
        anchor_rebuild: Callable[[User], int] | None = None,
        station_empty: Callable[[], bool] | None = None,
        live_unreadable: Callable[[], bool] | None = None,
        login_in_backup: Callable[[Path, str, str], User] | None = None,
        protected: ProtectedPaths | None = None,
    ) -> None:
        """``authorize(user, permission)`` -> the fresh user or PermissionDenied;
        ``prepare(backup, scratch, replay)`` brings a copy of the backup up to the anchor
        (ValueError: not of this journal); ``record(payload)`` journals the restore."""
        self.store = store
        self.backups_dir = Path(backups_dir)
        self.keep = keep
        self.clock = clock or SystemClock()
        self.verify_candidate = verify_candidate
        self.authorize = authorize
        self.prepare = prepare
        self.record = record
        self.anchor_rebuild = anchor_rebuild
        #: a new station (no user, no journal): restoring onto it needs no login (nothing to lose,
        #: and the users are in the backup) - like the first import and the first admin
        self.station_empty = station_empty
        #: a damaged live database (nobody can log in to it): the admin logs in against the
        #: backup's own users instead (``backup_login``)
        self.live_unreadable = live_unreadable
        self.login_in_backup = login_in_backup
        #: a folder a person picks for a backup is never the keys folder (nor the database)
        self.protected = ProtectedPaths(
            protected.database, tuple(f for f in protected.folders if f[0] == "keys")
        ) if protected else None

    def damaged_live_database(self) -> bool:
        return self.live_unreadable is not None and self.live_unreadable()

    def _admin(self, actor: User | None) -> User:
        if actor is None:
            raise PermissionDenied("backup.need_admin")
        if self.authorize is not None:
            return self.authorize(actor, Permission.RESTORE)
        actor.require(Permission.RESTORE)
        return actor

    def rebuild_anchor(self, *, actor: User | None) -> int:
        """Write the journal anchor again from the database (admin; journalled). Only when it is
        missing or damaged, never to hide a rollback (an anchor ahead of the database)."""
        admin = self._admin(actor)
        if self.anchor_rebuild is None:
            raise PermissionDenied("backup.need_admin")
        return self.anchor_rebuild(admin)

    def _name(self, label: str = "") -> str:
        now = to_vn(self.clock.now())
        tail = f"-{re.sub(r'[^A-Za-z0-9.-]', '_', label)}" if label else ""
        return f"cashier-{now:%Y%m%d-%H%M%S}{tail}.sqlite3"

    def backup_as(self, actor: User | None, out_dir: Path | None = None) -> Path:
        """A backup a person asks for (CLI, window): needs the backup permission (a manager); a
        chosen folder is never the keys folder. The automatic backup after an export is
        ``backup()``, already authorised by the export."""
        if actor is None:
            raise PermissionDenied("backup.need_user")
        if self.authorize is not None:
            self.authorize(actor, Permission.BACKUP)
        else:
            actor.require(Permission.BACKUP)
        if out_dir is not None and self.protected is not None:
            out_dir = check_output_dir(out_dir, self.protected)
        return self.backup(out_dir)

    def backup(self, out_dir: Path | None = None, label: str = "") -> Path:
        directory = Path(out_dir) if out_dir else self.backups_dir
        target = directory / self._name(label)
        n = 1
        while target.exists():
            n += 1
            target = directory / self._name(f"{label}-{n}" if label else str(n))
        self.store.backup_to(target)
        if out_dir is None:
            self.prune()
        return target

    def list(self) -> list[Path]:
        if not self.backups_dir.is_dir():
            return []
        return sorted(p for p in self.backups_dir.iterdir() if _NAME.match(p.name))

    def prune(self) -> builtins.list[Path]:
        """Delete the oldest managed backups beyond the retention count."""
        files = self.list()
        doomed = files[: max(0, len(files) - self.keep)]
        for p in doomed:
            p.unlink()
        return doomed

    def check(self, path: Path) -> tuple[bool, str]:
        problems = self.store.check_file(Path(path))
        if problems:
            return False, "; ".join(problems)
        if self.verify_candidate is not None:
            return self.verify_candidate(Path(path))
        return True, "integrity ok (journal not checked)"

    def restore(
        self,
        path: Path,
        *,
        actor: User | None,
        accept_loss: bool = False,
        replay: bool = True,
        backup_login: tuple[str, str] | None = None,
    ) -> RestoreResult:
        """Put backup ``path`` in place of the database (see the module docstring). ``replay``
        False restores exactly the backup (everything after it is then lost: needs
        ``accept_loss``). ``backup_login`` (user name, password): only over a damaged live
        database, the admin is checked against the backup's users."""
        path = Path(path)
        if actor is None and self.damaged_live_database():
            if backup_login is None or self.login_in_backup is None:
                raise PermissionDenied("backup.need_admin")
            actor = self.login_in_backup(path, *backup_login)
            actor.require(Permission.RESTORE)
        elif actor is not None or self.station_empty is None or not self.station_empty():
            actor = self._admin(actor)
        ok, detail = self.check(path)
        if not ok:
            raise IntegrityError("backup.refused", file=str(path), detail=detail)
        self.backups_dir.mkdir(parents=True, exist_ok=True)
        scratch = self.backups_dir / f".restoring-{self._name()}"
        prepared = None
        try:
            source = path
            if self.prepare is not None:
                try:
                    prepared = self.prepare(path, scratch, replay)
                except ValueError as exc:
                    raise IntegrityError("backup.refused", file=str(path), detail=str(exc)) from None
                if prepared.lost and not accept_loss:
                    items = [describe_lost(x) for x in prepared.lost]
                    shown = "; ".join(items[:50]) + (f"; and {len(items) - 50} more" if len(items) > 50 else "")
                    raise IntegrityError("backup.loss", file=str(path), n=len(items), items=shown, lost=prepared.lost)
                source = prepared.scratch
            aside = self.backups_dir / f"replaced-{self._name()}"  # not counted by the retention
            self.store.restore_from(source, aside)
        finally:
            for p in (scratch, *(scratch.with_name(scratch.name + x) for x in ("-journal", "-wal", "-shm"))):
                with contextlib.suppress(OSError):
                    p.unlink()
        result = RestoreResult(restored_from=str(path), kept_aside=str(aside), journal=detail)
        if prepared is not None:
            result.replayed, result.lost, result.notes = prepared.replayed, prepared.lost, prepared.notes
        if self.record is not None:
            result.journal_seq = self.record(
                {
                    "file": path.name,
                    "at": iso(self.clock.now()),
                    "by": actor.id if actor else None,
                    "by_username": actor.username if actor else "(new station)",
                    "backup_seq": prepared.backup_seq if prepared else None,
                    "anchor_seq": prepared.anchor_seq if prepared else None,
                    "replayed": result.replayed,
                    "lost": result.lost,
                    "accept_loss": bool(accept_loss),
                    "replay": bool(replay),
                    "kept_aside": aside.name,
                }
            )
        return result
