"""Fixtures for render tests: the synthetic layer set (shared with the catalogue tests) and a picture service."""

from pathlib import Path

import pytest

from app.catalog import Catalogue, load_catalogue
from app.render import CarPictures
from tests.unit.catalog import synthetic_layers


@pytest.fixture(scope="session")
def layers_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic_layers.make_layers(tmp_path_factory.mktemp("layers"))


@pytest.fixture(scope="session")
def catalogue(layers_dir: Path) -> Catalogue:
    return load_catalogue(layers_dir)


@pytest.fixture
def pictures(catalogue: Catalogue, tmp_path: Path) -> CarPictures:
    return CarPictures(catalogue, tmp_path / "render-cache")
