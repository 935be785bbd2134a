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
        else:
            for layer in slot_layers(library, where, slot, chosen.get(slot)):
                layer.paste_onto(canvas)
    return canvas


def slot_layers(
    library: LayerLibrary, where: tuple[str, str, int], slot: str, option_id: str | None
) -> tuple[Layer, ...]:
    """What a slot above the body pastes at (model, view, width): the glass is the same for every build,
    any other slot shows the option chosen for it."""
    if slot == "glass":
        return library.glass(*where)
    if option_id is None:
        raise ValueError(f"No option chosen for the {slot} slot.")
    return library.option(*where, option_id)
