"""VietQR payloads against published examples and CRC-16/CCITT-FALSE check vectors."""

from __future__ import annotations

import pytest

from cashier.core import vietqr
from cashier.core.errors import InvalidInput

# Payloads published in public VietQR libraries/docs (the CRC is the last 4 hex digits).
PUBLISHED = [
    # subiz/vietqr README: 120.000 đ to VietinBank 0011001932418, "ung ho lu lut"
    ("00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA"
     "530370454061200005802VN62170813ung ho lu lut6304C15C",
     ("970415", "0011001932418", 120000, "ung ho lu lut")),
    # cuongnm/viet_qr_pay README (static, no amount)
    ("00020101021138530010A0000007270123000697041601092576788590208QRIBFTTA"
     "53037045802VN6304AE9F", ("970416", "257678859", None, "")),
    # static codes seen in published converters (lower- and upper-case CRC hex)
    ("00020101021138540010A00000072701240006970422011009119673630208QRIBFTTA"
     "53037045802VN63046ad9", ("970422", "0911967363", None, "")),
    ("00020101021138570010A00000072701270006970405011322082054793800208QRIBFTTA"
     "53037045802VN630497A6", ("970405", "2208205479380", None, "")),
    # payOS sample response (dynamic, 2.000 đ, order reference)
    ("00020101021238570010A000000727012700069704220113VQRQABRLS04480208QRIBFTTA"
     "5303704540420005802VN6224082018f8746b181045f0a2ce63040FC0",
     ("970422", "VQRQABRLS0448", 2000, "18f8746b181045f0a2ce")),
]  # fmt: skip


@pytest.mark.parametrize(
    ("data", "crc"),
    [(b"123456789", 0x29B1), (b"", 0xFFFF), (b"A", 0xB915)],
)
def test_crc16_ccitt_false_vectors(data: bytes, crc: int) -> None:
    assert vietqr.crc16_ccitt_false(data) == crc


@pytest.mark.parametrize(("payload", "fields"), PUBLISHED)
def test_build_reproduces_published_payloads(payload: str, fields: tuple) -> None:
    bank_bin, account, amount, purpose = fields
    built = vietqr.build(bank_bin, account, amount, purpose)
    assert built == payload[:-4] + payload[-4:].upper()


@pytest.mark.parametrize(("payload", "fields"), PUBLISHED)
def test_parse_published_payloads(payload: str, fields: tuple) -> None:
    parsed = vietqr.parse(payload)
    assert (parsed.bank_bin, parsed.account, parsed.amount, parsed.purpose) == fields
    assert parsed.service == "QRIBFTTA"
    assert parsed.dynamic == (fields[2] is not None)


def test_bill_notice_payload_fields() -> None:
    payload = vietqr.build("970436", "0071000123456", 1_234_567, "Tiền điện PC12AA0012345")
    assert payload.startswith("000201010212")
    assert "5303704" in payload and "5802VN" in payload and "54071234567" in payload
    parsed = vietqr.parse(payload)
    assert parsed.purpose == "Tien dien PC12AA0012345"
    assert parsed.amount == 1_234_567


def test_corrupted_payload_fails_crc() -> None:
    good = PUBLISHED[0][0]
    bad = good.replace("120000", "920000")
    with pytest.raises(InvalidInput) as err:
        vietqr.parse(bad)
    assert err.value.code == "vietqr.crc"


@pytest.mark.parametrize(
    ("args", "code"),
    [(("97041", "123"), "vietqr.bin"), (("970415", "12 34"), "vietqr.account"),
     (("970415", "123", 0), "vietqr.amount"), (("970415", "123", -5), "vietqr.amount")],
)
def test_bad_input_is_refused(args: tuple, code: str) -> None:
    with pytest.raises(InvalidInput) as err:
        vietqr.build(*args)
    assert err.value.code == code


def test_purpose_is_ascii_and_short() -> None:
    text = vietqr.clean_purpose("Thanh toán tiền điện Đắk Lắk kỳ 1 tháng 10/2026")
    assert text.isascii() and len(text) <= 25
    assert text.startswith("Thanh toan tien dien Dak")
