"""Composite layers the way the contract says (reference implementation) and draw contact sheets.

The app composites with app.render (APP's code); this is a plain, slow, obviously-correct version of
the same formula for the art pipeline's own checks: contact sheets, the colour benchmark, the tests.

    .venv/bin/python layers/preview.py sheets      # layers/sheets/{model}.webp: every view in 3 colours
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
SHEETS = HERE / "sheets"
SHEET_COLOURS = ["chili-red", "pepper-white", "midnight-blue"]


def srgb_to_linear(v: np.ndarray) -> np.ndarray:
    return np.where(v <= 0.04045, v / 12.92, ((v + 0.055) / 1.055) ** 2.4)


def linear_to_srgb(v: np.ndarray) -> np.ndarray:
    v = np.clip(v, 0, 1)
    return np.where(v <= 0.0031308, v * 12.92, 1.055 * np.power(v, 1 / 2.4) - 0.055)


def _load(path: Path, mode: str) -> np.ndarray:
    with Image.open(path) as image:
        return np.asarray(image.convert(mode), dtype=np.float64) / 255


def painted_body(folder: Path, hex_colour: str, light_max: float) -> tuple[np.ndarray, np.ndarray]:
    """(RGB 0..1, alpha 0..1) of the body in `hex_colour`: the contract's formula, straight from the files."""
    shade = _load(folder / "body_shade.webp", "RGBA")
    mask = _load(folder / "body_mask.webp", "L")[..., None]
    light = light_max * _load(folder / "body_light.webp", "L")[..., None] ** 2.2
    gloss = srgb_to_linear(_load(folder / "body_gloss.webp", "RGB"))
    paint = srgb_to_linear(np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]))
    paint_rgb = linear_to_srgb(paint * light + gloss)
    return mask * paint_rgb + (1 - mask) * shade[..., :3], shade[..., 3:]


def compose(folder: Path, hex_colour: str, options: dict[str, str], slot_order: list[str], light_max: float):
    """A build's picture (RGB uint8) from one view's layer folder; `options` maps slot -> option id."""
    canvas = _load(folder / "backdrop.webp", "RGB")
    for slot in slot_order:
        if slot == "backdrop":
            continue
        if slot == "body":
            rgb, alpha = painted_body(folder, hex_colour, light_max)
        else:
            path = folder / "glass.webp" if slot == "glass" else folder / slot / f"{options.get(slot)}.webp"
            if not path.exists():
                continue
            layer = _load(path, "RGBA")
            rgb, alpha = layer[..., :3], layer[..., 3:]
        canvas = alpha * rgb + (1 - alpha) * canvas
    return (np.clip(canvas, 0, 1) * 255 + 0.5).astype(np.uint8)


def contact_sheets(img_dir: Path = HERE / "img", out_dir: Path = SHEETS, thumb: int = 320) -> list[Path]:
    manifest = tomllib.loads((HERE / "manifest.toml").read_text())
    hexes = {o["id"]: o["hex"] for o in manifest["options"] if "hex" in o}
    written = []
    out_dir.mkdir(exist_ok=True)
    for model in manifest["models"]:
        views = model["views"]
        h = thumb * 9 // 16
        sheet = Image.new("RGB", (thumb * len(views), (h + 4) * len(SHEET_COLOURS) + 18), "white")
        draw = ImageDraw.Draw(sheet)
        for col, view in enumerate(views):
            draw.text((col * thumb + 6, 3), view, fill=(60, 60, 60))
            for row, colour in enumerate(SHEET_COLOURS):
                options = dict(model["defaults"])
                if row == 1:  # show some options too: the second row wears a different set
                    options.update(_alternates(manifest, model["id"]))
                picture = compose(img_dir / model["id"] / view, hexes[colour], options, manifest["slot_order"],
                                  manifest["paint"]["light_max"])
                tile = Image.fromarray(picture).resize((thumb, h), Image.Resampling.LANCZOS)
                sheet.paste(tile, (col * thumb, 18 + row * (h + 4)))
        path = out_dir / f"{model['id']}.webp"
        sheet.save(path, "WEBP", quality=82, method=6)
        written.append(path)
    return written


def _alternates(manifest: dict, model_id: str) -> dict[str, str]:
    """A second look for the sheets: the last drawn option of each slot offered on the model."""
    sys.path.insert(0, str(HERE))
    from assets import drawn_options

    chosen = {}
    for option in drawn_options(manifest, model_id):
        if not option.get("requires"):
            chosen[option["slot"]] = option["id"]
    chosen.pop("stripes", None)
    return chosen


if __name__ == "__main__":
    if sys.argv[1:] == ["sheets"]:
        for written in contact_sheets():
            print(written)
    else:
        print(__doc__)
