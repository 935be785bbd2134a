"""The car catalogue: what models and options exist, validated from the layer manifest (no Reflex)."""

from app.catalog.manifest import ManifestError, load_catalogue, parse_catalogue
from app.catalog.model import Build, BuildError, CarModel, Catalogue, Option, Slot, View, normalise_hex

__all__ = [
    "Build",
    "BuildError",
    "CarModel",
    "Catalogue",
    "ManifestError",
    "Option",
    "Slot",
    "View",
    "load_catalogue",
    "normalise_hex",
    "parse_catalogue",
]
