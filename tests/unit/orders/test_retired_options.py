"""An order keeps its picture: options retired after it was placed still draw and name the car as ordered."""

import pytest

from app.catalog import BuildError, load_catalogue
from app.catalog.published import catalogue_from
from app.orders.placement import spec_of
from app.orders.story import order_story, spec_build, spec_picture
from app.render import CarPictures, parse_car_path
from tests.unit.club.conftest import add_order

SHERBET = {"name": "Sherbet Yellow", "hex": "#F4C542", "price": 350, "requires": [], "excludes": [], "retired": True}


@pytest.fixture(scope="module")
def shipped():
    return load_catalogue()


@pytest.fixture(scope="module")
def retired():
    return catalogue_from({"option:sherbet-yellow": SHERBET}, {})


@pytest.fixture(scope="module")
def yellow_spec(shipped):
    return spec_of(shipped, shipped.build_from("hatch", {"colour": "sherbet-yellow", "wheels": "wheels-minilite"}))


def test_a_retired_colour_is_offered_to_no_new_build_but_is_still_known(retired):
    assert "sherbet-yellow" not in {o.id for o in retired.options_for("hatch", "colour")}
    assert "sherbet-yellow" not in {o.id for o in retired.options}
    with pytest.raises(BuildError, match="no option called 'sherbet-yellow'"):
        retired.build_from("hatch", {"colour": "sherbet-yellow"})
    assert retired.known_option("sherbet-yellow").hex == "#F4C542"
    assert retired.build_from("hatch", {"colour": "sherbet-yellow"}, retired=True).hex == "#F4C542"


def test_the_ordered_car_is_drawn_in_its_retired_colour_pixel_for_pixel(shipped, retired, yellow_spec, tmp_path):
    now, then = CarPictures(retired, tmp_path / "now"), CarPictures(shipped, tmp_path / "then")
    paths, alt = spec_picture(now, yellow_spec)
    assert alt.startswith("Hatch in Sherbet Yellow with") and "seen from the" in alt
    key = parse_car_path(paths[-1], retired)  # the picture route resolves the order's URL
    before = parse_car_path(spec_picture(then, yellow_spec)[0][-1], shipped)
    assert key.hex == "#F4C542" and key.options == before.options
    assert now.render(key) == then.render(before)


def test_a_colour_recoloured_since_the_order_draws_the_paint_as_ordered(shipped, yellow_spec, tmp_path):
    brighter = catalogue_from({"option:sherbet-yellow": {**SHERBET, "hex": "#FFE066", "retired": False}}, {})
    now, then = CarPictures(brighter, tmp_path / "now"), CarPictures(shipped, tmp_path / "then")
    build = spec_build(brighter, yellow_spec)
    assert build is not None and build.hex == "#F4C542"  # not today's #FFE066
    paths, alt = spec_picture(now, yellow_spec)
    assert alt.startswith("Hatch in Sherbet Yellow")
    key = parse_car_path(paths[-1], brighter)  # the picture route takes the ordered paint
    before = parse_car_path(spec_picture(then, yellow_spec)[0][-1], shipped)
    assert key.hex == "#F4C542" and now.render(key) == then.render(before)
    new_build = brighter.build_from("hatch", {"colour": "sherbet-yellow"})
    assert new_build.hex == "#FFE066"  # a new build gets today's paint


def test_the_order_story_and_the_spin_keep_the_picture(db_session, retired, yellow_spec, tmp_path):
    pictures = CarPictures(retired, tmp_path / "cache")
    order = add_order(db_session, "MJYELLO2", spec=yellow_spec)
    story = order_story(db_session, pictures, order)
    assert story.paths and story.alt.startswith("Hatch in Sherbet Yellow")
    assert ("Colour", "Sherbet Yellow") in [(line.label, line.value) for line in story.spec]
    build = spec_build(retired, yellow_spec)
    assert build is not None and len(pictures.spin_frames(build)) == len(retired.model("hatch").views)


def test_a_spec_naming_an_option_we_never_had_still_says_so(db_session, retired, tmp_path):
    spec = {"model": "hatch", "model_name": "Hatch", "choices": {"colour": "gone-forever"}, "hex": "#000000"}
    story = order_story(
        db_session, CarPictures(retired, tmp_path / "cache"), add_order(db_session, "MJGONE23", spec=spec)
    )
    assert story.paths == [] and story.alt.startswith("No picture")
