"""Realistic demo debt extracts (pure, stdlib, deterministic with a seed, streaming).

Customers of PC Đắk Lắk-like units: Vietnamese names with the real frequency of the common
surnames (Nguyễn ~38%, Trần ~11%, Lê ~9.5%, Phạm ~7% ...) plus Ê Đê names, addresses by
street/phường/xã and district, several unpaid periods for some customers, customers sharing a
name (it happens naturally with these frequencies, and some share a street too), a few
disconnected for debt, a few with a card code. Amounts are computed with the residential tiers
(50/50/100/100/100/∞ kWh at 1984/2050/2380/2998/3350/3460 đ) and 8% VAT, as CMIS would bill them.

:func:`generate_rows` yields one list per bill (customer columns repeated) in the order of
:data:`DEMO_FIELDS`, so 600k customers never need to be in memory at once.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

#: Canonical columns of a demo extract (see cashier.core.extract.profile.FIELDS).
DEMO_FIELDS: tuple[str, ...] = (
    "MA_DVIQLY", "MA_KHANG", "TEN_KHANG", "DIA_CHI", "SO_DTHOAI", "MA_SOGCS", "STT", "ID_HDON",
    "KY", "THANG", "NAM", "DIEN_TTHU", "SO_TIEN", "TIEN_GTGT", "TONG_TIEN", "KIHIEU_SERY",
    "SO_SERY", "CS_DKY", "CS_CKY", "CHI_TIET_BAC", "MA_THE", "CAT_DIEN",
)  # fmt: skip

TIER_LIMITS = (50, 50, 100, 100, 100)  # the last tier is unbounded
TIER_PRICES = (1984, 2050, 2380, 2998, 3350, 3460)  # đ/kWh before VAT, from 2025-05-10
VAT_PERCENT = 8

SURNAMES: tuple[tuple[str, float], ...] = (
    ("Nguyễn", 38.0), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.0), ("Hoàng", 3.5),
    ("Huỳnh", 2.5), ("Phan", 4.5), ("Vũ", 2.0), ("Võ", 2.0), ("Đặng", 2.1), ("Bùi", 2.0),
    ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5), ("Đinh", 0.8),
    ("Trương", 0.8), ("Lâm", 0.5), ("Mai", 0.5), ("Cao", 0.4), ("Lương", 0.4), ("Hà", 0.4),
    ("Tạ", 0.3), ("Châu", 0.2), ("Tô", 0.2),
)  # fmt: skip
MIDDLE_MALE = ("Văn", "Văn", "Văn", "Hữu", "Đức", "Minh", "Quang", "Công", "Thanh", "Ngọc", "Xuân")
MIDDLE_FEMALE = ("Thị", "Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ", "Hồng")
GIVEN_MALE = (
    "An", "Anh", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Hưng", "Khoa", "Long", "Minh",
    "Nam", "Phong", "Quân", "Sơn", "Tâm", "Thắng", "Thành", "Tuấn", "Trung", "Việt", "Vinh",
    "Lộc", "Phúc", "Tài", "Hiếu", "Toàn", "Khánh", "Đông",
)  # fmt: skip
GIVEN_FEMALE = (
    "An", "Anh", "Hoa", "Hà", "Hạnh", "Hằng", "Hương", "Lan", "Linh", "Mai", "Ngọc", "Nhung",
    "Oanh", "Phương", "Thảo", "Trang", "Tuyết", "Vân", "Yến", "Loan", "Hiền", "Dung", "Thủy",
)  # fmt: skip
EDE_SURNAMES = ("Êban", "Niê", "Mlô", "Ayun", "Byă", "Knul", "Adrơng", "Hwing", "Ksơr")
EDE_GIVEN = ("Blô", "Khu", "Linh", "Thương", "Djăp", "Nuê", "Hen", "Bhiăm", "Wang", "Sim")

STREETS = (
    "Hùng Vương", "Lê Duẩn", "Nguyễn Tất Thành", "Phan Bội Châu", "Lý Thường Kiệt", "Quang Trung",
    "Ngô Quyền", "Phan Chu Trinh", "Y Jút", "Mai Hắc Đế", "Lê Hồng Phong", "Nguyễn Công Trứ",
    "Hai Bà Trưng", "Trần Phú", "Giải Phóng", "Y Wang", "Nguyễn Văn Cừ", "Tôn Đức Thắng",
    "Lê Thánh Tông", "Điện Biên Phủ", "Trần Hưng Đạo", "Võ Văn Kiệt", "Hà Huy Tập", "Ama Khê",
)  # fmt: skip


@dataclass(frozen=True)
class Unit:
    code: str  # MA_DVIQLY, 6 chars
    district: str  # "TP. Buôn Ma Thuột", "H. Krông Pắc"
    wards: tuple[str, ...]  # "P. Tân Lợi", "Xã Ea Kly"
    urban: bool


UNITS: tuple[Unit, ...] = (
    Unit("PC12AA", "TP. Buôn Ma Thuột", (
        "P. Tân Lợi", "P. Tân An", "P. Thắng Lợi", "P. Thống Nhất", "P. Tự An", "P. Tân Thành",
        "P. Ea Tam", "P. Khánh Xuân", "P. Thành Công", "P. Thành Nhất", "P. Tân Hòa",
        "P. Tân Lập", "P. Tân Tiến", "Xã Hòa Thắng", "Xã Hòa Khánh", "Xã Ea Kao", "Xã Cư Êbur",
    ), True),
    Unit("PC12BB", "TX. Buôn Hồ", (
        "P. An Lạc", "P. An Bình", "P. Thống Nhất", "P. Thiện An", "P. Đạt Hiếu", "P. Đoàn Kết",
        "Xã Ea Drông", "Xã Ea Siên", "Xã Bình Thuận", "Xã Cư Bao",
    ), True),
    Unit("PC12CC", "H. Krông Pắc", (
        "TT. Phước An", "Xã Ea Kly", "Xã Ea Phê", "Xã Hòa An", "Xã Krông Búk", "Xã Ea Yông",
    ), False),
    Unit("PC12DD", "H. Cư M'gar", ("TT. Quảng Phú", "Xã Ea Pốk", "Xã Ea Tul", "Xã Quảng Tiến"), False),
    Unit("PC12EE", "H. Ea Kar", ("TT. Ea Kar", "Xã Ea Đar", "Xã Cư Huê", "Xã Ea Ô"), False),
    Unit("PC12FF", "H. Krông Ana", ("TT. Buôn Trấp", "Xã Bình Hòa", "Xã Dray Sáp", "Xã Ea Na"), False),
)  # fmt: skip
_UNIT_WEIGHTS = (40, 12, 14, 12, 12, 10)


def bill_amounts(kwh: int) -> tuple[int, int, int, list[tuple[int, int, int]]]:
    """(amount before VAT, VAT, total, tiers [(kwh, price, amount)]) for residential use."""
    tiers = []
    left = kwh
    for limit, price in zip((*TIER_LIMITS, None), TIER_PRICES, strict=True):
        if left <= 0:
            break
        used = left if limit is None else min(left, limit)
        tiers.append((used, price, used * price))
        left -= used
    amount = sum(t[2] for t in tiers)
    vat = (amount * VAT_PERCENT + 50) // 100  # rounded to the nearest đồng
    return amount, vat, amount + vat, tiers


def _periods_back(year: int, month: int, n: int) -> list[tuple[int, int]]:
    """n (year, month) periods ending at (year, month), oldest first."""
    out = []
    for _ in range(n):
        out.append((year, month))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return out[::-1]


class _Names:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._surnames = [s for s, _ in SURNAMES]
        self._cum = []
        acc = 0.0
        for _, w in SURNAMES:
            acc += w
            self._cum.append(acc)

    def person(self) -> str:
        rng = self.rng
        if rng.random() < 0.04:  # Ê Đê names (Đắk Lắk): "Y Blô Êban", "H' Linh Niê"
            prefix = "Y" if rng.random() < 0.5 else "H'"
            return f"{prefix} {rng.choice(EDE_GIVEN)} {rng.choice(EDE_SURNAMES)}"
        surname = rng.choices(self._surnames, cum_weights=self._cum)[0]
        if rng.random() < 0.5:
            middle, given = rng.choice(MIDDLE_MALE), rng.choice(GIVEN_MALE)
        else:
            middle, given = rng.choice(MIDDLE_FEMALE), rng.choice(GIVEN_FEMALE)
        if rng.random() < 0.08:  # a second middle name: "Nguyễn Thị Thu Hà"
            extra = rng.choice(MIDDLE_FEMALE[4:] if middle == "Thị" else ("Minh", "Quốc", "Đình"))
            return f"{surname} {middle} {extra} {given}"
        return f"{surname} {middle} {given}"


def generate_rows(
    customers: int,
    seed: int = 1,
    *,
    year: int = 2026,
    month: int = 10,
    with_settled_column: bool = False,
) -> Iterator[list[object]]:
    """Yield bill rows (lists in :data:`DEMO_FIELDS` order, plus ``DA_THANH_TOAN`` last when
    ``with_settled_column``) for ``customers`` customers; the same seed gives the same rows.

    About 1.7 bills per customer (50% one period, 30% two, 20% three), customers grouped by
    unit and meter-reading book as CMIS lists them.
    """
    rng = random.Random(seed)
    names = _Names(rng)
    unit_counts = _split(customers, _UNIT_WEIGHTS)
    bill_seq = 100_000_000 + rng.randrange(1_000_000)
    invoice_no = rng.randrange(1_000, 100_000)
    prev_name: str | None = None
    for unit, count in zip(UNITS, unit_counts, strict=True):
        code_seq = rng.randrange(1, 50_000)
        series = f"1K{year % 100:02d}T{unit.code[-2:]}"
        book_no = 0
        book_pos = 0
        book_size = 0
        ward = unit.wards[0]
        street = STREETS[0]
        for _ in range(count):
            if book_pos >= book_size:  # a new meter-reading book = a new street/village
                book_no += 1
                book_pos = 0
                book_size = rng.randrange(80, 400)
                ward = rng.choice(unit.wards)
                street = rng.choice(STREETS)
            book_pos += 1
            code_seq += rng.randrange(1, 4)
            code = f"{unit.code}{code_seq:07d}"
            # 1% share the previous customer's name on the same street (a family, a namesake)
            same = prev_name is not None and rng.random() < 0.01
            name = prev_name if same and prev_name else names.person()
            address = _address(rng, unit, ward, street)
            prev_name = name
            phone = _phone(rng) if rng.random() < 0.7 else ""
            book = f"{unit.code[-2:]}{book_no:05d}"
            card = f"TH{rng.randrange(10**9, 10**10)}" if rng.random() < 0.05 else ""
            r = rng.random()
            n_periods = 1 if r < 0.5 else (2 if r < 0.8 else 3)
            disconnected = "x" if n_periods >= 2 and rng.random() < 0.06 else ""
            base_kwh = max(15, int(rng.lognormvariate(4.9, 0.55)))
            reading = rng.randrange(1_000, 90_000)
            for nam, thang in _periods_back(year, month, n_periods):
                kwh = max(0, int(base_kwh * rng.uniform(0.8, 1.25)))
                amount, vat, total, tiers = bill_amounts(kwh)
                bill_seq += rng.randrange(1, 7)
                invoice_no += 1
                tier_text = ";".join(f"{k}x{p}" for k, p, _ in tiers)
                row: list[object] = [
                    unit.code, code, name, address, phone, book, book_pos, str(bill_seq),
                    1, thang, nam, kwh, amount, vat, total, series, f"{invoice_no:07d}",
                    reading, reading + kwh, tier_text, card, disconnected,
                ]  # fmt: skip
                if with_settled_column:
                    row.append("")
                reading += kwh
                yield row


def _split(total: int, weights: tuple[int, ...]) -> list[int]:
    wsum = sum(weights)
    counts = [total * w // wsum for w in weights]
    counts[0] += total - sum(counts)
    return counts


def _address(rng: random.Random, unit: Unit, ward: str, street: str) -> str:
    if unit.urban and not ward.startswith("Xã"):
        number = rng.randrange(1, 400)
        house = f"{number}" if rng.random() < 0.8 else f"{number}/{rng.randrange(1, 60)}"
        return f"Số {house} {street}, {ward}, {unit.district}, Đắk Lắk"
    village = f"Thôn {rng.randrange(1, 16)}" if rng.random() < 0.75 else f"Buôn {rng.choice(EDE_GIVEN)}"
    return f"{village}, {ward}, {unit.district}, Đắk Lắk"


def _phone(rng: random.Random) -> str:
    prefix = rng.choice(("090", "091", "093", "094", "096", "097", "098", "086", "035", "038", "0262"))
    return prefix + "".join(str(rng.randrange(10)) for _ in range(10 - len(prefix)))
