"""Benchmark: bytes of the standard receipt per print mode and paper width, transfer times at
9600/19200/115200 baud, render time, and the raster receipt against a naive full-page raster.

Baselines measured in the same run:

* ``naive raster``: the same receipt drawn as ONE full-width image and sent with GS v 0 (what
  "print the receipt as a picture" does); our raster must be at most half of it (exit 1 if not);
* ``python-escpos image()``: the same full page through python-escpos 3.1's Dummy printer, as a
  cross-check of the naive figure (skipped if the library refuses the image);
* the raster variants without hybrid text lines / without the GS L left-margin trim, to show
  what each saving is worth.

    .venv/bin/python bench/bench_print.py

Transfer time is computed for 8N1 framing (10 bits per byte): it is what the serial line needs,
before the printer's own print speed.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cashier.core import documents as d  # noqa: E402
from cashier.core.clock import VN_TZ  # noqa: E402
from cashier.devices.escpos_decoder import decode  # noqa: E402
from cashier.devices.render import MODES, RenderOptions, estimate_seconds, naive_full_raster, render  # noqa: E402

BAUDS = (9600, 19200, 115200)


def escpos_image_bytes(page) -> int | None:
    """python-escpos' own full-image path, on its byte-recording Dummy printer."""
    os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", tempfile.gettempdir())
    try:
        from escpos.printer import Dummy
    except ImportError:
        return None
    img = page.point(lambda v: 0 if v else 255).convert("1")  # ink=1 -> black pixels
    try:
        p = Dummy(profile="TM-T20II")
        p.image(img, impl="bitImageRaster", fragment_height=960)
        return len(p.output)
    except Exception as exc:  # noqa: BLE001 - report, do not fail the benchmark
        print(f"  python-escpos image() refused the page: {type(exc).__name__}: {exc}")
        return None


def main() -> int:
    now = datetime(2026, 11, 23, 14, 5, 9, tzinfo=VN_TZ)
    doc = d.receipt(d.sample_payment(now))
    ok = True
    print("Standard receipt: 2 bills (one with 4 tiers), cash, QR + CODE128; both widths.\n")
    header = f"{'width':>5} {'mode':<12} {'bytes':>8} {'render ms':>9} " + " ".join(f"{b:>8}Bd" for b in BAUDS)
    print(header)
    print("-" * len(header))
    results: dict[tuple[int, str], int] = {}
    for width in (58, 80):
        for mode in MODES:
            opts = RenderOptions(mode=mode, width_mm=width, composes=mode == "text-cp1258")
            t0 = time.perf_counter()
            data = render(doc, opts)
            ms = (time.perf_counter() - t0) * 1000
            results[(width, mode)] = len(data)
            times = " ".join(f"{estimate_seconds(len(data), b):>8.2f}s " for b in BAUDS)
            print(f"{width:>5} {mode:<12} {len(data):>8} {ms:>9.1f} {times}")
    print()
    for width in (58, 80):
        opts = RenderOptions(mode="raster", width_mm=width)
        ours = results[(width, "raster")]
        naive, page = naive_full_raster(doc, opts)
        no_hybrid = len(render(doc, replace(opts, hybrid=False)))
        no_margin = len(render(doc, replace(opts, left_margin=False)))
        no_bands = len(render(doc, replace(opts, bands=False)))
        images_only = len(render(doc, replace(opts, hybrid=False, native_qr=False, native_barcode=False)))
        lib = escpos_image_bytes(page)
        ratio = ours / naive
        print(f"{width} mm raster ({page.width}x{page.height} dots page):")
        print(f"  naive full-page raster (baseline) {naive:>8} B  {estimate_seconds(naive, 9600):6.2f} s @9600")
        if lib is not None:
            print(f"  python-escpos image() same page   {lib:>8} B  ratio to naive {lib / naive:.2f}")
        print(f"  ours (hybrid, bands, fed, GS L)   {ours:>8} B  {estimate_seconds(ours, 9600):6.2f} s @9600"
              f"  ratio to naive {ratio:.2f}  (target <= 0.50)")
        print(f"    without hybrid text lines       {no_hybrid:>8} B  ratio {no_hybrid / naive:.2f}")
        print(f"    without GS L left trim          {no_margin:>8} B  ratio {no_margin / naive:.2f}")
        print(f"    without row bands (1 per line)  {no_bands:>8} B  ratio {no_bands / naive:.2f}")
        print(f"    all images (no native QR/CODE128) {images_only:>6} B  ratio {images_only / naive:.2f}")
        text = results[(width, "text-tcvn3")]
        print(f"  text-tcvn3 for comparison         {text:>8} B  = {text / naive:.3f} of naive, "
              f"{ours / text:.1f}x smaller than our raster")
        dec = decode(render(doc, opts))
        assert dec.qrs and dec.barcodes, "native QR/CODE128 missing"
        if ratio > 0.5 or images_only / naive > 0.5:
            ok = False
            print("  FAIL: raster receipt is more than half of the naive raster")
        print()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
