"""A reopened build says what changed, by name, with the price then and now, and why."""

import json

import pytest
from sqlmodel import Session

from app import db
from app.catalog import load_catalogue, price_history
from app.catalog.changes import Asked, price_list_of, what_changed
from app.catalog.pricing import quote
from app.catalog.published import catalogue_from
from app.catalog.rules import nearest_valid
from app.content.models import ContentVersion
from app.content.overlay import catalogue_version

SHERBET = {"name": "Sherbet Yellow", "hex": "#F4C542", "price": 350, "requires": [], "excludes": []}


@pytest.fixture(scope="module")
def today():
    return load_catalogue()


def reopened(catalogue, model, choices, hex=None, total=None, prices=None):
    build, _notes = nearest_valid(catalogue, model, choices, hex)
    return build, what_changed(catalogue, Asked(model, choices, hex, total, prices), build)


def test_a_retired_colour_names_the_colour_its_replacement_why_and_both_prices(today):
    retired = catalogue_from({"option:sherbet-yellow": SHERBET | {"retired": True}}, {})
    then = price_list_of(today)
    saved = quote(today, today.build_from("hatch", {"colour": "sherbet-yellow"})).total
    build, lines = reopened(retired, "hatch", {"colour": "sherbet-yellow"}, "#F4C542", saved, then)
    assert build.choice("colour") == "chili-red"
    colour, total = lines
    assert (colour.what, colour.kind, colour.was, colour.now) == ("Colour", "retired", "£350", "£0")
    assert colour.text() == "Sherbet Yellow has left the range, so your car is now Chili Red (was £350, now £0)."
    assert total.text() == f"Your total: £{saved:,} → £{saved - 350:,}."


def test_a_repriced_option_says_its_name_and_both_prices(today):
    wheels = {"price": 500, "requires": [], "excludes": []}
    repriced = catalogue_from({"option:wheels-minilite": wheels, "model:hatch": {"base_price": 99}}, {})
    choices = dict(today.build_from("hatch", {"wheels": "wheels-minilite"}).choices)
    saved = quote(today, today.build_from("hatch", choices)).total
    _build, lines = reopened(repriced, "hatch", choices, None, saved, price_list_of(today))
    texts = [line.text() for line in lines]
    base = today.model("hatch").base_price
    assert texts == [
        f"Hatch base price: £{base:,} → £99.",
        "16-inch eight-spoke wheels: £600 → £500.",
        f"Your total: £{saved:,} → £{saved - base + 99 - 100:,}.",
    ]


def test_without_the_old_price_list_a_move_in_the_total_is_still_said(today):
    build = today.build_from("hatch")
    _build, [line] = reopened(today, "hatch", dict(build.choices), None, quote(today, build).total - 500)
    assert line.kind == "total" and line.text().startswith("Prices have moved since you saved this build")


def test_an_option_pushed_out_by_a_new_rule_says_which_rule(today):
    # Marketing decides white stripes vanish on white paint: a saved white car with white stripes must change.
    rule = {"price": 450, "requires": [], "excludes": ["pepper-white"]}
    ruled = catalogue_from({"option:stripes-twin-white": rule}, {})
    choices = {"colour": "pepper-white", "stripes": "stripes-twin-white"}
    build, [line] = reopened(ruled, "hatch", choices)
    assert line.kind == "rules"
    if line.what == "Colour":
        now = ruled.option(build.choice("colour")).name
        assert line.sentence == f"Pepper White can't go with White twin bonnet stripes, so your car is now {now}"
    else:
        now = ruled.option(build.choice("stripes")).name
        assert line.sentence == f"White twin bonnet stripes can't go with Pepper White, so your car now has {now}"


def test_an_option_we_never_had_is_quoted_short_and_the_unchanged_build_says_nothing(today):
    _build, [line] = reopened(today, "hatch", {"colour": "x" * 80})
    assert line.kind == "unknown" and "x" * 39 + "…" in line.sentence and "x" * 41 not in line.sentence
    plain = today.build_from("hatch")
    assert reopened(today, "hatch", dict(plain.choices), None, quote(today, plain).total, price_list_of(today))[1] == []


def test_an_option_not_offered_on_the_model_says_so(today):
    _build, [line] = reopened(today, "hatch", {"roof": "softtop-tan"})
    assert line.kind == "not_offered" and line.sentence.startswith(
        "The Hatch doesn't offer Tan soft top, so your car now has the "
    )


@pytest.fixture
def history(empty_db_url):
    db.migrate(empty_db_url)
    price_history.forget()
    with db.session(empty_db_url) as s:
        yield s
    price_history.forget()


def publish(s: Session, key: str, value: dict, version: int = 1) -> None:
    s.add(ContentVersion(key=key, version=version, value=json.dumps(value), author="test"))
    s.flush()


def test_the_price_list_a_build_was_saved_on_is_found_in_the_publishing_history(history, today):
    publish(history, "announcement", {"text": "not a price"})
    wheels = {"price": 700, "requires": [], "excludes": []}
    publish(history, "option:wheels-minilite", wheels)
    then = catalogue_version({"option:wheels-minilite": wheels}, today.asset_version)
    publish(history, "option:wheels-minilite", wheels | {"price": 800}, version=2)
    found = price_history.price_list_at(history, then)
    assert found is not None and found.options["wheels-minilite"] == ("16-inch eight-spoke wheels", 700)
    shipped = price_history.price_list_at(history, today.asset_version)
    assert shipped is not None and shipped.options["wheels-minilite"][1] == 600
    assert price_history.price_list_at(history, f"{today.asset_version}-0123456789") is None
    assert price_history.price_list_at(history, "1999-made-up") is None
