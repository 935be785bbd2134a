"""Stack a build's layers, in the manifest's paint order, into one RGB picture."""

from __future__ import annotations

from PIL import Image

from app.render.key import RenderKey
from app.render.layers import Layer, LayerLibrary
from app.render.paint import paint_body


def compose(library: LayerLibrary, key: RenderKey) -> Image.Image:
    """The picture for `key` as an RGB image of the key's width (no encoding)."""
    catalogue = library.catalogue
    chosen = dict(zip(catalogue.choice_slots, key.options, strict=True))
    where = (key.model, key.view, key.width)
    # The backdrop is opaque, so every layer can be pasted with its own alpha as the mask:
    # over an opaque base that equals alpha compositing and skips a full-frame RGBA pass.
    canvas = library.backdrop(*where).image.copy()
    for slot in catalogue.slot_order:
        if slot == "backdrop":
            continue
        if slot == "body":
            paint_body(canvas, library.body(*where), key.hex, catalogue.light_max)
        elif slot == "glass":
            _paste(canvas, library.glass(*where))
        else:
            _paste(canvas, library.option(*where, chosen[slot]))
    return canvas


def _paste(canvas: Image.Image, pieces: tuple[Layer, ...]) -> None:
    for piece in pieces:
        piece.paste_onto(canvas)
