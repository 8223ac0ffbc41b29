"""Self-test runner: named steps, each timed and reported as ok / failed / skipped.

The steps themselves (import every module, open a temporary database, import the bundled sample
extract, look up, search, render receipts, check resources) need the concrete db, devices and
export code, so they are wired in :mod:`cashier.cli.selftest_steps`; this module only runs them
and reports. It also holds the stdlib-only checks that the app's start uses too
(:func:`check_writable_dir`), so a read-only data directory gives the same clear message in the
self-test, the CLI and the counter app.

A step is a callable returning a short detail string. It signals its outcome by raising:

* :class:`StepFailed` (or any exception) -> ``failed`` with the message as detail;
* :class:`StepSkipped` -> ``skipped`` (does not fail the run, e.g. Qt cannot load on a server);
* ``ModuleNotFoundError`` for a ``cashier.*`` module -> ``failed: not available (...)``, so a
  part of the station that is missing from a build is named instead of crashing the run.
"""

from __future__ import annotations

import os
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

OK = "ok"
FAILED = "failed"
SKIPPED = "skipped"


class StepFailed(Exception):
    """Raised by a step: the check ran and the result is wrong."""


class StepSkipped(Exception):
    """Raised by a step: the check cannot run here and that is acceptable (say why)."""


@dataclass
class StepResult:
    name: str
    status: str
    ms: float
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.status != FAILED


@dataclass
class SelfTestReport:
    version: str
    frozen: bool
    steps: list[StepResult] = field(default_factory=list)
    total_ms: float = 0.0

    @property
    def ok(self) -> bool:
        return all(step.ok for step in self.steps)

    @property
    def failed(self) -> list[StepResult]:
        return [s for s in self.steps if s.status == FAILED]

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "version": self.version,
            "frozen": self.frozen,
            "total_ms": round(self.total_ms, 1),
            "steps": [asdict(s) | {"ms": round(s.ms, 1)} for s in self.steps],
        }

    def format_text(self) -> str:
        width = max((len(s.name) for s in self.steps), default=10)
        lines = []
        for s in self.steps:
            lines.append(f"{s.status.upper():7} {s.name:<{width}} {s.ms:8.1f} ms  {s.detail}")
        verdict = "ALL OK" if self.ok else f"{len(self.failed)} FAILED"
        lines.append(
            f"cashier {self.version} self-test: {verdict} "
            f"({len(self.steps)} steps, {self.total_ms:.0f} ms)"
        )
        return "\n".join(lines)


Step = tuple[str, Callable[[], str]]


def run_steps(
    steps: Iterable[Step],
    *,
    version: str,
    frozen: bool,
    on_result: Callable[[StepResult], None] | None = None,
) -> SelfTestReport:
    """Run every step (a failure does not stop the later ones) and time each one."""
    report = SelfTestReport(version=version, frozen=frozen)
    start = time.perf_counter()
    for name, func in steps:
        t0 = time.perf_counter()
        try:
            detail = func() or ""
            status = OK
        except StepSkipped as exc:
            status, detail = SKIPPED, str(exc)
        except StepFailed as exc:
            status, detail = FAILED, str(exc)
        except ModuleNotFoundError as exc:
            status = FAILED
            if exc.name and exc.name.startswith("cashier"):
                detail = f"not available: module {exc.name} is missing"
            else:
                detail = f"not available: {exc}"
        except Exception as exc:  # a self-test reports every error, it never crashes
            status = FAILED
            where = traceback.extract_tb(exc.__traceback__)[-1]
            detail = f"{type(exc).__name__}: {exc} (at {Path(where.filename).name}:{where.lineno})"
        result = StepResult(name, status, (time.perf_counter() - t0) * 1000.0, str(detail))
        report.steps.append(result)
        if on_result is not None:
            on_result(result)
    report.total_ms = (time.perf_counter() - start) * 1000.0
    return report


def check_writable_dir(path: Path, files: Iterable[Path] = ()) -> str:
    """Check that ``path`` (created if missing) accepts a new file, and that each existing file
    of ``files`` (the database, its -wal) opens for writing; raise a clear error if not.

    The check writes, syncs and removes a probe file: ``os.access`` alone is wrong on Windows
    (ACLs) and for read-only mounts; existing files are opened read-write, never changed.
    Raises :class:`cashier.core.errors.DomainError` with code ``system.data_dir_readonly``.
    """
    from cashier.core.errors import DomainError

    path = Path(path)
    for file in files:
        try:
            if Path(file).exists():
                with open(file, "r+b"):
                    pass
        except OSError as exc:
            reason = f"{Path(file).name}: {exc.strerror or type(exc).__name__}"
            raise DomainError("system.data_dir_readonly", path=str(path), reason=reason) from exc
    try:
        path.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".write-probe-", dir=path)
        try:
            os.write(fd, b"probe")
            os.fsync(fd)
        finally:
            os.close(fd)
            os.unlink(probe)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise DomainError("system.data_dir_readonly", path=str(path), reason=reason) from exc
    return f"{path} is writable"
