"""Render documents in every mode at 58 and 80 mm, decode the bytes with our ESC/POS decoder and
check every Vietnamese letter, the amounts and the codes."""

from __future__ import annotations

import unicodedata
from dataclasses import replace

import pytest
from PIL import Image, ImageDraw

from cashier.core import documents as d
from cashier.core import vietqr
from cashier.core.debt import Bill, Customer
from cashier.core.errors import DeviceError
from cashier.core.layout import Line, geometry, lay_out
from cashier.core.money import format_number
from cashier.core.vntext import VIETNAMESE_LETTERS, VIETNAMESE_LOWER
from cashier.devices import raster
from cashier.devices.code_images import code128_modules, qr_matrix
from cashier.devices.escpos_decoder import decode
from cashier.devices.render import MODES, RenderOptions, naive_full_raster, render
from cashier.devices.textcodec import expected_cp1258_print, to_ascii

WIDTHS = (58, 80)


def _expected(text: str, mode: str, composes: bool = True) -> str:
    if mode == "ascii":
        return to_ascii(text)
    if mode == "text-cp1258":
        return expected_cp1258_print(text, composes)
    return unicodedata.normalize("NFC", text)


def _pages(opts: RenderOptions) -> dict[int, str]:
    from cashier.devices.escpos_decoder import DEFAULT_PAGES

    pages = dict(DEFAULT_PAGES)
    pages[opts.cp1258_page] = "cp1258"
    return pages


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("mode", ["text-tcvn3", "text-cp1258", "ascii"])
def test_test_page_text_modes_print_every_letter(mode: str, width: int, now) -> None:
    opts = RenderOptions(mode=mode, width_mm=width, composes=True)
    doc = d.printer_test_page(mode, width_mm=width, printed_at=now)
    dec = decode(render(doc, opts), pages=_pages(opts))
    cols, _ = geometry(width)
    lines = [ln.text for ln in dec.lines]
    for row in d.sample_lines(d.sample_row_length(width)):
        assert _expected(row, mode) in lines
    joined = "".join(lines)
    if mode != "ascii":
        assert all(ch in joined for ch in VIETNAMESE_LETTERS)
    assert _expected("1.234.567 đ", mode) in dec.text
    assert _expected(d.SAMPLE_SENTENCE, mode).split()[0] in dec.text
    assert [b.data for b in dec.barcodes] == ["PC12AA0012345"]
    assert [q.data for q in dec.qrs] == [d.receipt_qr_payload("TEST-0001", "ABCDEFGH")]
    assert not dec.unknown
    assert all(len(ln.text) <= cols for ln in dec.lines)


def test_tcvn3_uses_both_epson_pages_and_true_d_with_stroke(now) -> None:
    data = render(d.printer_test_page("t", printed_at=now), RenderOptions(mode="text-tcvn3"))
    dec = decode(data)
    assert {30, 31} <= dec.pages_used
    assert "Đ" in dec.text and "\u00d0" not in dec.text


@pytest.mark.parametrize("page", [52, 94, 27, 35])
def test_cp1258_page_number_is_configurable(page: int, now) -> None:
    opts = RenderOptions(mode="text-cp1258", cp1258_page=page, profile="generic", composes=True)
    data = render(d.printer_test_page("cp1258", printed_at=now), opts)
    assert b"\x1bt" + bytes([page]) in data
    dec = decode(data, pages={page: "cp1258"})
    assert all(ch in dec.text for ch in VIETNAMESE_LETTERS)


def test_cp1258_without_composing_sends_no_combining_marks(now) -> None:
    opts = RenderOptions(mode="text-cp1258", composes=False)
    data = render(d.printer_test_page("cp1258", printed_at=now), opts)
    for mark in (0xCC, 0xEC, 0xDE, 0xD2, 0xF2):  # cp1258 combining tones
        assert bytes([mark]) not in data
    dec = decode(data, composes=False)
    assert expected_cp1258_print("Đắk Lắk", composes=False) == "Đăk Lăk"
    assert "Đăk Lăk" in dec.text
    # the precomposed letters survive unchanged
    assert "á" in dec.text and "Đ" in dec.text and "ơ" in dec.text


def _reference_line(text: str, dots: int, bold: bool = False) -> Image.Image:
    """Draw a left-aligned line independently of the renderer (same font, same threshold)."""
    fnt = raster.font(raster.BASE_PX, bold)
    pitch = raster.line_pitch()
    canvas = Image.new("L", (dots, pitch), 0)
    asc, desc = fnt.getmetrics()
    ImageDraw.Draw(canvas).text((0, (pitch - asc - desc) // 2), text, font=fnt, fill=255)
    return canvas.point(lambda v: 255 if v >= 110 else 0).convert("1")


def _ink_rows(img: Image.Image) -> list[bytes]:
    """The non-blank rows of a full-width 1-bit image, top to bottom."""
    wb = (img.width + 7) // 8
    raw = img.tobytes()
    rows = [raw[y * wb : (y + 1) * wb] for y in range(img.height)]
    return [r for r in rows if r.strip(b"\x00")]


def _contains(rows: list[bytes], sub: list[bytes]) -> bool:
    n = len(sub)
    return any(rows[i : i + n] == sub for i in range(len(rows) - n + 1))


def _crop_to_ink(img: Image.Image) -> Image.Image:
    x0, y0, x1, y1 = img.getbbox()
    x0 = x0 // 8 * 8
    return img.crop((x0, y0, x0 + (x1 - x0 + 7) // 8 * 8, y1))


@pytest.mark.parametrize("width", WIDTHS)
def test_raster_test_page_rows_match_the_font(width: int, now) -> None:
    opts = RenderOptions(mode="raster", width_mm=width)
    doc = d.printer_test_page("raster", width_mm=width, printed_at=now)
    data = render(doc, opts)
    dec = decode(data)
    cols, dots = geometry(width)
    laid = [x for x in lay_out(doc, width) if isinstance(x, Line)]
    text_lines = [ln for ln in laid if not ln.right and (ln.left + ln.fill).isascii()]
    raster_lines = [ln for ln in laid if ln not in text_lines]
    # hybrid: lines without diacritics (and without a right-aligned value) went as printer text,
    # the others as raster images; the
    # paper's ink rows are exactly the rows of those lines drawn with the font, in order
    assert [ln.text for ln in dec.lines if ln.text] == [ln.text(cols).rstrip() for ln in text_lines]
    for img in dec.images:
        assert img.x + img.image.width <= dots
    page_rows = _ink_rows(dec.page_image(dots))
    want = [row for ln in raster_lines for row in _ink_rows(raster.render_line(ln, dots, cols))]
    assert page_rows == want
    # the alphabet rows: an independent drawing of the expected letters is on the paper
    for row in d.sample_lines(d.sample_row_length(width)):
        assert _contains(page_rows, _ink_rows(_reference_line(row, dots))), row
    # a wrong letter would not match: "ễ" vs "ế" differ in the bitmap
    assert _crop_to_ink(_reference_line("ễ", dots)).tobytes() != _crop_to_ink(_reference_line("ế", dots)).tobytes()


@pytest.mark.parametrize("width", WIDTHS)
def test_raster_receipt_is_at_most_half_a_naive_page(width: int, now) -> None:
    doc = d.receipt(d.sample_payment(now))
    opts = RenderOptions(mode="raster", width_mm=width)
    data = render(doc, opts)
    naive, page = naive_full_raster(doc, opts)
    assert page.width == geometry(width)[1]
    assert len(data) * 2 <= naive, (len(data), naive)
    # and the raster is not empty: every non-ASCII line is there
    dec = decode(data)
    assert dec.raster_bytes() > 5_000


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("mode", MODES)
def test_receipt_amounts_and_codes_in_every_mode(mode: str, width: int, now) -> None:
    pay = d.sample_payment(now)
    opts = RenderOptions(mode=mode, width_mm=width, composes=True)
    data = render(d.receipt(pay), opts)
    dec = decode(data)
    text = dec.text
    if mode == "raster":
        # every line with diacritics is an image: the decoded bitmaps are exactly the lines
        cols, dots = geometry(width)
        laid = [x for x in lay_out(d.receipt(pay), width) if isinstance(x, Line)]
        want = [row for ln in laid if not (ln.left + ln.right + ln.fill).isascii()
                for row in _ink_rows(raster.render_line(ln, dots, cols))]
        assert _ink_rows(dec.page_image(dots)) == want
        assert len(want) > 30 * 15
    else:
        assert pay.receipt_no in text
        assert "K7Q2-M9XH" in text
        assert _expected(f"Số nhật ký: {pay.journal_seq}", mode).replace(" ", "") in text.replace(" ", "")
        assert pay.customer.code in text
        for amount in (pay.total, pay.tendered, pay.change):
            assert _expected(f"{format_number(amount)} đ", mode) in text
        assert _expected(pay.customer.name, mode) in text
        assert _expected("BIÊN NHẬN THANH TOÁN", mode) in text
    assert [b.data for b in dec.barcodes] == [pay.customer.code]
    assert [q.data for q in dec.qrs] == [d.receipt_qr_payload(pay.receipt_no, pay.verification)]
    assert dec.drawer_kicks == 1  # cash, first print
    assert len(dec.cuts) == 1


def test_reprint_says_copy_and_does_not_open_the_drawer(now) -> None:
    pay = d.sample_payment(now, print_count=3)
    dec = decode(render(d.receipt(pay), RenderOptions(mode="text-tcvn3")))
    assert "BẢN SAO - In lần 3" in dec.text
    assert dec.drawer_kicks == 0


def _find_qr_matrix(img: Image.Image, n: int) -> list[list[bool]]:
    x0, y0, x1, y1 = img.getbbox()
    module = (x1 - x0) // n
    assert module * n == x1 - x0
    px = img.load()
    return [
        [bool(px[x0 + c * module + module // 2, y0 + r * module + module // 2]) for c in range(n)]
        for r in range(n)
    ]


@pytest.mark.parametrize("width", WIDTHS)
def test_image_fallback_for_qr_and_code128(width: int, now) -> None:
    pay = d.sample_payment(now)
    opts = RenderOptions(mode="text-tcvn3", width_mm=width, native_qr=False, native_barcode=False, bands=False)
    dec = decode(render(d.receipt(pay), opts))
    assert not dec.qrs and not dec.barcodes
    assert len(dec.images) == 2
    assert pay.customer.code in [ln.text.strip() for ln in dec.lines]  # the code under the bars, as text
    qr_img, bc_img = dec.images[0].image, dec.images[1].image
    payload = d.receipt_qr_payload(pay.receipt_no, pay.verification)
    expected = qr_matrix(payload)
    assert _find_qr_matrix(qr_img, len(expected)) == expected
    # the bars of the image, read back along one row, are python-barcode's CODE128 modules
    x0, y0, x1, _ = bc_img.getbbox()
    modules = code128_modules(pay.customer.code)
    module = None
    row = [bc_img.getpixel((x, y0 + 2)) for x in range(x0, x1)]
    runs = "".join("1" if v else "0" for v in row)
    for m in (1, 2):
        if runs == "".join(ch * m for ch in modules.rstrip("0")):
            module = m
    assert module in (1, 2)


def test_notice_has_vietqr_for_the_amount_due(now) -> None:
    cust = Customer(code="PC12AA0012345", name="Lê Thị Hồng", address="45 Y Jút, Đắk Lắk")
    bills = [
        Bill("PC12AA0012345", "B1", 1, 9, 2026, 120, 250_000, 20_000, 270_000),
        Bill("PC12AA0012345", "B2", 1, 10, 2026, 150, 320_000, 25_600, 345_600),
    ]
    info = d.NoticeInfo("Trần Thị Thủy", "0905 111 222", printed_at=now)
    doc = d.bill_notice(cust, bills, info)
    for mode in MODES:
        dec = decode(render(doc, RenderOptions(mode=mode, width_mm=58, composes=True)))
        assert len(dec.qrs) == 1
        parsed = vietqr.parse(dec.qrs[0].data)
        assert parsed.amount == 615_600
        assert parsed.bank_bin == d.CompanyInfo().bank_bin
        assert parsed.purpose == "TIEN DIEN PC12AA0012345"
        if mode != "raster":
            assert _expected("Không có giá trị thanh toán", mode) in dec.text
            assert "0905 111 222" in dec.text
            assert _expected("615.600 đ", mode) in dec.text
        assert dec.drawer_kicks == 0


def test_profile_without_tcvn3_refuses_clearly() -> None:
    with pytest.raises(DeviceError) as err:
        render(d.Document("x", (d.Text("a"),)), RenderOptions(mode="text-tcvn3", profile="POS-5890"))
    assert err.value.code == "printer.mode_unsupported"
    assert "TCVN-3" in str(err.value)


def test_profile_cp1258_page_mismatch_names_the_right_pages() -> None:
    with pytest.raises(DeviceError) as err:
        render(d.Document("x", (d.Text("a"),)), RenderOptions(mode="text-cp1258", profile="POS-5890"))
    assert "27, 94" in str(err.value)
    data = render(d.Document("x", (d.Text("Điện"),)), RenderOptions(mode="text-cp1258", cp1258_page=94, profile="POS-5890"))
    assert decode(data, pages={94: "cp1258"}).lines[0].text == "Điên"


def test_profile_without_native_qr_gets_images(now) -> None:
    doc = d.receipt(d.sample_payment(now))
    dec = decode(render(doc, RenderOptions(mode="raster", width_mm=58, profile="POS-5890")))
    assert not dec.qrs and not dec.barcodes


def test_unknown_mode_and_width_and_profile_are_refused() -> None:
    doc = d.Document("x", (d.Text("a"),))
    for opts, code in [
        (RenderOptions(mode="utf8"), "printer.bad_mode"),
        (RenderOptions(width_mm=72), "printer.bad_width"),
        (RenderOptions(profile="NoSuchPrinter"), "printer.unknown_profile"),
    ]:
        with pytest.raises(DeviceError) as err:
            render(doc, opts)
        assert err.value.code == code


def test_image_too_wide_is_a_clear_error() -> None:
    wide = d.Image("logo", 400, 8, bytes(50 * 8))
    with pytest.raises(DeviceError) as err:
        render(d.Document("x", (wide,)), RenderOptions(mode="raster", width_mm=58))
    assert err.value.code == "printer.image_too_wide"
    assert "400" in str(err.value) and "384" in str(err.value)
    # the same logo fits on 80 mm (an all-blank image is fed, not sent)
    dec = decode(render(d.Document("x", (wide,)), RenderOptions(mode="raster", width_mm=80)))
    assert dec.images == [] and dec.height == 8


def test_shift_report_and_reconnection_order_render(now) -> None:
    from cashier.core.ledger import (
        CustomerSnapshot,
        ReconnectionOrder,
        Shift,
        ShiftReport,
        ShiftTotals,
    )

    shift = Shift(3, "ST01", 2, "thuy", now, 500_000)
    totals = ShiftTotals(payments=12, cash_total=7_654_321, transfer_total=1_000_000, bills=15)
    rep = ShiftReport("Z", "ST01", shift, "Trần Thị Thủy", totals, 8_154_321, now, z_number=41,
                      counts={500_000: 16, 100_000: 1}, counted=8_100_000, variance=-54_321)
    dec = decode(render(d.shift_report(rep), RenderOptions(mode="text-tcvn3", width_mm=58)))
    assert "BÁO CÁO CA - Z SỐ 41" in dec.text
    assert "7.654.321 đ" in dec.text and "-54.321 đ" in dec.text
    order = ReconnectionOrder(9, CustomerSnapshot("PC12AA0012345", "Nguyễn Văn Đạt", "Buôn Ma Thuột"),
                              "ST01-2611-000123", 150_000, now, "Trần Thị Thủy", "TN012")
    dec = decode(render(d.reconnection_order(order), RenderOptions(mode="text-cp1258", width_mm=80, composes=True)))
    assert "LỆNH ĐÓNG ĐIỆN" in dec.text and "150.000 đ" in dec.text
    assert [b.data for b in dec.barcodes] == ["PC12AA0012345"]


def test_alphabet_constant_covers_134_letters() -> None:
    assert len(VIETNAMESE_LETTERS) == 2 * len(VIETNAMESE_LOWER)


def test_profile_with_narrower_print_area_gets_fewer_columns(now) -> None:
    doc = d.receipt(d.sample_payment(now))
    dec = decode(render(doc, RenderOptions(mode="text-tcvn3", width_mm=80, profile="TM-T88V")))
    assert max(len(ln.text) for ln in dec.lines) == 42  # TM-T88V: 512 dots, 42 columns of font A
    dec = decode(render(doc, RenderOptions(mode="raster", width_mm=80, profile="TM-T88V")))
    assert max(img.x + img.image.width for img in dec.images) <= 512


def test_barcode_of_non_ascii_text_is_a_clear_error() -> None:
    with pytest.raises(DeviceError) as err:
        render(d.Document("x", (d.Barcode("PC12ĐĐ0012345"),)), RenderOptions(mode="ascii"))
    assert err.value.code == "printer.bad_barcode"


@pytest.mark.parametrize("width", WIDTHS)
def test_row_bands_send_fewer_bytes_for_the_same_paper(width: int, now) -> None:
    doc = d.receipt(d.sample_payment(now))
    opts = RenderOptions(mode="raster", width_mm=width, native_qr=False, native_barcode=False)
    banded, whole = render(doc, opts), render(doc, replace(opts, bands=False))
    assert len(banded) < 0.9 * len(whole)
    dots = geometry(width)[1]
    a, b = decode(banded), decode(whole)
    assert len(a.images) > len(b.images)
    assert a.page_image(dots).tobytes() == b.page_image(dots).tobytes()  # pixel-identical paper


def test_hybrid_prints_a_column_of_amounts_as_raster_like_its_neighbours() -> None:
    """The Z report's count rows ("  500.000 x 5 ... 2.500.000") are ASCII but sit in a column of
    raster amounts ("Tiền đầu ca ... 500.000 đ"): in the printer's font they came out letter-
    spaced and out of line. A line with a right-aligned value is raster; a plain rule is text."""
    doc = d.Document(
        "z",
        (
            d.Pair("Tiền đầu ca:", "500.000 đ"),
            d.Pair(f"  {format_number(500_000)} x 5", format_number(2_500_000)),
            d.Rule("-"),
        ),
    )
    dec = decode(render(doc, RenderOptions(mode="raster", width_mm=80, hybrid=True)))
    texts = [ln.text for ln in dec.lines if ln.text.strip()]
    assert not any("500.000 x 5" in t for t in texts), texts
    assert texts == ["-" * 48]  # the rule still goes as (cheap) text
    assert len(dec.images) >= 1
