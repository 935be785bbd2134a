"""Colour benchmark: does compositing a hex colour from the grey passes look like Blender painting it?

For each paint below it renders the hero view's body in Blender with that paint (the reference), then
paints the same body from the layers rendered in grey with the contract's formula
(`linear = srgb_to_linear(hex) * light + gloss`, layers/preview.py's reference implementation) and
compares the two over body-paint pixels with CIEDE2000. Images (composite | Blender) go to
layers/bench/colour.webp for a person to look at; the last line printed is JSON.

    .venv/bin/python layers/bench_colour.py            # 640x360, ~5-10 minutes on 2 cores
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw
from skimage.color import deltaE_ciede2000, rgb2lab

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import preview  # noqa: E402
import render  # noqa: E402

PAINTS = {
    "liquorice-black": "#1C1C1E",
    "pepper-white": "#F2F0EA",
    "chili-red": "#C0392B",
    "midnight-blue": "#1B2A4A",
    "sherbet-yellow": "#F4C542",
    "racing-green": "#1F4D3A",
    "seafoam": "#7FC8B5",
}
render.PROFILES["bench"] = {
    "size": [480, 270], "scale": 100, "backdrop_scale": 100,
    "samples": {"backdrop": 16, "body": 48, "glass": 16, "option": 16},
}


def main() -> int:
    started = time.monotonic()
    manifest = tomllib.loads(render.MANIFEST.read_text())
    model = manifest["models"][0]
    view = model["views"][0]
    out = Path(tempfile.mkdtemp(prefix="motorjoy-bench-"))
    renderer = render.ModelRenderer(model, manifest, "bench", out, defaults_only=True)
    studio = render.Studio("bench")
    renderer.build(studio)
    studio.finish()
    render.set_view(renderer.rig, render.VIEWS[view])
    renderer.render_job("body", (), renderer.outputs(view, "body", ()))
    folder = out / model["id"] / view
    mask = np.asarray(Image.open(folder / "body_mask.webp").convert("L"))
    results, tiles = {}, []
    for name, hex_colour in PAINTS.items():
        reference = renderer.reference_body(hex_colour)
        ref_rgba = np.asarray(render.straight_rgba(reference), dtype=np.float64) / 255
        composite, alpha = preview.painted_body(folder, hex_colour, render.LIGHT_MAX)
        paint = (mask == 255) & (ref_rgba[..., 3] > 0.999) & (alpha[..., 0] > 0.999)
        delta = deltaE_ciede2000(rgb2lab(composite[paint]), rgb2lab(ref_rgba[..., :3][paint]))
        results[name] = {"hex": hex_colour, "mean": round(float(delta.mean()), 2),
                         "p95": round(float(np.percentile(delta, 95)), 2), "pixels": int(paint.sum())}
        render.log(f"{name}: mean dE {results[name]['mean']}, p95 {results[name]['p95']}")
        tiles.append((name, composite, ref_rgba, alpha[..., 0]))
    means = [r["mean"] for r in results.values()]
    summary = {
        "benchmark": "colour", "view": f"{model['id']}/{view}", "size": render.PROFILES["bench"]["size"],
        "paints": results, "mean_of_means": round(float(np.mean(means)), 2),
        "worst_p95": max(r["p95"] for r in results.values()), "seconds": round(time.monotonic() - started),
    }
    save_sheet(tiles, HERE / "bench" / "colour.webp")
    (HERE / "bench" / "colour.json").write_text(json.dumps(summary, indent=1) + "\n")
    print(json.dumps(summary))
    return 0


def save_sheet(tiles, path: Path) -> None:
    """One row per paint: the composite on the left, Blender's own render on the right, on white."""
    rows = []
    for name, composite, reference, alpha in tiles:
        ys, xs = np.nonzero(alpha > 0)
        box = (xs.min(), ys.min(), xs.max() + 1, ys.max() + 1)
        pair = []
        for rgb in (composite, reference[..., :3]):
            over_white = alpha[..., None] * rgb + (1 - alpha[..., None])
            pair.append(Image.fromarray((np.clip(over_white, 0, 1) * 255 + 0.5).astype(np.uint8)).crop(box))
        row = Image.new("RGB", (pair[0].width * 2 + 10, pair[0].height + 16), "white")
        row.paste(pair[0], (0, 16))
        row.paste(pair[1], (pair[0].width + 10, 16))
        ImageDraw.Draw(row).text((4, 2), f"{name}: composite | Blender", fill=(40, 40, 40))
        rows.append(row)
    sheet = Image.new("RGB", (max(r.width for r in rows), sum(r.height for r in rows)), "white")
    y = 0
    for row in rows:
        sheet.paste(row, (0, y))
        y += row.height
    path.parent.mkdir(exist_ok=True)
    sheet.save(path, "WEBP", quality=85, method=6)


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)  # skip Blender's exit-time memory report, so the JSON stays the last line
