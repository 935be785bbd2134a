"""Operator commands for car pictures (`motorjoy render`, `motorjoy bench`): plain functions plus argparse helpers."""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from app.catalog import Build, BuildError, Catalogue, ManifestError, load_catalogue
from app.render.alt import alt_text
from app.render.cache import PictureCache
from app.render.composite import compose
from app.render.encode import LIVE_METHOD, PRECOMPUTE_METHOD, encode
from app.render.key import render_key
from app.render.layers import LayerLibrary
from app.render.pictures import CarPictures

# The option slots of the manifest schema, as command-line flags (--badge-bar for badge_bar).
OPTION_FLAGS = ("roof", "mirrors", "stripes", "badge_bar", "badge", "wheels")
FORMATS_BY_SUFFIX = {".webp": "webp", ".jpg": "jpg", ".jpeg": "jpg"}


def add_render_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", required=True, help="model id, e.g. hatch")
    parser.add_argument("--view", help="view, e.g. side (default: the model's first view)")
    parser.add_argument("--colour", help="colour option id or name, or a hex like '#1A2B3C' for a custom colour")
    for slot in OPTION_FLAGS:
        parser.add_argument("--" + slot.replace("_", "-"), dest=slot, help=f"{slot} option id (default: the model's)")
    parser.add_argument("--width", type=int, help="output width (default: the largest)")
    parser.add_argument("-o", "--output", required=True, type=Path, help="file to write: .webp or .jpg")
    parser.add_argument("--layers-dir", type=Path, help="layer folder (default: the app's)")


def add_bench_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--layers-dir", type=Path, help="layer folder (default: the app's)")
    parser.add_argument("--repeats", type=int, default=25, help="timed runs per figure (median reported)")


def run_render(args: argparse.Namespace) -> int:
    """CLI entry: write the picture, print its alt text; 2 on a bad build or manifest."""
    choices = {slot: getattr(args, slot) for slot in OPTION_FLAGS if getattr(args, slot)}
    try:
        print(render_command(args.model, args.view, args.colour, choices, args.width, args.output, args.layers_dir))
    except (BuildError, ManifestError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def render_command(
    model: str,
    view: str | None,
    colour: str | None,
    choices: dict[str, str],
    width: int | None,
    output: Path,
    layers_dir: Path | None = None,
) -> str:
    """Render one build to `output` (format from its suffix) and return the picture's alt text."""
    format = FORMATS_BY_SUFFIX.get(Path(output).suffix.lower())
    if format is None:
        raise BuildError(f"Write a .webp or .jpg file, not {output}.")
    catalogue = load_catalogue(layers_dir)
    build = _build_with_colour(catalogue, model, colour, choices)
    view = view or catalogue.model(model).views[0]
    key = render_key(catalogue, build, view, width or max(catalogue.widths), format)
    Path(output).write_bytes(encode(compose(LayerLibrary(catalogue), key), format, PRECOMPUTE_METHOD))
    return alt_text(catalogue, key)


def _build_with_colour(catalogue: Catalogue, model: str, colour: str | None, choices: dict[str, str]) -> Build:
    if colour is None:
        return catalogue.build_from(model, choices)
    named = [
        o for o in catalogue.options if o.slot == "colour" and not o.custom and colour.lower() in (o.id, o.name.lower())
    ]
    if named:
        return catalogue.build_from(model, {**choices, "colour": named[0].id})
    custom = next((o for o in catalogue.options if o.custom), None)
    if custom is None:
        raise BuildError(f"There is no colour called {colour!r}, and no custom colour to paint it with.")
    return catalogue.build_from(model, {**choices, "colour": custom.id}, hex=colour)


def run_bench(args: argparse.Namespace) -> int:
    """CLI entry: print the figures; the last line is one JSON object."""
    print(json.dumps(bench_command(args.layers_dir, args.repeats)))
    return 0


def bench_command(layers_dir: Path | None = None, repeats: int = 25) -> dict:
    """Measure compositing, encoding and the cache on this machine, with the real layers; medians in ms."""
    started = time.perf_counter()
    catalogue = load_catalogue(layers_dir)
    with tempfile.TemporaryDirectory(prefix="motorjoy-bench-") as scratch:
        pictures = CarPictures(catalogue, Path(scratch) / "warm")
        pictures.library.load_all()
        layers_mb = pictures.library.nbytes / 1e6
        load_s = time.perf_counter() - started
        build = _busiest_build(catalogue)
        model = catalogue.model(build.model)
        big = pictures.key(build, model.views[0], max(catalogue.widths))
        image = compose(pictures.library, big)
        composite_ms = _median_ms(lambda: compose(pictures.library, big), repeats)
        composite_cpu_ms = _median_ms(lambda: compose(pictures.library, big), repeats, time.thread_time)
        encode_ms = _median_ms(lambda: encode(image, "webp", LIVE_METHOD), repeats)
        miss_ms = _cold_miss_ms(pictures, big, Path(scratch) / "cold", repeats)
        pictures.picture(big)
        hit_ms = _median_ms(lambda: pictures.picture(big), repeats * 40)
        frame = np.full((catalogue.canvas[1], catalogue.canvas[0], 4), 7, dtype=np.uint8)
        copy_floor_ms = _median_ms(lambda: frame.copy(), repeats * 4)
        copy_floor_cpu_ms = _median_ms(lambda: frame.copy(), repeats * 4, time.thread_time)
        sizes = {str(width): len(pictures.render(big.with_width(width))) for width in catalogue.widths}
        precomputed_sizes = {
            str(width): len(pictures.render(big.with_width(width), PRECOMPUTE_METHOD)) for width in catalogue.widths
        }
    return {
        "build": big.url(),
        "layers_mb": round(layers_mb, 1),
        "load_s": round(load_s, 2),
        "composite_ms": round(composite_ms, 2),
        "encode_ms": round(encode_ms, 2),
        "miss_ms": round(miss_ms, 2),
        "hit_ms": round(hit_ms, 4),
        "copy_floor_ms": round(copy_floor_ms, 3),
        "webp_bytes": sizes,
        "webp_bytes_precomputed": precomputed_sizes,
        "composite_over_copy": round(composite_ms / copy_floor_ms, 1),
        # The same ratio in this thread's CPU time: on a busy machine, wall time also counts the moments
        # other processes held the core, which a 3 ms composite meets far more often than a 0.1 ms copy.
        "composite_cpu_ms": round(composite_cpu_ms, 2),
        "copy_floor_cpu_ms": round(copy_floor_cpu_ms, 3),
        "composite_over_copy_cpu": round(composite_cpu_ms / copy_floor_cpu_ms, 1),
        "miss_over_hit": round(miss_ms / hit_ms, 1),
    }


def _busiest_build(catalogue: Catalogue) -> Build:
    """The first model with a drawing option in every slot that has one: the most layers to stack."""
    model = catalogue.models[0]
    choices = {}
    for slot in catalogue.choice_slots:
        drawing = [o for o in catalogue.options_for(model.id, slot) if o.draws]
        if drawing:
            choices[slot] = drawing[0].id
    return catalogue.build_from(model.id, choices)


def _cold_miss_ms(pictures: CarPictures, key, folder: Path, repeats: int) -> float:
    # A fresh cache (empty memory and disk) per run, so every get is a true miss for that key.
    timings = []
    for run in range(repeats):
        cache = PictureCache(pictures.render, folder / str(run))
        started = time.perf_counter()
        cache.get(key)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def _median_ms(action: Callable[[], object], repeats: int, clock: Callable[[], float] = time.perf_counter) -> float:
    timings = []
    for _ in range(repeats):
        started = clock()
        action()
        timings.append(clock() - started)
    return statistics.median(timings) * 1000
