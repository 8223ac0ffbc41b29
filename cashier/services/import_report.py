"""What an import leaves behind for people: the rejected-row report (a CSV next to the
database) and the summary's counts and notes."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from cashier.core.clock import Clock
from cashier.core.debt import ImportSummary
from cashier.services.cache_ports import ApplyResult


def fill_summary(summary: ImportSummary, result: ApplyResult) -> None:
    """What the merge did, into the import's summary (counts and English notes)."""
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


def write_report(reports_dir: Path, clock: Clock, summary: ImportSummary, file_name: str) -> str:
    """CSV of the rejected rows (row, column, value, reason, Vietnamese reason)."""
    reports_dir.mkdir(parents=True, exist_ok=True)
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    stem = re.sub(r"[^0-9A-Za-z._-]+", "_", Path(file_name).stem)[:60] or "extract"
    path = reports_dir / f"import-{stamp}-{stem}-rejected.csv"
    n = 1
    while path.exists():
        n += 1
        path = reports_dir / f"import-{stamp}-{stem}-rejected-{n}.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["row", "column", "value", "reason", "ly_do"])
        for r in summary.rejected:
            w.writerow([r.row, r.column, _safe_cell(r.value), r.reason, r.text("vi")])
    return str(path)


def _safe_cell(value: str) -> str:
    """A report cell never starts a formula in a spreadsheet."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
