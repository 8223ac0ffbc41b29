"""What the self-test steps check beyond one call: a receipt rendered and decoded back, the
saved printer settings (read-only), a folder's write access, whether Qt loads.
"""

from __future__ import annotations

import importlib
import json
import sqlite3
from pathlib import Path
from typing import Any

from cashier.services.selftest import StepFailed, check_writable_dir


def saved_printer_settings(db_path: Path) -> dict[str, Any]:
    """The printer settings saved in the station's database, read-only ({} when none)."""
    if not db_path.is_file():
        return {}
    try:
        con = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True, timeout=2)
        try:
            row = con.execute("SELECT value FROM setting WHERE key = 'printer'").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return {}
    try:
        value = json.loads(row[0]) if row else {}
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def fold_name(text: str) -> str:
    from cashier.core.vntext import fold

    return fold(text)


def probe(path: Path, files: tuple[Path, ...] = ()) -> str:
    from cashier.core.errors import DomainError

    try:
        return check_writable_dir(path, files)
    except DomainError as exc:
        raise StepFailed(str(exc)) from exc


def qt_import_error() -> str | None:
    try:
        importlib.import_module("PySide6.QtWidgets")
    except Exception as exc:  # ImportError, OSError from a missing libGL/libEGL...
        return f"{type(exc).__name__}: {exc}"
    return None


def as_dict(obj: Any) -> dict[str, Any]:
    if obj is None:
        return {}
    if isinstance(obj, dict):
        return obj
    for attr in ("as_dict", "to_dict", "to_json_dict"):
        if hasattr(obj, attr):
            return getattr(obj, attr)()
    import dataclasses

    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.asdict(obj)
    return dict(vars(obj))


def cache_service(station: Any) -> Any:
    for attr in ("cache", "cache_service", "debt_cache"):
        if hasattr(type(station), attr):
            return getattr(station, attr)
    raise StepFailed("not available: the debt cache service (Station.cache) is not wired yet")


def render_receipt_checked(payment: Any, mode: str, tmp: Path) -> str:
    """Render ``payment``'s receipt in ``mode`` (80 mm), decode the bytes and check them."""
    from cashier.core.documents import money, receipt, receipt_qr_payload
    from cashier.core.vntext import fold
    from cashier.devices.escpos_decoder import decode
    from cashier.devices.render import RenderOptions, render

    data = render(receipt(payment), RenderOptions(mode=mode, width_mm=80))
    (tmp / f"receipt-{mode}.bin").write_bytes(data)
    doc = decode(data)
    problems = []
    code = payment.customer.code
    if code not in {b.data for b in doc.barcodes}:
        problems.append(f"CODE128 of {code} missing")
    if receipt_qr_payload(payment.receipt_no, payment.verification) not in {q.data for q in doc.qrs}:
        problems.append("receipt QR missing")
    if not doc.cuts:
        problems.append("no cut")
    if mode == "raster":
        if not doc.images:
            problems.append("no raster image")
    else:
        text = doc.text
        if mode == "text-tcvn3" and payment.customer.name not in text:
            problems.append(f"name {payment.customer.name!r} not printed with its diacritics")
        if fold(payment.customer.name) not in fold(text):
            problems.append(f"name {payment.customer.name!r} missing")
        if money(payment.total).split()[0] not in text or payment.receipt_no not in text:
            problems.append("total or receipt number missing")
    if problems:
        raise StepFailed(f"{mode}: " + "; ".join(problems))
    if mode == "raster":
        return f"{len(data)} bytes, {len(doc.images)} raster images; CODE128 and QR decoded back"
    return f"{len(data)} bytes; name, total, receipt number, CODE128 and QR decoded back"
