"""Describe a car picture in words for its alt text, from the same key the picture is drawn from."""

from __future__ import annotations

from app.catalog import Catalogue
from app.catalog.colour_names import colour_name
from app.render.key import RenderKey


def alt_text(catalogue: Catalogue, key: RenderKey) -> str:
    """E.g. 'Hatch in Chili Red with a white roof and 15-inch spoke wheels, seen from the left side'.

    The angle is named because the spin shows the same car from eight: a screen reader hears which one.
    """
    model = catalogue.model(key.model)
    options = [catalogue.option(option_id) for option_id in key.options]
    colour = next(o for o in options if o.slot == "colour")
    # A customer's own paint is read out as a colour word, never as hex digits.
    paint = f"a custom {colour_name(key.hex)}" if colour.custom else (colour.alt or colour.name)
    extras = [o.alt for o in options if o.slot != "colour" and o.alt]
    text = f"{model.name} in {paint}"
    if extras:
        text += " with " + _join(extras)
    return f"{text.rstrip(',')}, seen from the {catalogue.view(key.view).label}"


def _join(phrases: list[str]) -> str:
    return phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " and " + phrases[-1]
