"""Describe a car picture in words for its alt text, from the same key the picture is drawn from."""

from __future__ import annotations

from collections.abc import Sequence

from app.catalog import Build, Catalogue, Option
from app.catalog.colour_names import colour_name
from app.render.key import RenderKey


def alt_text(catalogue: Catalogue, key: RenderKey) -> str:
    """E.g. 'Hatch in Chili Red with a white roof and 15-inch spoke wheels, seen from the left side'.

    The angle is named because the spin shows the same car from eight: a screen reader hears which one.
    """
    return with_angle(catalogue, _describe(catalogue, key.model, key.options, key.hex), key.view)


def build_description(catalogue: Catalogue, build: Build) -> str:
    """The alt text without its angle: what /build sends once per pick for the browser to add each angle to."""
    return _describe(catalogue, build.model, build.option_ids, build.hex)


def with_angle(catalogue: Catalogue, description: str, view: str) -> str:
    # assets/predict.js adds the angle the same way (tests/unit/test_prediction.py holds them together).
    return f"{description}, seen from the {catalogue.view(view).label}"


def _describe(catalogue: Catalogue, model_id: str, option_ids: Sequence[str], hex_colour: str) -> str:
    model = catalogue.model(model_id)
    # An ordered car keeps its name for an option that has since left the range.
    options = [catalogue.known_option(option_id) for option_id in option_ids]
    colour = next(o for o in options if o.slot == "colour")
    # A customer's own paint is read out as a colour word, never as hex digits.
    paint = f"a custom {colour_name(hex_colour)}" if colour.custom else alt_words(colour)
    extras = [o.alt for o in options if o.slot != "colour" and o.alt]
    text = f"{model.name} in {paint}"
    if extras:
        text += " with " + _join(extras)
    return text.rstrip(",")


def alt_words(option: Option) -> str:
    """What an option adds to the description ("a black roof"); a colour always names itself."""
    return (option.alt or option.name) if option.slot == "colour" else option.alt


def _join(phrases: list[str]) -> str:
    return phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " and " + phrases[-1]
