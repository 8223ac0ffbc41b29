"""Printer transports named by URL, every one with a write timeout (never a hang).

=========================================  =================================================
``serial:/dev/ttyUSB0?baudrate=9600&flow=rtscts&timeout=5``   serial / Bluetooth SPP (COM3 on Windows)
``usb:0x0416:0x5011``                      USB printer class device by vendor:product (pyusb)
``tcp:192.168.1.50:9100``                  network printer (raw port 9100)
``file:/dev/usb/lp0`` or a plain path      device file, FIFO or a regular file (raw bytes)
``preview:/path/dir``                      .bin bytes + .png picture per job (demo, tests)
``win32:Printer Name``                     Windows spooler, RAW datatype (pywin32, lazily)
``memory:``                                keeps the bytes in memory (tests)
=========================================  =================================================

Query parameters common to all: ``timeout`` (seconds, default 5). Serial: ``baudrate`` (9600),
``flow`` (none | rtscts | xonxoff | dsrdtr), ``bytesize``/``parity``/``stopbits``.
USB: ``interface`` (0), ``out``/``in`` endpoint addresses (default: the first bulk ones).

We do not use python-escpos' transport classes: its Serial opens with dsrdtr=True and no write
timeout (a printer holding DSR low blocks the caller forever), and its other classes either
have no timeout or swallow the error we need to report.

Where things are: ``base`` (the URL, the :class:`Transport` interface, parameter readers, the
printer.* messages), one module per transport family (``serial_port`` - serial and Bluetooth
SPP, ``usb_printer``, ``network``, ``device_file``, ``win32_spooler``, ``preview``, ``memory``)
and ``registry`` (scheme -> transport, :func:`parse_url`, :func:`open_transport`). A new
transport is one new module and one line in ``registry.TRANSPORTS``.
"""

from __future__ import annotations

from cashier.devices.transports.base import (
    CHUNK,
    DEFAULT_TIMEOUT,
    PrinterURL,
    Transport,
)
from cashier.devices.transports.device_file import FileTransport
from cashier.devices.transports.memory import MemoryTransport
from cashier.devices.transports.network import TcpTransport
from cashier.devices.transports.preview import PreviewTransport
from cashier.devices.transports.registry import SCHEMES, TRANSPORTS, open_transport, parse_url
from cashier.devices.transports.serial_port import SerialTransport
from cashier.devices.transports.usb_printer import UsbTransport
from cashier.devices.transports.win32_spooler import Win32Transport

__all__ = [
    "CHUNK",
    "DEFAULT_TIMEOUT",
    "SCHEMES",
    "TRANSPORTS",
    "FileTransport",
    "MemoryTransport",
    "PreviewTransport",
    "PrinterURL",
    "SerialTransport",
    "TcpTransport",
    "Transport",
    "UsbTransport",
    "Win32Transport",
    "open_transport",
    "parse_url",
]
