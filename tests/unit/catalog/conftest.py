"""Fixtures for catalogue tests: a synthetic layer set in tmp_path."""

from pathlib import Path

import pytest

from tests.unit.catalog import synthetic_layers


@pytest.fixture
def layers_dir(tmp_path: Path) -> Path:
    return synthetic_layers.make_layers(tmp_path / "layers")


@pytest.fixture
def manifest_data() -> dict:
    return synthetic_layers.manifest_data()
