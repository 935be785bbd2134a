"""Published values laid over the shipped manifest: prices, rules and colours (pure dict work, no DB).

The manifest stays the base; published (or, in a preview, draft) values replace parts of it. Everything
here is a function of its inputs, so a preview and the live site are built by the same code from
different values. The catalogue itself is made from the result in app/catalog/published.py, the
journey's copy in app/content/journey.py and the nudges' in app/nudges/settings.py.
"""

from __future__ import annotations

import copy
import hashlib
import re
import tomllib
from collections.abc import Mapping
from functools import cache

from app import settings
from app.content.store import canonical

CATALOGUE_KINDS = ("model", "option", "layer")


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


def manifest_with(base: dict, values: Mapping[str, Mapping]) -> dict:
    """A copy of the parsed manifest with model prices and option changes (prices, rules, colours) applied."""
    data = copy.deepcopy(base)
    models = {m["id"]: m for m in data["models"]}
    options = {o["id"]: o for o in data["options"]}
    for key, value in sorted(values.items()):
        kind, _, rest = key.partition(":")
        if kind == "model" and rest in models:
            models[rest]["base_price"] = value["base_price"]
        elif kind == "option":
            entry = options.get(rest) or _new_colour(data, rest, value)
            options[rest] = entry
            _apply_option(entry, value)
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
    # A retired option stays in the manifest, marked: no new build may choose it, but the cars already
    # ordered with it are still drawn and named (app.catalog.model.Catalogue.retired).
    if value.get("retired"):
        entry["retired"] = True
    else:
        entry.pop("retired", None)
