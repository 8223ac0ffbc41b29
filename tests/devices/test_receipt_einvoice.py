"""The receipt points to the e-invoice (issue 14): each bill's series and number (KIHIEU_SERY,
SO_SERY) and the power company's lookup address (setting ``company.einvoice_url``) as text and
QR, in every print mode; the receipt never claims to be the VAT invoice (DESIGN.md §6)."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest

from cashier.cli import main
from cashier.core import documents as d
from cashier.core.errors import InvalidInput, PermissionDenied
from cashier.core.ledger import LineKind, PaymentLine
from cashier.devices.escpos_decoder import DEFAULT_PAGES, decode
from cashier.devices.render import RenderOptions, render
from cashier.devices.textcodec import to_ascii

URL = "https://hoadon.evn.example/tra-cuu"
SHOWN = "hoadon.evn.example/tra-cuu"  # printed without the scheme
COMPANY = replace(d.CompanyInfo(), einvoice_url=URL)


def _payment(now, series=("1K26TAA", "1K26TAA"), numbers=("0001234", "0001301")):
    pay = d.sample_payment(now)
    lines = tuple(
        replace(line, series=s, number=n) for line, s, n in zip(pay.lines, series, numbers, strict=True)
    )
    return replace(pay, lines=lines)


def _zbar(path: Path) -> list[str]:
    exe = shutil.which("zbarimg")
    assert exe, "zbarimg missing: run scripts/system-deps.sh (Debian zbar-tools)"
    out = subprocess.run(
        [exe, "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(path)], capture_output=True, check=True, timeout=30
    )
    return out.stdout.decode("utf-8").splitlines()


def _folded(texts) -> str:
    return unicodedata.normalize("NFC", " ".join(texts)).lower()


# --- the document -------------------------------------------------------------------------------
def test_receipt_lists_each_bills_einvoice_and_the_lookup_address(now) -> None:
    doc = d.receipt(_payment(now), COMPANY)
    pairs = [(b.label, b.value) for b in doc.blocks if isinstance(b, d.Pair)]
    assert pairs.count((" HĐ điện tử:", "1K26TAA 0001234")) == 1
    assert pairs.count((" HĐ điện tử:", "1K26TAA 0001301")) == 1
    # each reference sits under its own bill's header line
    heads = [i for i, (label, value) in enumerate(pairs) if value.startswith("HĐ 23")]
    refs = [i for i, (label, _) in enumerate(pairs) if label == " HĐ điện tử:"]
    assert [h + 1 for h in heads] == refs
    texts = doc.texts()
    assert "Tra cứu hóa đơn điện tử tại:" in texts and SHOWN in texts
    qrs = [b.data for b in doc.blocks if isinstance(b, d.QR)]
    assert qrs == [d.receipt_qr_payload("ST01-2611-000123", "K7Q2M9XH"), URL]
    assert "giá trị hóa đơn" not in _folded(texts)  # proof of payment, not the VAT invoice


def test_nothing_printed_that_is_not_known(now) -> None:
    # no address set: neither the line nor the QR; a bill without series/number: no reference line
    pay = _payment(now, series=("", "1K26TAA"), numbers=("", ""))
    doc = d.receipt(pay, d.CompanyInfo())
    assert SHOWN not in doc.texts() and "Tra cứu hóa đơn điện tử tại:" not in doc.texts()
    assert len([b for b in doc.blocks if isinstance(b, d.QR)]) == 1
    refs = [b.value for b in doc.blocks if isinstance(b, d.Pair) and b.label == " HĐ điện tử:"]
    assert refs == ["1K26TAA"]
    # a receipt of a reconnection fee alone points to no e-invoice
    fee = PaymentLine(kind=LineKind.RECONNECTION_FEE, amount=98_000)
    only_fee = replace(pay, lines=(fee,), total=98_000, tendered=100_000, change=2_000)
    assert SHOWN not in d.receipt(only_fee, COMPANY).texts()


def test_notice_lists_the_einvoice_of_each_unpaid_bill(now) -> None:
    from cashier.core.debt import Bill, BillStatus, Customer

    customer = Customer(id=1, code="PC12AA0012345", name="Nguyễn Văn Đạt", address="", unit_code="PC12AA")
    bill = Bill(
        id=1, customer_code=customer.code, bill_id="HD-1", ky=1, thang=11, nam=2026, kwh=10, amount=20_000,
        vat=1_600, total=21_600, status=BillStatus.UNPAID, series="1K26TAA", number="0000042",
    )
    doc = d.bill_notice(customer, [bill], d.NoticeInfo("Thu"), COMPANY)
    assert "1K26TAA 0000042" in doc.texts()


# --- the printed bytes -------------------------------------------------------------------------
@pytest.mark.parametrize("width", (58, 80))
@pytest.mark.parametrize("mode", ("text-tcvn3", "text-cp1258", "ascii"))
def test_text_modes_print_the_references_and_a_native_qr_of_the_address(mode, width, now) -> None:
    opts = RenderOptions(mode=mode, width_mm=width, composes=True)
    pages = {**DEFAULT_PAGES, opts.cp1258_page: "cp1258"}
    dec = decode(render(d.receipt(_payment(now), COMPANY), opts), pages=pages)
    assert [q.data for q in dec.qrs] == [d.receipt_qr_payload("ST01-2611-000123", "K7Q2M9XH"), URL]
    lines = [ln.text for ln in dec.lines]
    assert SHOWN in [ln.strip() for ln in lines]
    refs = [ln for ln in lines if ln.startswith(to_ascii(" HĐ điện tử:") if mode == "ascii" else " HĐ điện tử:")]
    assert [r.split()[-2:] for r in refs] == [["1K26TAA", "0001234"], ["1K26TAA", "0001301"]]
    assert not dec.unknown


def test_raster_receipt_png_through_the_preview_printer_scans_to_the_address(now, tmp_path) -> None:
    from cashier.devices.printer import EscPosPrinter

    out = tmp_path / "preview"
    # POS-5890 has no native QR: the QR is a raster image, as on the cheap 58 mm printers
    printer = EscPosPrinter(f"preview:{out}", RenderOptions(mode="raster", width_mm=58, profile="POS-5890"))
    printer.print_document(d.receipt(_payment(now), COMPANY), kick_drawer=False)
    png = next(out.glob("*.png"))
    dec = decode(next(out.glob("*.bin")).read_bytes())
    assert not dec.qrs and dec.images  # everything, QR included, went as raster
    assert sorted(_zbar(png)) == sorted([d.receipt_qr_payload("ST01-2611-000123", "K7Q2M9XH"), URL])


# --- the setting: service (permission, validation) and CLI ---------------------------------------
def test_setting_needs_the_settings_permission_and_a_real_address(station) -> None:
    printing = station.printing
    with pytest.raises(PermissionDenied):
        printing.save_company(actor=station.test_cashier, einvoice_url=URL)
    assert printing.company().einvoice_url == ""
    for bad, code in (
        ("hoadon.evn.vn", "not_web"), ("ftp://x.vn", "not_web"), ("https://", "not_web"),
        ("https://a b.vn", "bad_char"), ("https://hóađơn.vn", "bad_char"), ("https://x.vn/\x1b[2J", "bad_char"),
        ("https://x.vn/" + "a" * 100, "too_long"),
    ):  # fmt: skip
        with pytest.raises(InvalidInput) as err:
            printing.save_company(actor=station.test_admin, einvoice_url=bad)
        assert err.value.code == f"printing.einvoice_{code}"
        assert "\x1b" not in str(err.value)  # a control character is shown escaped, never sent
    with pytest.raises(InvalidInput) as err:
        printing.save_company(actor=station.test_admin, no_such_field="x")
    assert err.value.code == "printing.bad_company"
    assert printing.company().einvoice_url == ""
    saved = printing.save_company(actor=station.test_admin, einvoice_url=f"  {URL} ")
    assert saved.einvoice_url == URL == printing.company().einvoice_url
    assert printing.save_company(actor=station.test_admin, einvoice_url="").einvoice_url == ""


def test_collected_receipt_carries_the_bills_references_from_the_cache(station, tmp_path) -> None:
    station.printing.save_company(actor=station.test_admin, einvoice_url=URL)
    station.printing.url_override = f"preview:{tmp_path}"
    pay = station.collect.collect(station.test_cashier, "PC12AA0012345", 1_300_000)
    station.printing.print_receipt(pay.receipt_no, mode="text-tcvn3")
    dec = decode(next(tmp_path.glob("*.bin")).read_bytes())
    refs = [ln.text.split()[-2:] for ln in dec.lines if ln.text.startswith(" HĐ điện tử:")]
    assert refs == [["1K26TAA", "HD-10"], ["1K26TAA", "HD-11"]]  # the fixture's SO_SERY = bill id
    assert URL in [q.data for q in dec.qrs]


def test_cli_company_config_sets_and_shows_the_address(station, capsys, monkeypatch) -> None:
    monkeypatch.setenv("CASHIER_PASSWORD", "secret-pw")
    db = str(station.db_path)
    station.close()

    def run(*argv):
        capsys.readouterr()
        rc = main(["--db", db, *argv])
        return (rc, *capsys.readouterr())

    rc, out, err = run("company-config", "--einvoice-url", URL)
    assert rc == 4 and "--user" in err  # a change needs a user with the settings permission
    rc, out, err = run("--user", "thu1", "company-config", "--einvoice-url", URL)
    assert rc != 0 and err.count("\n") == 1
    rc, out, err = run("--user", "admin", "company-config", "--einvoice-url", "www.evn.vn")
    assert rc == 3 and "einvoice_url" in err and err.count("\n") == 1
    rc, out, err = run("--user", "admin", "company-config", "--einvoice-url", URL)
    assert rc == 0, err
    rc, out, err = run("--json", "company-config")
    assert rc == 0 and f'"einvoice_url": "{URL}"' in out
