"""The canonical name of one car picture (`RenderKey`), its URL, and the strict parser for that URL.

URL design (the only form the route serves; `RenderKey.url()` always produces it):

    /car/{asset_version}/{model}/{view}/{width}/{HEX}/{option}+{option}+...{.webp|.jpg}

- `HEX` is the paint as six upper-case hex digits without '#': the colour option's own hex, or the
  customer's for the custom colour (so any colour gets its own URL without a query string).
- the options are one id per choice slot, in the manifest's `choice_slots` order (colour first).
- the extension is the format, so no content negotiation and no `Vary: Accept` are needed. The one
  exception: in a crowd, a never-seen WebP may be answered with the same picture as JPEG, said so in
  its Content-Type and never kept (see `DrawingQueue` in app.render.route).
- the asset version makes every URL immutable: publishing new imagery changes the version, and an
  old version's URLs answer 404 (pages always build URLs from the current catalogue).

The pictures of a build's stack (app.render.stack) have URLs of their own, each a function of one
paint or one option, so every build shares them:

    /car/{asset_version}/{model}/{view}/{width}/stack/body/{HEX}.webp       the painted base
    /car/{asset_version}/{model}/{view}/{width}/stack/{slot}/{option}.webp  one slot's piece
    /car/{asset_version}/{model}/{view}/{width}/stack/glass/glass.webp      a slot without options

Anything else (another order, lower-case hex, extra or missing segments, percent-encoding, dots)
is refused, so each picture has exactly one URL and one cache entry.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass

from app.catalog import Build, BuildError, Catalogue

PREFIX = "/car/"
FORMATS = {"webp": "image/webp", "jpg": "image/jpeg"}
MAX_URL_LENGTH = 512
_SEGMENT = re.compile(r"[a-z0-9][a-z0-9-]{0,47}")
_VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,31}")
_WIDTH = re.compile(r"[1-9][0-9]{0,4}")
_HEX = re.compile(r"[0-9A-F]{6}")
_SLOT = re.compile(r"[a-z][a-z0-9_]{0,31}")
STACK = "stack"  # the URL segment that tells a stack picture from a build's composite
UNDER_THE_PIECES = ("backdrop", "body")  # painted into a stack's base; every other slot is a piece over it


class BadPictureRequest(ValueError):
    """A picture URL that names no picture; `status` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class _Named(ABC):
    """What a picture's URL gives it: the disk store's name, the ETag and the Content-Type."""

    format: str

    @abstractmethod
    def url(self) -> str:
        """The one URL of this picture."""

    @property
    def digest(self) -> str:
        """A hash of the URL: the disk cache's file name and the ETag, never user text."""
        return hashlib.sha256(self.url().encode("ascii")).hexdigest()

    @property
    def etag(self) -> str:
        return f'"{self.digest[:32]}"'

    @property
    def content_type(self) -> str:
        return FORMATS[self.format]


@dataclass(frozen=True)
class RenderKey(_Named):
    """Everything that decides the pixels and bytes of one picture, in canonical form."""

    asset_version: str
    model: str
    view: str
    width: int
    format: str
    hex: str  # "#RRGGBB", upper-case
    options: tuple[str, ...]  # one option id per choice slot, in choice_slots order

    def url(self) -> str:
        """The one URL of this picture (see the module docstring)."""
        return (
            f"{PREFIX}{self.asset_version}/{self.model}/{self.view}/{self.width}/"
            f"{self.hex[1:]}/{'+'.join(self.options)}.{self.format}"
        )

    def with_width(self, width: int) -> RenderKey:
        return RenderKey(self.asset_version, self.model, self.view, width, self.format, self.hex, self.options)


@dataclass(frozen=True)
class StackKey(_Named):
    """One picture of a build's stack: the base painted `name` (slot "body", six hex digits), or the
    piece of `slot` showing option `name` (the slot's own name for a slot without options)."""

    asset_version: str
    model: str
    view: str
    width: int
    slot: str
    name: str
    format: str = "webp"

    def url(self) -> str:
        """The one URL of this picture (see the module docstring)."""
        return (
            f"{PREFIX}{self.asset_version}/{self.model}/{self.view}/{self.width}/{STACK}/{self.slot}/{self.name}.webp"
        )

    @property
    def hex(self) -> str:
        """The base's paint as '#RRGGBB'."""
        return "#" + self.name

    @property
    def option(self) -> str | None:
        """The piece's option (None for the base and for a slot without options)."""
        return None if self.slot == "body" or self.name == self.slot else self.name


PictureKey = RenderKey | StackKey


def piece_slots(catalogue: Catalogue) -> tuple[str, ...]:
    """The slots a stack draws as pieces, in paint order; the base must be what is painted first."""
    order = tuple(catalogue.slot_order)
    if order[: len(UNDER_THE_PIECES)] != UNDER_THE_PIECES:
        raise ValueError(f"A stack needs {' then '.join(UNDER_THE_PIECES)} first in the paint order, not {order}.")
    return order[len(UNDER_THE_PIECES) :]


def stack_keys(catalogue: Catalogue, build: Build, view: str, width: int) -> list[StackKey]:
    """The keys of a build's stack at one angle and width: its base, then a piece for every slot above
    the body in paint order, but for options that draw nothing (no stripes)."""
    where = (catalogue.asset_version, build.model, view, width)
    choices = dict(build.choices)
    keys = [StackKey(*where, "body", build.hex[1:].upper())]
    for slot in piece_slots(catalogue):
        if slot not in choices:
            keys.append(StackKey(*where, slot, slot))
        elif catalogue.known_option(choices[slot]).draws:
            keys.append(StackKey(*where, slot, choices[slot]))
    return keys


def in_the_catalogue(catalogue: Catalogue, key: PictureKey) -> bool:
    """Whether the key is one of the catalogue's own stack pictures (`every_stack_key`): every piece, and
    the base of every paint the catalogue names. Only a customer's own paint makes a base of its own."""
    if not isinstance(key, StackKey):
        return False
    if key.slot != "body":
        return True
    return any(o.hex and o.hex.upper() == key.hex for o in catalogue.options_for(key.model, "colour"))


def every_stack_key(catalogue: Catalogue, model: str, view: str, width: int) -> list[StackKey]:
    """Every picture a stack of `model` can need at one angle and width but a customer's own paint's
    base: the catalogue's paints, and a piece for every option that draws (what is drawn ahead)."""
    where = (catalogue.asset_version, model, view, width)
    paints = [o.hex for o in catalogue.options_for(model, "colour") if o.hex and not o.custom]
    keys = [StackKey(*where, "body", paint[1:].upper()) for paint in paints]
    for slot in piece_slots(catalogue):
        if slot not in catalogue.choice_slots:
            keys.append(StackKey(*where, slot, slot))
        else:
            keys += [StackKey(*where, slot, o.id) for o in catalogue.options_for(model, slot) if o.draws]
    return keys


def render_key(catalogue: Catalogue, build: Build, view: str, width: int, format: str = "webp") -> RenderKey:
    """The key of a build's picture; raises BuildError for a view, width or format that doesn't exist."""
    model = catalogue.model(build.model)
    if view not in model.views:
        raise BuildError(f"The {model.name} has no {view!r} view.")
    if width not in catalogue.widths:
        raise BuildError(f"Pictures come in widths {list(catalogue.widths)}, not {width!r}.")
    if format not in FORMATS:
        raise BuildError(f"Pictures come as {' or '.join(FORMATS)}, not {format!r}.")
    return RenderKey(catalogue.asset_version, build.model, view, width, format, build.hex, build.option_ids)


def parse_car_path(path: str, catalogue: Catalogue) -> RenderKey:
    """The key a /car/... path names, or BadPictureRequest (400 malformed, 404 no such picture, 414 too long)."""
    if len(path) > MAX_URL_LENGTH:
        raise BadPictureRequest(414, "URL too long.")
    if not path.startswith(PREFIX):
        raise BadPictureRequest(404, "Not a car picture.")
    parts = path[len(PREFIX) :].split("/")
    if len(parts) != 6:
        raise BadPictureRequest(400, "A car picture URL has six parts after /car/.")
    version, model, view, width, hex_digits, last = parts
    stem, dot, format = last.rpartition(".")
    if not dot or format not in FORMATS:
        raise BadPictureRequest(400, "The picture must end in .webp or .jpg.")
    options = stem.split("+")
    _require(_VERSION.fullmatch(version), "Malformed asset version.")
    _require(_SEGMENT.fullmatch(model) and _SEGMENT.fullmatch(view), "Malformed model or view.")
    _require(_WIDTH.fullmatch(width), "Malformed width.")
    _require(_HEX.fullmatch(hex_digits), "The colour must be six upper-case hex digits.")
    _require(all(_SEGMENT.fullmatch(o) for o in options), "Malformed option list.")
    if version != catalogue.asset_version:
        raise BadPictureRequest(404, "That picture is not in the current catalogue.")
    if len(options) != len(catalogue.choice_slots):
        raise BadPictureRequest(400, f"Give exactly one option per slot: {', '.join(catalogue.choice_slots)}.")
    key = _key_from_parts(catalogue, model, view, int(width), format, "#" + hex_digits, options)
    if key.url() != path:
        raise BadPictureRequest(400, "Not the canonical URL of this picture.")
    return key


def parse_picture_path(path: str, catalogue: Catalogue) -> PictureKey:
    """`parse_car_path`, or the key of a stack picture (see the module docstring)."""
    parts = path[len(PREFIX) :].split("/") if path.startswith(PREFIX) and len(path) <= MAX_URL_LENGTH else []
    if len(parts) != 7 or parts[4] != STACK:
        return parse_car_path(path, catalogue)
    version, model, view, width, _stack, slot, last = parts
    name, dot, format = last.rpartition(".")
    if not dot or format != "webp":
        raise BadPictureRequest(400, "A stack picture must end in .webp.")
    _require(_VERSION.fullmatch(version), "Malformed asset version.")
    _require(_SEGMENT.fullmatch(model) and _SEGMENT.fullmatch(view), "Malformed model or view.")
    _require(_WIDTH.fullmatch(width), "Malformed width.")
    _require(_SLOT.fullmatch(slot), "Malformed slot.")
    _require((_HEX if slot == "body" else _SEGMENT).fullmatch(name), "Malformed paint or option.")
    if version != catalogue.asset_version:
        raise BadPictureRequest(404, "That picture is not in the current catalogue.")
    key = StackKey(version, model, view, int(width), slot, name)
    _check_stack_key(catalogue, key)
    if key.url() != path:
        raise BadPictureRequest(400, "Not the canonical URL of this picture.")
    return key


def _check_stack_key(catalogue: Catalogue, key: StackKey) -> None:
    """BadPictureRequest (404) unless the key names a picture this catalogue's stack has."""
    try:
        car = catalogue.model(key.model)
    except BuildError as exc:
        raise BadPictureRequest(404, str(exc)) from None
    if key.view not in car.views:
        raise BadPictureRequest(404, f"The {car.name} has no {key.view!r} view.")
    if key.width not in catalogue.widths:
        raise BadPictureRequest(404, f"Pictures come in widths {list(catalogue.widths)}, not {key.width}.")
    if key.slot == "body":
        return
    if key.slot not in piece_slots(catalogue):
        raise BadPictureRequest(404, f"A stack has no {key.slot!r} piece.")
    if key.slot not in catalogue.choice_slots:
        if key.name != key.slot:
            raise BadPictureRequest(404, f"The {key.slot} is the same on every car: ask for {key.slot}.webp.")
        return
    try:
        # Retired options still draw, as in a composite: the cars already ordered with them keep their pictures.
        option = catalogue.known_option(key.name)
    except BuildError as exc:
        raise BadPictureRequest(404, str(exc)) from None
    retired = catalogue.retired_option(key.name) is not None
    if option.slot != key.slot or option.custom or not (option.available_on(key.model) or retired):
        raise BadPictureRequest(404, f"No {key.slot} piece called {key.name!r} on the {car.name}.")
    # An option that draws nothing (no stripes) has a clear piece: stack_keys leaves it out, but a page
    # that doesn't know (a saved build's retired option, which predict.js has no entry for) still gets one.


def _require(ok: object, message: str) -> None:
    if not ok:
        raise BadPictureRequest(400, message)


def _key_from_parts(catalogue, model, view, width, format, hex_colour, options) -> RenderKey:
    choices = dict(zip(catalogue.choice_slots, options, strict=True))
    try:
        # Retired options still draw: the cars already ordered with them keep their pictures.
        colour = catalogue.known_option(choices["colour"])
        custom_hex = hex_colour if colour.custom else None
        build = catalogue.build_from(model, choices, hex=custom_hex, retired=True)
        # A named colour in a paint other than today's is an order's frozen paint: the car keeps the
        # colour it was ordered in after marketing recolours it (any paint is drawable as custom anyway).
        return render_key(catalogue, dataclasses.replace(build, hex=hex_colour), view, width, format)
    except BuildError as exc:
        raise BadPictureRequest(404, str(exc)) from None
