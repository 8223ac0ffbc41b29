"""Importing the CMIS debt extract into the cache (the import half of ``CacheService``).

A file is read and parsed (:mod:`cashier.services.extract_parse`, a big one in a child process),
staged, checked (too many bad rows, too many bills that would become "paid elsewhere") and
applied through the ``CacheStore`` port's import session; every applied import is journalled.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cashier.core.clock import Clock, iso
from cashier.core.debt import ImportSummary
from cashier.core.errors import Conflict, FileRefused
from cashier.core.extract.profile import ExtractProfile
from cashier.core.ledger import Permission, User
from cashier.services.cache_ports import CacheStore, ExtractReader, ImportMeta, MissingPreview
from cashier.services.extract_parse import ChildParse, InlineParse, open_parse
from cashier.services.guard import Guard
from cashier.services.import_report import fill_summary, write_report

log = logging.getLogger(__name__)


class PaidElsewhereNeedsConfirmation(Conflict):
    """An import would turn more bills "paid elsewhere" than the setting allows without asking.

    ``preview`` (a MissingPreview: per unit, bills missing from the file and the unit's unpaid
    bills), ``missing``, ``unpaid``, ``ratio`` (the setting) say what; nothing was imported. Run
    the import again with ``accept_missing=True`` (or a maximum count) to go ahead.
    """

    code = "import.confirm_paid_elsewhere"

    def __init__(self, code: str, preview: MissingPreview, ratio: float, **params: Any) -> None:
        self.preview = preview
        self.missing = preview.missing
        self.unpaid = preview.unpaid
        self.ratio = ratio
        super().__init__(code, **params)


@dataclass(frozen=True)
class _UnitsMissing:
    """Per unit, bills missing from the file / unpaid bills: a message param (numbers are
    grouped per language)."""

    by_unit: dict[str, tuple[int, int]]

    def text(self, lang: str = "en") -> str:
        sep = "," if lang == "en" else "."
        parts = [
            f"{u or '?'}: {m:,}/{n:,}".replace(",", sep) for u, (m, n) in self.by_unit.items() if m
        ][:10]
        more = len([1 for m, _ in self.by_unit.values() if m]) - len(parts)
        head = "per unit missing/unpaid " if lang == "en" else "theo đơn vị thiếu/chưa thu "
        tail = ""
        if more > 0:
            tail = f" (+{more} more)" if lang == "en" else f" (+{more} đơn vị khác)"
        return head + ", ".join(parts) + tail

#: progress(done, total, phase): phase is "read" (done/total in the file's unit: bytes for csv,
#: rows for xlsx; total 0 when unknown), "apply", "index" or "done" (done == total == 1).
ProgressFn = Callable[[int, int, str], None]
#: a threading.Event (``is_set``) or any callable returning True to cancel
CancelLike = Any

@dataclass(frozen=True)
class _ListSource:
    """Rows already in memory or generated (demo data), as an ExtractSource."""

    name: str
    source_rows: Iterable[Sequence[Any]]
    sha256: str = "-"

    @property
    def warnings(self) -> list[str]:
        return []

    def rows(self) -> Iterator[tuple[int, Sequence[Any]]]:
        return enumerate(self.source_rows, 1)

    def progress(self) -> tuple[int, int]:
        return (0, 0)

    def close(self) -> None:
        pass


def _cancel_fn(cancel: CancelLike) -> Callable[[], bool]:
    if cancel is None:
        return lambda: False
    is_set = getattr(cancel, "is_set", None)
    if callable(is_set):
        return is_set
    if callable(cancel):
        return lambda: bool(cancel())
    return lambda: bool(cancel)


class CacheImport:
    """Import of extract files and of rows in memory (a base of ``CacheService``: it uses the
    service's store, reader, guard, journal, clock, reports folder and profiles)."""

    store: CacheStore
    reader: ExtractReader
    guard: Guard
    journal: Callable[[str, dict], Any] | None
    clock: Clock
    reports_dir: Path
    parse_in_child: bool | None

    def profile(self, name: str | None = None) -> ExtractProfile:  # pragma: no cover - the service's
        raise NotImplementedError

    # -- import -------------------------------------------------------------------------------
    def import_extract(
        self,
        path: str | Path,
        profile_name: str | None = None,
        progress: ProgressFn | None = None,
        cancel: CancelLike = None,
        actor: User | None = None,
        accept_missing: bool | int | None = None,
    ) -> ImportSummary:
        """Import a debt extract (xlsx/csv) in one transaction; return what it did.

        ``actor``: the logged-in user (the UI passes it; needs the import permission). Every
        applied import is journalled (file, SHA-256, batch, counts, total due, who).

        Bad rows are skipped and reported (``summary.rejected``, and a CSV report in
        ``reports_dir``); the file as a whole is refused (``FileRefused``, nothing imported) when
        it cannot be read, has no header row, has no valid row, or more than the profile's
        ``max_rejected_ratio`` of its rows are bad. ``cancel`` stops it (``Conflict``,
        nothing imported). A big file is read and parsed in a child process while this one
        writes to the database (:mod:`cashier.services.extract_parse`).

        Before anything is changed, the unpaid bills the file does not list (which would become
        "paid elsewhere") are counted: above the setting ``cache.max_paid_elsewhere_ratio``
        (default 2% of the unpaid bills in the units the file covers) the import raises
        ``PaidElsewhereNeedsConfirmation`` (nothing imported) unless ``accept_missing`` is True,
        or a number at least that count.

        A refresh holds the database's write lock only for moments (collections go on); a
        cancel is honoured until the apply starts (from then on the import is finished).
        """
        actor = self._authorise_import(actor)
        profile = self.profile(profile_name)
        parse = open_parse(self.reader, path, profile, child=self.parse_in_child)
        summary = self._import(parse, profile, progress, cancel, accept_missing)
        self._journal(summary, parse.sha256, actor)
        return summary

    def import_rows(
        self,
        rows: Iterable[Sequence[Any]],
        *,
        name: str = "rows",
        profile_name: str | None = None,
        progress: ProgressFn | None = None,
        cancel: CancelLike = None,
        actor: User | None = None,
        accept_missing: bool | int | None = None,
    ) -> ImportSummary:
        """Import rows given in memory (header row first), e.g. generated demo data."""
        actor = self._authorise_import(actor)
        profile = self.profile(profile_name)
        parse = InlineParse(_ListSource(name, rows), profile)
        summary = self._import(parse, profile, progress, cancel, accept_missing)
        self._journal(summary, parse.sha256, actor)
        return summary

    def _authorise_import(self, actor: User | None) -> User | None:
        """The import permission; without a user only on a station that has no user yet (the
        first import of a new station: nothing can have been collected there, collecting needs
        a user). Once the first admin exists every import needs a logged-in user."""
        return self.guard(actor, Permission.IMPORT, bootstrap=True)

    def _journal(self, summary: ImportSummary, sha256: str, actor: User | None) -> None:
        """Record an applied import in the journal (after its commit: the import runs in its own
        raw transaction; a failure here is logged, the cache is already consistent)."""
        if self.journal is None:
            return
        payload = {
            "file": summary.file,
            "sha256": sha256,
            "profile": summary.profile,
            "batch": summary.batch_id,
            "rows": summary.rows_read,
            "customers": summary.customers,
            "bills": summary.bills,
            "new_bills": summary.new_bills,
            "paid_elsewhere": summary.paid_elsewhere,
            "conflicts": summary.conflicts,
            "rejected": len(summary.rejected),
            "total_due": summary.total_due,
            "user": actor.username if actor is not None else "",
        }
        try:
            self.journal("import", payload)
        except Exception:  # noqa: BLE001 - never turn an applied import into an error
            log.exception("could not journal import batch %s", summary.batch_id)

    def _import(
        self, parse: InlineParse | ChildParse, profile: ExtractProfile, progress: ProgressFn | None,
        cancel: CancelLike, accept_missing: bool | int | None = None,
    ) -> ImportSummary:  # fmt: skip
        t0 = time.perf_counter()
        cancelled = _cancel_fn(cancel)
        report = progress or (lambda done, total, phase: None)
        started = iso(self.clock.now())
        summary = ImportSummary(file=parse.name, profile=profile.name)
        try:
            header = parse.header
            meta = ImportMeta(
                file_name=parse.name,
                file_sha256=parse.sha256,
                profile=profile.name,
                started_at=started,
                present=frozenset(header.index),
            )
            with self.store.import_session(meta) as session:
                stage = session.stage
                for customers, bills in parse.batches():
                    stage(customers, bills)
                    if cancelled():
                        raise Conflict("import.cancelled")
                    done, total = parse.progress()
                    report(done, total, "read")
                done, total = parse.progress()
                report(total or done, total, "read")
                parsed = parse.outcome()
                rejected, rejected_codes = parsed.rejected, parsed.rejected_codes
                summary.batch_id = session.batch_id
                stats = parsed.stats
                summary.rows_read = stats.data_rows
                summary.duplicates = stats.duplicates
                summary.warnings = parsed.warnings
                if parsed.conflicts:
                    keys = [tuple(k.split("\x1f", 1)) for k in parsed.conflicts]
                    session.drop_bills(keys)  # type: ignore[arg-type]
                    rejected.extend(parsed.conflict_rejections)
                    rejected_codes.update(k[0] for k in keys)
                rejected.sort(key=lambda r: r.row)
                summary.rejected = rejected
                accepted = stats.bills - len(parsed.conflicts)
                self._refuse_if_bad(summary, profile, accepted, meta, started)
                session.protect(rejected_codes)
                if parsed.rejected_bills or parsed.rejected_units:
                    session.protect_bills(parsed.rejected_bills, parsed.rejected_units)
                if parsed.rejected_units:
                    summary.warnings.append(
                        "rows naming neither a customer nor a bill were rejected: no bill of "
                        f"unit(s) {', '.join(sorted(parsed.rejected_units))} became paid elsewhere"
                    )
                session.stage_terms(parsed.terms)
                del parsed
                if cancelled():
                    raise Conflict("import.cancelled")
                report(0, 1, "prepare")
                self._check_missing(session.prepare(started), accept_missing)
                if cancelled():
                    raise Conflict("import.cancelled")
                # from here on the import is finished (rolled forward even after a crash)
                report(0, 1, "apply")
                session.on_chunk = lambda done, total: report(done, total, "apply")
                result = session.apply(started)
                report(1, 1, "apply")
                summary.report_path = write_report(self.reports_dir, self.clock, summary, parse.name) if rejected else None
                fill_summary(summary, result)
                session.commit(
                    finished_at=iso(self.clock.now()),
                    rows_read=summary.rows_read,
                    rejected=len(rejected),
                    report_path=summary.report_path,
                    result=result,
                )
        except FileRefused as exc:
            record = getattr(exc, "import_record", None)
            if record is not None:  # after the rollback, in its own small transaction
                try:
                    self.store.record_refused(*record)
                except Exception:  # noqa: BLE001 - the refusal itself matters more than its trace
                    log.exception("could not record the refused import")
            raise
        finally:
            parse.close()
        summary.seconds = round(time.perf_counter() - t0, 3)
        report(1, 1, "done")
        log.info(
            "imported %s: %d customers, %d bills, %d rejected in %.1fs",
            parse.name, summary.customers, summary.bills, len(summary.rejected), summary.seconds,
        )  # fmt: skip
        return summary

    def _check_missing(self, preview: MissingPreview, accept: bool | int | None) -> None:
        """Stop before applying when too many bills would become paid elsewhere."""
        missing, unpaid = preview.missing, preview.unpaid
        if not missing or accept is True:
            return
        params = {"missing": missing, "unpaid": unpaid, "units": _UnitsMissing(dict(preview.by_unit))}
        limit = self.store.max_paid_elsewhere_ratio()
        if accept is not None and accept is not False and not isinstance(accept, bool):
            if missing <= int(accept):
                return
            raise PaidElsewhereNeedsConfirmation(
                "import.missing_over_accepted", preview, limit, accepted=int(accept), **params
            )
        if missing <= limit * unpaid:
            return
        raise PaidElsewhereNeedsConfirmation(
            "import.confirm_paid_elsewhere", preview, limit,
            pct=f"{100 * missing / max(unpaid, 1):.1f}", limit=f"{100 * limit:g}", **params,
        )  # fmt: skip

    def _refuse_if_bad(self, summary: ImportSummary, profile: ExtractProfile, accepted: int,
                       meta: ImportMeta, started: str) -> None:  # fmt: skip
        rejected = summary.rejected
        if accepted > 0 and len(rejected) <= profile.max_rejected_ratio * max(summary.rows_read, 1):
            return
        path = write_report(self.reports_dir, self.clock, summary, summary.file) if rejected else None
        summary.report_path = path
        if accepted <= 0:
            exc = FileRefused("extract.no_valid_rows", rejected=len(rejected))
        else:
            first = rejected[0]
            exc = FileRefused(
                "extract.too_many_rejected",
                rejected=len(rejected),
                rows=summary.rows_read,
                ratio=profile.max_rejected_ratio,
                first_row=first.row,
                first_reason=first.why,
            )
        exc.import_record = (meta, iso(self.clock.now()), summary.rows_read, len(rejected), path)  # type: ignore[attr-defined]
        exc.summary = summary  # type: ignore[attr-defined]  # the rejected rows, for the UI
        raise exc
