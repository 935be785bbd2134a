"""The catalogue's value types: models, options, slots and the validated `Build` of one car."""

from __future__ import annotations

import copyreg
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

# Accepts what a customer might type; the manifest itself is stricter (see manifest.py).
_LOOSE_HEX = re.compile(r"#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


def _read_only(values: dict) -> MappingProxyType:
    return MappingProxyType(values)


# A catalogue is pickled to hand it to the drawing process (app.render.drawing): its read-only
# mappings travel as plain dicts and come back read-only.
copyreg.pickle(MappingProxyType, lambda proxy: (_read_only, (dict(proxy),)))


class BuildError(ValueError):
    """A build that cannot exist; the message is written to be shown to the customer."""


def normalise_hex(text: object) -> str:
    """'#abc', 'abc', '#AABBCC' or 'aabbcc' -> '#AABBCC'; anything else raises BuildError."""
    match = _LOOSE_HEX.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise BuildError(f"{text!r} is not a colour code; use six hex digits like #1A2B3C.")
    digits = match.group(1).upper()
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    return "#" + digits


@dataclass(frozen=True)
class Slot:
    """A choice the customer makes (colour, roof, wheels...); exactly one option per build."""

    id: str
    label: str


@dataclass(frozen=True)
class View:
    """One angle the car is drawn from: `angle` is the camera's azimuth in degrees (0 = straight in front,
    90 = the car's left side), `label` what a screen reader says for it ("front three-quarter, left")."""

    id: str
    label: str
    angle: int


@dataclass(frozen=True)
class CarModel:
    """One car model, the views it is drawn from (in turning order; views[0] is its hero) and its defaults."""

    id: str
    name: str
    tagline: str
    description: str
    base_price: int
    views: tuple[str, ...]
    defaults: Mapping[str, str]


@dataclass(frozen=True)
class Option:
    """One option of one slot; `models` None means every model offers it.

    `requires`: option ids that must also be in the build; `excludes`: option ids that may not be
    (exclusion works both ways, see `Catalogue.clashes`). app.catalog.rules applies them.
    """

    id: str
    slot: str
    name: str
    price: int
    alt: str = ""
    description: str = ""
    models: tuple[str, ...] | None = None
    draws: bool = True
    hex: str | None = None
    custom: bool = False
    requires: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()

    def available_on(self, model_id: str) -> bool:
        return self.models is None or model_id in self.models


@dataclass(frozen=True)
class Build:
    """One car as chosen: a model, one option id per choice slot (in slot order), and its paint hex.

    `choices` is a tuple of (slot, option id) pairs in the catalogue's `choice_slots` order, so equal
    builds compare and hash equal whatever order the choices were given in.
    """

    model: str
    choices: tuple[tuple[str, str], ...]
    hex: str

    def choice(self, slot: str) -> str:
        return dict(self.choices)[slot]

    @property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(option_id for _, option_id in self.choices)


@dataclass(frozen=True)
class Catalogue:
    """Everything the manifest says exists, validated; look things up here, never in the TOML."""

    asset_version: str
    currency: str
    destination_charge: int
    canvas: tuple[int, int]
    widths: tuple[int, ...]
    slot_order: tuple[str, ...]
    choice_slots: tuple[str, ...]
    slots: Mapping[str, Slot]
    models: tuple[CarModel, ...]
    options: tuple[Option, ...]
    layers_dir: Path
    # Every view any model is drawn from, by id; a model lists the ones it has in `CarModel.views`.
    views: Mapping[str, View] = field(default_factory=lambda: MappingProxyType({}))
    # The most light the paint's light pass can hold: byte 255 of body_light means this much (linear).
    light_max: float = 1.0
    # The folder under layers_dir holding the layer images ({model}/{view}/...webp).
    layer_dir: str = "img"
    # Studio uploads that replace an option's layer: (model, view, option id) -> PNG path.
    layer_files: Mapping[tuple[str, str, str], Path] = field(default_factory=lambda: MappingProxyType({}))
    # Options that have left the range: never offered again, but the cars that have them (orders, old
    # builds) are still drawn and named with them. Not in `options`, so nothing new can choose them.
    retired: tuple[Option, ...] = ()
    # Derived in __post_init__ (lookups by id, and who clashes with whom); not arguments, not compared.
    _models: Mapping[str, CarModel] = field(init=False, repr=False, compare=False)
    _options: Mapping[str, Option] = field(init=False, repr=False, compare=False)
    _retired: Mapping[str, Option] = field(init=False, repr=False, compare=False)
    _clashes: Mapping[str, frozenset[str]] = field(init=False, repr=False, compare=False)
    _ruled: Mapping[str, Option] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Index once; frozen dataclasses need object.__setattr__ for derived fields.
        object.__setattr__(self, "_models", MappingProxyType({m.id: m for m in self.models}))
        object.__setattr__(self, "_options", MappingProxyType({o.id: o for o in self.options}))
        ruled = {o.id: o for o in self.options if o.requires or o.excludes}
        object.__setattr__(self, "_ruled", MappingProxyType(ruled))
        object.__setattr__(self, "_retired", MappingProxyType({o.id: o for o in self.retired}))
        # Exclusion is symmetric: "A excludes B" also keeps A out of any build that has B.
        clashes: dict[str, set[str]] = {o.id: set() for o in self.options}
        for option in self.options:
            for other in option.excludes:
                clashes[option.id].add(other)
                clashes.setdefault(other, set()).add(option.id)
        object.__setattr__(self, "_clashes", MappingProxyType({k: frozenset(v) for k, v in clashes.items()}))

    def model(self, model_id: str) -> CarModel:
        """The model with this id; BuildError if there is none."""
        try:
            return self._models[model_id]
        except (KeyError, TypeError):
            raise BuildError(f"There is no model called {model_id!r}.") from None

    def option(self, option_id: str) -> Option:
        """The option with this id; BuildError if there is none."""
        try:
            return self._options[option_id]
        except (KeyError, TypeError):
            raise BuildError(f"There is no option called {option_id!r}.") from None

    def ruled(self) -> Mapping[str, Option]:
        """The options that have a rule of their own (`requires` or `excludes`), by id."""
        return self._ruled

    def retired_option(self, option_id: object) -> Option | None:
        """The option if it has left the range (so it can be named and drawn for the cars that have it)."""
        return self._retired.get(option_id) if isinstance(option_id, str) else None

    def known_option(self, option_id: str) -> Option:
        """The option, offered or retired; BuildError if there has never been one (as far as we know)."""
        return self.retired_option(option_id) or self.option(option_id)

    @property
    def drawn_options(self) -> tuple[Option, ...]:
        """Every option with a layer to draw, the retired ones included: what the layer library decodes."""
        return tuple(o for o in (*self.options, *self.retired) if o.draws)

    def clashes(self, option_id: str) -> frozenset[str]:
        """Ids that can never share a build with this option (its `excludes` and whoever excludes it)."""
        return self._clashes.get(option_id, frozenset())

    def options_for(self, model_id: str, slot: str) -> tuple[Option, ...]:
        """The options of `slot` offered on the model, in manifest order."""
        return tuple(o for o in self.options if o.slot == slot and o.available_on(model_id))

    def defaults(self, model_id: str) -> Mapping[str, str]:
        """The model's default option id per choice slot."""
        return self.model(model_id).defaults

    def height_for(self, width: int) -> int:
        """The picture height at an output width, keeping the canvas aspect ratio."""
        return round(self.canvas[1] * width / self.canvas[0])

    def layer_path(self, model_id: str, view: str, name: str, slot: str | None = None) -> Path:
        """Where a layer file lives: fixed layers by name, option layers under their slot."""
        if slot and (model_id, view, name) in self.layer_files:
            return self.layer_files[(model_id, view, name)]
        folder = self.layers_dir / self.layer_dir / model_id / view
        return folder / slot / f"{name}.webp" if slot else folder / f"{name}.webp"

    def view(self, view_id: str) -> View:
        """The view with this id; BuildError if there is none."""
        try:
            return self.views[view_id]
        except (KeyError, TypeError):
            raise BuildError(f"There is no view called {view_id!r}.") from None

    def build_from(
        self,
        model_id: str,
        choices: Mapping[str, str] | None = None,
        hex: str | None = None,
        *,
        retired: bool = False,
    ) -> Build:
        """A validated Build: missing slots take the model's defaults; `hex` only with the custom colour.

        `retired` True also accepts options that have left the range: for drawing a car someone already
        has (an order), never for a new build.
        """
        model = self.model(model_id)
        find = self.known_option if retired else self.option
        choices = dict(choices or {})
        unknown = sorted(set(choices) - set(self.choice_slots))
        if unknown:
            raise BuildError(f"There is no choice called {unknown[0]!r}.")
        picked = []
        for slot in self.choice_slots:
            option = find(choices.get(slot, model.defaults[slot]))
            if option.slot != slot:
                raise BuildError(
                    f"{option.name} is a {self.slots[option.slot].label.lower()} option, "
                    f"not a {self.slots[slot].label.lower()} option."
                )
            if not option.available_on(model.id):
                raise BuildError(f"{option.name} is not available on the {model.name}.")
            picked.append((slot, option.id))
        return Build(model.id, tuple(picked), self._paint_hex(find(dict(picked)["colour"]), hex))

    def _paint_hex(self, colour: Option, hex: str | None) -> str:
        if colour.custom:
            if hex is None:
                raise BuildError(f"Pick a colour code for {colour.name}.")
            return normalise_hex(hex)
        if hex is not None:
            raise BuildError(f"A colour code can only be given with the custom colour, not {colour.name}.")
        return colour.hex or ""
