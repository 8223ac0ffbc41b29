"""Device commands: printing, printer settings, discovery, customer cards (the scanners:
scanner_commands.py).

``cashier [--printer URL] print-test [--mode M] [--width 58|80] [--all-modes]``
``cashier print-receipt RECEIPT``  ``cashier print-notice CODE [--cashier NAME --phone PHONE]``
``cashier printer-config [--url URL --mode M --width W --cp1258-page N --composes yes|no ...]``
``cashier company-config [--company TEXT --footer TEXT --einvoice-url URL ...]`` (company details
printed on documents; a change needs ``--user`` with the settings permission)
``cashier printer-status``  ``cashier drawer``  ``cashier devices``

A change of the printer settings needs ``--user`` with the settings permission (admin), the
drawer the open-drawer permission (manager); showing settings, test pages, status and cards are
open (docs/ledger.md).
``cashier card CODE [CODE...] --out FILE(.png|.pdf) [--sheet] [--print]``

Print commands take ``--mode text-tcvn3|text-cp1258|raster|ascii`` and ``--width 58|80``
(defaults: the saved printer settings). The global ``--printer URL`` overrides the saved URL
for the run; with nothing configured the preview printer writes .bin + .png files into the
data directory's ``previews/`` folder. ``--json`` (every command): one JSON document on stdout
(the print commands: what was printed, ``{"printed": [{"what", "bytes", "url"}], ...}``).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from cashier.cli.options import add_force, add_out_file, add_print, out_file
from cashier.cli.output import print_json

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


def register(sub: Any) -> None:
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
    add_out_file(p, ".png (a sheet of several pages adds NAME-2.png...) or .pdf (A4 sheets)",
                 example="cards.pdf")
    p.add_argument("--sheet", action="store_true", help="A4 sheet even for one card (PNG)")
    add_print(p, "print the card on the receipt printer", dest="print_")
    add_force(p)
    _print_opts(p)
    p.set_defaults(handler=cmd_card)


def _report(result: Any, what: str) -> dict[str, Any]:
    """Say on stderr what was printed; the same as a record for ``--json``."""
    value = getattr(result, "value", None)
    sent = getattr(value, "bytes_sent", getattr(result, "bytes_sent", 0))
    url = getattr(value, "url", "")
    print(f"printed {what}: {sent} bytes to {url}", file=sys.stderr)
    return {"what": what, "bytes": sent, "url": url}


def _printed(args: argparse.Namespace, station: Any, printed: list[dict[str, Any]]) -> int:
    url = station.printing.printer_settings().url
    preview = url[len("preview:"):] if url.startswith("preview:") else None
    if preview is not None:
        print(f"preview files in {preview}", file=sys.stderr)
    if args.json:
        print_json(args, {"printed": printed, "preview_dir": preview})
    return 0


def cmd_print_test(args: argparse.Namespace, station: Any) -> int:
    modes = MODES if args.all_modes else (args.mode,)
    printed = []
    for mode in modes:
        result = station.printing.print_test(mode, args.width)
        printed.append(_report(result, f"test page ({mode or station.printing.printer_settings().mode})"))
    return _printed(args, station, printed)


def cmd_print_receipt(args: argparse.Namespace, station: Any) -> int:
    result = station.printing.print_receipt(args.receipt, mode=args.mode, width=args.width, kick_drawer=False)
    return _printed(args, station, [_report(result, f"receipt {args.receipt.upper()}")])


def cmd_print_notice(args: argparse.Namespace, station: Any) -> int:
    result = station.printing.print_notice(
        args.code, cashier_name=args.cashier, cashier_phone=args.phone, mode=args.mode, width=args.width
    )
    return _printed(args, station, [_report(result, f"notice for {args.code}")])


def _yes(value: str | None) -> bool | None:
    return None if value is None else value == "yes"


def cmd_printer_config(args: argparse.Namespace, station: Any) -> int:
    changes = {
        "url": args.url, "mode": args.mode, "width_mm": args.width, "cp1258_page": args.cp1258_page,
        "composes": _yes(args.composes), "profile": args.profile, "hybrid": _yes(args.hybrid),
        "drawer": _yes(args.drawer), "timeout": args.timeout,
        "raster_margin": _yes(args.raster_margin), "raster_bands": _yes(args.raster_bands),
    }  # fmt: skip
    changes = {k: v for k, v in changes.items() if v is not None}
    if args.list_profiles:
        return _list_profiles(args)
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


def cmd_company_config(args: argparse.Namespace, station: Any) -> int:
    changes = {name: getattr(args, name) for name, _ in COMPANY_OPTIONS if getattr(args, name) is not None}
    if changes:
        from cashier.cli.auth import login

        station.printing.checked_company(**changes)  # a bad value: refused before the login prompt
        station.printing.save_company(actor=login(args, station), **changes)
    import dataclasses

    return _show_settings(args, dataclasses.asdict(station.printing.company()), 18)


def _list_profiles(args: argparse.Namespace) -> int:
    """printer-config --list-profiles: the known printer models and their Vietnamese code pages."""
    from cashier.devices.profiles import get_profile, profile_names

    rows: list[dict[str, Any]] = []
    for name in profile_names():
        p = get_profile(name)
        pages = {n: enc for n, enc in sorted(p.code_pages.items()) if "TCVN" in enc or "1258" in enc}
        rows.append({"profile": name, "vendor": p.vendor, "qr": p.qr, "vietnamese_code_pages": pages})
    if args.json:
        print_json(args, rows)
        return 0
    for r in rows:
        shown = ", ".join(f"{n}={enc}" for n, enc in r["vietnamese_code_pages"].items()) or "no Vietnamese page"
        print(f"{r['profile']:<16} {r['vendor']:<10} qr={'yes' if r['qr'] else 'no':<3} {shown}")
    return 0


def _show_settings(args: argparse.Namespace, data: dict[str, Any], width: int) -> int:
    """A settings record as JSON (--json) or one ``key value`` line each."""
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for key, value in data.items():
            print(f"{key:<{width}} {value}")
    return 0


def cmd_printer_status(args: argparse.Namespace, station: Any) -> int:
    status = station.printing.status()
    state, detail = (status.state, status.detail) if status is not None else ("unknown", "the status query failed")
    ok = state in ("ok", "paper_near_end")
    if args.json:
        print_json(args, {"state": state, "detail": detail, "ok": ok})
    elif status is None:
        print(f"{state}: {detail}", file=sys.stderr)
    else:
        print(f"{state}" + (f": {detail}" if detail else ""))
    return 0 if ok else 1


def cmd_drawer(args: argparse.Namespace, station: Any) -> int:
    from cashier.cli.auth import login

    station.printing.kick_drawer(actor=login(args, station))
    print("drawer kick sent", file=sys.stderr)
    if args.json:
        print_json(args, {"drawer": "kick sent"})
    return 0


def cmd_devices(args: argparse.Namespace, station: Any) -> int:
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


def cmd_card(args: argparse.Namespace, station: Any) -> int:
    from cashier.core.customer_code import parse_scanned
    from cashier.core.errors import InvalidInput

    customers = []
    for raw in args.codes:
        code = parse_scanned(raw).code
        customers.append(station.printing.card_customer(code))
    if not args.out and not args.print_:
        raise InvalidInput("invalid_input", detail="give --out FILE (.png/.pdf) and/or --print")
    written = None
    if args.out:
        from cashier.devices.cards import save_cards
        from cashier.services.output_paths import check_output

        # checked like every output (a PNG sheet of several pages adds NAME-2.png... beside it)
        out = check_output(out_file(args), station.protected_paths, force=args.force)
        written = save_cards(customers, out, station.printing.company().company, sheet=args.sheet)
        print(f"wrote {written}", file=sys.stderr)
    printed = []
    if args.print_:
        for cust in customers:
            result = station.printing.print_card(cust.code, mode=args.mode, width=args.width)
            printed.append(_report(result, f"card {cust.code}"))
    if args.json:
        print_json(args, {"file": str(written) if written else None, "printed": printed})
    return 0
