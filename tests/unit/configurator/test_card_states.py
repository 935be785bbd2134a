"""The blocked cards are shared between builds with the same choices in a rule group: the same as working them out."""

import dataclasses
import random

import pytest

from app.catalog import load_catalogue
from app.catalog.rules import choose, problems, why_not
from app.configurator.panel import CardStates, PerCatalogue, card_states


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def straight_from_the_rules(catalogue, build) -> CardStates:
    """What the panel showed before any sharing: every option of the model asked `why_not` in turn."""
    states = CardStates()
    for slot in catalogue.choice_slots:
        for option in catalogue.options_for(build.model, slot):
            blocked = why_not(catalogue, build, option.id)
            if blocked:
                card: list[int | str] = [states.word(blocked.reason)]
                if blocked.fix:
                    card += [states.word(blocked.fix.switches()), blocked.fix.total_change()]
                states.blocked[option.id] = card
    return states


def walk(catalogue, model_id, picks, rng):
    """The builds a visitor clicking at random passes through (rules fixed as /build fixes them), custom paints too."""
    build = catalogue.build_from(model_id)
    options = [o.id for slot in catalogue.choice_slots for o in catalogue.options_for(model_id, slot)]
    for _ in range(picks):
        build, _notes = choose(catalogue, build, rng.choice(options))
        if catalogue.option(build.choice("colour")).custom:
            build = catalogue.build_from(model_id, dict(build.choices), f"#{rng.randrange(16**6):06X}")
        yield build


@pytest.mark.parametrize("model_id", ["hatch", "convertible"])
def test_every_build_a_visitor_reaches_gets_the_cards_the_rules_give(catalogue, model_id):
    seen = set()
    for build in walk(catalogue, model_id, 600, random.Random(model_id)):
        assert not problems(catalogue, build)
        cards, expected = card_states(catalogue, build), straight_from_the_rules(catalogue, build)
        assert (cards.words, cards.blocked) == (expected.words, expected.blocked), build
        seen.add(build)
    # The walk went far enough to mean something: many builds, some of them with blocked cards.
    assert len(seen) > 300
    assert any(card_states(catalogue, b).blocked for b in seen)


def test_a_build_that_breaks_the_rules_is_worked_out_whole(catalogue):
    broken = catalogue.build_from("hatch", {"colour": "chili-red", "stripes": "stripes-single-red"})
    assert problems(catalogue, broken)
    cards, expected = card_states(catalogue, broken), straight_from_the_rules(catalogue, broken)
    assert (cards.words, cards.blocked) == (expected.words, expected.blocked)
    # Every other option is blocked by the clash already there, the wheels included.
    assert any(option_id.startswith("wheels-") for option_id in cards.blocked)


def test_a_new_catalogue_gets_cards_of_its_own(catalogue):
    build = catalogue.build_from("hatch", {"colour": "chili-red"})
    before = card_states(catalogue, build).fix("stripes-single-red")
    options = tuple(
        dataclasses.replace(o, price=o.price + 500) if o.id == "pepper-white" else o for o in catalogue.options
    )
    dearer = dataclasses.replace(catalogue, options=options)
    after = card_states(dearer, build).fix("stripes-single-red")
    assert before != after
    assert after == why_not(dearer, build, "stripes-single-red").fix.describe()


def test_values_are_kept_for_the_last_few_catalogues_matched_by_identity(catalogue):
    kept = PerCatalogue[str, object](catalogues_kept=2)
    made = []

    def make():
        made.append(object())
        return made[-1]

    first = kept.get(catalogue, "hatch", make)
    assert kept.get(catalogue, "hatch", make) is first and len(made) == 1
    twin = dataclasses.replace(catalogue)  # equal, yet another catalogue object: matched by identity
    assert kept.get(twin, "hatch", make) is not first
    kept.get(dataclasses.replace(catalogue), "hatch", make)  # a third pushes the first out
    assert kept.get(catalogue, "hatch", make) is not first and len(made) == 4
