"""Printer transports by URL scheme: the one table a new transport is added to.

A new transport is a module in this package (a :class:`~.base.Transport` subclass: ``__init__``
reads the URL, ``open``/``write``/``read``/``close``, every write bounded by a timeout) and one
line in :data:`TRANSPORTS`.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote

from cashier.core.errors import DeviceError
from cashier.devices.transports.base import PrinterURL, Transport
from cashier.devices.transports.device_file import FileTransport
from cashier.devices.transports.memory import MemoryTransport
from cashier.devices.transports.network import TcpTransport
from cashier.devices.transports.preview import PreviewTransport
from cashier.devices.transports.serial_port import SerialTransport
from cashier.devices.transports.usb_printer import UsbTransport
from cashier.devices.transports.win32_spooler import Win32Transport

#: URL scheme -> transport (the order is the one error messages list them in)
TRANSPORTS: dict[str, type[Transport]] = {
    "serial": SerialTransport,
    "usb": UsbTransport,
    "tcp": TcpTransport,
    "file": FileTransport,
    "preview": PreviewTransport,
    "win32": Win32Transport,
    "memory": MemoryTransport,
}

SCHEMES = tuple(TRANSPORTS)


def parse_url(url: str) -> PrinterURL:
    """Split a printer URL; plain paths (``/dev/usb/lp0``, ``C:\\x.bin``) mean ``file:``."""
    raw = (url or "").strip()
    if not raw:
        raise DeviceError("printer.bad_url", url=url, detail="empty")
    m = re.match(r"^([a-z][a-z0-9]+):(.*)$", raw, re.IGNORECASE | re.DOTALL)
    if m and len(m.group(1)) > 1 and m.group(1).lower() in TRANSPORTS:
        scheme, rest = m.group(1).lower(), m.group(2)
    elif m and len(m.group(1)) > 1 and not raw.startswith(("/", ".")):
        raise DeviceError(
            "printer.bad_url", url=raw,
            detail=f"unknown transport {m.group(1)!r} (use {', '.join(SCHEMES)} or a file path)",
        )  # fmt: skip
    else:
        scheme, rest = "file", raw
    kind = TRANSPORTS[scheme]
    params: dict[str, str] = {}
    if "?" in rest and kind.takes_query:
        rest, query = rest.split("?", 1)
        params = dict(parse_qsl(query, keep_blank_values=True))
    if kind.strips_slashes and rest.startswith("//"):
        rest = rest[2:]  # tcp://host:9100, file:///dev/usb/lp0 (URL habits) mean the same
    target = unquote(rest)
    if not target and kind.needs_target:
        raise DeviceError("printer.bad_url", url=raw, detail="nothing after the transport name")
    return PrinterURL(scheme, target, params, raw)


def open_transport(url: str | PrinterURL) -> Transport:
    """A transport for the URL (not opened yet)."""
    parsed = parse_url(url) if isinstance(url, str) else url
    return TRANSPORTS[parsed.scheme](parsed)
