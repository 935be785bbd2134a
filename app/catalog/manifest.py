"""Load `layers/manifest.toml` into a validated Catalogue, naming every bad entry it finds."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from types import MappingProxyType

from PIL import Image

from app import settings
from app.catalog import rules
from app.catalog.model import CarModel, Catalogue, Option, Slot, View

# Slots in slot_order that are not choices: the fixed layers and the painted body.
FIXED_SLOTS = ("backdrop", "body", "glass")
# Every view's fixed files, with the modes Pillow may report for them. Lossless WebP has no greyscale
# mode, so the single-channel passes (mask, light) arrive as RGB and are read as their first channel.
FIXED_FILES = {
    "backdrop": ("RGB", "RGBA"),
    "body_shade": ("RGBA",),
    "body_mask": ("L", "RGB"),
    "body_light": ("L", "RGB"),
    "body_gloss": ("RGB",),
    "glass": ("RGBA",),
}
LAYER_FORMAT = "WEBP"  # the layer library's files; studio uploads are kept as PNG
UPLOAD_FORMAT = "PNG"
_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,47}")
_HEX = re.compile(r"#[0-9A-Fa-f]{6}")
_VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,31}")

_TOP = {
    "asset_version": str,
    "currency": str,
    "destination_charge": int,
    "canvas": list,
    "widths": list,
    "slot_order": list,
    "choice_slots": list,
    "slots": dict,
    "views": dict,
    "paint": dict,
    "layer_dir": str,
    "models": list,
    "options": list,
}
_MODEL_REQUIRED = {
    "id": str,
    "name": str,
    "tagline": str,
    "description": str,
    "base_price": int,
    "views": list,
    "defaults": dict,
}
_OPTION_REQUIRED = {"id": str, "slot": str, "name": str, "price": int}
_OPTION_OPTIONAL = {
    "alt": str,
    "description": str,
    "models": list,
    "draws": bool,
    "hex": str,
    "custom": bool,
    "requires": list,
    "excludes": list,
    "retired": bool,  # left the range: kept so the cars that have it are still drawn (see Catalogue.retired)
}


class Problem(str):
    """One problem, worded for whoever edits the manifest, that also says what it is about (`kind` and the
    ids in `about`), so the studio can tell it in marketing's words (app/catalog/plain_words.py)."""

    kind: str
    about: tuple[str, ...]

    def __new__(cls, text: str, kind: str = "", *about: str) -> Problem:
        problem = super().__new__(cls, text)
        problem.kind, problem.about = kind, about
        return problem


class ManifestError(ValueError):
    """The manifest is wrong; the message lists each bad entry by name, `problems` each on its own."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems) if problems is not None else [message]


def load_catalogue(layers_dir: Path | str | None = None, *, check_files: bool = True) -> Catalogue:
    """Read and validate `<layers_dir>/manifest.toml` (default settings.LAYERS_DIR) and its layer files."""
    layers_dir = Path(layers_dir or settings.LAYERS_DIR)
    path = layers_dir / "manifest.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ManifestError(f"{path}: cannot read the manifest ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"{path}: not valid TOML ({exc})") from None
    return parse_catalogue(data, layers_dir, check_files=check_files)


def parse_catalogue(
    data: dict, layers_dir: Path, *, check_files: bool = True, layer_files: dict | None = None
) -> Catalogue:
    """Validate an already-parsed manifest; raises ManifestError listing every problem.

    `layer_files` maps (model, view, option id) to a replacement layer PNG (the studio's uploads).
    """
    problems: list[str] = []
    _check_fields("manifest", data, _TOP, {}, problems)
    if problems:
        raise ManifestError("\n".join(problems), problems)
    choice_slots, slot_order, slots = _check_slots(data, problems)
    canvas, widths = _check_canvas(data, problems)
    views = _check_views(data["views"], problems)
    light_max = _check_paint(data["paint"], problems)
    if not _ID.fullmatch(data["layer_dir"]):
        problems.append(f'layer_dir {data["layer_dir"]!r}: must be a folder name inside layers/, like "img"')
    models = _check_models(data["models"], data["views"], problems)
    model_ids = {m["id"] for m in models if isinstance(m.get("id"), str)}
    options = _check_options(data["options"], choice_slots, model_ids, problems)
    if problems:
        raise ManifestError("\n".join(problems), problems)
    catalogue = Catalogue(
        asset_version=data["asset_version"],
        currency=data["currency"],
        destination_charge=data["destination_charge"],
        canvas=canvas,
        widths=widths,
        slot_order=slot_order,
        choice_slots=choice_slots,
        slots=MappingProxyType(slots),
        models=tuple(_car_model(m) for m in models),
        options=tuple(_option(o) for o in options if not o.get("retired")),
        retired=tuple(_option(o) for o in options if o.get("retired")),
        layers_dir=layers_dir,
        views=MappingProxyType(views),
        light_max=light_max,
        layer_dir=data["layer_dir"],
        layer_files=MappingProxyType(dict(layer_files or {})),
    )
    _check_defaults_and_coverage(catalogue, problems)
    _check_rules(catalogue, data["options"], problems)
    if check_files and not problems:
        _check_layer_files(catalogue, problems)
    if problems:
        raise ManifestError("\n".join(problems), problems)
    return catalogue


def _check_fields(where: str, entry: object, required: dict, optional: dict, problems: list[str]) -> bool:
    if not isinstance(entry, dict):
        problems.append(f"{where}: must be a table")
        return False
    ok = True
    for key in required:
        if key not in entry:
            problems.append(f"{where}: missing field '{key}'")
            ok = False
    for key, value in entry.items():
        kind = required.get(key) or optional.get(key)
        if kind is None:
            problems.append(f"{where}: unknown field '{key}'")
            ok = False
        elif not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            wanted = " or ".join(k.__name__ for k in kind) if isinstance(kind, tuple) else kind.__name__
            problems.append(f"{where}: field '{key}' must be {wanted}, not {type(value).__name__}")
            ok = False
    return ok


def _check_slots(data: dict, problems: list[str]) -> tuple[tuple, tuple, dict]:
    if not _VERSION.fullmatch(data["asset_version"]):
        problems.append(f"asset_version {data['asset_version']!r}: use letters, digits and '-' only")
    if data["destination_charge"] < 0:
        problems.append("destination_charge: must not be negative")
    choice_slots = tuple(data["choice_slots"])
    slot_order = tuple(data["slot_order"])
    for name, values in (("choice_slots", choice_slots), ("slot_order", slot_order)):
        if not all(isinstance(v, str) for v in values) or len(set(values)) != len(values):
            problems.append(f"{name}: must be a list of distinct strings")
            return (), (), {}
    if "colour" not in choice_slots:
        problems.append("choice_slots: must include 'colour' (the body is tinted with it)")
    for slot in FIXED_SLOTS:
        if slot not in slot_order:
            problems.append(f"slot_order: must include '{slot}'")
    for slot in slot_order:
        if slot not in FIXED_SLOTS and slot not in choice_slots:
            problems.append(f"slot_order: '{slot}' is not one of choice_slots {list(choice_slots)}")
    for slot in choice_slots:
        if slot != "colour" and slot not in slot_order:
            problems.append(f"choice_slots: '{slot}' is missing from slot_order, so it would never be drawn")
    slots = {}
    for slot_id, table in data["slots"].items():
        where = f"slots.{slot_id}"
        if slot_id not in choice_slots:
            problems.append(f"{where}: '{slot_id}' is not one of choice_slots {list(choice_slots)}")
        elif _check_fields(where, table, {"label": str}, {}, problems):
            slots[slot_id] = Slot(slot_id, table["label"])
    for slot in choice_slots:
        if slot not in data["slots"]:
            problems.append(f"slots.{slot}: missing (every choice slot needs a label)")
    return choice_slots, slot_order, slots


def _check_canvas(data: dict, problems: list[str]) -> tuple[tuple[int, int], tuple[int, ...]]:
    canvas, widths = data["canvas"], data["widths"]
    if len(canvas) != 2 or not all(_positive_int(v) for v in canvas):
        problems.append(f"canvas {canvas}: must be [width, height] in pixels")
        return (0, 0), ()
    if not widths or not all(_positive_int(w) and w <= canvas[0] for w in widths):
        problems.append(f"widths {widths}: must be pixel widths no larger than the canvas width {canvas[0]}")
    elif len(set(widths)) != len(widths):
        problems.append(f"widths {widths}: must be distinct")
    return (canvas[0], canvas[1]), tuple(widths)


def _check_views(tables: dict, problems: list[str]) -> dict[str, View]:
    views = {}
    for view_id, table in tables.items():
        where = f"views.{view_id}"
        if not _ID.fullmatch(view_id):
            problems.append(f"{where}: a view id must be lower-case letters, digits and '-'")
        elif _check_fields(where, table, {"label": str, "angle": int}, {}, problems):
            if not table["label"].strip():
                problems.append(f'{where}: label must say the angle in words, like "front three-quarter, left"')
            elif not 0 <= table["angle"] < 360:
                problems.append(f"{where}: angle {table['angle']} must be degrees from 0 to 359")
            else:
                views[view_id] = View(view_id, table["label"].strip(), table["angle"])
    return views


def _check_paint(paint: dict, problems: list[str]) -> float:
    if not _check_fields("paint", paint, {"light_max": (int, float)}, {}, problems):
        return 1.0
    light_max = paint["light_max"]
    if isinstance(light_max, bool) or not 0 < light_max <= 64:
        problems.append(f"paint: light_max {light_max!r} must be a number above 0 (and at most 64)")
        return 1.0
    return float(light_max)


def _positive_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _check_models(models: list, known_views: dict, problems: list[str]) -> list[dict]:
    good, seen = [], set()
    for index, entry in enumerate(models):
        name = f"models[{index}]" + (f" {entry.get('id')!r}" if isinstance(entry, dict) else "")
        if not _check_fields(name, entry, _MODEL_REQUIRED, {}, problems):
            continue
        if not _ID.fullmatch(entry["id"]):
            problems.append(f"{name}: id must be lower-case letters, digits and '-'")
        elif entry["id"] in seen:
            problems.append(f"{name}: duplicate model id")
        seen.add(entry["id"])
        if entry["base_price"] < 0:
            problems.append(f"{name}: base_price must not be negative")
        views = entry["views"]
        if (
            not views
            or not all(isinstance(v, str) and _ID.fullmatch(v) for v in views)
            or len(set(views)) != len(views)
        ):
            problems.append(f"{name}: views must be a non-empty list of distinct lower-case ids")
        else:
            for view in (v for v in views if v not in known_views):
                problems.append(f"{name}: view {view!r} has no [views.{view}] table with its label and angle")
        if not all(isinstance(v, str) for v in entry["defaults"].values()):
            problems.append(f"{name}: defaults must map each slot to an option id")
        good.append(entry)
    if not models:
        problems.append("models: the manifest lists no models")
    return good


def _check_options(options: list, choice_slots: tuple, model_ids: set, problems: list[str]) -> list[dict]:
    good, seen, customs = [], set(), []
    for index, entry in enumerate(options):
        name = f"options[{index}]" + (f" {entry.get('id')!r}" if isinstance(entry, dict) else "")
        if not _check_fields(name, entry, _OPTION_REQUIRED, _OPTION_OPTIONAL, problems):
            continue
        before = len(problems)
        if not _ID.fullmatch(entry["id"]):
            problems.append(f"{name}: id must be lower-case letters, digits and '-'")
        elif entry["id"] in seen:
            problems.append(f"{name}: duplicate option id")
        seen.add(entry["id"])
        if entry["slot"] not in choice_slots:
            problems.append(f"{name}: slot {entry['slot']!r} is not one of choice_slots {list(choice_slots)}")
        if entry["price"] < 0:
            problems.append(f"{name}: price must not be negative")
        for model_id in entry.get("models", []):
            if not isinstance(model_id, str) or model_id not in model_ids:
                problems.append(f"{name}: models lists {model_id!r}, which is not a model")
        if "models" in entry and not entry["models"]:
            problems.append(f"{name}: models is empty; leave it out to offer the option on every model")
        _check_colour_fields(name, entry, problems)
        for key in ("requires", "excludes"):
            if not all(isinstance(v, str) for v in entry.get(key, [])):
                problems.append(f"{name}: {key} must be a list of option ids")
        if entry.get("custom"):
            customs.append(name)
        if len(problems) == before:
            good.append(entry)
    if len(customs) > 1:
        problems.append(f"{', '.join(customs)}: only one option may be the custom colour")
    return good


def _check_colour_fields(name: str, entry: dict, problems: list[str]) -> None:
    is_colour = entry["slot"] == "colour"
    if entry.get("custom"):
        if not is_colour:
            problems.append(f"{name}: custom = true is only for the colour slot")
        if "hex" in entry:
            problems.append(f"{name}: the custom colour takes its hex from the customer; remove hex")
    elif is_colour:
        if "hex" not in entry:
            problems.append(f'{name}: colour options need a hex like "#C0392B"')
        elif not _HEX.fullmatch(entry["hex"]):
            problems.append(f"{name}: hex {entry['hex']!r} is not of the form #RRGGBB")
    elif "hex" in entry:
        problems.append(f"{name}: only colour options have a hex")
    if is_colour and entry.get("draws"):
        problems.append(f"{name}: colour options never have a layer (the body is tinted); remove draws")
    if entry["id"] == "custom" and not entry.get("custom"):
        problems.append(f"{name}: the option 'custom' must have custom = true")


def _car_model(entry: dict) -> CarModel:
    return CarModel(
        id=entry["id"],
        name=entry["name"],
        tagline=entry["tagline"],
        description=entry["description"],
        base_price=entry["base_price"],
        views=tuple(entry["views"]),
        defaults=MappingProxyType(dict(entry["defaults"])),
    )


def _option(entry: dict) -> Option:
    is_colour = entry["slot"] == "colour"
    return Option(
        id=entry["id"],
        slot=entry["slot"],
        name=entry["name"],
        price=entry["price"],
        alt=entry.get("alt", ""),
        description=entry.get("description", ""),
        models=tuple(entry["models"]) if "models" in entry else None,
        draws=False if is_colour else entry.get("draws", True),
        hex=entry["hex"].upper() if "hex" in entry else None,
        custom=entry.get("custom", False),
        requires=tuple(entry.get("requires", ())),
        excludes=tuple(entry.get("excludes", ())),
    )


def _check_defaults_and_coverage(catalogue: Catalogue, problems: list[str]) -> None:
    for index, model in enumerate(catalogue.models):
        name = f"models[{index}] {model.id!r}"
        for slot in sorted(set(model.defaults) - set(catalogue.choice_slots)):
            problems.append(f"{name}: defaults has {slot!r}, which is not one of choice_slots")
        for slot in catalogue.choice_slots:
            if not catalogue.options_for(model.id, slot):
                problems.append(
                    Problem(f"{name}: no {slot!r} option is available on this model", "slot_empty", model.id, slot)
                )
            option_id = model.defaults.get(slot)
            option = next((o for o in catalogue.options if o.id == option_id), None)
            if option_id is None:
                problems.append(f"{name}: defaults is missing slot {slot!r}")
            elif option is None:
                problems.append(
                    Problem(
                        f"{name}: default {slot} {option_id!r} is not an option", "default_gone", model.id, option_id
                    )
                )
            elif option.slot != slot:
                problems.append(f"{name}: default {slot} {option_id!r} belongs to slot {option.slot!r}")
            elif not option.available_on(model.id):
                problems.append(f"{name}: default {slot} {option_id!r} is not available on this model")
            elif option.custom:
                problems.append(f"{name}: default colour cannot be the custom colour (it has no hex)")


def _check_rules(catalogue: Catalogue, entries: list, problems: list[str]) -> None:
    """References first; then, if they hold, that every option can be had and every default set is valid."""
    index: dict[str, int] = {}
    for i, entry in enumerate(entries):
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            index.setdefault(entry["id"], i)
    names = {o.id: f"options[{index[o.id]}] {o.id!r}" for o in catalogue.options}
    before = len(problems)
    for option in catalogue.options:
        name = names[option.id]
        for key, ids in (("requires", option.requires), ("excludes", option.excludes)):
            for other_id in ids:
                other = next((o for o in catalogue.options if o.id == other_id), None)
                if other_id == option.id:
                    problems.append(Problem(f"{name}: {key} lists the option itself", "rule_self", option.id, key))
                elif other is None:
                    problems.append(
                        Problem(
                            f"{name}: {key} lists {other_id!r}, which is not an option",
                            "rule_unknown",
                            option.id,
                            key,
                            other_id,
                        )
                    )
                elif key == "requires" and other.slot == option.slot:
                    problems.append(
                        Problem(
                            f"{name}: requires {other_id!r} from its own slot {option.slot!r}; a build has one "
                            f"{option.slot} option, so this one could never be chosen",
                            "rule_same_slot",
                            option.id,
                            other_id,
                        )
                    )
        for other_id in sorted(set(option.requires) & set(option.excludes)):
            problems.append(
                Problem(f"{name}: both requires and excludes {other_id!r}", "rule_both", option.id, other_id)
            )
    if problems:
        return
    for model in catalogue.models:
        can_have = rules.reachable(catalogue, model.id)
        for option in catalogue.options:
            if option.available_on(model.id) and option.id not in can_have:
                missing = [r for r in option.requires if not catalogue.option(r).available_on(model.id)]
                problems.append(
                    Problem(
                        f"{names[option.id]}: can never be chosen on the {model.name} ({model.id!r}): "
                        + _unreachable_because(option, missing),
                        "unreachable_needs" if missing else "unreachable",
                        option.id,
                        model.id,
                        *missing,
                    )
                )
    if len(problems) > before:
        return
    for i, model in enumerate(catalogue.models):
        for problem in rules.problems(catalogue, catalogue.build_from(model.id)):
            text = f"models[{i}] {model.id!r}: the defaults break a rule: {problem}"
            problems.append(Problem(text, "defaults_break", model.id, problem))


def _unreachable_because(option: Option, missing: list[str]) -> str:
    if missing:
        return f"it requires {', '.join(map(repr, missing))}, not offered on that model; set its models to match"
    rules_text = "; ".join(
        f"{key} {', '.join(map(repr, ids))}"
        for key, ids in (("requires", option.requires), ("excludes", option.excludes))
        if ids
    )
    return f"no build satisfies its rules ({rules_text or 'those of the options it needs'})"


def _check_layer_files(catalogue: Catalogue, problems: list[str]) -> None:
    for model in catalogue.models:
        for view in model.views:
            for name, modes in FIXED_FILES.items():
                mode = _check_file(catalogue, catalogue.layer_path(model.id, view, name), problems)
                if mode is not None and mode not in modes:
                    problems.append(f"{model.id}/{view}/{name}.webp: mode is {mode}, must be {' or '.join(modes)}")
            for option in catalogue.drawn_options:
                if option.available_on(model.id):
                    path = catalogue.layer_path(model.id, view, option.id, option.slot)
                    _check_file(catalogue, path, problems, f"option {option.id!r}: ")


def _check_file(catalogue: Catalogue, path: Path, problems: list[str], prefix: str = "") -> str | None:
    uploaded = path in catalogue.layer_files.values()
    shown = (
        path.relative_to(catalogue.layers_dir).as_posix() if path.is_relative_to(catalogue.layers_dir) else path.name
    )
    try:
        # Image.open reads only the header, so checking every layer stays cheap.
        with Image.open(path) as image:
            size, mode, kind = image.size, image.mode, image.format
    except FileNotFoundError:
        problems.append(f"{prefix}layer file {shown} is missing")
        return None
    except OSError as exc:
        problems.append(f"{prefix}layer file {shown} cannot be read ({exc})")
        return None
    wanted = UPLOAD_FORMAT if uploaded else LAYER_FORMAT
    if kind != wanted:
        problems.append(f"{prefix}layer file {shown} is {kind}, not {wanted}")
    if size != catalogue.canvas:
        problems.append(
            f"{prefix}layer file {shown} is {size[0]}x{size[1]}, not the canvas "
            f"{catalogue.canvas[0]}x{catalogue.canvas[1]}"
        )
    return mode
