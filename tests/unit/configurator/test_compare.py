"""Comparing saved builds: two or three codes, clear words for anything else."""

import pytest

from app import db
from app.configurator.builds import save_build
from app.configurator.compare import CompareError, compare, split_codes
from app.render import open_pictures


@pytest.fixture(scope="module")
def pictures(tmp_path_factory):
    return open_pictures(cache_dir=tmp_path_factory.mktemp("cache"))


@pytest.fixture
def session(empty_db_url):
    db.migrate(empty_db_url)
    with db.session(empty_db_url) as s:
        yield s


def test_split_codes_accepts_any_separator_and_drops_repeats():
    assert split_codes("abc, DEF\nabc;ghi  ") == ["ABC", "DEF", "GHI"]
    assert split_codes("") == []


def test_two_builds_side_by_side(session, pictures):
    cat = pictures.catalogue
    first = save_build(session, cat, cat.build_from("hatch"), "Biscuit")
    second = save_build(session, cat, cat.build_from("convertible", {"wheels": "wheels-dish"}))
    cards = compare(session, pictures, f"{first} {second.lower()}")
    assert [c.code for c in cards] == [first, second]
    assert cards[0].title == "Biscuit · Hatch"
    assert cards[1].alt.startswith("Convertible in")
    assert len(cards[1].paths) == len(cat.widths)
    assert cards[1].lines[-1].label == "Destination charge"


@pytest.mark.parametrize("text", ["", "ONLYONE2", "A B C D"])
def test_wrong_number_of_codes(session, pictures, text):
    with pytest.raises(CompareError, match="two or three"):
        compare(session, pictures, text)


def test_unknown_codes_are_named(session, pictures):
    known = save_build(session, pictures.catalogue, pictures.catalogue.build_from("hatch"))
    with pytest.raises(CompareError, match="ZZZZZZZZ"):
        compare(session, pictures, f"{known} ZZZZZZZZ")
