"""Layer stack benchmark (not a test): what showing a car as a stack of pictures would cost and save.

    .venv/bin/python tests/bench/layer_stack.py                 # both models, every width, 40 builds each
    .venv/bin/python tests/bench/layer_stack.py --models hatch --widths 800 --builds 10

Today every build is one composite per angle and width, drawn when first asked for. The stack
(app/render/stack.py) is the painted base (a picture per paint) with one transparent piece per slot laid
over it (a picture per option), which a browser can lay over one another. For each model's first
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
from app.render.key import RenderKey, render_key  # noqa: E402
from app.render.layers import LayerLibrary  # noqa: E402
from app.render.stack import Piece, flatten, painted_base, piece, piece_slots  # noqa: E402

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


def drawn_base(library: LayerLibrary, where: tuple[str, str, int], hex_colour: str, method: int) -> bytes:
    return encode(painted_base(library, *where, hex_colour), "webp", method)


def drawn_piece(
    library: LayerLibrary, where: tuple[str, str, int], slot: str, option: str | None, method: int
) -> tuple[Piece, bytes] | None:
    found = piece(library, *where, slot, option)
    return None if found is None else (found, encode(found.image, "webp", method))


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def off_by(picture: Image.Image, exact: np.ndarray) -> tuple[float, float]:
    """Mean absolute difference from `exact`, and the share of pixels more than FAR_LEVELS off."""
    gap = np.abs(np.asarray(picture.convert("RGB"), dtype=np.int16) - exact)
    return float(gap.mean()), float((gap.max(axis=2) > FAR_LEVELS).mean())


class StackPictures:
    """Each base and piece of one angle and width, encoded once as the store would keep it."""

    def __init__(self, library: LayerLibrary, model: str, view: str, width: int) -> None:
        self.library, self.where = library, (model, view, width)
        self.bases: dict[str, bytes] = {}
        self.pieces: dict[tuple[str, str | None], tuple[Piece, bytes] | None] = {}
        self.draw_ms: list[float] = []

    def base(self, hex_colour: str) -> bytes:
        if hex_colour not in self.bases:
            self.bases[hex_colour], ms = cpu_ms(drawn_base, self.library, self.where, hex_colour, LIVE_METHOD)
            self.draw_ms.append(ms)
        return self.bases[hex_colour]

    def piece(self, slot: str, option: str | None) -> tuple[Piece, bytes] | None:
        key = (slot, None if slot == "glass" else option)
        if key not in self.pieces:
            self.pieces[key], ms = cpu_ms(drawn_piece, self.library, self.where, slot, option, LIVE_METHOD)
            if self.pieces[key] is not None:
                self.draw_ms.append(ms)
        return self.pieces[key]

    def of(self, build: Build) -> list[tuple[str, bytes]]:
        """The build's stack as (name, bytes), base first."""
        choices = dict(build.choices)
        stack = [(f"base:{build.hex}", self.base(build.hex))]
        for slot in piece_slots(self.library.catalogue):
            found = self.piece(slot, choices.get(slot))
            if found is not None:
                stack.append((f"{slot}:{found[0].option}", found[1]))
        return stack

    def flattened(self, build: Build) -> Image.Image:
        """The build's stack decoded and laid over one another, as a browser would show it."""
        pieces = [p for slot in piece_slots(self.library.catalogue) if (p := self._decoded(slot, build))]
        return flatten(decoded(self.base(build.hex)).convert("RGB"), pieces)

    def _decoded(self, slot: str, build: Build) -> Piece | None:
        found = self.piece(slot, dict(build.choices).get(slot))
        if found is None:
            return None
        return Piece(found[0].slot, found[0].option, decoded(found[1]).convert("RGBA"), found[0].offset)


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
    drawn_composite(library, render_key(catalogue, builds[0], view, width))  # the first one also sets things up
    stack = StackPictures(library, model, view, width)
    composite_bytes, composite_ms, stack_bytes, pick_composite, pick_stack = [], [], [], [], []
    composite_off, stack_off = [], []
    for build in rng.sample(builds, min(count, len(builds))):
        key = render_key(catalogue, build, view, width)
        exact = compose(library, key)
        data, ms = cpu_ms(drawn_composite, library, key)
        composite_bytes.append(len(data))
        composite_ms.append(ms)
        pictures = stack.of(build)
        stack_bytes.append(sum(len(d) for _, d in pictures))
        truth = np.asarray(exact, dtype=np.int16)
        composite_off.append(off_by(decoded(data), truth))
        stack_off.append(off_by(stack.flattened(build), truth))
        after = a_pick(catalogue, build, rng)
        pick_composite.append(len(drawn_composite(library, render_key(catalogue, after, view, width))))
        had = {name for name, _ in pictures}
        pick_stack.append(sum(len(d) for name, d in stack.of(after) if name not in had))
    every = [stack.base(o.hex) for o in catalogue.options_for(model, "colour") if not o.custom]
    names = {
        (slot, o.id) for slot in piece_slots(catalogue) if slot != "glass" for o in catalogue.options_for(model, slot)
    }
    pieces = [stack.piece(slot, option) for slot, option in sorted(names)] + [stack.piece("glass", None)]
    return {
        "model": model,
        "view": view,
        "width": width,
        "pictures": {"composite": len(builds), "stack": len(every) + sum(1 for p in pieces if p)},
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
                where = (model, view, width)
                for colour in catalogue.options_for(model, "colour"):
                    if not colour.custom:
                        cpu += cpu_ms(drawn_base, library, where, colour.hex, PRECOMPUTE_METHOD)[1]
                        count += 1
                for slot in piece_slots(catalogue):
                    options = [None] if slot == "glass" else [o.id for o in catalogue.options_for(model, slot)]
                    for option in options:
                        found, ms = cpu_ms(drawn_piece, library, where, slot, option, PRECOMPUTE_METHOD)
                        count += found is not None
                        cpu += ms
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
