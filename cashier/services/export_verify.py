"""verify-export: an exported clearing file checked against its signed manifest (signature,
SHA-256, size), its control totals, the station's own recorded batch (every changed cell, missing
and added row named) and the journal. Used by :class:`cashier.services.export_service.ExportService`.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from cashier.core.clearing import CONTROL_KEYS, FIELD_TYPES, ClearingProfile, Column
from cashier.core.errors import FileRefused, NotFound
from cashier.services.ports.export import ClearingWriter, ExportStore


@dataclass
class Finding:
    where: str  # "row 5, column TONG_TIEN", "file", "manifest", "control block"...
    detail: str
    row: int | None = None
    column: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"where": self.where, "detail": self.detail, "row": self.row, "column": self.column}

    def __str__(self) -> str:
        return f"{self.where}: {self.detail}"


@dataclass
class VerifyReport:
    file: str
    ok: bool = False
    batch_id: str = ""
    rows: int = 0
    checks: dict[str, bool | None] = field(default_factory=dict)
    problems: list[Finding] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "ok": self.ok,
            "batch_id": self.batch_id,
            "rows": self.rows,
            "checks": self.checks,
            "problems": [p.as_dict() for p in self.problems],
        }



class ExportVerifier:
    """Reads a file back through the writer and compares it with what the station recorded."""

    def __init__(
        self,
        store: ExportStore,
        writer: ClearingWriter,
        profile: ClearingProfile,
        journal_check: Callable[[], tuple[bool, str]] | None = None,
    ) -> None:
        self.store = store
        self.writer = writer
        self.profile = profile
        self.journal_check = journal_check

    def verify(self, path: Path, public_key_file: Path | None = None) -> VerifyReport:
        data_file = self.writer.data_file_for(Path(path))
        report = VerifyReport(file=str(data_file))
        manifest = self.writer.read_manifest(data_file)
        control = manifest.get("control")
        if not isinstance(control, dict):
            control = {}
        report.batch_id = str(control.get("batch_id", ""))
        add = report.problems.append

        sig = self.writer.signature_ok(manifest, public_key_file)
        report.checks["signature"] = sig
        if not sig:
            add(Finding("manifest", "the signature does not match this station's key (manifest altered or foreign)"))
        digest, size = self.writer.digest(data_file)
        report.checks["sha256"] = digest == manifest.get("sha256")
        try:
            expected_size = int(manifest.get("size") or 0)
        except (TypeError, ValueError):
            expected_size = -1
            add(Finding("manifest", "the signed size is not a number"))
        if expected_size < 0:
            pass
        elif size < expected_size:
            add(Finding("file", f"truncated: {size} of {expected_size} bytes"))
        elif size > expected_size:
            add(Finding("file", f"{size - expected_size} bytes longer than signed ({expected_size})"))
        elif not report.checks["sha256"]:
            add(Finding("file", "content differs from the signed SHA-256"))

        batch_id = report.batch_id
        try:
            batch = self.store.batch(batch_id) if batch_id else None
        except NotFound:  # a batch of another station or database
            batch = None
        profile = self.batch_profile(batch) if batch else self._profile_of(manifest)
        try:
            back = self.writer.read_back(data_file, profile)
        except FileRefused as exc:
            add(Finding("file", str(exc)))
            report.checks["readable"] = False
            return self._finish(report)
        report.checks["readable"] = True
        report.rows = len(back.rows)
        header = profile.header()
        if back.header[: len(header)] != header or len(back.header) != len(header):
            for i in range(max(len(header), len(back.header))):
                exp = header[i] if i < len(header) else "(none)"
                got = back.header[i] if i < len(back.header) else "(none)"
                if exp != got:
                    add(Finding(f"row 1, column {i + 1}", f"header {got!r} where {exp!r} was written", 1, exp))
        # control totals: the rows against the signed control block (and the xlsx control sheet)
        report.checks["control"] = self._check_control(back, control, add, profile)
        if back.control is not None:
            for key in CONTROL_KEYS:
                if key in control and back.control.get(key) != control[key]:
                    add(Finding(f"control sheet, {key}", f"{back.control.get(key)!r} but {control[key]!r} was signed"))
                    report.checks["control"] = False
        # rows against the station's own payments
        if batch is not None:
            expected = self.writer.expected_cells(self.store.batch_rows(batch_id), profile)
            before = len(report.problems)
            self._diff(expected, back.rows, profile, add)
            report.checks["station_rows"] = len(report.problems) == before
            if batch.get("journal_head") != control.get("journal_head"):
                add(Finding("control block", "journal head differs from the one recorded with the batch"))
                report.checks["station_rows"] = False
        else:
            report.checks["station_rows"] = None
        if self.journal_check is not None:
            ok, message = self.journal_check()
            report.checks["journal"] = ok
            if not ok:
                add(Finding("journal", message))
        return self._finish(report)

    @staticmethod
    def _finish(report: VerifyReport) -> VerifyReport:
        report.ok = not report.problems and all(v is not False for v in report.checks.values())
        return report

    def batch_profile(self, batch: dict[str, Any]) -> ClearingProfile:
        """The profile a recorded batch was written with (the station's when not recorded)."""
        data = batch.get("profile_json")
        return ClearingProfile.from_dict(data, data.get("name", "batch")) if data else self.profile

    def _profile_of(self, manifest: dict[str, Any]) -> ClearingProfile:
        """The profile the file was written with: the station's, with the signed column list."""
        cols = manifest.get("columns")
        try:
            columns = tuple(Column(str(f), str(h)) for f, h in cols) if cols else self.profile.columns
        except (TypeError, ValueError):
            return self.profile
        if columns == self.profile.columns or any(c.field not in FIELD_TYPES for c in columns):
            return self.profile
        return replace(self.profile, columns=columns)

    def _check_control(self, back, control: dict[str, Any], add, profile: ClearingProfile) -> bool:
        fields = [c.field for c in profile.columns]
        idx = {f: fields.index(f) for f in ("amount", "vat", "total", "receipt_no") if f in fields}
        ok = True
        sums = {"amount": 0, "vat": 0, "total": 0}
        for n, row in enumerate(back.rows, start=2):
            for f in sums:
                if f not in idx:
                    continue
                value = row[idx[f]] if idx[f] < len(row) else None
                if isinstance(value, int) and not isinstance(value, bool):
                    sums[f] += value
                else:
                    name = profile.columns[idx[f]].header
                    add(Finding(f"row {n}, column {name}", f"{value!r} is not a whole number", n, name))
                    ok = False
        checks: list[tuple[str, object]] = [("rows", len(back.rows)), ("total_amount", sums["amount"]), ("vat", sums["vat"]),
                  ("grand_total", sums["total"])]
        if "receipt_no" in idx and back.rows:
            first, last = back.rows[0], back.rows[-1]
            checks += [("first_receipt", first[idx["receipt_no"]] if idx["receipt_no"] < len(first) else None),
                       ("last_receipt", last[idx["receipt_no"]] if idx["receipt_no"] < len(last) else None)]
        for key, actual in checks:
            if key in control and control[key] != actual:
                add(Finding("control block", f"{key} is {control[key]!r} but the rows give {actual!r}"))
                ok = False
        return ok

    def _diff(self, expected: Sequence[Sequence[Any]], actual: Sequence[Sequence[Any]], profile, add) -> None:
        """Name every changed cell, missing row and added row (rows aligned by content)."""
        exp_keys = [_key(r) for r in expected]
        act_keys = [_key(r) for r in actual]
        sm = difflib.SequenceMatcher(None, exp_keys, act_keys, autojunk=False)
        limit = 50
        found = 0

        def emit(f: Finding) -> None:
            nonlocal found
            found += 1
            if found <= limit:
                add(f)
            elif found == limit + 1:
                add(Finding("file", "more differences not listed"))

        header = profile.header()
        receipt_col = [c.field for c in profile.columns].index("receipt_no")
        for op, i1, i2, j1, j2 in sm.get_opcodes():
            if op == "equal":
                continue
            if op == "replace" and (i2 - i1) == (j2 - j1):
                for k in range(i2 - i1):
                    e, a = expected[i1 + k], actual[j1 + k]
                    for c, name in enumerate(header):
                        ev = e[c] if c < len(e) else None
                        av = a[c] if c < len(a) else None
                        if not _same(ev, av):
                            n = j1 + k + 2
                            emit(Finding(f"row {n}, column {name}", f"{_show(av)} where {_show(ev)} was exported", n, name))
                    if len(a) > len(header) and any(v not in ("", None) for v in a[len(header):]):
                        n = j1 + k + 2
                        emit(Finding(f"row {n}", "has cells beyond the last column", n))
                continue
            for k in range(i1, i2):
                rec = expected[k]
                emit(Finding(f"row {j1 + 2}", f"row {k + 2} of the batch (receipt {rec[receipt_col]}) is missing", j1 + 2))
            for k in range(j1, j2):
                rec = actual[k]
                receipt = rec[receipt_col] if receipt_col < len(rec) else "?"
                emit(Finding(f"row {k + 2}", f"added: not in the batch (receipt {receipt!r})", k + 2))


def _key(row: Sequence[Any]) -> tuple:
    return tuple((type(v).__name__, v) if isinstance(v, int | str) else ("other", repr(v)) for v in row)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return type(a) is type(b) and a == b


def _show(v: Any) -> str:
    if v is None or v == "":
        return "an empty cell"
    if isinstance(v, int):
        return f"number {v}"
    if isinstance(v, float):
        return f"number {v!r}"
    return f"text {v!r}"
