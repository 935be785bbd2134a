"""Helpers for the art pipeline's tests: layers/*.py are scripts, not an installed package."""

import importlib.util
import sys
import tomllib

import pytest

from app import settings


def load_layers_module(name: str):
    """Import layers/<name>.py by path (it is a script folder, not a package)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, settings.LAYERS_DIR / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def manifest() -> dict:
    return tomllib.loads((settings.LAYERS_DIR / "manifest.toml").read_text())
