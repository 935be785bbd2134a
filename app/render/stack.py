"""A build's picture as a stack: the painted body over the backdrop, then one transparent piece per slot.

Why a stack: a picture per build means every combination of options is a picture of its own (12,096
hatch builds for each angle and width), so a crowd picking builds nobody has seen keeps the server
drawing, and on the scaled setup's two cores the picks' tail missed its goal whenever the server drew
(README, "Where issue 16 stands"). Every layer above the body is pasted by its own alpha, so the same
picture is the painted base with each slot's piece laid over it, in paint order, as a browser lays
transparent images over one another; a piece depends on one option only. That is 24 pictures for an
angle and width of the hatch (7 paints, 17 pieces) instead of 12,096, few enough to draw them all ahead
of time. `tests/bench/layer_stack.py` measures what the stack would cost and save against the
composites; the pages still show composites.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from app.catalog import Build, Catalogue
from app.render.composite import slot_layers
from app.render.layers import LayerLibrary
from app.render.paint import paint_body

UNDER_THE_PIECES = ("backdrop", "body")  # painted into the base; every other slot is a piece above it


@dataclass(frozen=True)
class Piece:
    """One slot's layer on its own: RGBA, cropped to what it shows, and where it goes on the picture."""

    slot: str
    option: str | None  # None for a slot that is the same for every build (the glass)
    image: Image.Image
    offset: tuple[int, int]


def piece_slots(catalogue: Catalogue) -> tuple[str, ...]:
    """The slots drawn as pieces, in paint order; the base must be what is painted first."""
    order = tuple(catalogue.slot_order)
    if order[: len(UNDER_THE_PIECES)] != UNDER_THE_PIECES:
        raise ValueError(f"A stack needs {' then '.join(UNDER_THE_PIECES)} first in the paint order, not {order}.")
    return order[len(UNDER_THE_PIECES) :]


def painted_base(library: LayerLibrary, model: str, view: str, width: int, hex_colour: str) -> Image.Image:
    """The backdrop with the body painted `hex_colour`: the opaque bottom of the stack (RGB)."""
    canvas = library.backdrop(model, view, width).image.copy()
    paint_body(canvas, library.body(model, view, width), hex_colour, library.catalogue.light_max)
    return canvas


def piece(library: LayerLibrary, model: str, view: str, width: int, slot: str, option: str | None) -> Piece | None:
    """The slot's piece for `option` (None: the option shows nothing at this angle, say no stripes)."""
    layers = slot_layers(library, (model, view, width), slot, option)
    if not layers:
        return None
    size = library.backdrop(model, view, width).image.size
    canvas = Image.new("RGBA", size, (0, 0, 0, 0))
    for layer in layers:
        tile = layer.image.convert("RGBA")
        if layer.mask is not None:
            tile.putalpha(layer.mask)
        canvas.paste(tile, layer.offset)
    box = canvas.getchannel("A").getbbox()
    if box is None:
        return None
    # Colour under full transparency is never seen; zeroed, it costs the encoder nothing.
    clear = Image.new("RGBA", size, (0, 0, 0, 0))
    canvas = Image.composite(canvas, clear, canvas.getchannel("A").point(lambda a: 255 if a else 0))
    return Piece(slot, None if slot == "glass" else option, canvas.crop(box), box[:2])


def pieces_of(library: LayerLibrary, build: Build, view: str, width: int) -> list[Piece]:
    """The build's pieces at this angle and width, in paint order."""
    choices = dict(build.choices)
    slots = piece_slots(library.catalogue)
    found = (piece(library, build.model, view, width, slot, choices.get(slot)) for slot in slots)
    return [p for p in found if p is not None]


def flatten(base: Image.Image, pieces: list[Piece]) -> Image.Image:
    """The stack as one RGB picture, each piece laid over the ones below as a browser lays an image with
    transparency over another (source-over, in the images' own sRGB values)."""
    picture = base.convert("RGBA")
    for p in pieces:
        layer = Image.new("RGBA", picture.size, (0, 0, 0, 0))
        layer.paste(p.image, p.offset)
        picture = Image.alpha_composite(picture, layer)
    return picture.convert("RGB")
