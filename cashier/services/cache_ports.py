"""Ports (typing.Protocol) and data the debt-cache service depends on; ``cashier/db`` implements
them (``cashier.db.sqlite.cache_store.SqliteCacheStore``, ``cashier.db.readers.extract_reader.ExtractLoader``).

Row tuples crossing these ports are in the column orders of
``cashier.core.extract.columns.CUSTOMER_COLUMNS`` / ``BILL_COLUMNS``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from cashier.core.debt import Lookup


@dataclass(frozen=True)
class ImportMeta:
    file_name: str
    file_sha256: str
    profile: str
    started_at: str  # ISO, Asia/Ho_Chi_Minh
    #: canonical fields the file has (optional columns absent from the file keep cached values)
    present: frozenset[str]


@dataclass(frozen=True)
class ApplyResult:
    """What merging an extract into the cache did (counted inside the import transaction)."""

    customers: int  # distinct customers in the extract
    new_customers: int
    bills: int  # bills in the extract (applied)
    new_bills: int
    updated_bills: int
    paid_elsewhere: int  # unpaid bills missing from the extract -> paid_elsewhere
    settled_in_file: int  # bills the extract itself marks as settled elsewhere
    conflicts: int  # collected here, settled elsewhere per the extract (double collection?)
    conflict_bills: tuple[tuple[str, str], ...]  # (customer code, bill id) of those
    reopened: int  # paid_elsewhere bills listed as unpaid again
    kept_collected: int  # bills collected/cleared here that the extract still lists
    total_due: int  # unpaid total over the whole cache after the import
    fts_mode: str  # "rebuild" (first load) or "incremental" (triggers)


@dataclass(frozen=True)
class MissingPreview:
    """Before applying: the unpaid bills the file does not list, which the import would turn
    "paid elsewhere", per unit (MA_DVIQLY) with the unit's unpaid bills in the cache."""

    by_unit: dict[str, tuple[int, int]]  # unit -> (missing, unpaid)

    @property
    def missing(self) -> int:
        return sum(m for m, _ in self.by_unit.values())

    @property
    def unpaid(self) -> int:
        return sum(u for _, u in self.by_unit.values())


@dataclass(frozen=True)
class Candidate:
    """A customer a search may show (ranked by the service)."""

    id: int
    code: str
    name: str
    address: str
    book: str
    search_text: str = ""  # vntext.fold("code name address"), as indexed


class ExtractSource(Protocol):
    name: str
    warnings: list[str]

    @property
    def sha256(self) -> str: ...

    def rows(self) -> Iterator[tuple[int, Sequence[Any]]]:
        """(spreadsheet row number, cells) pairs, title rows included."""
        ...

    def progress(self) -> tuple[int, int]:
        """(done, total) in the source's own unit (bytes for csv, rows for xlsx)."""
        ...

    def close(self) -> None: ...


class ExtractReader(Protocol):
    def open(self, path: str | Path) -> ExtractSource:
        """Open (and for xlsx, check against hostile content); raise FileRefused."""
        ...


class ImportSession(Protocol):
    """One import: nothing is changed before :meth:`apply`; ``on_chunk(done, total)`` is called
    as the apply goes (settable)."""

    on_chunk: Any

    batch_id: int

    def __enter__(self) -> ImportSession: ...

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None: ...

    def stage(self, customers: Sequence[tuple], bills: Sequence[tuple]) -> None: ...

    def stage_terms(self, terms: Iterable[str]) -> None:
        """Folded name/address words (the search vocabulary)."""
        ...

    def drop_bills(self, keys: Iterable[tuple[str, str]]) -> None: ...

    def protect(self, codes: Iterable[str]) -> None: ...

    def protect_bills(self, bill_ids: Iterable[str], units: Iterable[str] = ()) -> None: ...

    def prepare(self, now: str) -> MissingPreview:
        """Work out what the file changes (no write lock); the paid-elsewhere counts."""
        ...

    def apply(self, now: str) -> ApplyResult:
        """Apply it (short transactions; from here on the import is finished, even after a
        crash: it is rolled forward)."""
        ...

    def commit(
        self, *, finished_at: str, rows_read: int, rejected: int, report_path: str | None,
        result: ApplyResult,
    ) -> int: ...  # fmt: skip

    def rollback(self) -> None: ...


class CacheStore(Protocol):
    def import_session(self, meta: ImportMeta) -> ImportSession: ...

    def record_refused(
        self, meta: ImportMeta, finished_at: str, rows_read: int, rejected: int,
        report_path: str | None,
    ) -> None: ...  # fmt: skip

    def lookup_code(self, code: str) -> Lookup | None: ...

    def lookup_card(self, card_code: str) -> Lookup | None: ...

    def candidates(self, text: str, limit: int) -> list[Candidate]:
        """A page of customers matching a search text (exact/prefix code, phrase, any order)."""
        ...

    def due(self, customer_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
        """customer id -> (total due, number of unpaid bills)."""
        ...

    def customer_count(self) -> int: ...

    def max_paid_elsewhere_ratio(self) -> float:
        """The setting: above this share of a file's units' unpaid bills, ask first."""
        ...

    def recover_imports(self) -> list[int]:
        """Finish an import a stopped process left half applied."""
        ...

    def stats(self) -> dict[str, int]: ...

    def last_import(self) -> dict[str, Any] | None: ...
