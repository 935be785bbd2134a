"""Smoke test of the art pipeline: `layers/render.py --quick` renders one small view with Blender and
every pass comes out with sane contents. Needs bpy (the `art` extra, Python 3.11); skipped without it."""

import importlib.util
import json
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from app import settings

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("bpy") is None,
    reason="bpy (Blender as a module) is not installed: pip install -e '.[art]' on Python 3.11",
)


@pytest.fixture(scope="module")
def quick(tmp_path_factory, manifest):
    out = tmp_path_factory.mktemp("quick")
    done = subprocess.run(
        [sys.executable, str(settings.LAYERS_DIR / "render.py"), "--quick", str(out)],
        capture_output=True, text=True, timeout=900, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    # Blender may print a memory note as it exits, after the report: take the last JSON line
    report = json.loads(next(line for line in reversed(done.stdout.splitlines()) if line.startswith("{")))
    model = manifest["models"][0]
    return out / model["id"] / model["views"][0], report, model


def _read(path, mode):
    with Image.open(path) as image:
        return np.asarray(image.convert(mode))


def test_quick_render_writes_every_pass(quick) -> None:
    folder, report, _model = quick
    names = {"backdrop", "body_shade", "body_mask", "body_light", "body_gloss", "glass"}
    assert names <= {p.stem for p in folder.glob("*.webp")}
    assert report["layers"], "the report lists what was rendered"
    shade = _read(folder / "body_shade.webp", "RGBA")
    assert shade.shape[:2] == (180, 320)


def test_passes_are_consistent(quick, manifest) -> None:
    folder, _report, _model = quick
    alpha = _read(folder / "body_shade.webp", "RGBA")[..., 3].astype(int)
    mask = _read(folder / "body_mask.webp", "L").astype(int)
    light = manifest["paint"]["light_max"] * (_read(folder / "body_light.webp", "L") / 255.0) ** 2.2
    gloss = _read(folder / "body_gloss.webp", "RGB")
    backdrop = _read(folder / "backdrop.webp", "RGB")
    silhouette = alpha > 0
    assert 0.03 < silhouette.mean() < 0.6, "the car covers a sensible share of the frame"
    assert (mask[~silhouette] == 0).all(), "paint only inside the silhouette"
    paint = mask > 200
    assert paint.sum() > 0.3 * silhouette.sum(), "most of the car is paint"
    lit = light[paint]
    assert 0.2 < np.median(lit) < manifest["paint"]["light_max"], "the paint is lit, not black or blown out"
    assert (gloss[~(mask > 0)] == 0).all(), "reflections are stored on the paint only"
    assert gloss[paint].max() > 100 and np.median(gloss[paint]) < 200, "highlights exist but do not swamp it"
    assert backdrop.std() > 2 and backdrop.mean() > 80, "a lit studio with some shading"


def test_option_layers_hold_out_the_body(quick) -> None:
    folder, _report, model = quick
    alpha = _read(folder / "body_shade.webp", "RGBA")[..., 3]
    wheels = _read(folder / "wheels" / f"{model['defaults']['wheels']}.webp", "RGBA")[..., 3]
    assert (wheels > 0).sum() > 200, "the wheels are drawn"
    # the body's far side hides two of the four wheels, so the layer is far smaller than four wheels' worth
    opaque_body = alpha == 255
    assert (wheels[opaque_body] == 255).mean() < 0.2
