"""Device commands: printing, printer settings, discovery, customer cards, serial and HID scanners.

``cashier [--printer URL] print-test [--mode M] [--width 58|80] [--all-modes]``
``cashier print-receipt RECEIPT``  ``cashier print-notice CODE [--cashier NAME --phone PHONE]``
``cashier printer-config [--url URL --mode M --width W --cp1258-page N --composes yes|no ...]``
``cashier company-config [--company TEXT --footer TEXT --einvoice-url URL ...]`` (company details
printed on documents; a change needs ``--user`` with the settings permission)
``cashier printer-status``  ``cashier drawer``  ``cashier devices [--json]``

A change of the printer settings needs ``--user`` with the settings permission (admin), the
drawer the open-drawer permission (manager); showing settings, test pages, status and cards are
open (docs/ledger.md).
``cashier card CODE [CODE...] --out FILE(.png|.pdf) [--sheet] [--print]``
``cashier scan-serial PORT [--baudrate N --prefix P --suffix S --seconds T]``
``cashier scan-hid [DEVICE] [--list --prefix P --layout auto|aim|plain --backend auto|hidraw|hidapi
--seconds T --count N]`` (DEVICE: auto, /dev/hidrawN, VVVV:PPPP USB ids; docs/printing.md)

Print commands take ``--mode text-tcvn3|text-cp1258|raster|ascii`` and ``--width 58|80``
(defaults: the saved printer settings). The global ``--printer URL`` overrides the saved URL
for the run; with nothing configured the preview printer writes .bin + .png files into the
data directory's ``previews/`` folder.
"""

from __future__ import annotations

import argparse
import json
import sys

MODES = ("text-tcvn3", "text-cp1258", "raster", "ascii")


#: company-config options (CompanyInfo fields); "" clears a field
COMPANY_OPTIONS = (
    ("company", "power company name (first header line)"),
    ("unit", "electricity unit (Điện lực ...)"),
    ("collection_point", "collection point name and address"),
    ("hotline", "customer service hotline"),
    ("tax_code", "tax code"),
    ("bank_bin", "bank BIN of the VietQR account (notices)"),
    ("bank_name", "bank name"),
    ("bank_account", "bank account number"),
    ("bank_account_name", "bank account holder"),
    ("footer", "last line of receipts"),
    ("einvoice_url", "e-invoice lookup address printed with a QR on receipts (\"\" = not printed)"),
)


def _print_opts(p: argparse.ArgumentParser) -> None:
    p.add_argument("--mode", choices=MODES, help="print mode (default: saved printer settings)")
    p.add_argument("--width", type=int, choices=(58, 80), help="paper width in mm (default: saved)")


def register(sub) -> None:
    p = sub.add_parser("print-test", help="print the test page (the Vietnamese sample in a print mode)")
    _print_opts(p)
    p.add_argument("--all-modes", action="store_true", help="one test page per mode, to pick the one that reads right")
    p.set_defaults(handler=cmd_print_test)

    p = sub.add_parser("print-receipt", help="print (again) the receipt of a recorded payment")
    p.add_argument("receipt")
    _print_opts(p)
    p.set_defaults(handler=cmd_print_receipt)

    p = sub.add_parser("print-notice", help="print a bill notice with VietQR for a customer's unpaid bills")
    p.add_argument("code")
    p.add_argument("--cashier", default="", help="cashier name printed on the notice")
    p.add_argument("--phone", default="", help="cashier phone printed on the notice")
    _print_opts(p)
    p.set_defaults(handler=cmd_print_notice)

    p = sub.add_parser("printer-config", help="show or change the saved printer settings")
    p.add_argument("--url", help="printer URL (serial:, usb:, tcp:, file:, preview:, win32:)")
    p.add_argument("--mode", choices=MODES)
    p.add_argument("--width", type=int, choices=(58, 80))
    p.add_argument("--cp1258-page", type=int, help="ESC t number of WPC1258 (52, 94, 27, 35...)")
    p.add_argument("--composes", choices=("yes", "no"), help="printer overlays combining tone marks")
    p.add_argument("--profile", help="python-escpos printer profile (e.g. TM-T20II, POS-5890)")
    p.add_argument("--suggest", action="store_true",
                   help="with --profile: also take that model's best mode, code page and width")
    p.add_argument("--list-profiles", action="store_true", help="list the known printer profiles")
    p.add_argument("--hybrid", choices=("yes", "no"), help="raster: plain lines as text")
    p.add_argument("--raster-margin", choices=("yes", "no"),
                   help="raster: skip blank left columns with GS L (no: for printers that ignore GS L)")
    p.add_argument("--raster-bands", choices=("yes", "no"), help="raster: several images per line, cropped to ink")
    p.add_argument("--drawer", choices=("yes", "no"), help="kick the cash drawer on cash payments")
    p.add_argument("--timeout", type=float, help="write timeout in seconds")
    p.set_defaults(handler=cmd_printer_config)

    p = sub.add_parser("company-config", help="show or change the company details printed on documents")
    for name, what in COMPANY_OPTIONS:
        p.add_argument(f"--{name.replace('_', '-')}", dest=name, metavar="TEXT", help=what)
    p.set_defaults(handler=cmd_company_config)

    p = sub.add_parser("printer-status", help="ask the printer for its status (DLE EOT)")
    p.set_defaults(handler=cmd_printer_status)

    p = sub.add_parser("drawer", help="open the cash drawer")
    p.set_defaults(handler=cmd_drawer)

    p = sub.add_parser("devices", help="list serial ports, USB printers and HID-POS scanners")
    p.set_defaults(handler=cmd_devices)

    p = sub.add_parser("card", help="customer card(s) with CODE128: PNG or A4 PDF sheet")
    p.add_argument("codes", nargs="+", metavar="CODE")
    p.add_argument("--out", help="output file (.png or .pdf)")
    p.add_argument("--sheet", action="store_true", help="A4 sheet even for one card (PNG)")
    p.add_argument("--print", dest="print_", action="store_true", help="print the card on the receipt printer")
    p.add_argument("--force", action="store_true", help="replace an existing --out file")
    _print_opts(p)
    p.set_defaults(handler=cmd_card)

    p = sub.add_parser("scan-serial", help="read codes from a serial barcode scanner (test)")
    p.add_argument("port")
    p.add_argument("--baudrate", type=int, default=9600)
    p.add_argument("--prefix", default="")
    p.add_argument("--suffix", default="\\r", help="end of code (default \\r; \\n and \\r\\n accepted)")
    p.add_argument("--seconds", type=float, default=0, help="stop after this many seconds (0: Ctrl+C)")
    p.set_defaults(handler=cmd_scan_serial)

    p = sub.add_parser("scan-hid", help="read codes from a USB HID-POS barcode scanner (test)")
    p.add_argument("device", nargs="?", default="auto",
                   help="auto (first HID-POS scanner), /dev/hidrawN, or VVVV:PPPP USB ids")
    p.add_argument("--list", action="store_true", help="list the HID-POS scanners found and exit")
    p.add_argument("--prefix", default="")
    p.add_argument("--layout", choices=("auto", "aim", "plain"), default="auto",
                   help="scanned-data report layout (aim: with the AIM symbology field)")
    p.add_argument("--backend", choices=("auto", "hidraw", "hidapi"), default="auto",
                   help="auto: Linux hidraw, elsewhere the hidapi package")
    p.add_argument("--seconds", type=float, default=0, help="stop after this many seconds (0: Ctrl+C)")
    p.add_argument("--count", type=int, default=0, help="stop after this many scans (0: no limit)")
    p.set_defaults(handler=cmd_scan_hid)


def _report(result, what: str) -> None:
    value = getattr(result, "value", None)
    sent = getattr(value, "bytes_sent", getattr(result, "bytes_sent", 0))
    url = getattr(value, "url", "")
    print(f"printed {what}: {sent} bytes to {url}", file=sys.stderr)


def _preview_hint(station) -> None:
    url = station.printing.printer_settings().url
    if url.startswith("preview:"):
        print(f"preview files in {url[len('preview:'):]}", file=sys.stderr)


def cmd_print_test(args, station) -> int:
    modes = MODES if args.all_modes else (args.mode,)
    for mode in modes:
        result = station.printing.print_test(mode, args.width)
        _report(result, f"test page ({mode or station.printing.printer_settings().mode})")
    _preview_hint(station)
    return 0


def cmd_print_receipt(args, station) -> int:
    result = station.printing.print_receipt(args.receipt, mode=args.mode, width=args.width, kick_drawer=False)
    _report(result, f"receipt {args.receipt.upper()}")
    _preview_hint(station)
    return 0


def cmd_print_notice(args, station) -> int:
    result = station.printing.print_notice(
        args.code, cashier_name=args.cashier, cashier_phone=args.phone, mode=args.mode, width=args.width
    )
    _report(result, f"notice for {args.code}")
    _preview_hint(station)
    return 0


def _yes(value: str | None) -> bool | None:
    return None if value is None else value == "yes"


def cmd_printer_config(args, station) -> int:
    changes = {
        "url": args.url, "mode": args.mode, "width_mm": args.width, "cp1258_page": args.cp1258_page,
        "composes": _yes(args.composes), "profile": args.profile, "hybrid": _yes(args.hybrid),
        "drawer": _yes(args.drawer), "timeout": args.timeout,
        "raster_margin": _yes(args.raster_margin), "raster_bands": _yes(args.raster_bands),
    }  # fmt: skip
    changes = {k: v for k, v in changes.items() if v is not None}
    if args.list_profiles:
        from cashier.devices.profiles import get_profile, profile_names

        for name in profile_names():
            p = get_profile(name)
            pages = ", ".join(f"{n}={enc}" for n, enc in sorted(p.code_pages.items())
                              if "TCVN" in enc or "1258" in enc) or "no Vietnamese page"
            print(f"{name:<16} {p.vendor:<10} qr={'yes' if p.qr else 'no':<3} {pages}")
        return 0
    if args.suggest:
        from cashier.core.errors import InvalidInput
        from cashier.devices.profiles import suggest

        if not args.profile:
            raise InvalidInput("invalid_input", detail="--suggest needs --profile NAME")
        changes = {**suggest(args.profile), **{k: v for k, v in changes.items() if k != "profile"}}
    if changes:
        if "profile" in changes:
            from cashier.devices.profiles import get_profile

            get_profile(changes["profile"])  # refuses an unknown profile with the known names
        if "url" in changes:
            from cashier.devices.transports import parse_url

            parse_url(changes["url"])
        from cashier.cli.auth import login

        station.printing.save_printer_settings(actor=login(args, station), **changes)
    import dataclasses

    data = dataclasses.asdict(station.printing.printer_settings())
    data.pop("extra", None)
    return _show_settings(args, data, 15)


def cmd_company_config(args, station) -> int:
    changes = {name: getattr(args, name) for name, _ in COMPANY_OPTIONS if getattr(args, name) is not None}
    if changes:
        from cashier.cli.auth import login

        station.printing.checked_company(**changes)  # a bad value: refused before the login prompt
        station.printing.save_company(actor=login(args, station), **changes)
    import dataclasses

    return _show_settings(args, dataclasses.asdict(station.printing.company()), 18)


def _show_settings(args, data: dict, width: int) -> int:
    """A settings record as JSON (--json) or one ``key value`` line each."""
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for key, value in data.items():
            print(f"{key:<{width}} {value}")
    return 0


def cmd_printer_status(args, station) -> int:
    status = station.printing.status()
    if status is None:
        print("unknown: the status query failed", file=sys.stderr)
        return 1
    print(f"{status.state}" + (f": {status.detail}" if status.detail else ""))
    return 0 if status.state in ("ok", "paper_near_end") else 1


def cmd_drawer(args, station) -> int:
    from cashier.cli.auth import login

    station.printing.kick_drawer(actor=login(args, station))
    print("drawer kick sent", file=sys.stderr)
    return 0


def cmd_devices(args, station) -> int:
    from cashier.devices.discovery import discover

    found = discover()
    configured = station.printing.printer_settings()
    if args.json:
        print(json.dumps(
            {"configured_printer": configured.url, "mode": configured.mode, "width_mm": configured.width_mm,
             "devices": [d.as_dict() for d in found]},
            ensure_ascii=False, indent=2,
        ))  # fmt: skip
        return 0
    print(f"configured printer: {configured.url} ({configured.mode}, {configured.width_mm} mm)")
    if not found:
        print("no serial ports or USB printers found")
    for d in found:
        print(f"{d.kind:<12} {d.url:<40} {d.description}" + (f" [{d.detail}]" if d.detail else ""))
    return 0


def cmd_card(args, station) -> int:
    from cashier.core.customer_code import parse_scanned
    from cashier.core.errors import InvalidInput

    customers = []
    for raw in args.codes:
        code = parse_scanned(raw).code
        customers.append(station.printing.card_customer(code))
    if not args.out and not args.print_:
        raise InvalidInput("invalid_input", detail="give --out FILE (.png/.pdf) and/or --print")
    if args.out:
        from cashier.devices.cards import save_cards
        from cashier.services.output_paths import check_output

        # checked like every output (a PNG sheet of several pages adds NAME-2.png... beside it)
        out = check_output(args.out, station.protected_paths, force=args.force)
        path = save_cards(customers, out, station.printing.company().company, sheet=args.sheet)
        print(f"wrote {path}", file=sys.stderr)
    if args.print_:
        for cust in customers:
            result = station.printing.print_card(cust.code, mode=args.mode, width=args.width)
            _report(result, f"card {cust.code}")
    return 0


def cmd_scan_serial(args, station) -> int:
    import threading

    from cashier.devices.serial_scanner import SerialScanner

    suffix = args.suffix.encode("latin-1").decode("unicode_escape")
    stop = threading.Event()

    def on_code(scanned) -> None:
        note = f" (repaired from {scanned.original!r})" if scanned.repaired else ""
        print(f"{scanned.code}{note}", flush=True)

    def on_reject(rej) -> None:
        print(f"rejected: {rej.message}", file=sys.stderr, flush=True)

    def on_status(status: str) -> None:
        print(f"scanner {args.port}: {status}", file=sys.stderr, flush=True)

    scanner = SerialScanner(
        args.port, on_code=on_code, on_reject=on_reject, on_status=on_status,
        baudrate=args.baudrate, prefix=args.prefix, suffix=suffix,
    ).start()  # fmt: skip
    try:
        stop.wait(args.seconds if args.seconds > 0 else None)
    finally:
        scanner.stop()
    return 0


def cmd_scan_hid(args, station) -> int:
    import threading

    from cashier.core.messages import render
    from cashier.devices.hid_scanner import HidScanner

    if args.list:
        from cashier.devices.discovery import hid_pos_devices

        found = hid_pos_devices()
        if not found:
            print("no HID-POS scanners found (a scanner in keyboard mode is not listed)", file=sys.stderr)
        for d in found:
            print(f"{d.url:<28} {d.description} [{d.detail}]")
        return 0
    stop = threading.Event()
    scans = [0]

    def counted() -> None:
        scans[0] += 1
        if args.count and scans[0] >= args.count:
            stop.set()

    def on_code(scanned) -> None:
        note = f" (repaired from {scanned.original!r})" if scanned.repaired else ""
        print(f"{scanned.code}{note}", flush=True)
        counted()

    def on_reject(rej) -> None:
        if rej.code in ("hid.permission", "hid.no_hidapi"):
            if rej.code == "hid.permission":  # (no_hidapi: the status line says it)
                print(f"error: {rej.message}", file=sys.stderr, flush=True)
            return
        print(f"rejected: {rej.message}", file=sys.stderr, flush=True)
        counted()

    def on_status(status: str) -> None:
        shown = render(status, "en", {"spec": args.device}) if status.startswith("hid.") else status
        print(f"scanner {args.device}: {shown}", file=sys.stderr, flush=True)

    scanner = HidScanner(
        args.device, on_code=on_code, on_reject=on_reject, on_status=on_status,
        prefix=args.prefix, layout=args.layout, backend=args.backend,
    ).start()  # fmt: skip
    try:
        stop.wait(args.seconds if args.seconds > 0 else None)
    finally:
        scanner.stop()
    return 0
