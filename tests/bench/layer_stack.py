"""Layer stack benchmark (not a test): what showing a car as a stack of pictures costs and saves.

    .venv/bin/python tests/bench/layer_stack.py                 # both models, every width, 40 builds each
    .venv/bin/python tests/bench/layer_stack.py --models hatch --widths 800 --builds 10

A composite is one picture per build, angle and width, drawn when first asked for. The stack
(app/render/stack.py) is the painted base (a picture per paint) with one transparent piece per slot laid
over it (a picture per option), which the browser lays over one another (assets/spin.js). For each model's first
angle at each width this prints, the composites being the floor of every ratio:
- how many different pictures a visitor could ask for (valid builds, against paints + pieces);
- the bytes of a build's first picture (the composite, against the base and all its pieces), and of
  a pick (the new composite, against the pictures that changed: the base or one or two pieces);
- the CPU time to draw one (composed and encoded as a waiting visitor's is);
- how far each is from the exact picture (mean absolute difference in 0-255 levels, and the share
  of pixels more than 8 levels off), after encoding: the stack against the composite's WebP.
Then the CPU time to draw every stack picture of the catalogue (every model, angle and width)
ahead of time. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import random
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run as a script: the project's packages come from the checkout

from app.catalog import Build, BuildError, Catalogue, load_catalogue  # noqa: E402
from app.render.composite import compose  # noqa: E402
from app.render.encode import LIVE_METHOD, PRECOMPUTE_METHOD, encode  # noqa: E402
from app.render.key import PictureKey, RenderKey, StackKey, every_stack_key, render_key, stack_keys  # noqa: E402
from app.render.layers import LayerLibrary  # noqa: E402
from app.render.stack import flatten, painted_base, picture_image  # noqa: E402

FAR_LEVELS = 8  # a pixel this many levels off in any channel counts as visibly different


def valid_builds(catalogue: Catalogue, model: str) -> list[Build]:
    """Every build of `model` the rules allow, custom paint left out (any hex is a picture of its own)."""
    offer = [[o.id for o in catalogue.options_for(model, slot) if not o.custom] for slot in catalogue.choice_slots]
    builds = []
    for choices in itertools.product(*offer):
        try:
            builds.append(catalogue.build_from(model, dict(zip(catalogue.choice_slots, choices, strict=True))))
        except BuildError:
            continue
    return builds


def cpu_ms(work, *args):
    """`work(*args)` and the CPU time it took this thread, in ms."""
    began = time.thread_time()
    result = work(*args)
    return result, (time.thread_time() - began) * 1000


def drawn(library: LayerLibrary, key: PictureKey, method: int = LIVE_METHOD) -> bytes:
    """A picture drawn as the server draws it (a stack's pieces always with the careful effort)."""
    return encode(picture_image(library, key), key.format, method)


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def off_by(picture: Image.Image, exact: np.ndarray) -> tuple[float, float]:
    """Mean absolute difference from `exact`, and the share of pixels more than FAR_LEVELS off."""
    gap = np.abs(np.asarray(picture.convert("RGB"), dtype=np.int16) - exact)
    return float(gap.mean()), float((gap.max(axis=2) > FAR_LEVELS).mean())


class StackPictures:
    """The stack pictures asked for so far, each drawn once as the server would and kept."""

    def __init__(self, library: LayerLibrary) -> None:
        self.library = library
        self.pictures: dict[StackKey, bytes] = {}
        self.draw_ms: list[float] = []

    def picture(self, key: StackKey) -> bytes:
        if key not in self.pictures:
            self.pictures[key], ms = cpu_ms(drawn, self.library, key)
            self.draw_ms.append(ms)
        return self.pictures[key]

    def of(self, build: Build, view: str, width: int) -> list[tuple[StackKey, bytes]]:
        """The build's stack, base first."""
        return [(key, self.picture(key)) for key in stack_keys(self.library.catalogue, build, view, width)]

    def flattened(self, build: Build, view: str, width: int) -> Image.Image:
        """The build's stack decoded and laid over one another, as a browser would show it."""
        layers = [decoded(data) for _key, data in self.of(build, view, width)]
        return flatten(layers[0].convert("RGB"), [layer.convert("RGBA") for layer in layers[1:]])


def a_pick(catalogue: Catalogue, build: Build, rng: random.Random) -> Build:
    """The build after one random pick of another option (the rules fix what it clashes with)."""
    while True:
        slot = rng.choice(catalogue.choice_slots)
        others = [o.id for o in catalogue.options_for(build.model, slot) if not o.custom and o.id != build.choice(slot)]
        if not others:
            continue
        try:
            return catalogue.build_from(build.model, {**dict(build.choices), slot: rng.choice(others)})
        except BuildError:
            continue


def drawn_composite(library: LayerLibrary, key: RenderKey) -> bytes:
    return encode(compose(library, key), "webp", LIVE_METHOD)


def measure(library: LayerLibrary, model: str, width: int, count: int, rng: random.Random) -> dict:
    catalogue = library.catalogue
    view = catalogue.model(model).views[0]
    library.load_view(model, view)  # decoding the layers is not drawing: done before any timing
    for colour in catalogue.options_for(model, "colour"):  # nor is a paint's lookup table, made once a paint
        if not colour.custom:
            painted_base(library, model, view, width, colour.hex)
    builds = valid_builds(catalogue, model)
    drawn(library, render_key(catalogue, builds[0], view, width))  # the first one also sets things up
    stack = StackPictures(library)
    composite_bytes, composite_ms, stack_bytes, pick_composite, pick_stack = [], [], [], [], []
    composite_off, stack_off = [], []
    for build in rng.sample(builds, min(count, len(builds))):
        key = render_key(catalogue, build, view, width)
        exact = compose(library, key)
        data, ms = cpu_ms(drawn, library, key)
        composite_bytes.append(len(data))
        composite_ms.append(ms)
        pictures = stack.of(build, view, width)
        stack_bytes.append(sum(len(d) for _, d in pictures))
        truth = np.asarray(exact, dtype=np.int16)
        composite_off.append(off_by(decoded(data), truth))
        stack_off.append(off_by(stack.flattened(build, view, width), truth))
        after = a_pick(catalogue, build, rng)
        pick_composite.append(len(drawn(library, render_key(catalogue, after, view, width))))
        had = {key for key, _ in pictures}
        pick_stack.append(sum(len(d) for key, d in stack.of(after, view, width) if key not in had))
    every = every_stack_key(catalogue, model, view, width)
    for key in every:
        stack.picture(key)
    return {
        "model": model,
        "view": view,
        "width": width,
        "pictures": {"composite": len(builds), "stack": len(every)},
        "first_kb": {"composite": _kb(composite_bytes), "stack": _kb(stack_bytes)},
        "pick_kb": {"composite": _kb(pick_composite), "stack": _kb(pick_stack)},
        "draw_cpu_ms": {"composite": _mean(composite_ms), "stack": _mean(stack.draw_ms)},
        "off_mean_levels": {
            "composite": _mean([o[0] for o in composite_off]),
            "stack": _mean([o[0] for o in stack_off]),
        },
        "off_far_percent": {
            "composite": _mean([o[1] * 100 for o in composite_off]),
            "stack": _mean([o[1] * 100 for o in stack_off]),
        },
    }


def draw_every_stack_picture(library: LayerLibrary, models: list[str], widths: list[int]) -> dict:
    """CPU time to draw every base and piece of these models at every angle, as ahead of time."""
    catalogue = library.catalogue
    count, cpu = 0, 0.0
    for model in models:
        for view in catalogue.model(model).views:
            library.load_view(model, view)  # decoding the layers is not drawing: left out
            for width in widths:
                for key in every_stack_key(catalogue, model, view, width):
                    cpu += cpu_ms(drawn, library, key, PRECOMPUTE_METHOD)[1]
                    count += 1
    return {"pictures": count, "cpu_s": round(cpu / 1000, 1)}


def _kb(values: list[int]) -> float:
    return round(statistics.mean(values) / 1024, 1) if values else 0.0


def _mean(values: list[float]) -> float:
    return round(statistics.mean(values), 2) if values else 0.0


def ratio(row: dict, figure: str) -> float | None:
    floor = row[figure]["composite"]
    return round(row[figure]["stack"] / floor, 3) if floor else None


def main() -> None:
    catalogue = load_catalogue()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=[m.id for m in catalogue.models])
    parser.add_argument("--widths", nargs="+", type=int, default=list(catalogue.widths))
    parser.add_argument("--builds", type=int, default=40, help="builds sampled per model and width")
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    unknown = [m for m in args.models if m not in {m.id for m in catalogue.models}] + [
        str(w) for w in args.widths if w not in catalogue.widths
    ]
    if unknown or args.builds < 1:
        parser.error(f"no such model or width: {', '.join(unknown)}" if unknown else "--builds must be at least 1")
    library = LayerLibrary(catalogue)
    rng = random.Random(args.seed)
    rows = [measure(library, model, width, args.builds, rng) for model in args.models for width in args.widths]
    figures = ("pictures", "first_kb", "pick_kb", "draw_cpu_ms", "off_mean_levels", "off_far_percent")
    heads = ("pictures", "first KB", "pick KB", "draw ms", "levels off", "far %")
    print(f"{'model':12} {'width':>5} " + " ".join(f"{head:>16}" for head in heads))
    for row in rows:
        cells = " ".join(f"{row[f]['composite']}/{row[f]['stack']}".rjust(16) for f in figures)
        print(f"{row['model']:12} {row['width']:>5} {cells}")
        row["stack_to_composite"] = {f: ratio(row, f) for f in figures}
    print("(each cell: composite/stack; the composites are the floor of every ratio in the JSON)")
    everything = draw_every_stack_picture(library, args.models, args.widths)
    print(
        f"every stack picture of {', '.join(args.models)}, every angle, widths {args.widths}, ahead of time: "
        f"{everything['pictures']} pictures, {everything['cpu_s']} s of CPU"
    )
    print(json.dumps({"rows": rows, "every_stack_picture": everything}))


if __name__ == "__main__":
    main()
