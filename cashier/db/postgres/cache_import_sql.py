"""The SQL of the PostgreSQL debt-cache import (:mod:`cashier.db.postgres.cache_import`): the
staging tables, the diff that finds what the extract changes, and the apply statements. The rules
are SQLite's (``cashier.db.sqlite.cache_refresh``), written for PostgreSQL (``IS DISTINCT FROM``,
booleans), plus one: a bill with a live (active) payment line of any counter keeps its status and
amounts, even an unsettled partial one.
"""

from __future__ import annotations

from cashier.core.extract.columns import BILL_COLUMNS, CUSTOMER_COLUMNS
from cashier.db.postgres.ddl import SEARCH_INDEX

_TYPES = {
    "disconnected": "INTEGER", "ky": "INTEGER", "thang": "INTEGER", "nam": "INTEGER", "kwh": "BIGINT",
    "amount": "BIGINT", "vat": "BIGINT", "total": "BIGINT", "reading_start": "BIGINT", "reading_end": "BIGINT",
    "settled": "INTEGER", "row": "INTEGER",
}  # fmt: skip


def _table(name: str, columns: tuple[str, ...]) -> str:
    cols = ", ".join(f"{c} {_TYPES.get(c, 'TEXT')}" for c in columns)
    return f"CREATE TEMP TABLE {name} ({cols})"


STAGING_TABLES = ("s_cust", "s_bill", "s_protect", "d_cust", "d_bill", "d_missing")

CREATE_STAGING = (
    _table("s_cust", CUSTOMER_COLUMNS),
    _table("s_bill", BILL_COLUMNS),
    "CREATE TEMP TABLE s_protect (code TEXT PRIMARY KEY)",
)
COPY_CUST = f"COPY s_cust ({', '.join(CUSTOMER_COLUMNS)}) FROM STDIN"
COPY_BILL = f"COPY s_bill ({', '.join(BILL_COLUMNS)}) FROM STDIN"

#: optional extract fields -> the customer column they fill (absent from the file: kept)
OPTIONAL = (
    ("DIA_CHI", "address"), ("SO_DTHOAI", "phone"), ("MA_SOGCS", "book"),
    ("STT", "book_pos"), ("CAT_DIEN", "disconnected"),
)  # fmt: skip

_STAGED_STATUS = "CASE WHEN {s}.settled <> 0 THEN 'paid_elsewhere' ELSE 'unpaid' END"
#: a bill another counter's live payment holds (whatever its status)
_LIVE = "EXISTS (SELECT 1 FROM payment_line pl WHERE pl.bill_row = {b}.id AND pl.active)"


def _keep(b: str) -> str:
    return f"({b}.status IN ('collected', 'cleared') OR {_LIVE.format(b=b)})"


def cust_columns(present: frozenset[str]) -> list[str]:
    """Columns an import writes on a known customer (optional ones only when the file has them)."""
    return ["unit_code", "name", "search_text"] + [col for f, col in OPTIONAL if f in present]


def _staged(col: str, s: str = "s") -> str:
    if col == "disconnected":
        return f"(COALESCE({s}.disconnected, 0) <> 0)"
    return f"COALESCE({s}.{col}, '')"


def bill_differs(b: str, s: str, st: str | None = None, settled: str | None = None) -> str:
    """SQL: staged bill ``s`` would change cached bill ``b`` (SQLite's ``_bill_differs``)."""
    st = st or _STAGED_STATUS.format(s=s)
    settled = settled or f"{s}.settled <> 0"
    d = "IS DISTINCT FROM"
    amounts = " OR ".join(f"{b}.{c} {d} {s}.{c}" for c in ("ky", "thang", "nam", "kwh", "amount", "vat", "total"))
    return (
        f"((NOT {_keep(b)} AND ({b}.status {d} {st} OR {amounts} "
        f"OR ({s}.tiers IS NOT NULL AND {b}.tiers {d} {s}.tiers))) "
        f"OR ({b}.status = 'collected' AND {settled}) "
        f"OR {b}.series {d} COALESCE({s}.series, '') OR {b}.number {d} COALESCE({s}.number, '') "
        f"OR {b}.reading_start {d} {s}.reading_start OR {b}.reading_end {d} {s}.reading_end)"
    )


def diff_sql(present: frozenset[str]) -> list[str]:
    """The staged customers and bills that change something (the rest is never written, so the
    apply locks only those rows), and the unpaid bills the file does not list."""
    same = " AND ".join(f"c.{col} IS NOT DISTINCT FROM {_staged(col)}" for col in cust_columns(present))
    if "MA_THE" in present:
        same += (" AND (COALESCE(s.card_code, '') = '' OR EXISTS (SELECT 1 FROM card k "
                 "WHERE k.card_code = s.card_code AND k.customer_id = c.id))")
    return [
        "CREATE INDEX ON s_bill (customer_code, bill_id)",
        "CREATE INDEX ON s_cust (code)",
        "ANALYZE s_cust, s_bill, s_protect",
        "CREATE TEMP TABLE d_cust AS SELECT DISTINCT s.code, c.id IS NULL AS new FROM s_cust s "
        f"LEFT JOIN customer c ON c.code = s.code WHERE c.id IS NULL OR NOT ({same})",
        "CREATE TEMP TABLE d_bill AS SELECT DISTINCT s.customer_code, s.bill_id, b.id IS NULL AS new "
        "FROM s_bill s LEFT JOIN bill b ON b.customer_code = s.customer_code AND b.bill_id = s.bill_id "
        f"WHERE b.id IS NULL OR {bill_differs('b', 's')}",
        # unpaid bills missing from the file: in the units it covers (or of customers it lists),
        # never a protected customer's
        "CREATE TEMP TABLE d_missing AS SELECT b.id AS bill_row, b.customer_code AS code, c.unit_code AS unit "
        "FROM bill b JOIN customer c ON c.id = b.customer_id WHERE b.status = 'unpaid' "
        "AND (c.unit_code IN (SELECT DISTINCT unit_code FROM s_cust) "
        "  OR EXISTS (SELECT 1 FROM s_cust s WHERE s.code = c.code)) "
        "AND NOT EXISTS (SELECT 1 FROM s_protect p WHERE p.code = b.customer_code) "
        "AND NOT EXISTS (SELECT 1 FROM s_bill s WHERE s.customer_code = b.customer_code AND s.bill_id = b.bill_id)",
        "CREATE INDEX ON d_bill (customer_code, bill_id)",
        "CREATE INDEX ON d_cust (code)",
        "ANALYZE d_cust, d_bill, d_missing",
    ]


MISSING_BY_UNIT = "SELECT unit, COUNT(*) FROM d_missing GROUP BY unit"
UNPAID_BY_UNIT = (
    "SELECT c.unit_code, COUNT(*) FROM bill b JOIN customer c ON c.id = b.customer_id "
    "WHERE b.status = 'unpaid' AND c.unit_code IN (SELECT DISTINCT unit_code FROM s_cust) GROUP BY c.unit_code"
)
COUNTS = (
    "SELECT (SELECT COUNT(DISTINCT code) FROM s_cust), (SELECT COUNT(*) FROM d_cust WHERE new), "
    "(SELECT COUNT(*) FROM s_bill), (SELECT COUNT(*) FROM d_bill WHERE new), "
    "(SELECT COUNT(*) FROM s_bill WHERE settled <> 0), "
    "(SELECT COUNT(*) FROM bill b WHERE b.status IN ('collected', 'cleared') AND EXISTS "
    " (SELECT 1 FROM s_bill s WHERE s.customer_code = b.customer_code AND s.bill_id = b.bill_id))"
)
CONFLICTS = (
    "SELECT s.customer_code, s.bill_id FROM s_bill s JOIN d_bill d USING (customer_code, bill_id) "
    "JOIN bill c ON c.customer_code = s.customer_code AND c.bill_id = s.bill_id "
    "WHERE s.settled <> 0 AND c.status = 'collected' ORDER BY 1, 2"
)
REOPENED = (
    "SELECT COUNT(*) FROM s_bill s JOIN d_bill d USING (customer_code, bill_id) "
    "JOIN bill c ON c.customer_code = s.customer_code AND c.bill_id = s.bill_id "
    "WHERE s.settled = 0 AND c.status = 'paid_elsewhere' AND NOT " + _LIVE.format(b="c")
)


def apply_sql(present: frozenset[str]) -> list[str]:
    """The apply's statements (parameters: batch, now), in one transaction."""
    updates = [f"{c} = excluded.{c}" for c in cust_columns(present)] + ["last_batch = excluded.last_batch"]
    out = [
        "INSERT INTO customer (code, unit_code, name, address, phone, book, book_pos, disconnected, "
        "search_text, last_batch) SELECT DISTINCT ON (s.code) s.code, COALESCE(s.unit_code, ''), "
        "COALESCE(s.name, ''), COALESCE(s.address, ''), COALESCE(s.phone, ''), COALESCE(s.book, ''), "
        "COALESCE(s.book_pos, ''), COALESCE(s.disconnected, 0) <> 0, COALESCE(s.search_text, ''), %(batch)s "
        "FROM s_cust s JOIN d_cust d ON d.code = s.code ORDER BY s.code "
        f"ON CONFLICT (code) DO UPDATE SET {', '.join(updates)}",
    ]
    if "MA_THE" in present:
        out.append(
            "INSERT INTO card (card_code, customer_id) SELECT DISTINCT ON (s.card_code) s.card_code, c.id "
            "FROM s_cust s JOIN d_cust d ON d.code = s.code JOIN customer c ON c.code = s.code "
            "WHERE COALESCE(s.card_code, '') <> '' ORDER BY s.card_code "
            "ON CONFLICT (card_code) DO UPDATE SET customer_id = excluded.customer_id"
        )
    keep = _keep("bill")
    kept = ", ".join(f"{c} = CASE WHEN {keep} THEN bill.{c} ELSE excluded.{c} END"
                     for c in ("ky", "thang", "nam", "kwh", "amount", "vat", "total"))
    out.append(
        "INSERT INTO bill (customer_id, customer_code, bill_id, ky, thang, nam, kwh, amount, vat, total, "
        "series, number, reading_start, reading_end, tiers, status, double_collection, first_batch, "
        "last_batch, status_changed_at) "
        "SELECT DISTINCT ON (s.customer_code, s.bill_id) c.id, s.customer_code, s.bill_id, s.ky, s.thang, "
        "s.nam, COALESCE(s.kwh, 0), s.amount, s.vat, s.total, COALESCE(s.series, ''), COALESCE(s.number, ''), "
        f"s.reading_start, s.reading_end, s.tiers, {_STAGED_STATUS.format(s='s')}, FALSE, %(batch)s, %(batch)s, "
        "%(now)s FROM s_bill s JOIN d_bill d ON d.customer_code = s.customer_code AND d.bill_id = s.bill_id "
        "JOIN customer c ON c.code = s.customer_code ORDER BY s.customer_code, s.bill_id "
        "ON CONFLICT (customer_code, bill_id) DO UPDATE SET "
        "double_collection = CASE WHEN bill.status = 'collected' AND excluded.status = 'paid_elsewhere' "
        "  THEN TRUE ELSE bill.double_collection END, "
        f"status_changed_at = CASE WHEN {keep} OR bill.status = excluded.status "
        "  THEN bill.status_changed_at ELSE excluded.status_changed_at END, "
        f"status = CASE WHEN {keep} THEN bill.status ELSE excluded.status END, {kept}, "
        "series = excluded.series, number = excluded.number, reading_start = excluded.reading_start, "
        "reading_end = excluded.reading_end, tiers = COALESCE(excluded.tiers, bill.tiers), "
        "last_batch = excluded.last_batch "
        "WHERE " + bill_differs("bill", "excluded", "excluded.status", "excluded.status = 'paid_elsewhere'")
    )
    return out


#: unpaid bills the file does not list -> paid elsewhere (never one with a live payment)
PAID_ELSEWHERE = (
    "UPDATE bill SET status = 'paid_elsewhere', status_changed_at = %(now)s, last_batch = %(batch)s "
    "WHERE id IN (SELECT bill_row FROM d_missing) AND status = 'unpaid' AND NOT " + _LIVE.format(b="bill")
)
#: a first load builds the search index once, after the rows (the same index as schema v2's)
DROP_SEARCH_INDEX = "DROP INDEX customer_search_trgm"
CREATE_SEARCH_INDEX = SEARCH_INDEX
TOTAL_DUE = "SELECT COALESCE(SUM(total), 0) FROM bill WHERE status = 'unpaid'"
FINISH_BATCH = (
    "UPDATE import_batch SET finished_at = %s, status = 'applied', rows_read = %s, customers = %s, bills = %s, "
    "new_bills = %s, paid_elsewhere = %s, conflicts = %s, rejected = %s, total_due = %s, report_path = %s "
    "WHERE id = %s"
)
