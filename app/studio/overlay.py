"""Studio values laid over the shipped files: the catalogue, the journey's copy and the nudges (pure, no DB).

The manifest, journey.toml and the nudge defaults stay the base; published (or, in a preview, draft)
values replace parts of them. Everything here is a function of its inputs, so a preview and the live
site are built by the same code from different values.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import re
import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from app import settings
from app.catalog import Catalogue, ManifestError, parse_catalogue
from app.nudges.settings import NudgeSettings
from app.tracking.journey import Journey

CATALOGUE_KINDS = ("model", "option", "layer")


def canonical(value) -> str:
    """One spelling of a value, so equal values compare and hash equal."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@cache
def base_manifest() -> dict:
    return tomllib.loads((settings.LAYERS_DIR / "manifest.toml").read_text(encoding="utf-8"))


def catalogue_values(values: Mapping[str, Mapping]) -> dict[str, Mapping]:
    return {k: v for k, v in values.items() if k.partition(":")[0] in CATALOGUE_KINDS}


def catalogue_version(values: Mapping[str, Mapping], base_version: str) -> str:
    """The asset/price-list version: the manifest's, plus a fingerprint of the studio's catalogue changes."""
    changes = catalogue_values(values)
    if not changes:
        return base_version
    return f"{base_version}-{hashlib.sha256(canonical(changes).encode()).hexdigest()[:10]}"


def could_be_studio_version(version: str) -> bool:
    """Whether `version` has the shape `catalogue_version` gives studio changes (base + 10 hex digits)."""
    base, _, fingerprint = version.rpartition("-")
    return base == base_manifest()["asset_version"] and bool(re.fullmatch(r"[0-9a-f]{10}", fingerprint))


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


def manifest_with(base: dict, values: Mapping[str, Mapping]) -> dict:
    """A copy of the parsed manifest with model prices and option changes (prices, rules, colours) applied."""
    data = copy.deepcopy(base)
    models = {m["id"]: m for m in data["models"]}
    options = {o["id"]: o for o in data["options"]}
    retired = set()
    for key, value in sorted(values.items()):
        kind, _, rest = key.partition(":")
        if kind == "model" and rest in models:
            models[rest]["base_price"] = value["base_price"]
        elif kind == "option":
            entry = options.get(rest) or _new_colour(data, rest, value)
            options[rest] = entry
            _apply_option(entry, value)
            if value.get("retired"):
                retired.add(rest)
    data["options"] = [o for o in data["options"] if o["id"] not in retired]
    data["asset_version"] = catalogue_version(values, base["asset_version"])
    return data


def _new_colour(data: dict, colour_id: str, value: Mapping) -> dict:
    entry = {"id": colour_id, "slot": "colour", "name": value["name"], "price": 0, "hex": value["hex"]}
    # New colours go before the custom colour, which stays last in the list.
    at = next((i for i, o in enumerate(data["options"]) if o.get("custom")), len(data["options"]))
    data["options"].insert(at, entry)
    return entry


def _apply_option(entry: dict, value: Mapping) -> None:
    entry["price"] = value["price"]
    for rule in ("requires", "excludes"):
        if value.get(rule):
            entry[rule] = list(value[rule])
        else:
            entry.pop(rule, None)
    if "name" in value:
        entry["name"] = entry["alt"] = value["name"]
        entry["hex"] = value["hex"]


def check_catalogue(values: Mapping[str, Mapping], layer_paths: Mapping[str, Path]) -> Catalogue:
    """The catalogue these values make, or a ValueError explaining why they would break it."""
    try:
        return catalogue_from(values, layer_paths)
    except ManifestError as error:
        problems = "; ".join(str(error).splitlines())
        raise ValueError(f"That change would break the catalogue, so it wasn't saved: {problems}.") from None


def journey_with(base: Journey, values: Mapping[str, Mapping]) -> Journey:
    """The journey with the studio's stage stories and port-lag explainer."""
    stages = tuple(
        dataclasses.replace(stage, narratives=tuple(values[f"narrative:{stage.id}"]["variants"]))
        if f"narrative:{stage.id}" in values
        else stage
        for stage in base.stages
    )
    explainer = values.get("explainer", {})
    return dataclasses.replace(
        base,
        stages=stages,
        port_lag_explainer=explainer.get("text", base.port_lag_explainer),
        explainer_video=explainer.get("video_url", base.explainer_video),
    )


def nudges_with(base: NudgeSettings, values: Mapping[str, Mapping]) -> NudgeSettings:
    """The nudge settings with the studio's lines and timing."""
    nudge = values.get("nudge")
    if not nudge:
        return base
    return dataclasses.replace(
        base,
        lines=tuple(nudge["lines"]),
        threshold_seconds=nudge["threshold_minutes"] * 60,
        snooze_seconds=nudge["snooze_minutes"] * 60,
    )
