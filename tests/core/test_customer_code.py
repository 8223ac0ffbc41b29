"""cashier.core.customer_code: normalise, validate, repair Telex/VNI mangling."""

from __future__ import annotations

import pytest

from cashier.core.customer_code import (
    CodePolicy,
    is_valid,
    normalise,
    parse_scanned,
    repair_candidates,
    validate,
)
from cashier.core.errors import InvalidInput


def test_normalise_trims_uppercases_and_drops_control_chars():
    assert normalise("  pc12aa0012345\r\n") == "PC12AA0012345"
    assert normalise("PC12 AA00 12345\t") == "PC12AA0012345"
    assert normalise("") == ""


@pytest.mark.parametrize("code", ["PC12AA0012345", "PB05020054904", "PD01000000001"])
def test_valid_codes(code):
    assert is_valid(code)
    assert validate(code.lower()) == code


@pytest.mark.parametrize("code", ["PC12AA001234", "PC12AA00123456", "XC12AA0012345", "PC12AA001234X", ""])
def test_invalid_codes(code):
    assert not is_valid(code)
    with pytest.raises(InvalidInput):
        validate(code)


def test_telex_dd_repaired():
    scanned = parse_scanned("PC12Đ0012345")
    assert scanned.code == "PC12DD0012345" and scanned.repaired


def test_telex_aa_repaired():
    assert parse_scanned("PC12Â0012345").code == "PC12AA0012345"


def test_telex_lowercase_and_nfd_input_repaired():
    import unicodedata

    assert parse_scanned(unicodedata.normalize("NFD", "pc12đ0012345")).code == "PC12DD0012345"


def test_valid_code_is_not_marked_repaired():
    scanned = parse_scanned(" pc12aa0012345 ")
    assert scanned.code == "PC12AA0012345" and not scanned.repaired


def test_vni_repair_when_enabled():
    # VNI: "A1" -> "Á", so a scanned "PC12A10012345" arrives as "PC12Á0012345"
    policy = CodePolicy(ime="vni")
    assert parse_scanned("PC12Á0012345", policy).code == "PC12A10012345"
    assert repair_candidates("PC12Á0012345", policy) == ["PC12A10012345"]
    # with Telex (the default) the same character means "AS"
    assert parse_scanned("PC12Á0012345").code == "PC12AS0012345"


def test_ambiguous_repair_refused_with_both_candidates():
    # "Ê" could be "EE" (Telex) or "E6" (VNI): with both schemes and a pattern accepting both
    policy = CodePolicy(pattern=r"P[A-Z][0-9A-Z]{4}[0-9]{7}|P[A-Z][0-9A-Z]{5}[0-9]{6}", ime="both")
    with pytest.raises(InvalidInput) as err:
        parse_scanned("PC12Ê0012345", policy)
    assert err.value.code == "code.ambiguous"
    assert "PC12E60012345" in str(err.value) and "PC12EE0012345" in str(err.value)
    assert "bộ gõ" in err.value.text("vi")


def test_garbage_is_invalid_not_repaired():
    with pytest.raises(InvalidInput) as err:
        parse_scanned("Nguyễn Văn An")
    assert err.value.code == "code.invalid"


def test_empty_scan():
    with pytest.raises(InvalidInput) as err:
        parse_scanned("   ")
    assert err.value.code == "code.empty"


def test_no_repair_when_ime_none():
    with pytest.raises(InvalidInput):
        parse_scanned("PC12Đ0012345", CodePolicy(ime="none"))


def test_unknown_ime_rejected():
    with pytest.raises(ValueError):
        CodePolicy(ime="qwerty")
