"""VietQR payloads (NAPAS 247 "QRIBFTTA" transfer to an account, EMVCo merchant-presented QR).

A payload is a chain of ID-length-value fields::

    00 "01"                         payload format indicator
    01 "11" static | "12" dynamic   point of initiation (dynamic = has an amount)
    38 { 00 "A000000727"            NAPAS GUID
         01 { 00 bank BIN (6 digits), 01 account number }
         02 "QRIBFTTA" }            service: inter-bank fund transfer to account
    53 "704"                        currency VND
    54 amount                       integer đồng, only in dynamic codes
    58 "VN"
    62 { 08 purpose }               bill reference the bank shows as the transfer message
    63 CRC-16/CCITT-FALSE of everything before it, including "6304", 4 upper-case hex digits

:func:`build` makes one, :func:`parse` reads one back (checking the CRC).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from cashier.core.errors import InvalidInput

NAPAS_GUID = "A000000727"
SERVICE_ACCOUNT = "QRIBFTTA"
CURRENCY_VND = "704"
PURPOSE_MAX = 25


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection, no final xor."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def tlv(tag: str, value: str) -> str:
    if len(tag) != 2 or not tag.isdigit():
        raise ValueError(f"bad tag {tag!r}")
    if len(value) > 99:
        raise InvalidInput("vietqr.malformed", detail=f"field {tag} longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


_ACCOUNT = re.compile(r"[0-9A-Za-z]{1,19}")


def clean_purpose(text: str) -> str:
    """Transfer message: banks take plain ASCII; tones stripped (case kept), at most 25 chars."""
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    out = "".join(ch for ch in " ".join(plain.split()) if ch.isascii() and (ch.isalnum() or ch in " -._/"))
    return out[:PURPOSE_MAX].strip()


@dataclass(frozen=True)
class VietQR:
    bank_bin: str
    account: str
    amount: int | None = None
    purpose: str = ""

    def payload(self) -> str:
        return build(self.bank_bin, self.account, self.amount, self.purpose)


def build(bank_bin: str, account: str, amount: int | None = None, purpose: str = "") -> str:
    """The VietQR string for a transfer of ``amount`` đồng (None: static, payer types it)."""
    bank_bin = str(bank_bin).strip()
    account = str(account).strip()
    if not re.fullmatch(r"\d{6}", bank_bin):
        raise InvalidInput("vietqr.bin", value=bank_bin)
    if not _ACCOUNT.fullmatch(account):
        raise InvalidInput("vietqr.account", value=account)
    if amount is not None and (
        isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0 or amount >= 10**13
    ):
        raise InvalidInput("vietqr.amount", value=str(amount))
    beneficiary = tlv("00", bank_bin) + tlv("01", account)
    merchant = tlv("00", NAPAS_GUID) + tlv("01", beneficiary) + tlv("02", SERVICE_ACCOUNT)
    parts = [
        tlv("00", "01"),
        tlv("01", "12" if amount is not None else "11"),
        tlv("38", merchant),
        tlv("53", CURRENCY_VND),
    ]
    if amount is not None:
        parts.append(tlv("54", str(amount)))
    parts.append(tlv("58", "VN"))
    purpose = clean_purpose(purpose) if purpose else ""
    if purpose:
        parts.append(tlv("62", tlv("08", purpose)))
    body = "".join(parts) + "6304"
    return body + f"{crc16_ccitt_false(body.encode('utf-8')):04X}"


def parse_tlv(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    i = 0
    while i < len(text):
        tag, length = text[i : i + 2], text[i + 2 : i + 4]
        if len(tag) < 2 or not length.isdigit():
            raise InvalidInput("vietqr.malformed", detail=f"bad field header at {i}")
        n = int(length)
        value = text[i + 4 : i + 4 + n]
        if len(value) != n:
            raise InvalidInput("vietqr.malformed", detail=f"field {tag} truncated")
        fields[tag] = value
        i += 4 + n
    return fields


@dataclass(frozen=True)
class ParsedVietQR:
    bank_bin: str
    account: str
    service: str
    amount: int | None
    purpose: str
    dynamic: bool
    crc: str


def parse(payload: str) -> ParsedVietQR:
    """Read a VietQR payload back; raise ``InvalidInput('vietqr.*')`` if malformed or CRC wrong."""
    payload = payload.strip()
    if len(payload) < 8 or payload[-8:-4] != "6304":
        raise InvalidInput("vietqr.malformed", detail="no CRC field at the end")
    found = payload[-4:].upper()
    computed = f"{crc16_ccitt_false(payload[:-4].encode('utf-8')):04X}"
    if found != computed:
        raise InvalidInput("vietqr.crc", found=found, computed=computed)
    root = parse_tlv(payload[:-8])
    if root.get("00") != "01":
        raise InvalidInput("vietqr.malformed", detail="payload format indicator is not 01")
    merchant = parse_tlv(root.get("38", ""))
    if merchant.get("00") != NAPAS_GUID:
        raise InvalidInput("vietqr.malformed", detail="not a NAPAS (A000000727) code")
    beneficiary = parse_tlv(merchant.get("01", ""))
    extra = parse_tlv(root.get("62", ""))
    amount = root.get("54")
    return ParsedVietQR(
        bank_bin=beneficiary.get("00", ""),
        account=beneficiary.get("01", ""),
        service=merchant.get("02", ""),
        amount=int(amount) if amount and amount.isdigit() else None,
        purpose=extra.get("08", ""),
        dynamic=root.get("01") == "12",
        crc=found,
    )
