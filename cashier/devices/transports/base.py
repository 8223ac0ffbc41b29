"""What every printer transport shares: the parsed URL, the :class:`Transport` interface (open,
write bounded by a deadline, read for status, close), URL parameter readers and the printer.*
messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from cashier.core.errors import DeviceError
from cashier.core.messages import register

register(
    {
        "printer.bad_url": (
            "Bad printer URL {url!r}: {detail}",
            "Địa chỉ máy in không hợp lệ \"{url}\": {detail}",
        ),
        "printer.unreachable": (
            "Printer {url} cannot be reached: {detail}",
            "Không kết nối được máy in {url}: {detail}",
        ),
        "printer.timeout": (
            "Printer {url} did not take the data within {seconds} s (offline, out of paper or cable?)",
            "Máy in {url} không nhận dữ liệu trong {seconds} giây (tắt, hết giấy hoặc lỏng cáp?)",
        ),
        "printer.write_failed": (
            "Writing to printer {url} failed: {detail}",
            "Gửi dữ liệu đến máy in {url} thất bại: {detail}",
        ),
        "printer.platform": (
            "{what} is not available here: {detail}",
            "Không dùng được {what} trên máy này: {detail}",
        ),
    }
)

DEFAULT_TIMEOUT = 5.0
CHUNK = 512


@dataclass(frozen=True)
class PrinterURL:
    scheme: str
    target: str
    params: dict[str, str] = field(default_factory=dict)
    raw: str = ""

    @property
    def timeout(self) -> float:
        return param_float(self, "timeout", DEFAULT_TIMEOUT)


def param_float(url: PrinterURL, key: str, default: float) -> float:
    value = url.params.get(key)
    if value is None:
        return default
    try:
        result = float(value)
    except ValueError:
        raise DeviceError("printer.bad_url", url=url.raw, detail=f"{key}={value!r} is not a number") from None
    if result <= 0:
        raise DeviceError("printer.bad_url", url=url.raw, detail=f"{key} must be positive")
    return result


def param_int(url: PrinterURL, key: str, default: int) -> int:
    value = url.params.get(key)
    if value is None:
        return default
    try:
        return int(value, 0)
    except ValueError:
        raise DeviceError("printer.bad_url", url=url.raw, detail=f"{key}={value!r} is not a whole number") from None


class Transport:
    """open / write (bounded by a deadline) / read (for status) / close.

    The class attributes tell :func:`~cashier.devices.transports.registry.parse_url` how to read
    the part after ``scheme:``.
    """

    url: PrinterURL
    bidirectional = False
    #: ``?key=value`` parameters follow the target (a spooler name may contain "?": not there)
    takes_query: ClassVar[bool] = True
    #: ``scheme://target`` (a URL habit) means ``scheme:target``
    strips_slashes: ClassVar[bool] = True
    #: something must follow ``scheme:``
    needs_target: ClassVar[bool] = True

    def __init__(self, url: PrinterURL) -> None:
        self.url = url

    def open(self) -> None: ...

    def write(self, data: bytes) -> None:
        raise NotImplementedError

    def read(self, n: int, timeout: float) -> bytes:
        return b""

    def close(self) -> None: ...

    def __enter__(self) -> Transport:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def short_error(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]
