"""Settings every document depends on: the company header and bank account (Setting
``company``) and the printer configuration (Setting ``printer``)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class CompanyInfo:
    """Header of every document and the bank account of bill notices (Setting ``company``).

    The default values are an EXAMPLE: configure the real power company, collection point and
    bank account before use. The example account makes notices show a VietQR out of the box.
    """

    company: str = "CÔNG TY ĐIỆN LỰC ĐẮK LẮK"
    unit: str = "Điện lực TP Buôn Ma Thuột"
    collection_point: str = "Điểm thu số 01 - 46 Phan Bội Châu"
    hotline: str = "1900 1909"
    tax_code: str = ""
    bank_bin: str = "970436"  # Vietcombank (example)
    bank_name: str = "Vietcombank"
    bank_account: str = "0071000123456"  # example account
    bank_account_name: str = "CONG TY DIEN LUC DAK LAK"
    footer: str = "Cảm ơn quý khách! Xin giữ biên nhận để đối chiếu."
    #: the power company's e-invoice lookup site, printed with a QR on receipts ("" = not printed)
    einvoice_url: str = ""

    @property
    def has_bank(self) -> bool:
        return bool(self.bank_bin and self.bank_account)


@dataclass(frozen=True, slots=True)
class PrinterSettings:
    """Printer configuration (Setting ``printer``); see cashier.devices for the modes."""

    url: str = ""  # "" = preview printer in the data directory
    mode: str = "raster"  # text-tcvn3 | text-cp1258 | raster | ascii
    width_mm: int = 80
    cp1258_page: int = 52  # ESC t number of WPC1258 on this printer (52, 94, 27, 35 seen)
    composes: bool = False  # printer overlays combining tone marks on the previous letter
    profile: str = "default"  # python-escpos capabilities profile name (features, code pages)
    native_barcode: bool | None = None  # None: from the profile
    native_qr: bool | None = None
    hybrid: bool = True  # raster mode: lines without diacritics go as text
    raster_margin: bool = True  # raster: skip blank left columns with GS L (off if the printer ignores GS L)
    raster_bands: bool = True  # raster: several small images per line, each cropped to its ink
    cut: bool = True
    drawer: bool = True  # kick the drawer on cash payments
    timeout: float = 5.0  # seconds
    check_paper: bool = True  # two-way links: DLE EOT paper check before/after each document
    extra: dict = field(default_factory=dict)
