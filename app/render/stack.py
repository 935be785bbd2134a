"""A build's picture as a stack: the painted body over the backdrop, then one transparent piece per slot.

Why a stack: a picture per build means every combination of options is a picture of its own (12,096
hatch builds for each angle and width), so a crowd picking builds nobody has seen keeps the server
drawing, and on the scaled setup's two cores the picks' tail missed its goal whenever the server drew
(README, "Where issue 16 stands"). Every layer above the body is pasted by its own alpha, so the same
picture is the painted base with each slot's piece laid over it, in paint order, as a browser lays
transparent images over one another; a piece depends on one option only. That is 24 pictures for an
angle and width of the hatch (7 paints, 17 pieces) instead of 12,096, few enough to draw them all ahead
of time (`every_stack_key`). The pages lay the stack from the first pick or turn on (assets/spin.js);
`tests/bench/layer_stack.py` measures what it costs and saves against the composites.

A piece is as large as the picture, clear where it shows nothing, so a page lays it over the base
without placing it: with any WebP effort but the fastest (app.render.encode), a clear area costs next
to no bytes (a whole-picture wheels piece at 800 wide: 9.1 KB drawn while someone waits, 8.1 KB ahead
of time, 39.8 KB with the fastest effort).
"""

from __future__ import annotations

from PIL import Image

from app.catalog import Build
from app.render.composite import compose, slot_layers
from app.render.key import PictureKey, RenderKey, stack_keys
from app.render.layers import LayerLibrary
from app.render.paint import paint_body


def painted_base(library: LayerLibrary, model: str, view: str, width: int, hex_colour: str) -> Image.Image:
    """The backdrop with the body painted `hex_colour`: the opaque bottom of the stack (RGB)."""
    canvas = library.backdrop(model, view, width).image.copy()
    paint_body(canvas, library.body(model, view, width), hex_colour, library.catalogue.light_max)
    return canvas


def piece(library: LayerLibrary, model: str, view: str, width: int, slot: str, option: str | None) -> Image.Image:
    """The slot's layer for `option` alone on a clear picture of the full size (RGBA; all clear when the
    option can't be seen from this angle)."""
    size = library.backdrop(model, view, width).image.size
    canvas = Image.new("RGBA", size, (0, 0, 0, 0))
    for layer in slot_layers(library, (model, view, width), slot, option):
        tile = layer.image.convert("RGBA")
        if layer.mask is not None:
            tile.putalpha(layer.mask)
        canvas.paste(tile, layer.offset)
    # Colour under full transparency is never seen; zeroed, it costs the encoder nothing.
    shown = canvas.getchannel("A").point(lambda a: 255 if a else 0)
    return Image.composite(canvas, Image.new("RGBA", size, (0, 0, 0, 0)), shown)


def pieces_of(library: LayerLibrary, build: Build, view: str, width: int) -> list[Image.Image]:
    """The build's pieces at this angle and width, in paint order (as `stack_keys` names them)."""
    keys = stack_keys(library.catalogue, build, view, width)[1:]
    return [piece(library, build.model, view, width, key.slot, key.option) for key in keys]


def flatten(base: Image.Image, pieces: list[Image.Image]) -> Image.Image:
    """The stack as one RGB picture, each piece laid over the ones below as a browser lays an image with
    transparency over another (source-over, in the images' own sRGB values)."""
    picture = base.convert("RGBA")
    for layer in pieces:
        picture = Image.alpha_composite(picture, layer)
    return picture.convert("RGB")


def picture_image(library: LayerLibrary, key: PictureKey) -> Image.Image:
    """The unencoded picture a key names: a build's composite, a stack's base (RGB) or a piece (RGBA)."""
    if isinstance(key, RenderKey):
        return compose(library, key)
    if key.slot == "body":
        return painted_base(library, key.model, key.view, key.width, key.hex)
    return piece(library, key.model, key.view, key.width, key.slot, key.option)
