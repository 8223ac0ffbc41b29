"""USB printer class devices by vendor:product through pyusb: ``usb:0x0416:0x5011``
(parameters ``interface``, ``out``/``in`` endpoint addresses; default the first bulk ones)."""

from __future__ import annotations

import re
from typing import Any

from cashier.core.errors import DeviceError
from cashier.devices.transports.base import PrinterURL, Transport, param_int, short_error


class UsbTransport(Transport):
    bidirectional = True

    def __init__(self, url: PrinterURL) -> None:
        self.url = url
        m = re.fullmatch(r"(0x[0-9a-fA-F]{1,4}|\d+):(0x[0-9a-fA-F]{1,4}|\d+)", url.target)
        if not m:
            raise DeviceError("printer.bad_url", url=url.raw, detail="expected usb:VENDOR:PRODUCT, e.g. usb:0x0416:0x5011")
        self.vendor, self.product = int(m.group(1), 0), int(m.group(2), 0)
        self.interface = param_int(url, "interface", 0)
        self.out_ep = param_int(url, "out", 0) or None
        self.in_ep = param_int(url, "in", 0) or None
        self.timeout = url.timeout
        self.dev: Any = None

    def open(self) -> None:
        try:
            import usb.core
            import usb.util
        except ImportError:
            raise DeviceError("printer.platform", what="USB printing", detail="pyusb is not installed") from None
        try:
            dev = usb.core.find(idVendor=self.vendor, idProduct=self.product)
        except usb.core.NoBackendError:
            raise DeviceError("printer.platform", what="USB printing", detail="no libusb backend") from None
        if dev is None:
            raise DeviceError("printer.unreachable", url=self.url.raw, detail="no such USB device (unplugged or off?)")
        try:
            try:
                if dev.is_kernel_driver_active(self.interface):
                    dev.detach_kernel_driver(self.interface)
            except (NotImplementedError, usb.core.USBError):
                pass
            try:
                dev.set_configuration()
            except usb.core.USBError:
                pass  # already configured (busy) is fine
            cfg = dev.get_active_configuration()
            intf = cfg[(self.interface, 0)]
            if self.out_ep is None:
                ep = usb.util.find_descriptor(
                    intf, custom_match=lambda e: usb.util.endpoint_direction(e.bEndpointAddress) == usb.util.ENDPOINT_OUT
                )
                if ep is None:
                    raise DeviceError("printer.unreachable", url=self.url.raw, detail="no OUT endpoint")
                self.out_ep = ep.bEndpointAddress
            if self.in_ep is None:
                ep = usb.util.find_descriptor(
                    intf, custom_match=lambda e: usb.util.endpoint_direction(e.bEndpointAddress) == usb.util.ENDPOINT_IN
                )
                self.in_ep = ep.bEndpointAddress if ep is not None else None
        except usb.core.USBError as exc:
            raise DeviceError("printer.unreachable", url=self.url.raw, detail=short_error(exc)) from None
        self.dev = dev

    def write(self, data: bytes) -> None:
        import usb.core

        assert self.dev is not None
        for i in range(0, len(data), 4096):
            chunk = data[i : i + 4096]
            try:
                n = self.dev.write(self.out_ep, chunk, int(self.timeout * 1000))
            except usb.core.USBTimeoutError:
                raise DeviceError("printer.timeout", url=self.url.raw, seconds=round(self.timeout, 1)) from None
            except usb.core.USBError as exc:
                raise DeviceError("printer.write_failed", url=self.url.raw, detail=short_error(exc)) from None
            if n != len(chunk):
                raise DeviceError("printer.write_failed", url=self.url.raw, detail=f"wrote {n} of {len(chunk)} bytes")

    def read(self, n: int, timeout: float) -> bytes:
        if self.dev is None or self.in_ep is None:
            return b""
        try:
            return bytes(self.dev.read(self.in_ep, n, int(timeout * 1000)))
        except Exception:  # noqa: BLE001
            return b""

    def close(self) -> None:
        if self.dev is not None:
            try:
                import usb.util

                usb.util.dispose_resources(self.dev)
            except Exception:  # noqa: BLE001
                pass
            self.dev = None
