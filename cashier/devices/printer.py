"""A receipt printer: renderer + transport + status + cash drawer.

:class:`EscPosPrinter` implements the printer port of :mod:`cashier.services.device_ports`.
Every call opens the transport, writes with a timeout and closes it again, so a printer that
was unplugged and plugged back in just works on the next job.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace

from cashier.core.documents import Document, PrinterSettings
from cashier.core.errors import DeviceError
from cashier.core.layout import geometry
from cashier.core.messages import register
from cashier.devices.escpos_decoder import DEFAULT_PAGES
from cashier.devices.render import DRAWER_KICK, Renderer, RenderOptions
from cashier.devices.transports import PreviewTransport, Transport, open_transport, parse_url

log = logging.getLogger(__name__)

DLE_EOT = b"\x10\x04"
_PROBLEM_VI = {
    "paper out": "hết giấy", "paper ran out while printing": "hết giấy khi đang in",
    "cover open": "nắp máy in đang mở", "printer error": "máy in báo lỗi",
}  # fmt: skip
PAPER_CHECK_TIMEOUT = 0.25  # seconds to wait for a DLE EOT answer around a document

register(
    {
        "printer.not_ready": (
            "Printer {url}: {detail}; the receipt was not printed",
            "Máy in {url}: {detail_vi}; biên nhận chưa được in",
        ),
    }
)


@dataclass(frozen=True)
class PrinterStatus:
    """``state``: ok | paper_near_end | paper_out | cover_open | offline | error | unknown.

    "unknown" means the printer did not answer (one-way transport, or no reply): it is never
    reported as "paper OK" (python-escpos' paper_status() does that).
    """

    state: str
    detail: str = ""
    raw: bytes = b""

    @property
    def known(self) -> bool:
        return self.state != "unknown"


@dataclass(frozen=True)
class PrintResult:
    bytes_sent: int
    seconds: float
    mode: str
    url: str


def _valid(b: int) -> bool:
    # real-time status bytes: bit 0 = 0, bit 1 = 1, bit 4 = 1, bit 7 = 0
    return (b & 0x93) == 0x12


def parse_status(printer: bytes, offline: bytes, paper: bytes) -> PrinterStatus:
    """Interpret DLE EOT 1, 2 and 4 answers (empty = no answer)."""
    raw = printer + offline + paper
    if not printer or not _valid(printer[0]):
        return PrinterStatus("unknown", "no answer to DLE EOT", raw)
    if paper and _valid(paper[0]) and paper[0] & 0x60:
        return PrinterStatus("paper_out", "roll paper end", raw)
    if printer[0] & 0x08:  # offline
        if offline and _valid(offline[0]):
            if offline[0] & 0x04:
                return PrinterStatus("cover_open", "cover open", raw)
            if offline[0] & 0x20:
                return PrinterStatus("paper_out", "stopped: paper end", raw)
            if offline[0] & 0x40:
                return PrinterStatus("error", "printer error", raw)
        return PrinterStatus("offline", "printer offline", raw)
    if paper and _valid(paper[0]) and paper[0] & 0x0C:
        return PrinterStatus("paper_near_end", "paper near end", raw)
    return PrinterStatus("ok", "", raw)


class EscPosPrinter:
    """Prints documents on one ESC/POS printer named by URL."""

    def __init__(self, url: str, options: RenderOptions, *, check_paper: bool = True) -> None:
        self.url = parse_url(url)
        self.options = options
        #: ask for paper status before and after a document where the printer can answer
        self.check_paper = check_paper
        Renderer(options)  # validate mode/profile now: a clear message before any job

    @classmethod
    def from_settings(cls, settings: PrinterSettings, url: str | None = None, **overrides) -> EscPosPrinter:
        return cls(
            url or settings.url, RenderOptions.from_settings(settings, **overrides),
            check_paper=getattr(settings, "check_paper", True),
        )  # fmt: skip

    @property
    def dots(self) -> int:
        return geometry(self.options.width_mm)[1]

    def _transport(self, job_name: str = "job") -> Transport:
        transport = open_transport(self.url)
        if isinstance(transport, PreviewTransport):
            transport.dots = self.dots
            transport.job_name = job_name
            pages = dict(DEFAULT_PAGES)
            pages[self.options.cp1258_page] = "cp1258"
            transport.pages = pages
        return transport

    def render(self, doc: Document, *, mode: str | None = None, kick_drawer: bool | None = None) -> bytes:
        opts = self.options if mode is None else replace(self.options, mode=mode)
        return Renderer(opts).render(doc, kick_drawer=kick_drawer)

    def preview_png(self, doc: Document, *, mode: str | None = None) -> bytes:
        """PNG bytes of what this printer would print for ``doc`` (decoded from the very bytes)."""
        import io

        from cashier.devices.paper_preview import render_png

        pages = dict(DEFAULT_PAGES)
        pages[self.options.cp1258_page] = "cp1258"
        data = self.render(doc, mode=mode, kick_drawer=False)
        buf = io.BytesIO()
        render_png(data, self.dots, pages=pages, composes=self.options.composes).save(buf, "PNG", optimize=True)
        return buf.getvalue()

    def print_document(
        self, doc: Document, *, mode: str | None = None, kick_drawer: bool | None = None
    ) -> PrintResult:
        data = self.render(doc, mode=mode, kick_drawer=kick_drawer)
        return self.send(data, name=f"{doc.kind}-{doc.title}", mode=mode or self.options.mode, check=self.check_paper)

    def send(self, data: bytes, *, name: str = "job", mode: str = "", check: bool = False) -> PrintResult:
        """Write ``data``. With ``check`` on a two-way link: refuse to send when the printer says
        its paper is out, and fail the job when it reports paper out / cover open / offline right
        after the data (a silent printer is "unknown" and does not fail the job)."""
        start = time.monotonic()
        transport = self._transport(name)
        transport.open()
        try:
            if check and transport.bidirectional:
                self._paper_check(transport, before=True)
            transport.write(data)
            if check and transport.bidirectional:
                self._paper_check(transport, before=False)
        finally:
            transport.close()
        seconds = time.monotonic() - start
        log.info("printed %s: %d bytes in %.2f s to %s", name, len(data), seconds, self.url.raw)
        return PrintResult(len(data), seconds, mode or self.options.mode, self.url.raw)

    def _paper_check(self, transport: Transport, *, before: bool) -> None:
        n = 4 if before else 2
        transport.write(DLE_EOT + bytes([n]))
        answer = transport.read(1, PAPER_CHECK_TIMEOUT)
        if not answer or not _valid(answer[0]):
            return  # no answer: unknown, never taken for "paper OK" but not a failure either
        b = answer[0]
        problem = ""
        if before and b & 0x60:
            problem = "paper out"
        elif not before and b & 0x20:
            problem = "paper ran out while printing"
        elif not before and b & 0x04:
            problem = "cover open"
        elif not before and b & 0x40:
            problem = "printer error"
        if problem:
            raise DeviceError("printer.not_ready", url=self.url.raw, detail=problem, detail_vi=_PROBLEM_VI[problem])

    def kick_drawer(self) -> None:
        self.send(DRAWER_KICK, name="drawer")

    def status(self, timeout: float = 0.5, *, raise_unreachable: bool = False) -> PrinterStatus:
        """DLE EOT 1/2/4 where the transport can read answers; "unknown" otherwise."""
        transport = self._transport("status")
        if not transport.bidirectional:
            return PrinterStatus("unknown", f"{self.url.scheme} transport cannot read printer status")
        try:
            transport.open()
        except DeviceError as exc:
            if raise_unreachable:
                raise
            return PrinterStatus("offline", str(exc))
        try:
            answers = []
            for n in (1, 2, 4):
                try:
                    transport.write(DLE_EOT + bytes([n]))
                except DeviceError as exc:
                    return PrinterStatus("offline", str(exc))
                answers.append(transport.read(1, timeout))
                if n == 1 and not answers[0]:
                    return PrinterStatus("unknown", "no answer to DLE EOT")
            return parse_status(*answers)
        finally:
            transport.close()


def check_printer(url: str, *, profile: str = "default", timeout: float = 0.5) -> str:
    """Reach the printer without printing anything: open its transport and ask DLE EOT status.

    Returns one line for the self-test ("tcp:... reachable, status ok"); raises DeviceError when
    the printer cannot be reached (bad URL, refused, no device, timeout).
    """
    printer = EscPosPrinter(url, RenderOptions(mode="ascii", profile=profile))
    transport = printer._transport("probe")
    if not transport.bidirectional:
        transport.open()  # raises a one-line DeviceError when unreachable
        transport.close()
    status = printer.status(timeout=timeout, raise_unreachable=True)
    note = f": {status.detail}" if status.detail else ""
    return f"{printer.url.raw} reachable, status {status.state}{note}"
