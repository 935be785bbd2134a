"""What layer files the manifest implies, and the fingerprint that names a set of them (no Blender needed).

Used by layers/render.py (which writes `asset_version`) and by the unit tests (which check it).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

# file name -> Pillow mode after decoding. WebP has no greyscale mode: the "L" layers are stored
# as RGB with equal channels and read with .convert("L").
VIEW_FILES = {
    "backdrop.webp": "RGB",
    "body_shade.webp": "RGBA",
    "body_mask.webp": "L",
    "body_light.webp": "L",
    "body_gloss.webp": "RGB",
    "glass.webp": "RGBA",
}


def fingerprint(img_dir: Path) -> str:
    """"3d-" + the first 12 hex of SHA-256 over every layer file (sorted relative path, then its bytes)."""
    digest = hashlib.sha256()
    for path in sorted(img_dir.rglob("*.webp"), key=lambda p: p.relative_to(img_dir).as_posix()):
        digest.update(path.relative_to(img_dir).as_posix().encode())
        digest.update(path.read_bytes())
    return "3d-" + digest.hexdigest()[:12]


def drawn_options(manifest: dict, model_id: str) -> list[dict]:
    """Options that add a layer on this model (colours are painted, `draws = false` ones add nothing)."""
    return [
        o
        for o in manifest["options"]
        if o.get("draws", True) and o["slot"] != "colour" and model_id in o.get("models", [model_id])
    ]


def expected_files(manifest: dict) -> dict[str, str]:
    """Relative path under the layer dir -> mode, for every layer file the manifest implies."""
    files = {}
    for model in manifest["models"]:
        options = drawn_options(manifest, model["id"])
        for view in model["views"]:
            folder = f"{model['id']}/{view}"
            for name, mode in VIEW_FILES.items():
                files[f"{folder}/{name}"] = mode
            for option in options:
                files[f"{folder}/{option['slot']}/{option['id']}.webp"] = "RGBA"
    return files
