"""Scanner test commands: read codes from a serial or a USB HID-POS barcode scanner.

``cashier scan-serial PORT [--baudrate N --prefix P --suffix S --seconds T]``
``cashier scan-hid [DEVICE] [--list --prefix P --layout auto|aim|plain --backend auto|hidraw|hidapi
--seconds T --count N]`` (DEVICE: auto, /dev/hidrawN, VVVV:PPPP USB ids; docs/printing.md)

Each code read goes to stdout (one line; ``--json``: one JSON object per line, ``{"code": ...}``
or ``{"rejected": ...}``); the scanner's status goes to stderr. ``scan-hid --list --json`` prints
one JSON list.
"""

from __future__ import annotations

import argparse
import sys
import threading
from typing import Any

from cashier.cli.output import print_json, print_json_line


def _on_code(args: argparse.Namespace, scanned: Any) -> None:
    if args.json:
        print_json_line(args, {"code": scanned.code, "repaired_from": scanned.original if scanned.repaired else None})
        return
    note = f" (repaired from {scanned.original!r})" if scanned.repaired else ""
    print(f"{scanned.code}{note}", flush=True)


def _on_reject(args: argparse.Namespace, rej: Any) -> None:
    if args.json:
        print_json_line(args, {"rejected": rej.message, "code": rej.code})
    else:
        print(f"rejected: {rej.message}", file=sys.stderr, flush=True)


def _wait(args: argparse.Namespace, stop: threading.Event, scanner: Any) -> int:
    try:
        stop.wait(args.seconds if args.seconds > 0 else None)
    finally:
        scanner.stop()
    return 0


def cmd_scan_serial(args: argparse.Namespace, station: Any) -> int:
    from cashier.devices.serial_scanner import SerialScanner

    suffix = args.suffix.encode("latin-1").decode("unicode_escape")

    def on_status(status: str) -> None:
        print(f"scanner {args.port}: {status}", file=sys.stderr, flush=True)

    scanner = SerialScanner(
        args.port, on_code=lambda scanned: _on_code(args, scanned), on_reject=lambda rej: _on_reject(args, rej),
        on_status=on_status, baudrate=args.baudrate, prefix=args.prefix, suffix=suffix,
    ).start()  # fmt: skip
    return _wait(args, threading.Event(), scanner)


def cmd_scan_hid(args: argparse.Namespace, station: Any) -> int:
    from cashier.core.messages import render
    from cashier.devices.hid_scanner import HidScanner

    if args.list:
        return _list_hid(args)
    stop = threading.Event()
    scans = [0]

    def counted() -> None:
        scans[0] += 1
        if args.count and scans[0] >= args.count:
            stop.set()

    def on_code(scanned: Any) -> None:
        _on_code(args, scanned)
        counted()

    def on_reject(rej: Any) -> None:
        if rej.code in ("hid.permission", "hid.no_hidapi"):
            if rej.code == "hid.permission":  # (no_hidapi: the status line says it)
                print(f"error: {rej.message}", file=sys.stderr, flush=True)
            return
        _on_reject(args, rej)
        counted()

    def on_status(status: str) -> None:
        shown = render(status, "en", {"spec": args.device}) if status.startswith("hid.") else status
        print(f"scanner {args.device}: {shown}", file=sys.stderr, flush=True)

    scanner = HidScanner(
        args.device, on_code=on_code, on_reject=on_reject, on_status=on_status,
        prefix=args.prefix, layout=args.layout, backend=args.backend,
    ).start()  # fmt: skip
    return _wait(args, stop, scanner)


def _list_hid(args: argparse.Namespace) -> int:
    from cashier.devices.discovery import hid_pos_devices

    found = hid_pos_devices()
    if args.json:
        print_json(args, [{"url": d.url, "description": d.description, "detail": d.detail} for d in found])
        return 0
    if not found:
        print("no HID-POS scanners found (a scanner in keyboard mode is not listed)", file=sys.stderr)
    for d in found:
        print(f"{d.url:<28} {d.description} [{d.detail}]")
    return 0


def register(sub: Any) -> None:
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
