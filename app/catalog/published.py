"""The catalogue customers see: the shipped manifest with the published (or previewed) values laid over it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from app import settings
from app.catalog import Catalogue, ManifestError, parse_catalogue
from app.catalog.plain_words import in_plain_words, names_of
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
        # Marketing's words: names, and the fix they can make in the studio (not the manifest's positions).
        retired = frozenset(
            k.partition(":")[2] for k, v in values.items() if k.startswith("option:") and v.get("retired")
        )
        names = names_of(manifest_with(base_manifest(), values), retired)
        names = replace(names, options={**names_of(base_manifest()).options, **names.options})
        said = " ".join(dict.fromkeys(in_plain_words(p, names) for p in error.problems))
        raise ValueError(f"That change would break the catalogue, so it wasn't saved. {said}") from None


def check(candidate: Mapping[str, Mapping]) -> None:
    """The studio store's `check`: these values must make a valid catalogue (ValueError explains why not)."""
    check_catalogue(catalogue_values(candidate), live.layer_paths(candidate))
