"""Find printers and scanners: serial ports (with descriptions) and USB printer-class devices."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass

log = logging.getLogger(__name__)

USB_CLASS_PRINTER = 7
#: vendor ids of common receipt printers that do not always declare the printer class
KNOWN_PRINTER_VENDORS = {
    0x04B8: "Epson", 0x0416: "Winbond (Xprinter/Gprinter)", 0x0483: "STMicro (POS-58/80)",
    0x0FE6: "ICS (Xprinter)", 0x0DD4: "Custom", 0x1504: "Bixolon", 0x1FC9: "NXP (POS-80)",
    0x0519: "Star Micronics", 0x28E9: "GD32 (Xprinter)", 0x154F: "SNBC", 0x20D1: "Rongta",
}  # fmt: skip


@dataclass(frozen=True)
class FoundDevice:
    kind: str  # serial | usb-printer
    url: str  # printer URL (or the port for scanners)
    description: str
    detail: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def serial_ports() -> list[FoundDevice]:
    try:
        from serial.tools import list_ports
    except ImportError:
        return []
    found = []
    for port in sorted(list_ports.comports(), key=lambda p: p.device):
        detail = []
        if port.vid is not None:
            detail.append(f"usb {port.vid:04x}:{port.pid:04x}")
        if port.manufacturer:
            detail.append(port.manufacturer)
        if port.serial_number:
            detail.append(f"sn {port.serial_number}")
        desc = port.description if port.description and port.description != "n/a" else port.name
        found.append(FoundDevice("serial", f"serial:{port.device}?baudrate=9600", desc or port.device, ", ".join(detail)))
    return found


def usb_printers() -> list[FoundDevice]:
    try:
        import usb.core
    except ImportError:
        return []
    found = []
    try:
        devices = list(usb.core.find(find_all=True))
    except Exception as exc:  # noqa: BLE001 - no backend, no permission: nothing to list
        log.info("USB discovery unavailable: %s", exc)
        return []
    for dev in devices:
        is_printer = dev.bDeviceClass == USB_CLASS_PRINTER
        try:
            for cfg in dev:
                for intf in cfg:
                    if intf.bInterfaceClass == USB_CLASS_PRINTER:
                        is_printer = True
        except Exception:  # noqa: BLE001
            pass
        vendor = KNOWN_PRINTER_VENDORS.get(dev.idVendor)
        if not (is_printer or vendor):
            continue
        name = vendor or "USB printer"
        try:
            if dev.product:
                name = f"{dev.manufacturer or vendor or ''} {dev.product}".strip()
        except Exception:  # noqa: BLE001 - reading strings needs permissions
            pass
        found.append(
            FoundDevice(
                "usb-printer", f"usb:0x{dev.idVendor:04x}:0x{dev.idProduct:04x}", name,
                "printer class" if is_printer else "known receipt-printer vendor",
            )
        )  # fmt: skip
    return found


def discover() -> list[FoundDevice]:
    return serial_ports() + usb_printers()
