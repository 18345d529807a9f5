"""Draw the application icon (run once; the outputs are committed).

``python installer/make_icon.py`` writes ``resources/icons/perfgoals.ico`` (16–256 px, for the
exe, the shortcuts and the installer) and ``resources/icons/perfgoals.png`` (256 px, the window
icon). Drawn with Pillow so the icon has no licence question; Pillow is not needed at run time.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "resources" / "icons"
ICO_SIZES = [(16, 16), (20, 20), (24, 24), (32, 32), (40, 40), (48, 48), (64, 64), (128, 128), (256, 256)]

RED = (178, 34, 34, 255)  # the red of official documents
DARK_RED = (128, 20, 20, 255)
PAPER = (255, 255, 255, 255)
LINE = (160, 160, 160, 255)
GOLD = (240, 180, 30, 255)


def draw(size: int = 1024) -> Image.Image:
    """The icon at ``size`` px: a red tile, a white sheet with table rows and a gold tick."""
    s = size / 1024
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle([int(40 * s), int(40 * s), int(984 * s), int(984 * s)], radius=int(180 * s), fill=RED)
    d.rounded_rectangle([int(40 * s), int(700 * s), int(984 * s), int(984 * s)], radius=int(180 * s), fill=DARK_RED)
    d.rectangle([int(40 * s), int(700 * s), int(984 * s), int(800 * s)], fill=DARK_RED)
    # the sheet
    d.rounded_rectangle([int(230 * s), int(150 * s), int(794 * s), int(874 * s)], radius=int(40 * s), fill=PAPER)
    # table rows of an indicator table
    for i, y in enumerate(range(280, 700, 105)):
        x_end = 690 if i % 2 == 0 else 610
        d.rectangle([int(310 * s), int(y * s), int(x_end * s), int((y + 38) * s)], fill=LINE)
    # the tick: targets met
    w = int(95 * s)
    pts = [(int(430 * s), int(650 * s)), (int(560 * s), int(790 * s)), (int(880 * s), int(420 * s))]
    d.line(pts, fill=GOLD, width=w, joint="curve")
    for x, y in (pts[0], pts[2]):
        d.ellipse([x - w // 2, y - w // 2, x + w // 2, y + w // 2], fill=GOLD)
    return img


def main() -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    big = draw()
    png = big.resize((256, 256), Image.Resampling.LANCZOS)
    png.save(OUT_DIR / "perfgoals.png", optimize=True)
    png.save(OUT_DIR / "perfgoals.ico", sizes=ICO_SIZES)
    print(f"written: {OUT_DIR / 'perfgoals.ico'}, {OUT_DIR / 'perfgoals.png'}")


if __name__ == "__main__":
    main()
