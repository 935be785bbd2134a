"""The shipped manifest (layers/manifest.toml) loads and validates, including every layer file's header."""

import pytest

from app import settings
from app.catalog import load_catalogue

pytestmark = pytest.mark.skipif(
    not (settings.LAYERS_DIR / "manifest.toml").exists(), reason="the layer library is not in this checkout"
)


def test_shipped_manifest_is_valid() -> None:
    catalogue = load_catalogue()
    for model in catalogue.models:
        build = catalogue.build_from(model.id)
        assert build.hex.startswith("#") and len(build.hex) == 7
