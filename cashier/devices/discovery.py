"""Find printers and scanners: serial ports (with descriptions), USB printer-class devices and
HID-POS barcode scanners (usage page 0x8C; Linux hidraw sysfs, elsewhere hidapi)."""

from __future__ import annotations

import logging
import os
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
    kind: str  # serial | usb-printer | hid-pos
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


# -- HID-POS scanners --------------------------------------------------------------------------
HIDRAW_CLASS = "/sys/class/hidraw"
HID_POS_PAGE = 0x8C


def application_usages(descriptor: bytes) -> list[tuple[int, int]]:
    """(usage page, usage) of each application collection of a HID report descriptor: a minimal
    walk of the short items (HID 1.11 section 6.2.2), enough to tell a HID-POS scanner."""
    found: list[tuple[int, int]] = []
    page, usages, i = 0, [], 0
    while i < len(descriptor):
        prefix = descriptor[i]
        if prefix == 0xFE:  # long item: size in the next byte
            i += 3 + (descriptor[i + 1] if i + 1 < len(descriptor) else 0)
            continue
        size = (0, 1, 2, 4)[prefix & 0x03]
        value = int.from_bytes(descriptor[i + 1 : i + 1 + size], "little")
        tag_type = prefix & 0xFC
        if tag_type == 0x04:  # Usage Page (global)
            page = value
        elif tag_type == 0x08:  # Usage (local); 4 bytes: page in the high half
            usages.append((value >> 16, value & 0xFFFF) if size == 4 else (page, value))
        elif tag_type == 0xA0:  # Collection
            if value == 0x01 and usages:
                found.append(usages[0])
            usages = []
        elif tag_type in (0x80, 0x90, 0xB0, 0xC0):  # Input/Output/Feature/End: locals end
            usages = []
        i += 1 + size
    return found


def is_hid_pos_scanner(descriptor: bytes) -> bool:
    return any(page == HID_POS_PAGE for page, _usage in application_usages(descriptor))


def hidraw_info(name: str, root: str = HIDRAW_CLASS) -> dict | None:
    """vid, pid, name and report descriptor of /sys/class/hidraw/NAME (None: not there)."""
    base = os.path.join(root, name, "device")
    try:
        with open(os.path.join(base, "report_descriptor"), "rb") as fh:
            descriptor = fh.read()
        with open(os.path.join(base, "uevent"), encoding="utf-8", errors="replace") as fh:
            uevent = dict(line.strip().split("=", 1) for line in fh if "=" in line)
    except OSError:
        return None
    _bus, vid, pid = (uevent.get("HID_ID", "0:0:0").split(":") + ["0", "0"])[:3]
    return {
        "vid": int(vid, 16), "pid": int(pid, 16), "name": uevent.get("HID_NAME", name),
        "descriptor": descriptor,
    }  # fmt: skip


def hidraw_pos_devices(root: str = HIDRAW_CLASS, dev_dir: str = "/dev") -> list[FoundDevice]:
    """HID-POS scanners among the hidraw nodes (reading sysfs needs no permission)."""
    try:
        names = sorted(os.listdir(root), key=lambda n: (len(n), n))
    except OSError:
        return []
    found = []
    for name in names:
        info = hidraw_info(name, root)
        if info is None or not is_hid_pos_scanner(info["descriptor"]):
            continue
        path = os.path.join(dev_dir, name)
        readable = "" if os.access(path, os.R_OK) else ", no read permission (udev rule)"
        found.append(FoundDevice(
            "hid-pos", f"hid:{path}", info["name"], f"usb {info['vid']:04x}:{info['pid']:04x}{readable}",
        ))  # fmt: skip
    return found


def hidapi_pos_devices(module=None) -> list[FoundDevice]:
    """HID-POS scanners through hidapi (Windows, macOS); nothing when hidapi is not installed."""
    if module is None:
        try:
            import hid  # noqa: PLC0415 - optional dependency
        except ImportError:
            return []
        module = hid
    found = []
    for item in module.enumerate():
        if item.get("usage_page") != HID_POS_PAGE:
            continue
        path = (item.get("path") or b"").decode(errors="replace")
        name = f"{item.get('manufacturer_string') or ''} {item.get('product_string') or ''}".strip()
        found.append(FoundDevice(
            "hid-pos", f"hid:{path}", name or "HID-POS scanner",
            f"usb {item['vendor_id']:04x}:{item['product_id']:04x}",
        ))  # fmt: skip
    return found


def usb_ids(found: FoundDevice) -> str:
    """"vvvv:pppp" of a HID-POS scanner found here (its detail starts "usb vvvv:pppp")."""
    parts = found.detail.split()
    return parts[1].rstrip(",") if len(parts) > 1 and parts[0] == "usb" else ""


def hid_pos_ports() -> list[str]:
    """Scanner ports for the settings: hid:auto, then hid:VVVV:PPPP of each scanner found (USB ids
    stay the same when a replug gives the scanner another /dev/hidrawN)."""
    ports = ["hid:auto"]
    for found in hid_pos_devices():
        ids = usb_ids(found)
        port = f"hid:{ids}" if ids else found.url
        if port not in ports:
            ports.append(port)
    return ports


def hid_pos_devices() -> list[FoundDevice]:
    if os.path.isdir(HIDRAW_CLASS):
        return hidraw_pos_devices(HIDRAW_CLASS)
    return hidapi_pos_devices()


def discover() -> list[FoundDevice]:
    return serial_ports() + usb_printers() + hid_pos_devices()
