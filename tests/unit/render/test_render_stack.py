"""The stack: the painted base with one piece per slot laid over it is the composed picture, pixel for
pixel, and each piece depends on one option only (app.render.stack)."""

import dataclasses

import numpy as np
import pytest
from PIL import Image

from app.catalog import Catalogue
from app.render import CarPictures
from app.render.composite import compose
from app.render.stack import Piece, flatten, painted_base, piece, piece_slots, pieces_of

WIDTH = 160


def _build(catalogue: Catalogue, choices: dict, hex: str | None = None, model: str = "hatch"):
    return catalogue.build_from(model, choices, hex=hex)


def _stacked(pictures: CarPictures, build, view: str) -> Image.Image:
    library = pictures.library
    base = painted_base(library, build.model, view, WIDTH, build.hex)
    return flatten(base, pieces_of(library, build, view, WIDTH))


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
        composed = compose(pictures.library, pictures.key(build, view, WIDTH))
        stacked = _stacked(pictures, build, view)
        assert stacked.size == composed.size
        assert np.array_equal(_pixels(stacked), _pixels(composed)), view


def test_a_new_paint_changes_the_base_and_no_piece(pictures: CarPictures) -> None:
    catalogue, library = pictures.catalogue, pictures.library
    red = _build(catalogue, {"colour": "chili-red", "stripes": "stripes-black"})
    black = _build(catalogue, {"colour": "midnight-black", "stripes": "stripes-black"})
    view = "side"
    assert not np.array_equal(
        _pixels(painted_base(library, "hatch", view, WIDTH, red.hex)),
        _pixels(painted_base(library, "hatch", view, WIDTH, black.hex)),
    )
    for one, other in zip(pieces_of(library, red, view, WIDTH), pieces_of(library, black, view, WIDTH), strict=True):
        assert (one.slot, one.option, one.offset) == (other.slot, other.option, other.offset)
        assert np.array_equal(np.asarray(one.image), np.asarray(other.image))


def test_a_new_wheel_changes_the_wheels_piece_only(pictures: CarPictures) -> None:
    catalogue, library = pictures.catalogue, pictures.library
    before = _build(catalogue, {"wheels": "wheels-spoke"})
    after = _build(catalogue, {"wheels": "wheels-turbine"})
    changed = [
        one.slot
        for one, other in zip(
            pieces_of(library, before, "side", WIDTH), pieces_of(library, after, "side", WIDTH), strict=True
        )
        if one.option != other.option or not np.array_equal(np.asarray(one.image), np.asarray(other.image))
    ]
    assert changed == ["wheels"]


def test_a_piece_is_cropped_to_what_it_shows_and_clear_where_it_shows_nothing(pictures: CarPictures) -> None:
    library = pictures.library
    wheels = piece(library, "hatch", "side", WIDTH, "wheels", "wheels-spoke")
    assert wheels is not None and wheels.slot == "wheels" and wheels.option == "wheels-spoke"
    full = library.backdrop("hatch", "side", WIDTH).image.size
    assert wheels.image.width < full[0] or wheels.image.height < full[1]
    rgba = np.asarray(wheels.image)
    alpha = rgba[..., 3]
    # Cropped: every edge of the piece has something showing.
    assert alpha[0].any() and alpha[-1].any() and alpha[:, 0].any() and alpha[:, -1].any()
    # Colour under full transparency is zeroed (the encoder then spends nothing on it).
    assert not rgba[alpha == 0][:, :3].any()
    glass = piece(library, "hatch", "side", WIDTH, "glass", None)
    assert glass is not None and glass.option is None


def test_an_option_that_shows_nothing_has_no_piece(pictures: CarPictures) -> None:
    catalogue = pictures.catalogue
    empty = [
        o.id
        for o in catalogue.options_for("hatch", "stripes")
        if not pictures.library.option("hatch", "side", WIDTH, o.id)
    ]
    assert empty, "the synthetic catalogue has a stripes option that draws nothing"
    assert piece(pictures.library, "hatch", "side", WIDTH, "stripes", empty[0]) is None


def test_the_stack_needs_the_backdrop_and_body_painted_first(catalogue: Catalogue) -> None:
    assert piece_slots(catalogue)[0] not in ("backdrop", "body")
    assert piece_slots(catalogue)[-1] == "glass"
    body_later = dataclasses.replace(catalogue, slot_order=("backdrop", "wheels", "body", *catalogue.slot_order[3:]))
    with pytest.raises(ValueError, match="backdrop then body first"):
        piece_slots(body_later)


def test_a_later_piece_lies_over_an_earlier_one_where_they_meet() -> None:
    base = Image.new("RGB", (4, 2), (10, 10, 10))
    red = Piece("roof", "roof-red", Image.new("RGBA", (3, 2), (255, 0, 0, 255)), (0, 0))
    half_blue = Piece("stripes", "stripes-blue", Image.new("RGBA", (2, 1), (0, 0, 255, 128)), (2, 0))
    picture = flatten(base, [red, half_blue])
    assert picture.getpixel((0, 0)) == (255, 0, 0)
    assert picture.getpixel((2, 0)) == (127, 0, 128)  # half the blue over the red
    assert picture.getpixel((3, 0)) == (5, 5, 133)  # half the blue over the base
    assert picture.getpixel((3, 1)) == (10, 10, 10)
