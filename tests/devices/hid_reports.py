"""HID-POS test material: a scanner's report descriptor and its scanned-data input reports,
built field by field from the HID POS Usage Tables layout (report id 2, 64 bytes)."""

from __future__ import annotations

# Usage Page (Bar Code Scanner 0x8C), Usage (Bar Code Scanner 0x02), Collection (Application),
#   Report ID 2, Usage (Scanned Data Report 0x12), Collection (Logical),
#     1 byte length (vendor usage), 3 bytes Symbology Identifier 1-3 (0xFB-0xFD),
#     56 bytes Decoded Data (0xFE), 2 vendor bytes, 1 bit Decode Data Continued (0xFF) + 7 pad
#   End Collection, End Collection
SCANNER_DESCRIPTOR = bytes.fromhex(
    "058c 0902 a101 8502 0912 a102 1500 26ff00 7508"
    " 9501 0600ff 0901 8102"
    " 058c 9503 09fb 09fc 09fd 8102"
    " 9538 09fe 8202 01"
    " 9502 0600ff 0902 8102"
    " 058c 09ff 2501 7501 9501 8102 7507 9501 8103"
    " c0 c0"
)
# a boot keyboard (Generic Desktop / Keyboard): not a HID-POS scanner
KEYBOARD_DESCRIPTOR = bytes.fromhex("0501 0906 a101 0507 19e0 29e7 1500 2501 7501 9508 8102 c0")


def scan_reports(data: bytes, aim: bytes = b"]C0", vendor: int = 0x6A, layout: str = "aim") -> list[bytes]:
    """The input reports a HID-POS scanner sends for one scan (56 data bytes per report)."""
    parts = [data[i : i + 56] for i in range(0, len(data), 56)] or [b""]
    reports = []
    for n, part in enumerate(parts):
        more = 1 if n < len(parts) - 1 else 0
        if layout == "aim":
            body = bytes([2, len(part)]) + aim.ljust(3, b"\0") + part.ljust(56, b"\0") + bytes([vendor, 0, more])
        else:
            body = bytes([2, len(part)]) + part.ljust(56, b"\0") + bytes(4) + bytes([vendor, more])
        assert len(body) == 64
        reports.append(body)
    return reports
