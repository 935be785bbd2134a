"""Building a car: defaults fill gaps, and every impossible build is refused with a readable reason."""

from pathlib import Path

import pytest

from app.catalog import BuildError, Catalogue, load_catalogue, normalise_hex


@pytest.fixture
def catalogue(layers_dir: Path) -> Catalogue:
    return load_catalogue(layers_dir)


def test_missing_slots_take_the_defaults(catalogue: Catalogue) -> None:
    build = catalogue.build_from("hatch", {"roof": "roof-black"})
    assert build.choice("roof") == "roof-black"
    assert build.choice("wheels") == "wheels-spoke"
    assert build.hex == "#C0392B"
    assert [slot for slot, _ in build.choices] == list(catalogue.choice_slots)


def test_choice_order_does_not_matter(catalogue: Catalogue) -> None:
    one = catalogue.build_from("hatch", {"stripes": "stripes-black", "roof": "roof-black"})
    two = catalogue.build_from("hatch", {"roof": "roof-black", "stripes": "stripes-black"})
    assert one == two and hash(one) == hash(two)


def test_custom_colour_takes_the_customers_hex(catalogue: Catalogue) -> None:
    assert catalogue.build_from("hatch", {"colour": "custom"}, hex="1a2b3c").hex == "#1A2B3C"


@pytest.mark.parametrize(
    ("model", "choices", "hex", "message"),
    [
        ("van", {}, None, "There is no model called 'van'."),
        ("hatch", {"roof": "roof-purple"}, None, "There is no option called 'roof-purple'."),
        ("hatch", {"roof": "stripes-black"}, None, "Black bonnet stripes is a stripes option, not a roof option."),
        ("estate", {"badge_bar": "badgebar-rally"}, None, "Rally badge bar is not available on the Estate."),
        ("hatch", {"spoiler": "big"}, None, "There is no choice called 'spoiler'."),
        ("hatch", {"colour": "custom"}, None, "Pick a colour code for Any colour you like."),
        ("hatch", {"colour": "custom"}, "#12345", "'#12345' is not a colour code"),
        ("hatch", {}, "#123456", "A colour code can only be given with the custom colour, not Chili Red."),
    ],
)
def test_impossible_builds_are_refused(catalogue: Catalogue, model, choices, hex, message) -> None:
    with pytest.raises(BuildError) as info:
        catalogue.build_from(model, choices, hex=hex)
    assert message in str(info.value)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("text", "expected"), [("#abc", "#AABBCC"), ("abc", "#AABBCC"), ("#AABBCC", "#AABBCC"), ("aabbcc", "#AABBCC")]
)
def test_hex_forms_accepted(text: str, expected: str) -> None:
    assert normalise_hex(text) == expected


@pytest.mark.parametrize(
    "text", ["", "#", "#ab", "#abcd", "##abc", "#gggggg", " #abc", "#abc ", "0xabcdef", "#aabbccdd", None]
)
def test_hex_forms_rejected(text) -> None:
    with pytest.raises(BuildError):
        normalise_hex(text)
