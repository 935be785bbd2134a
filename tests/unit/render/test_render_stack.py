"""The stack: the painted base with one piece per slot laid over it is the composed picture, pixel for
pixel, and each piece depends on one option only (app.render.stack)."""

import dataclasses

import numpy as np
import pytest
from PIL import Image

from app.catalog import Catalogue
from app.render import CarPictures
from app.render.composite import compose
from app.render.key import piece_slots, stack_keys
from app.render.stack import flatten, painted_base, piece, pieces_of

WIDTH = 160


def _build(catalogue: Catalogue, choices: dict, hex: str | None = None, model: str = "hatch"):
    return catalogue.build_from(model, choices, hex=hex)


def _stacked(pictures: CarPictures, build, view: str, width: int = WIDTH) -> Image.Image:
    library = pictures.library
    base = painted_base(library, build.model, view, width, build.hex)
    return flatten(base, pieces_of(library, build, view, width))


def _pixels(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("RGB"), dtype=np.int16)


@pytest.mark.parametrize(
    "choices, hex",
    [
        ({}, None),
        ({"colour": "custom"}, "#2A9D8F"),
        ({"colour": "midnight-black", "stripes": "stripes-black", "wheels": "wheels-turbine"}, None),
        (
            {"roof": "roof-black", "badge": "badge-sport", "mirrors": "mirrors-chrome", "badge_bar": "badgebar-rally"},
            None,
        ),
    ],
)
def test_the_stack_laid_over_its_base_is_the_composed_picture(pictures: CarPictures, choices, hex) -> None:
    catalogue = pictures.catalogue
    build = _build(catalogue, choices, hex)
    for view in catalogue.model("hatch").views:
        for width in catalogue.widths:
            composed = compose(pictures.library, pictures.key(build, view, width))
            stacked = _stacked(pictures, build, view, width)
            assert stacked.size == composed.size
            assert np.array_equal(_pixels(stacked), _pixels(composed)), (view, width)


def test_a_new_paint_changes_the_base_and_no_piece(pictures: CarPictures) -> None:
    catalogue, library = pictures.catalogue, pictures.library
    red = _build(catalogue, {"colour": "chili-red", "stripes": "stripes-black"})
    black = _build(catalogue, {"colour": "midnight-black", "stripes": "stripes-black"})
    view = "side"
    assert not np.array_equal(
        _pixels(painted_base(library, "hatch", view, WIDTH, red.hex)),
        _pixels(painted_base(library, "hatch", view, WIDTH, black.hex)),
    )
    assert stack_keys(catalogue, red, view, WIDTH)[1:] == stack_keys(catalogue, black, view, WIDTH)[1:]
    for one, other in zip(pieces_of(library, red, view, WIDTH), pieces_of(library, black, view, WIDTH), strict=True):
        assert np.array_equal(np.asarray(one), np.asarray(other))


def test_a_new_wheel_changes_the_wheels_piece_only(pictures: CarPictures) -> None:
    catalogue, library = pictures.catalogue, pictures.library
    before = _build(catalogue, {"wheels": "wheels-spoke"})
    after = _build(catalogue, {"wheels": "wheels-turbine"})
    keys = zip(stack_keys(catalogue, before, "side", WIDTH), stack_keys(catalogue, after, "side", WIDTH), strict=True)
    assert [one.slot for one, other in keys if one != other] == ["wheels"]
    changed = [
        slot
        for slot, one, other in zip(
            [k.slot for k in stack_keys(catalogue, before, "side", WIDTH)[1:]],
            pieces_of(library, before, "side", WIDTH),
            pieces_of(library, after, "side", WIDTH),
            strict=True,
        )
        if not np.array_equal(np.asarray(one), np.asarray(other))
    ]
    assert changed == ["wheels"]


def test_a_piece_is_its_layer_alone_on_a_clear_picture(pictures: CarPictures) -> None:
    library = pictures.library
    wheels = piece(library, "hatch", "side", WIDTH, "wheels", "wheels-spoke")
    assert wheels.mode == "RGBA" and wheels.size == library.backdrop("hatch", "side", WIDTH).image.size
    rgba = np.asarray(wheels)
    alpha = rgba[..., 3]
    assert alpha.any() and not alpha.all()
    # Colour under full transparency is zeroed (the encoder then spends nothing on it).
    assert not rgba[alpha == 0][:, :3].any()
    assert np.asarray(piece(library, "hatch", "side", WIDTH, "glass", None))[..., 3].any()


def test_an_option_that_draws_nothing_is_left_out_of_the_stack(pictures: CarPictures) -> None:
    catalogue = pictures.catalogue
    build = _build(catalogue, {"stripes": "stripes-none", "badge_bar": "badgebar-rally"})
    slots = [key.slot for key in stack_keys(catalogue, build, "side", WIDTH)]
    assert slots[0] == "body" and "badge_bar" in slots and "stripes" not in slots and slots[-1] == "glass"


def test_the_stack_needs_the_backdrop_and_body_painted_first(catalogue: Catalogue) -> None:
    assert piece_slots(catalogue)[0] not in ("backdrop", "body")
    assert piece_slots(catalogue)[-1] == "glass"
    body_later = dataclasses.replace(catalogue, slot_order=("backdrop", "wheels", "body", *catalogue.slot_order[3:]))
    with pytest.raises(ValueError, match="backdrop then body first"):
        piece_slots(body_later)


def test_a_later_piece_lies_over_an_earlier_one_where_they_meet() -> None:
    base = Image.new("RGB", (4, 2), (10, 10, 10))
    red = Image.new("RGBA", (4, 2), (0, 0, 0, 0))
    red.paste((255, 0, 0, 255), (0, 0, 3, 2))
    half_blue = Image.new("RGBA", (4, 2), (0, 0, 0, 0))
    half_blue.paste((0, 0, 255, 128), (2, 0, 4, 1))
    picture = flatten(base, [red, half_blue])
    assert picture.getpixel((0, 0)) == (255, 0, 0)
    assert picture.getpixel((2, 0)) == (127, 0, 128)  # half the blue over the red
    assert picture.getpixel((3, 0)) == (5, 5, 133)  # half the blue over the base
    assert picture.getpixel((3, 1)) == (10, 10, 10)
