"""Draw the application icon: resources/icons/cashier.png (256 px) and cashier.ico (16-256 px).

    python installer/make_icon.py

A blue rounded square with a yellow lightning bolt (electricity) over a coin. Drawn with Pillow
so it can be regenerated without an image editor; the .ico feeds the Windows programs, the
installer and the shortcuts, the .png the window icon on Linux.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "icons"


def draw(size: int = 1024) -> Image.Image:
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    s = size / 256
    d.rounded_rectangle((8 * s, 8 * s, 248 * s, 248 * s), radius=44 * s, fill=(0, 84, 166, 255))
    d.ellipse((40 * s, 40 * s, 216 * s, 216 * s), fill=(0, 61, 122, 255))
    bolt = [(146, 28), (70, 140), (122, 140), (98, 228), (186, 104), (132, 104), (158, 28)]
    d.polygon([(x * s, y * s) for x, y in bolt], fill=(255, 205, 0, 255))
    return img


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    big = draw()
    big.resize((256, 256), Image.LANCZOS).save(OUT / "cashier.png")
    big.resize((256, 256), Image.LANCZOS).save(
        OUT / "cashier.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]
    )
    print(f"wrote {OUT / 'cashier.png'} and {OUT / 'cashier.ico'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
