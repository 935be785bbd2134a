"""The catalogue customers see: the shipped manifest with the published (or previewed) values laid over it."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from app import settings
from app.catalog import Catalogue, ManifestError, parse_catalogue
from app.content import live
from app.content.overlay import base_manifest, catalogue_values, manifest_with


def catalogue_from(values: Mapping[str, Mapping], layer_paths: Mapping[str, Path]) -> Catalogue:
    """The catalogue with the studio's values applied; ManifestError says what a change would break.

    `layer_paths` maps an uploaded layer's sha256 to where its PNG is on this server's disk.
    """
    base = base_manifest()
    data = manifest_with(base, values)
    files = {}
    for key, value in values.items():
        kind, _, rest = key.partition(":")
        if kind == "layer":
            model, view, option = rest.split(":")
            files[(model, view, option)] = layer_paths[value["sha256"]]
    return parse_catalogue(data, settings.LAYERS_DIR, layer_files=files)


def check_catalogue(values: Mapping[str, Mapping], layer_paths: Mapping[str, Path]) -> Catalogue:
    """The catalogue these values make, or a ValueError explaining why they would break it."""
    try:
        return catalogue_from(values, layer_paths)
    except ManifestError as error:
        problems = "; ".join(str(error).splitlines())
        raise ValueError(f"That change would break the catalogue, so it wasn't saved: {problems}.") from None


def check(candidate: Mapping[str, Mapping]) -> None:
    """The studio store's `check`: these values must make a valid catalogue (ValueError explains why not)."""
    check_catalogue(catalogue_values(candidate), live.layer_paths(candidate))
