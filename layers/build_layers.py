"""Rasterise every SVG in layers/src/ to the matching PNG in layers/png/.

    .venv/bin/python layers/build_layers.py            # build everything
    .venv/bin/python layers/build_layers.py --check    # only verify existing PNGs

Rules enforced here (the compositor relies on them):
  * every PNG is exactly 1600x900;
  * body_mask.png is mode "L" (255 = paint, 0 = everything else);
  * body_shade.png is RGBA with R == G == B (greyscale shading, alpha = silhouette);
  * backdrop.png is RGBA and fully opaque;
  * every other layer is RGBA, transparent outside what it draws.

The output is deterministic: same SVG in, byte-identical PNG out.
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

import numpy as np
import resvg_py
from PIL import Image

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
PNG = HERE / "png"
SIZE = (1600, 900)


def render(svg_path: Path) -> Image.Image:
    data = resvg_py.svg_to_bytes(
        svg_string=svg_path.read_text(encoding="utf-8"),
        width=SIZE[0],
        height=SIZE[1],
        skip_system_fonts=True,  # no text in our artwork; keeps output machine-independent
    )
    img = Image.open(io.BytesIO(bytes(data)))
    img.load()
    return img.convert("RGBA")


def post_process(name: str, img: Image.Image) -> Image.Image:
    if name == "body_mask":
        a = np.asarray(img, dtype=np.uint32)
        # white paint on black; use luminance of the opaque render
        lum = (a[..., 0] * 299 + a[..., 1] * 587 + a[..., 2] * 114 + 500) // 1000
        return Image.fromarray(lum.astype(np.uint8), "L")
    if name == "body_shade":
        a = np.asarray(img, dtype=np.uint16).copy()
        g = (a[..., 0] + a[..., 1] + a[..., 2] + 1) // 3
        a[..., 0] = a[..., 1] = a[..., 2] = g
        a[a[..., 3] == 0, :3] = 0  # tidy fully transparent pixels (smaller files)
        return Image.fromarray(a.astype(np.uint8), "RGBA")
    if name == "backdrop":
        a = np.asarray(img, dtype=np.uint8).copy()
        a[..., 3] = 255
        return Image.fromarray(a, "RGBA")
    a = np.asarray(img, dtype=np.uint8).copy()
    a[a[..., 3] == 0, :3] = 0
    return Image.fromarray(a, "RGBA")


def check(path: Path) -> list[str]:
    errs = []
    with Image.open(path) as im:
        if im.size != SIZE:
            errs.append(f"{path}: size {im.size} != {SIZE}")
        name = path.stem
        if name == "body_mask":
            if im.mode != "L":
                errs.append(f"{path}: mode {im.mode} != L")
        elif im.mode != "RGBA":
            errs.append(f"{path}: mode {im.mode} != RGBA")
        elif name == "body_shade":
            a = np.asarray(im)
            if not (np.array_equal(a[..., 0], a[..., 1]) and np.array_equal(a[..., 1], a[..., 2])):
                errs.append(f"{path}: body_shade is not greyscale")
        elif name == "backdrop" and np.asarray(im)[..., 3].min() != 255:
            errs.append(f"{path}: backdrop is not opaque")
    return errs


def main(argv: list[str]) -> int:
    t0 = time.time()
    svgs = sorted(SRC.rglob("*.svg"))
    if not svgs:
        print("no SVGs found under", SRC, file=sys.stderr)
        return 1
    if "--check" not in argv:
        for svg_path in svgs:
            rel = svg_path.relative_to(SRC).with_suffix(".png")
            out = PNG / rel
            out.parent.mkdir(parents=True, exist_ok=True)
            img = post_process(svg_path.stem, render(svg_path))
            img.save(out, format="PNG", optimize=True)
        # remove PNGs whose SVG source is gone
        wanted = {(PNG / s.relative_to(SRC)).with_suffix(".png") for s in svgs}
        for p in PNG.rglob("*.png"):
            if p not in wanted:
                p.unlink()
                print("removed stale", p.relative_to(HERE))
    errs = []
    pngs = sorted(PNG.rglob("*.png"))
    for p in pngs:
        errs += check(p)
    total = sum(p.stat().st_size for p in pngs)
    for e in errs:
        print("ERROR", e, file=sys.stderr)
    print(f"{len(pngs)} PNGs, {total / 1e6:.2f} MB, {time.time() - t0:.1f}s")
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
