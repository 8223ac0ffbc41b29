"""The local debt cache: import of the CMIS extract, instant lookup, Vietnamese search.

``CacheService`` is what the UI and the CLI call (``Station.cache``). All methods are plain
blocking calls: the UI runs :meth:`CacheService.import_extract` on a worker thread (it reports
progress and honours a cancel flag); :meth:`lookup` and :meth:`search` are fast enough for the
GUI thread (p99 well under 5 ms and 30 ms on 600k customers, bench/bench_cache.py).

Errors are :class:`~cashier.core.errors.DomainError` subclasses with English (``str(err)``) and
Vietnamese (``err.text("vi")``) text:

* ``FileRefused`` - the whole file is refused (not a spreadsheet, hostile xlsx, no header row,
  too many bad rows, no valid row); nothing was imported;
* ``InvalidInput`` - a typed/scanned code that is not a customer code (``code.*``);
* ``NotFound`` (``cache.unknown_code``) - a valid code the cache does not know;
* ``Conflict`` (``import.cancelled``) - the import was cancelled; nothing was imported.
"""

from __future__ import annotations

import csv
import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cashier.core import customer_code as codes
from cashier.core.clock import Clock, SystemClock, iso
from cashier.core.debt import ImportSummary, Lookup, SearchHit
from cashier.core.errors import Conflict, FileRefused, InvalidInput, NotFound
from cashier.core.extract.profile import ExtractProfile, available_profiles, find_profile
from cashier.core.ledger import Permission, User
from cashier.core.vntext import fold
from cashier.services.cache_ports import (
    ApplyResult,
    CacheStore,
    Candidate,
    ExtractReader,
    ImportMeta,
    MissingPreview,
)
from cashier.services.extract_parse import ChildParse, InlineParse, open_parse
from cashier.services.guard import Guard, trusting_guard

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


class CacheService:
    """Import, lookup and search over the local copy of the CMIS debt extract.

    Parameters: ``store`` (CacheStore port), ``reader`` (ExtractReader port), ``profiles_dir``
    (resources/profiles), ``reports_dir`` (where rejected-row reports go, next to the database),
    ``clock``, ``code_policy`` (customer code pattern and IME repair), ``parse_in_child``
    (True/False forces where extract files are parsed; None: big files in a child process).
    """

    def __init__(
        self,
        store: CacheStore,
        reader: ExtractReader,
        *,
        profiles_dir: Path,
        reports_dir: Path,
        clock: Clock | None = None,
        code_policy: codes.CodePolicy | None = None,
        journal: Callable[[str, dict], Any] | None = None,
        parse_in_child: bool | None = None,
        guard: Guard | None = None,
    ) -> None:
        #: the permission check (the station wires UsersService.require; see services/guard.py)
        self.guard = guard or trusting_guard
        self.store = store
        #: ``journal(kind, payload)`` appends to the station's tamper-evident journal
        self.journal = journal
        self.reader = reader
        self.profiles_dir = Path(profiles_dir)
        self.reports_dir = Path(reports_dir)
        self.clock = clock or SystemClock()
        self.code_policy = code_policy or codes.CodePolicy()
        self._folds: dict[str, str] = {}
        #: parse files in a child process: None = files of CHILD_MIN_BYTES and more
        self.parse_in_child = parse_in_child

    # -- profiles -----------------------------------------------------------------------------
    def profiles(self) -> list[str]:
        """Names of the column profiles under resources/profiles (``default`` first)."""
        names = available_profiles(self.profiles_dir)
        return sorted(names, key=lambda n: (n != "default", n))

    def profile(self, name: str | None = None) -> ExtractProfile:
        return find_profile(self.profiles_dir, name)

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
                summary.report_path = self._write_report(summary, parse.name) if rejected else None
                self._fill(summary, result)
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
        path = self._write_report(summary, summary.file) if rejected else None
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

    @staticmethod
    def _fill(summary: ImportSummary, result: ApplyResult) -> None:
        summary.customers = result.customers
        summary.bills = result.bills
        summary.new_bills = result.new_bills
        summary.updated_bills = result.updated_bills
        summary.paid_elsewhere = result.paid_elsewhere
        summary.conflicts = result.conflicts
        summary.total_due = result.total_due
        if result.conflicts:
            listed = ", ".join(f"{c}/{b}" for c, b in result.conflict_bills[:20])
            more = "" if result.conflicts <= 20 else f" (+{result.conflicts - 20} more)"
            summary.warnings.append(
                f"{result.conflicts} bills collected here are settled elsewhere per the extract "
                f"(possible double collection): {listed}{more}"
            )
        if result.paid_elsewhere:
            summary.warnings.append(
                f"{result.paid_elsewhere} unpaid bills missing from this extract are now paid elsewhere"
            )
        if result.reopened:
            summary.warnings.append(f"{result.reopened} bills paid elsewhere are listed unpaid again")
        if result.kept_collected:
            summary.warnings.append(
                f"{result.kept_collected} bills still listed were collected here (kept collected)"
            )

    def _write_report(self, summary: ImportSummary, file_name: str) -> str:
        """CSV of the rejected rows (row, column, value, reason, Vietnamese reason)."""
        self.reports_dir.mkdir(parents=True, exist_ok=True)
        stamp = self.clock.now().strftime("%Y%m%d-%H%M%S")
        stem = re.sub(r"[^0-9A-Za-z._-]+", "_", Path(file_name).stem)[:60] or "extract"
        path = self.reports_dir / f"import-{stamp}-{stem}-rejected.csv"
        n = 1
        while path.exists():
            n += 1
            path = self.reports_dir / f"import-{stamp}-{stem}-rejected-{n}.csv"
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["row", "column", "value", "reason", "ly_do"])
            for r in summary.rejected:
                w.writerow([r.row, r.column, _safe_cell(r.value), r.reason, r.text("vi")])
        return str(path)

    # -- lookup -------------------------------------------------------------------------------
    def lookup(self, raw_code_or_card: str) -> Lookup:
        """The customer and all their bills (oldest first; ``Lookup.unpaid`` / ``total_due``).

        Accepts a customer code (normalised; a code mangled by a Vietnamese input method is
        repaired when unambiguous) or a card code. Raises ``InvalidInput`` / ``NotFound``.
        """
        text = codes.normalise(raw_code_or_card)
        if not text:
            raise InvalidInput("code.empty")
        store = self.store
        if codes.is_valid(text, self.code_policy):
            found = store.lookup_code(text) or store.lookup_card(text)
            if found is None:
                raise NotFound("cache.unknown_code", code=text)
            return found
        found = store.lookup_card(text)
        if found is not None:
            return found
        parsed = codes.parse_scanned(raw_code_or_card, self.code_policy)  # raises InvalidInput
        found = store.lookup_code(parsed.code)
        if found is None:
            raise NotFound("cache.unknown_code", code=parsed.code)
        return found

    # -- search -------------------------------------------------------------------------------
    def search(self, text: str, limit: int = 50) -> list[SearchHit]:
        """Customers matching a code prefix, name or address (any case, with or without
        diacritics, words in any order, partial words), best first: exact code, code prefix,
        the name in the typed order, all words in the name, then address matches.

        Only a page of matches is fetched and ranked (never all 27k "nguyen van").
        """
        limit = max(1, min(int(limit), 500))
        words = _WORD.findall(fold(text))
        if not words:
            return []
        candidates = self.store.candidates(text, max(limit * 2, 100))
        if not candidates:
            return []
        folded = self._fold_cached
        scored = sorted(
            ((_score(words, c, folded(c.name)), c) for c in candidates),
            # code matches in code order, the others by name (then code)
            key=lambda sc: (-sc[0], sc[1].code if sc[0] >= 900 else folded(sc[1].name), sc[1].code),
        )[:limit]
        due = self.store.due([c.id for _, c in scored])
        return [
            SearchHit(
                code=c.code,
                name=c.name,
                address=c.address,
                book=c.book,
                total_due=due.get(c.id, (0, 0))[0],
                unpaid_bills=due.get(c.id, (0, 0))[1],
                score=score,
            )
            for score, c in scored
        ]

    def _fold_cached(self, text: str) -> str:
        cache = self._folds
        f = cache.get(text)
        if f is None:
            if len(cache) > 50_000:
                cache.clear()
            f = cache[text] = fold(text)
        return f

    # -- state --------------------------------------------------------------------------------
    def is_empty(self) -> bool:
        return self.store.customer_count() == 0

    def stats(self) -> dict[str, int]:
        return self.store.stats()

    def last_import(self) -> dict[str, Any] | None:
        return self.store.last_import()


_WORD = re.compile(r"[a-z0-9]+")


def _safe_cell(value: str) -> str:
    """A report cell never starts a formula in a spreadsheet."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def _score(words: list[str], cand: Candidate, name_folded: str) -> float:
    """Rank of a candidate for the typed words (higher first)."""
    code = cand.code.lower()
    if len(words) == 1:
        if code == words[0]:
            return 1000.0
        if code.startswith(words[0]) and any(ch.isdigit() for ch in words[0]):
            return 900.0
    name = _WORD.findall(name_folded)
    in_name = [any(n.startswith(w) for n in name) for w in words]
    exact_name = sum(1 for w in words if w in name)
    if all(in_name):
        score = 500.0
        if _in_order(words, name):
            score += 100.0
            if len(words) == len(name) and exact_name == len(words):
                score += 200.0  # the whole name, as typed
        score += 5.0 * exact_name - 0.5 * (len(name) - len(words))
        return score
    # the indexed text is "code name address": the address is what follows the name
    text = cand.search_text
    prefix = f"{code} {name_folded} "
    address = _WORD.findall(text[len(prefix):] if text.startswith(prefix) else fold(cand.address))
    in_addr = [any(a.startswith(w) for a in address) for w in words]
    hits = sum(1 for a, b in zip(in_name, in_addr, strict=True) if a or b)
    score = 100.0 * hits / len(words) + 50.0 * sum(in_name) / len(words)
    if not any(in_name) and _in_order(words, address):
        score += 50.0
    return score


def _in_order(words: list[str], target: list[str]) -> bool:
    """The words prefix-match consecutive words of ``target``, in order."""
    n = len(words)
    for start in range(len(target) - n + 1):
        if all(target[start + k].startswith(words[k]) for k in range(n)):
            return True
    return False
