"""Helpers shared by the tests that need a station with customers and bills (a uniquely named
module on the root conftest's path: tests never import from ``conftest``)."""

from __future__ import annotations

PASSWORD = "secret-pw"


def add_customer(db, code, name="Nguyễn Văn A", bills=(), *, address="12 Lê Lợi", book="SO01",
                 disconnected=False, phone="0905000000"):
    """bills: iterable of (bill_id, ky, thang, nam, total[, status])."""
    cur = db.execute_sql(
        "INSERT INTO customer(code, unit_code, name, address, phone, book, book_pos, disconnected, "
        "search_text) VALUES (?,?,?,?,?,?,?,?,?)",
        (code, code[:6], name, address, phone, book, "1", int(disconnected), name.lower()),
    )
    cid = cur.lastrowid
    for b in bills:
        bill_id, ky, thang, nam, total = b[:5]
        status = b[5] if len(b) > 5 else "unpaid"
        vat = total * 8 // 108
        db.execute_sql(
            "INSERT INTO bill(customer_id, customer_code, bill_id, ky, thang, nam, kwh, amount, vat, "
            "total, series, number, reading_start, reading_end, tiers, status, double_collection) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0)",
            (cid, code, bill_id, ky, thang, nam, 100, total - vat, vat, total, "1K26TAA", bill_id,
             1000, 1100, "[[50, 1984, 99200], [50, 2050, 102500]]", status),
        )
    return cid


def bill_status(db, bill_id):
    return db.execute_sql("SELECT status FROM bill WHERE bill_id = ?", (bill_id,)).fetchone()[0]


def count(db, table, where="1=1", params=()):
    return db.execute_sql(f"SELECT count(*) FROM {table} WHERE {where}", params).fetchone()[0]


def record_batch(export_store, batch_id, *, station="ST01", sequence=1, pending=None):
    """Mark what is pending exported through ``ExportStore.record_batch`` (the one way), with
    a minimal batch record; returns the Pending it recorded."""
    pending = export_store.pending() if pending is None else pending
    batch = {
        "batch_id": batch_id, "station": station, "sequence": sequence, "created_at": "2026-11-23T18:00:00+07:00",
        "rows": len(pending.rows), "total_amount": sum(r.amount for r in pending.rows),
        "vat": sum(r.vat for r in pending.rows), "grand_total": sum(r.total for r in pending.rows),
        "first_receipt": "", "last_receipt": "", "journal_head": "",
    }
    export_store.record_batch(batch, pending)
    return pending
