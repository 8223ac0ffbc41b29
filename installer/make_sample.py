"""Regenerate the self-test sample extract bundled in resources/sample/.

    python installer/make_sample.py

Writes ``selftest-extract.csv`` (50 customers in the default CMIS profile, with the title rows a
real extract has, made by the demo generator) and ``selftest-extract.json`` with what
``cashier selftest`` must find after importing it: customer and bill counts, the total due, one
customer to look up (several unpaid periods, a name no other sample customer has) and a search
text for it typed without diacritics. The expectations are computed from the generated rows
independently of the import code, so the self-test checks the importer rather than itself.
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cashier.core.demo_data import DEMO_FIELDS, generate_rows  # noqa: E402
from cashier.core.vntext import fold  # noqa: E402
from cashier.export.extract_writer import write_demo_extract  # noqa: E402

CUSTOMERS = 50
SEED = 2026
OUT = ROOT / "resources" / "sample" / "selftest-extract.csv"


def expectations(customers: int, seed: int) -> dict:
    col = {name: i for i, name in enumerate(DEMO_FIELDS)}
    bills: dict[str, list[list]] = defaultdict(list)
    for row in generate_rows(customers, seed):
        bills[row[col["MA_KHANG"]]].append(row)
    names = Counter(rows[0][col["TEN_KHANG"]] for rows in bills.values())
    # the customer to look up: most unpaid periods, a name nobody else in the sample has
    pick = max(
        (code for code, rows in bills.items() if names[rows[0][col["TEN_KHANG"]]] == 1),
        key=lambda code: (len(bills[code]), code),
    )
    rows = bills[pick]
    return {
        "generator": f"cashier.core.demo_data.generate_rows({customers}, seed={seed})",
        "customers": len(bills),
        "bills": sum(len(r) for r in bills.values()),
        "total_due": sum(int(r[col["TONG_TIEN"]]) for rs in bills.values() for r in rs),
        "lookup_code": pick,
        "lookup_bills": len(rows),
        "lookup_total_due": sum(int(r[col["TONG_TIEN"]]) for r in rows),
        "lookup_name": rows[0][col["TEN_KHANG"]],
        "search_text": fold(rows[0][col["TEN_KHANG"]]),
    }


def main() -> int:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    written = write_demo_extract(OUT, CUSTOMERS, SEED)
    expect = expectations(CUSTOMERS, SEED)
    if written != expect["bills"]:
        raise SystemExit(f"writer wrote {written} rows, generator gave {expect['bills']}")
    OUT.with_suffix(".json").write_text(
        json.dumps(expect, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print(f"{OUT.relative_to(ROOT)}: {expect['customers']} customers, {expect['bills']} bills")
    return 0


if __name__ == "__main__":
    sys.exit(main())
