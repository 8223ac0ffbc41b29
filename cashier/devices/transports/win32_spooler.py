"""The Windows spooler, RAW datatype: ``win32:Printer Name`` (pywin32, imported lazily)."""

from __future__ import annotations

from typing import Any, ClassVar

from cashier.core.errors import DeviceError
from cashier.devices.transports.base import PrinterURL, Transport, short_error


class Win32Transport(Transport):
    takes_query: ClassVar[bool] = False  # a printer name may contain "?"
    strips_slashes: ClassVar[bool] = False

    def __init__(self, url: PrinterURL) -> None:
        self.url = url
        self.name = url.target
        self.handle: Any = None

    def open(self) -> None:
        try:
            import win32print  # type: ignore[import-not-found]  # pywin32, Windows only
        except ImportError:
            raise DeviceError(
                "printer.platform", what="the Windows spooler", detail="needs Windows with pywin32"
            ) from None
        try:
            self.handle = win32print.OpenPrinter(self.name)
        except Exception as exc:  # noqa: BLE001 - pywintypes.error
            raise DeviceError("printer.unreachable", url=self.url.raw, detail=short_error(exc)) from None

    def write(self, data: bytes) -> None:
        import win32print  # type: ignore[import-not-found]

        try:
            win32print.StartDocPrinter(self.handle, 1, ("Cashier receipt", None, "RAW"))
            try:
                win32print.StartPagePrinter(self.handle)
                win32print.WritePrinter(self.handle, data)
                win32print.EndPagePrinter(self.handle)
            finally:
                win32print.EndDocPrinter(self.handle)
        except Exception as exc:  # noqa: BLE001
            raise DeviceError("printer.write_failed", url=self.url.raw, detail=short_error(exc)) from None

    def close(self) -> None:
        if self.handle is not None:
            import win32print  # type: ignore[import-not-found]

            win32print.ClosePrinter(self.handle)
            self.handle = None
