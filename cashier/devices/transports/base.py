"""What every printer transport shares: the parsed URL, the :class:`Transport` interface (open,
write bounded by a deadline, read for status, close), URL parameter readers and the printer.*
messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from cashier.core.errors import DeviceError

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
