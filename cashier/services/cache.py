"""The local debt cache: import of the CMIS extract, instant lookup, Vietnamese search.

``CacheService`` is what the UI and the CLI call (``Station.cache``). All methods are plain
blocking calls: the UI runs :meth:`CacheService.import_extract` on a worker thread (it reports
progress and honours a cancel flag); :meth:`lookup` and :meth:`search` are fast enough for the
GUI thread (p99 well under 5 ms and 30 ms on 600k customers, bench/bench_cache.py).
The import lives in :mod:`cashier.services.cache_import` (its report and summary notes in
:mod:`cashier.services.import_report`), lookup and search in :mod:`cashier.services.cache_lookup`.

Errors are :class:`~cashier.core.errors.DomainError` subclasses with English (``str(err)``) and
Vietnamese (``err.text("vi")``) text:

* ``FileRefused`` - the whole file is refused (not a spreadsheet, hostile xlsx, no header row,
  too many bad rows, no valid row); nothing was imported;
* ``InvalidInput`` - a typed/scanned code that is not a customer code (``code.*``);
* ``NotFound`` (``cache.unknown_code``) - a valid code the cache does not know;
* ``Conflict`` (``import.cancelled``) - the import was cancelled; nothing was imported.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from cashier.core import customer_code as codes
from cashier.core.clock import Clock, SystemClock
from cashier.core.extract.profile import ExtractProfile, available_profiles, find_profile
from cashier.services.cache_import import CacheImport
from cashier.services.cache_lookup import CacheLookup
from cashier.services.cache_ports import CacheStore, ExtractReader
from cashier.services.guard import Guard, trusting_guard


class CacheService(CacheImport, CacheLookup):
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

    # -- state --------------------------------------------------------------------------------
    def is_empty(self) -> bool:
        return self.store.customer_count() == 0

    def stats(self) -> dict[str, int]:
        return self.store.stats()

    def last_import(self) -> dict[str, Any] | None:
        return self.store.last_import()
