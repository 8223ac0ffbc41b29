"""The paper preview draws a printer's own text (ESC/POS text mode) in a fixed-pitch face, as a
printer's font A is: a proportional face centred in 12-dot cells made "example" look like
"examp l e" (issue 14, item 10)."""

from __future__ import annotations

from cashier.devices.paper_preview import render_png


def _ink_runs(text: bytes) -> list[int]:
    img = render_png(b"\x1b@" + text + b"\n", 384)
    cols = [any(img.getpixel((x, y)) < 128 for y in range(img.height)) for x in range(img.width)]
    runs, n = [], 0
    for inked in cols + [False]:
        if inked:
            n += 1
        elif n:
            runs.append(n)
            n = 0
    return runs


def test_narrow_letters_fill_their_cell_like_a_printer_font():
    runs = _ink_runs(b"l l l")
    assert len(runs) == 3
    # Noto Sans Mono's "l" has its foot and hook (~7 dots); a proportional "l" is a 2-dot stroke
    assert min(runs) >= 5, runs

