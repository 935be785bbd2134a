"""The committed layer set: every file the manifest implies exists with the right size and mode, nothing
else is lying about, and `asset_version` is the fingerprint of exactly these bytes (so a changed layer
cannot ship under an old version that browsers and caches already hold)."""

import pytest
from PIL import Image

from app import settings
from tests.unit.layers.conftest import load_layers_module

assets = load_layers_module("assets")
IMG = settings.LAYERS_DIR / "img"


def test_asset_version_is_the_fingerprint_of_the_layer_files(manifest) -> None:
    assert manifest["asset_version"] == assets.fingerprint(IMG), (
        "a layer file changed without the manifest following: run layers/render.py (it rewrites "
        "asset_version), or recompute it with assets.fingerprint"
    )


def test_fingerprint_changes_with_any_byte_or_name(tmp_path) -> None:
    (tmp_path / "m" / "v").mkdir(parents=True)
    layer = tmp_path / "m" / "v" / "glass.webp"
    layer.write_bytes(b"one")
    first = assets.fingerprint(tmp_path)
    layer.write_bytes(b"two")
    second = assets.fingerprint(tmp_path)
    layer.rename(tmp_path / "m" / "v" / "backdrop.webp")
    third = assets.fingerprint(tmp_path)
    assert len({first, second, third}) == 3
    assert all(v.startswith("3d-") and len(v) == 15 for v in (first, second, third))


def test_every_implied_layer_exists_with_its_size_and_mode(manifest) -> None:
    expected = assets.expected_files(manifest)
    canvas = tuple(manifest["canvas"])
    problems = []
    for relative, mode in expected.items():
        path = IMG / relative
        if not path.exists():
            problems.append(f"{relative}: missing")
            continue
        with Image.open(path) as image:
            if image.format != "WEBP" or image.size != canvas:
                problems.append(f"{relative}: {image.format} {image.size}, want WEBP {canvas}")
            elif mode == "L":
                if image.mode != "RGB":
                    problems.append(f"{relative}: {image.mode}, want greyscale stored as RGB")
                else:
                    r, g, b = image.split()
                    if r.tobytes() != g.tobytes() or r.tobytes() != b.tobytes():
                        problems.append(f"{relative}: channels differ, want R = G = B")
            elif image.mode != mode:
                problems.append(f"{relative}: mode {image.mode}, want {mode}")
    assert not problems, "\n".join(problems[:20])


def test_no_stray_layer_files(manifest) -> None:
    expected = set(assets.expected_files(manifest))
    present = {p.relative_to(IMG).as_posix() for p in IMG.rglob("*.webp")}
    assert present - expected == set()


def test_layers_stay_small() -> None:
    total = sum(p.stat().st_size for p in IMG.rglob("*.webp"))
    assert total < 150 * 1024 * 1024, f"layer files total {total / 1e6:.0f} MB"


@pytest.mark.parametrize("model_id", ["hatch", "convertible"])
def test_every_model_turns_through_the_contract_views(manifest, model_id) -> None:
    model = next(m for m in manifest["models"] if m["id"] == model_id)
    angles = [manifest["views"][view]["angle"] for view in model["views"]]
    assert model["views"][0] == "front-left" and {"side", "front"} <= set(model["views"])
    assert angles == [45, 90, 135, 180, 225, 270, 315, 0]
    assert all(manifest["views"][view]["label"] for view in model["views"])
