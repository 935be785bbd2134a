"""The render key is canonical, its URL round-trips through the strict parser, and alt text reads well."""

import pytest

from app.catalog import BuildError, Catalogue
from app.render import BadPictureRequest, alt_text, parse_car_path, render_key


def test_same_build_same_key_whatever_the_choice_order(catalogue: Catalogue) -> None:
    one = catalogue.build_from("hatch", {"wheels": "wheels-turbine", "roof": "roof-black", "badge": "badge-sport"})
    two = catalogue.build_from("hatch", {"badge": "badge-sport", "roof": "roof-black", "wheels": "wheels-turbine"})
    key_one, key_two = render_key(catalogue, one, "side", 80), render_key(catalogue, two, "side", 80)
    assert key_one == key_two and key_one.url() == key_two.url() and key_one.etag == key_two.etag


def test_choosing_a_default_explicitly_is_the_same_picture(catalogue: Catalogue) -> None:
    implicit = render_key(catalogue, catalogue.build_from("hatch"), "side", 160)
    explicit = render_key(catalogue, catalogue.build_from("hatch", {"roof": "roof-white"}), "side", 160)
    assert implicit == explicit


def test_different_builds_different_keys(catalogue: Catalogue) -> None:
    keys = {
        render_key(catalogue, catalogue.build_from("hatch", {"colour": "custom"}, hex=h), "side", 160, f)
        for h in ("#123456", "#123457")
        for f in ("webp", "jpg")
    }
    assert len({k.url() for k in keys}) == 4 and len({k.digest for k in keys}) == 4


def test_url_shape(catalogue: Catalogue) -> None:
    key = render_key(catalogue, catalogue.build_from("hatch", {"colour": "custom"}, hex="#1a2b3c"), "front", 40, "jpg")
    assert key.url() == (
        "/car/test-1/hatch/front/40/1A2B3C/"
        "custom+roof-white+mirrors-body+stripes-none+badgebar-none+badge-classic+wheels-spoke.jpg"
    )


@pytest.mark.parametrize("format", ["webp", "jpg"])
@pytest.mark.parametrize(
    ("model", "choices", "hex"),
    [
        ("hatch", {}, None),
        ("estate", {"roof": "roof-black", "mirrors": "mirrors-chrome"}, None),
        ("hatch", {"colour": "custom", "badge_bar": "badgebar-rally"}, "#0A0B0C"),
    ],
)
def test_url_round_trips(catalogue: Catalogue, model, choices, hex, format) -> None:
    key = render_key(catalogue, catalogue.build_from(model, choices, hex=hex), "side", 80, format)
    assert parse_car_path(key.url(), catalogue) == key


@pytest.mark.parametrize(
    ("view", "width", "format"), [("top", 160, "webp"), ("side", 100, "webp"), ("side", 160, "png")]
)
def test_render_key_refuses_what_does_not_exist(catalogue: Catalogue, view, width, format) -> None:
    with pytest.raises(BuildError):
        render_key(catalogue, catalogue.build_from("hatch"), view, width, format)


def test_parser_refuses_a_non_canonical_order(catalogue: Catalogue) -> None:
    url = render_key(catalogue, catalogue.build_from("hatch"), "side", 160).url()
    swapped = url.replace("roof-white+mirrors-body", "mirrors-body+roof-white")
    with pytest.raises(BadPictureRequest) as info:
        parse_car_path(swapped, catalogue)
    assert info.value.status in (400, 404)


@pytest.mark.parametrize(
    ("model", "choices", "hex", "expected"),
    [
        (
            "hatch",
            {"stripes": "stripes-black", "badge_bar": "badgebar-rally"},
            None,
            "Hatch in Chili Red with a white roof, black bonnet stripes, a rally badge bar and 15-inch spoke wheels, "
            "seen from the left side",
        ),
        ("estate", {}, None, "Estate in Snow White with 16-inch turbine wheels, seen from the left side"),
        (
            "hatch",
            {"colour": "custom", "badge": "badge-sport"},
            "1a2b3c",
            "Hatch in a custom charcoal with a white roof, a sport badge and 15-inch spoke wheels, "
            "seen from the left side",
        ),
    ],
)
def test_alt_text(catalogue: Catalogue, model, choices, hex, expected) -> None:
    key = render_key(catalogue, catalogue.build_from(model, choices, hex=hex), "side", 160)
    assert alt_text(catalogue, key) == expected


def test_alt_text_names_the_angle(catalogue: Catalogue) -> None:
    build = catalogue.build_from("hatch")
    for view, label in (("front-left", "front three-quarter, left"), ("front", "front")):
        assert alt_text(catalogue, render_key(catalogue, build, view, 160)).endswith(f", seen from the {label}")


def test_alt_text_with_nothing_to_add(catalogue: Catalogue) -> None:
    build = catalogue.build_from("estate", {"colour": "custom", "wheels": "wheels-spoke"}, hex="#000")
    wheels_only = alt_text(catalogue, render_key(catalogue, build, "side", 160))
    assert wheels_only == "Estate in a custom black with 15-inch spoke wheels, seen from the left side"


@pytest.mark.parametrize(
    "path",
    [
        "/car/test-1/../../etc/passwd/x/y.webp",
        "/car/test-1/hatch/side/160/C0392B/../../../../etc/passwd",
        "/car/test-1/hatch/side/160/C0392B/chili-red+..+x.webp",
        "/car/./hatch/side/160/C0392B/a.webp",
        "/car//hatch/side/160/C0392B/a.webp",
    ],
)
def test_parser_refuses_dot_segments(catalogue: Catalogue, path: str) -> None:
    with pytest.raises(BadPictureRequest) as info:
        parse_car_path(path, catalogue)
    assert info.value.status == 400
