"""The counter app's start-up wiring (issue 5): the Station for the GUI, demo data and accounts on
a fresh machine, and the scanner readers and port lists the UI is handed (the UI never imports
devices). Like cashier/app.py and cashier/cli, a wiring module: only these import adapters."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from cashier import paths
from cashier.app import Station
from cashier.core.clock import Clock
from cashier.services.station import StationServices
from cashier.ui.backend import StartInfo

if TYPE_CHECKING:
    from cashier.core.debt import ImportSummary

#: demo accounts made on a fresh machine by the counter app (issue 5): (user, password, role)
DEMO_USERS = (("admin", "admin123", "admin"), ("quanly", "quanly123", "manager"), ("thungan", "123456", "cashier"))

#: demo only (Settings → reconnection fee sets the real one)
DEMO_RECONNECTION_FEE = 30_000

#: demo only, a placeholder (Settings → company → e-invoice lookup site sets the real one)
DEMO_EINVOICE_URL = "https://hoadon.evn.example/tra-cuu"


def main(argv: list[str] | None = None) -> int:
    """Start the counter app (GUI): ``cashier-gui``, ``cashier-gui.exe`` and ``cashier gui`` take
    the same options (cashier/cli/gui_options.py); ``argv`` None: this program's command line."""
    from cashier.cli import setup_logging
    from cashier.cli.gui_options import parse_gui_args

    options = parse_gui_args(argv)
    setup_logging(options.verbose)
    from cashier.ui.main import run_gui  # noqa: PLC0415 (Qt only loads for the GUI)

    return run_gui(options, gui_station_factory(options.station))


def gui_station_factory(station_code: str | None) -> Callable[[str | None, str | None], Any]:
    """The GUI's ``start(db, printer)``: :func:`gui_start` for this run's ``--station``."""
    return partial(gui_start, station_code=station_code)


def gui_start(
    db_path: str | None = None, printer_url: str | None = None, *, clock: Clock | None = None,
    station_code: str | None = None,
) -> tuple[StationServices, StartInfo]:
    """The counter app's Station (issue 5). On a fresh machine: demo debt data, demo users, and
    the preview printer (the printing service's default), said in the status bar. On the
    collection point's PostgreSQL server (``db_path`` a ``postgresql://`` URL; the counter
    ``station_code``, --station or CASHIER_STATION) never any demo data: the server's users and
    morning import are the manager's (``cashier server init``, ``cashier import``)."""
    station = Station(db_path, printer_url=printer_url, clock=clock, station=station_code)
    info = StartInfo(
        db_path=station.db_path,
        printer_url=printer_url or "",
        log_path=paths.log_dir() / "cashier.log",
        resources_dir=paths.resources_dir(),
    )
    if not station.on_server and not station.users.has_users():
        ensure_demo_data(station)
        admin = station.users.add_user(DEMO_USERS[0][0], DEMO_USERS[0][1], "admin", full_name="Quản trị (demo)")
        station.users.add_user(DEMO_USERS[1][0], DEMO_USERS[1][1], "manager", full_name="Trần Thị Quản Lý (demo)", cashier_code="QL01", actor=admin)
        station.users.add_user(DEMO_USERS[2][0], DEMO_USERS[2][1], "cashier", full_name="Nguyễn Văn Thu (demo)", cashier_code="TN01", actor=admin)
        station.settings.set("demo.users", [list(u) for u in DEMO_USERS], actor=admin)
        # a demo reconnection fee so that disconnected demo customers show the fee line and the
        # reconnection order; a real station sets its own in Settings (F10)
        station.settings.set("ledger.reconnection_fee", DEMO_RECONNECTION_FEE, actor=admin)
        # an EXAMPLE e-invoice lookup address (reserved .example name), so that demo receipts show
        # the e-invoice line and QR; a real station sets its power company's site (F10 / company-config)
        station.printing.save_company(actor=admin, einvoice_url=DEMO_EINVOICE_URL)
    demo = station.settings.get("demo.users")
    if demo:
        info.demo_users = tuple((str(u[0]), str(u[1]), str(u[2])) for u in demo)
    info.serial_scanner = serial_scanner
    info.serial_ports = serial_ports
    info.hid_scanners = hid_scanners
    return station, info


def ensure_demo_data(station: StationServices, customers: int = 2000, seed: int = 1) -> ImportSummary | None:
    """Fill an EMPTY cache with generated demo customers (first start); return the
    ImportSummary, or None when the cache already has customers. ~1 s for 2,000."""
    if not station.cache.is_empty():
        return None
    from cashier.core.demo_data import DEMO_FIELDS, generate_rows

    rows: list[Sequence[Any]] = [list(DEMO_FIELDS), *generate_rows(customers, seed)]
    return station.cache.import_rows(rows, name=f"demo-{customers}")


def serial_scanner(port: str, **kwargs: Any) -> Any:
    """A scanner reader (its own thread) for the counter app: a serial port, or a HID-POS
    scanner when the configured port is ``hid:...`` (hid:auto, hid:/dev/hidrawN, hid:VVVV:PPPP)."""
    if port.startswith("hid:"):
        from cashier.devices.hid_scanner import HidScanner

        kwargs.pop("baudrate", None)
        return HidScanner(port, **kwargs)
    from cashier.devices.serial_scanner import SerialScanner

    return SerialScanner(port, **kwargs)


def hid_scanners() -> list[str]:
    from cashier.devices.discovery import hid_pos_ports

    return hid_pos_ports()


def serial_ports() -> list[str]:
    from cashier.devices.discovery import serial_ports as ports

    return [d.url.split(":", 1)[1].split("?", 1)[0] for d in ports()]
