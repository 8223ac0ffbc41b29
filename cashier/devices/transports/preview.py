"""``preview:DIR`` writes each job as ``.bin`` bytes and a ``.png`` picture of the paper (demo,
tests, the station with no printer configured)."""

from __future__ import annotations

import re
import time
from pathlib import Path

from cashier.core.errors import DeviceError
from cashier.devices.transports.base import PrinterURL, Transport, short_error


class PreviewTransport(Transport):
    """Writes each job as ``NNNN-name.bin`` and a rendered ``NNNN-name.png`` into a directory."""

    def __init__(self, url: PrinterURL) -> None:
        self.url = url
        self.dir = Path(url.target)
        self.dots = 576
        self.pages: dict[int, str] | None = None
        self.job_name = "job"
        self.last_bin: Path | None = None
        self.last_png: Path | None = None

    def open(self) -> None:
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DeviceError("printer.unreachable", url=self.url.raw, detail=short_error(exc)) from None

    def write(self, data: bytes) -> None:
        from cashier.devices.paper_preview import render_png

        stamp = time.strftime("%Y%m%d-%H%M%S")
        from cashier.devices.textcodec import to_ascii

        slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", to_ascii(self.job_name)).strip("-")[:60] or "job"
        base = self.dir / f"{stamp}-{slug}"
        n = 1
        while base.with_suffix(".bin").exists():
            n += 1
            base = self.dir / f"{stamp}-{slug}-{n}"
        try:
            base.with_suffix(".bin").write_bytes(data)
            render_png(data, self.dots, pages=self.pages).save(base.with_suffix(".png"), optimize=True)
        except OSError as exc:
            raise DeviceError("printer.write_failed", url=self.url.raw, detail=short_error(exc)) from None
        self.last_bin, self.last_png = base.with_suffix(".bin"), base.with_suffix(".png")
