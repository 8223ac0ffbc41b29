"""The print service on a real station: receipts after commit, failures never touch the payment,
notices with VietQR, saved settings and the CLI."""

from __future__ import annotations

import os
import threading
import time

import pytest

from cashier.cli import main
from cashier.core import vietqr
from cashier.core.errors import Conflict, DeviceError
from cashier.devices.escpos_decoder import decode


def _pay(station):
    return station.collect.collect(station.test_cashier, "PC12AA0012345", 1_300_000)


def _use_printer(station, url: str | None) -> None:
    """This run's --printer (None: the saved settings count)."""
    station.printing.url_override = url


def _manager(station):
    admin = station.users.login("admin", "secret-pw")
    station.users.add_user("ql", "secret-pw", "manager", full_name="Quản Lý", actor=admin)
    return station.users.login("ql", "secret-pw")


def _row(station, receipt_no):
    return station.db.execute_sql(
        "SELECT total, tendered, change_amount, status, printed, print_count FROM payment WHERE receipt_no = ?",
        (receipt_no,),
    ).fetchone()


def test_receipt_prints_after_commit_and_is_marked_printed(station, tmp_path) -> None:
    _use_printer(station, f"preview:{tmp_path / 'p'}")
    pay = _pay(station)
    result = station.printing.print_receipt(pay.receipt_no)
    assert result.ok
    assert station.collect.payment(pay.receipt_no).printed is True
    data = next((tmp_path / "p").glob("*.bin")).read_bytes()
    dec = decode(data)
    assert dec.drawer_kicks == 1  # cash payment, first print
    assert [q.data for q in dec.qrs] == [f"BN:{pay.receipt_no};MX:{pay.verification}"]
    # a second paper copy only after the ledger's reprint, and then it says so
    with pytest.raises(Conflict) as err:
        station.printing.print_receipt(pay.receipt_no)
    assert err.value.code == "printing.already_printed"
    manager = _manager(station)
    station.collect.reprint(pay.receipt_no, manager)
    station.printing.print_receipt(pay.receipt_no, mode="text-tcvn3")
    newest = max((tmp_path / "p").glob("*.bin"), key=lambda f: f.stat().st_mtime_ns)
    dec = decode(newest.read_bytes())
    assert "BẢN SAO - In lần 2" in dec.text
    assert dec.drawer_kicks == 0


def test_printer_that_vanishes_mid_receipt_leaves_payment_intact(station, now) -> None:
    master, slave = os.openpty()
    name = os.ttyname(slave)
    got = bytearray()

    def printer_dies():  # reads the first bytes, then the "printer" is unplugged
        got.extend(os.read(master, 200))
        os.close(master)
        os.close(slave)

    _use_printer(station, f"serial:{name}?baudrate=115200&timeout=1")
    station.printing.save_printer_settings(actor=station.test_admin, mode="raster")  # big job: still sending when it dies
    pay = _pay(station)
    before = _row(station, pay.receipt_no)
    t = threading.Thread(target=printer_dies, daemon=True)
    t.start()
    start = time.monotonic()
    with pytest.raises(DeviceError) as err:
        station.printing.print_receipt(pay.receipt_no)
    assert time.monotonic() - start < 10
    t.join(2)
    assert got  # the printer did get the start of the receipt
    assert "\n" not in str(err.value)
    after = _row(station, pay.receipt_no)
    assert after[:4] == before[:4]  # total, tendered, change, status untouched
    assert after[4] == 0  # marked unprinted
    assert station.collect.payment(pay.receipt_no).printed is False
    bills = station.db.execute_sql("SELECT status FROM bill WHERE customer_code='PC12AA0012345'").fetchall()
    assert {b[0] for b in bills} == {"collected"}


def test_async_print_reports_through_the_callback(station, tmp_path) -> None:
    _use_printer(station, "tcp:127.0.0.1:9?timeout=1")  # discard port: refused
    pay = _pay(station)
    results = []
    job = station.printing.print_receipt(pay.receipt_no, wait=False, callback=results.append)
    job.wait(5)
    assert len(results) == 1 and not results[0].ok
    assert "cannot be reached" in results[0].error and "Không kết nối" in results[0].error_vi
    assert station.collect.payment(pay.receipt_no).printed is False
    # and the cashier can print it again once the printer is back
    _use_printer(station, f"preview:{tmp_path}")
    assert station.printing.print_receipt(pay.receipt_no).ok
    assert station.collect.payment(pay.receipt_no).printed is True


def test_notice_with_vietqr_for_unpaid_bills(station, tmp_path) -> None:
    _use_printer(station, f"preview:{tmp_path}")
    station.printing.print_notice("pc12aa0012345", cashier_name="Trần Thị Thủy", cashier_phone="0905111222",
                                  mode="text-tcvn3", width=58)
    dec = decode(next(tmp_path.glob("*.bin")).read_bytes())
    assert "THÔNG BÁO TIỀN ĐIỆN" in dec.text and "Không có giá trị thanh toán" in dec.text
    assert "1.234.567 đ" in dec.text and "0905111222" in dec.text
    assert vietqr.parse(dec.qrs[0].data).amount == 1_234_567
    assert dec.drawer_kicks == 0


def test_settings_are_saved_and_overridden_per_run(station, tmp_path) -> None:
    _use_printer(station, None)
    s = station.printing.printer_settings()
    assert s.url.startswith("preview:") and s.mode == "raster" and s.width_mm == 80
    station.printing.save_printer_settings(actor=station.test_admin, mode="text-cp1258", width_mm=58, cp1258_page=94, composes=True)
    station.close()
    again = type(station)(station.db_path, hasher=station.password_hasher)  # the next run
    try:
        s = again.printing.printer_settings()
        assert (s.mode, s.width_mm, s.cp1258_page, s.composes) == ("text-cp1258", 58, 94, True)
        assert again.printing.printer_settings(mode="ascii", width=80).mode == "ascii"
        with pytest.raises(Exception) as err:
            again.printing.save_printer_settings(actor=again.users.login("admin", "secret-pw"), mode="utf8")
        assert "mode" in str(err.value)
    finally:
        again.close()


@pytest.fixture
def cli(station, capsys, monkeypatch):
    monkeypatch.setenv("CASHIER_PASSWORD", "secret-pw")  # for the commands given --user admin
    db = str(station.db_path)
    station.close()

    def run(*argv):
        capsys.readouterr()
        rc = main(["--db", db, *argv])
        out, err = capsys.readouterr()
        return rc, out, err

    return run


def test_cli_print_test_all_modes_and_config(cli, tmp_path) -> None:
    rc, out, err = cli("--printer", f"preview:{tmp_path}", "print-test", "--all-modes", "--width", "58")
    assert rc == 0, err
    assert len(list(tmp_path.glob("*.png"))) == 4
    rc, out, err = cli("--user", "admin", "printer-config", "--mode", "text-tcvn3", "--width", "58", "--json")
    assert rc == 0 and '"mode": "text-tcvn3"' in out
    rc, out, err = cli("printer-config", "--profile", "NoSuchPrinter", "--user", "admin")
    assert rc == 3 and "Unknown printer profile" in err and err.count("\n") == 1


def test_cli_unreachable_printer_one_line_nonzero_within_timeout(cli) -> None:
    start = time.monotonic()
    rc, out, err = cli("--printer", "tcp:127.0.0.1:9?timeout=1", "print-test")
    assert rc == 3 and time.monotonic() - start < 5
    assert err.count("\n") == 1 and "cannot be reached" in err
    rc, out, err = cli("--printer", "nonsense:x", "print-test")
    assert rc == 3 and "Bad printer URL" in err and err.count("\n") == 1
    rc, out, err = cli("print-test", "--mode", "text-tcvn3")
    assert rc == 0


def test_cli_print_receipt_and_notice_and_card(cli, station, tmp_path) -> None:
    st2 = type(station)(station.db_path, hasher=station.password_hasher)
    pay = st2.collect.collect(st2.users.login("thu1", "secret-pw"), "PC12AA0012345", 1_234_567)
    st2.close()
    rc, out, err = cli("--printer", f"preview:{tmp_path}", "print-receipt", pay.receipt_no.lower(), "--mode", "ascii")
    assert rc == 0, err
    dec = decode(next(tmp_path.glob("*.bin")).read_bytes())
    assert "Nguyen Van Dat" in dec.text and pay.receipt_no in dec.text
    rc, out, err = cli("print-receipt", "NOPE-1")
    assert rc == 3 and err.count("\n") == 1
    rc, out, err = cli("--printer", f"preview:{tmp_path / 'n'}", "print-notice", "PC12AA0012345")
    assert rc == 0  # nothing unpaid left: the notice says so, without a QR
    assert not decode(next((tmp_path / "n").glob("*.bin")).read_bytes()).qrs
    rc, out, err = cli("card", "PC12AA0012345", "--out", str(tmp_path / "card.pdf"))
    assert rc == 0 and (tmp_path / "card.pdf").read_bytes().startswith(b"%PDF")
    rc, out, err = cli("card", "PC12AA0099999", "--out", str(tmp_path / "x.png"))
    assert rc == 3 and "PC12AA0099999" in err


def test_cli_devices_json(cli) -> None:
    import json

    rc, out, err = cli("devices", "--json")
    assert rc == 0
    data = json.loads(out)
    assert data["configured_printer"].startswith("preview:")
    assert all(d["kind"] in ("serial", "usb-printer", "hid-pos") for d in data["devices"])


def test_cli_profile_suggestion_and_list(cli) -> None:
    rc, out, err = cli("printer-config", "--profile", "POS-5890", "--suggest", "--json", "--user", "admin")
    assert rc == 0, err
    import json

    data = json.loads(out)
    assert (data["mode"], data["cp1258_page"], data["width_mm"], data["profile"]) == ("text-cp1258", 27, 58, "POS-5890")
    rc, out, err = cli("printer-config", "--profile", "TM-T20II", "--suggest", "--json", "--user", "admin")
    assert json.loads(out)["mode"] == "text-tcvn3"
    rc, out, err = cli("printer-config", "--profile", "ZJ-5870", "--suggest", "--json", "--user", "admin")
    assert json.loads(out)["mode"] == "raster"
    rc, out, err = cli("printer-config", "--list-profiles")
    assert rc == 0 and "TM-T20II" in out and "52=CP1258" in out


def test_discover_printers_through_the_service(station, monkeypatch) -> None:
    from serial.tools import list_ports_common

    port = list_ports_common.ListPortInfo("/dev/ttyUSB7")
    port.description, port.vid, port.pid = "USB-Serial Controller", 0x067B, 0x2303
    monkeypatch.setattr("serial.tools.list_ports.comports", lambda: [port])
    monkeypatch.setattr("cashier.devices.discovery.usb_printers", lambda: [])
    assert station.printing.discover_printers() == ["serial:/dev/ttyUSB7?baudrate=9600"]


def test_raster_margin_and_bands_can_be_turned_off(cli, tmp_path) -> None:
    rc, out, err = cli("--user", "admin", "printer-config", "--raster-margin", "no", "--raster-bands", "no", "--mode", "raster")
    assert rc == 0, err
    rc, out, err = cli("--printer", f"preview:{tmp_path}", "print-test", "--width", "58")
    assert rc == 0, err
    data = next(tmp_path.glob("*.bin")).read_bytes()
    assert b"\x1dL" not in data  # no GS L at all
    dec = decode(data)
    assert all(img.x == 0 for img in dec.images)


def test_the_same_receipt_cannot_be_queued_twice(station, tmp_path) -> None:
    _use_printer(station, f"preview:{tmp_path}")
    pay = _pay(station)
    gate = threading.Event()
    station.printing.jobs.submit(station.printing.printer_settings().url, "blocker", gate.wait)
    job = station.printing.print_receipt(pay.receipt_no, wait=False)
    with pytest.raises(Conflict) as err:
        station.printing.print_receipt(pay.receipt_no, wait=False)
    assert err.value.code == "printing.in_progress"
    gate.set()
    assert job.wait(5).ok
    assert len(list(tmp_path.glob("*.bin"))) == 1


def test_preview_png_of_a_receipt(station, tmp_path) -> None:
    import io

    from PIL import Image

    _use_printer(station, f"preview:{tmp_path}")
    pay = _pay(station)
    png = station.printing.preview_receipt(pay.receipt_no, mode="raster", width=58)
    with Image.open(io.BytesIO(png)) as img:
        assert img.width == 384 and img.height > 1000
    assert not list(tmp_path.glob("*.bin"))  # a preview prints nothing
    assert station.collect.payment(pay.receipt_no).printed is None
