"""A basket's receipts as the printer gets them (issue 14): collected through the window's basket
controller (the Shift+F2 path), printed by the preview printer, and the ESC/POS bytes of each job
decoded back (cashier/devices/escpos_decoder.py): each receipt carries "Thu gộp i/n — mã giỏ …",
its own customer, its own bills and the basket's one tender, in Vietnamese, in every text mode;
a raster job is pictures (its rendered PNG's QR code read back names its own receipt)."""

from __future__ import annotations

import pytest
from test_counter_flow import customers

from cashier.core.money import format_number
from cashier.devices.escpos_decoder import DEFAULT_PAGES, decode
from cashier.devices.textcodec import expected_cp1258_print, to_ascii
from cashier.ui.basket import BasketController


def _collect_basket(app, qtbot, n: int):
    w = app.window
    ctrl = BasketController(app.backend, w.controller, w)
    for code in customers(app, n=n):
        added, why = ctrl.scan(code)
        assert added, why
    given = (ctrl.total // 1000 + 20) * 1000
    result, why = ctrl.collect(given)
    assert result is not None, why
    qtbot.waitUntil(lambda: not w.controller.printing, timeout=20_000)
    return result


def _as_printed(mode: str, composes: bool):
    """What a Vietnamese text becomes on paper in ``mode``: exact in TCVN-3 (no em dash there: a
    hyphen); in WPC1258 the tones of the letters with no precomposed byte are dropped unless the
    printer composes combining marks (textcodec.py); ASCII folds."""
    if mode == "ascii":
        return lambda s: to_ascii(s).replace("—", "-")
    if mode == "text-cp1258":
        return lambda s: expected_cp1258_print(s, composes)
    return lambda s: s.replace("—", "-")


@pytest.mark.parametrize(
    ("mode", "composes"), (("text-tcvn3", False), ("text-cp1258", True), ("text-cp1258", False), ("ascii", False))
)
def test_each_basket_receipt_decodes_to_its_customer_its_bills_and_the_basket_line(session, qtbot, mode, composes):
    printing = session.backend.station.printing
    admin = session.backend.login("admin", "admin123")
    settings = printing.save_printer_settings(actor=admin, mode=mode, composes=composes)
    result = _collect_basket(session, qtbot, 3)
    b = result.basket
    jobs = sorted(session.preview.rglob("*.bin"))
    assert len(jobs) == 3
    fold = _as_printed(mode, composes)
    pages = {**DEFAULT_PAGES, settings.cp1258_page: "cp1258"}
    decoded = [decode(job.read_bytes(), pages=pages, composes=settings.composes) for job in jobs]
    by_receipt = {}
    for dec in decoded:
        assert not dec.unknown and not dec.images  # text mode: no raster, nothing undecodable
        numbers = [ln.text.split()[-1] for ln in dec.lines if ln.text.startswith(fold("Số biên nhận:"))]
        receipts = [r for r in b.receipts if r in numbers]
        assert len(receipts) == 1, receipts  # one receipt per job
        by_receipt[receipts[0]] = dec
    for i, p in enumerate(result.payments, 1):
        dec = by_receipt[p.receipt_no]
        lines = [ln.text.strip() for ln in dec.lines]
        text = "\n".join(lines)
        assert fold(f"Thu gộp {i}/3 — mã giỏ {b.code}") in lines  # the basket line, centred, whole
        assert p.customer.code in text and fold(p.customer.name) in text
        # its own bills, and none of the others'
        for ln in p.lines:
            if ln.bill_id:
                assert ln.bill_id in text
        for other in result.payments:
            if other is not p:
                assert other.customer.code not in text.replace(b.code, "")
                assert all(ln.bill_id not in text for ln in other.lines if ln.bill_id)
        assert format_number(p.total) in text
        # the basket's one tender on each receipt
        assert any(ln.startswith(fold("Tổng thu gộp (3 khách):")) and format_number(b.total) in ln for ln in lines)
        assert any(ln.startswith(fold("Khách đưa:")) and format_number(b.tendered) in ln for ln in lines)
        assert any(ln.startswith(fold("Tiền thừa:")) and format_number(b.change) in ln for ln in lines)
        assert fold("BIÊN NHẬN THANH TOÁN") in lines
    # the drawer opens once for the basket (first receipt only)
    assert [by_receipt[r].drawer_kicks for r in b.receipts] in ([1, 0, 0], [0, 0, 0])


def test_raster_basket_receipts_are_pictures_whose_qr_names_their_own_receipt(session, qtbot):
    """Raster (the universal route for Vietnamese): no text to decode, so the picture the preview
    printer rendered of each job is read back: its QR code carries that receipt's number."""
    from test_customer_display import _zbar

    from cashier.core.documents import receipt_qr_payload

    printing = session.backend.station.printing
    admin = session.backend.login("admin", "admin123")
    printing.save_printer_settings(actor=admin, mode="raster", profile="POS-5890")  # no native QR
    result = _collect_basket(session, qtbot, 2)
    jobs = sorted(session.preview.rglob("*.bin"))
    assert len(jobs) == 2
    seen = set()
    for job in jobs:
        dec = decode(job.read_bytes())
        # Vietnamese as pictures; only plain ASCII lines (rules) may go as text (hybrid)
        assert dec.images and not dec.qrs and all(ln.text.isascii() for ln in dec.lines)
        png = job.with_suffix(".png")
        assert png.exists()
        found = _zbar(png).splitlines()
        mine = [p for p in result.payments if receipt_qr_payload(p.receipt_no, p.verification) in found]
        assert len(mine) == 1, found
        seen.add(mine[0].receipt_no)
    assert seen == set(result.basket.receipts)
