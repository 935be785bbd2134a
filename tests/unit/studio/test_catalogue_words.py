"""A studio change that would break the catalogue is refused in marketing's words: names and a fix they can make."""

import pytest

from app.catalog import load_catalogue
from app.catalog.manifest import Problem
from app.catalog.plain_words import Names, in_plain_words
from app.studio import content, desk
from app.studio.content import StudioError

CATALOGUE = load_catalogue(check_files=False)
IDS = {o.id for o in CATALOGUE.options} | {m.id for m in CATALOGUE.models}


def refusal(s, key: str, **changes) -> str:
    item = desk.open_item(s, key)
    form = {f.name: f.text for f in item.fields} | changes
    with pytest.raises(StudioError) as refused:
        desk.save(s, "Alice", key, form, item.token)
    assert content.drafts(s) == {}
    message = str(refused.value)
    assert message.startswith("That change would break the catalogue, so it wasn't saved. ")
    assert "options[" not in message and "models[" not in message
    return message


def words(message: str) -> set[str]:
    return set(message.replace("“", " ").replace("”", " ").replace(",", " ").replace(":", " ").split())


@pytest.mark.parametrize(
    ("key", "changes", "expected"),
    [
        (
            "option:mirrors-black",
            {"requires": "softtop-tan"},
            "Black mirror caps needs Tan soft top, which the Hatch doesn't have, but Black mirror caps is offered "
            "on the Hatch too: nobody could choose it there. Drop the rule, or make it need something every "
            "model has.",
        ),
        ("option:wheels-dish", {"requires": "wheels-dish"}, "17-inch dish wheels can't need itself"),
        ("option:wheels-dish", {"excludes": "wheels-dish"}, "17-inch dish wheels can't rule itself out"),
        (
            "option:roof-white",
            {"requires": "roof-black"},
            "White roof needs Black roof, but a car has only one of those, so nobody could choose White roof: "
            "drop the rule.",
        ),
        (
            "option:wheels-dish",
            {"requires": "chili-red", "excludes": "chili-red"},
            "17-inch dish wheels both needs and can't go with Chili Red: keep one of the two rules.",
        ),
        (
            "option:mirrors-white",
            {"requires": "stripes-single-red, chili-red"},
            "With these rules no Hatch could have White mirror caps",
        ),
        (
            "option:wheels-spoke",
            {"excludes": "chili-red"},
            "The Hatch as it comes as standard would break a rule (15-inch spoke wheels can't go with Chili Red)",
        ),
        (
            "option:chili-red",
            {"retired": "on"},
            "Chili Red is what the Hatch comes in as standard, so it can't be retired.",
        ),
    ],
)
def test_each_kind_of_rule_error_reads_in_names(db_session, key, changes, expected):
    message = refusal(db_session, key, **changes)
    assert expected in message
    assert not words(message) & IDS, message


def test_a_misspelt_option_is_quoted_as_typed_with_where_to_look(db_session):
    message = refusal(db_session, "option:wheels-dish", requires="wheels-dsh")
    assert "17-inch dish wheels needs “wheels-dsh”, but no option is called that" in message
    assert "check the spelling in its “Needs”" in message


def test_needing_a_retired_colour_names_it_and_says_it_is_retired(db_session):
    item = desk.open_item(db_session, "option:seafoam")
    desk.save(
        db_session, "Alice", "option:seafoam", {f.name: f.text for f in item.fields} | {"retired": "on"}, item.token
    )
    desk.publish_now(db_session, "Alice", ["option:seafoam"])
    message = refusal(db_session, "option:wheels-dish", excludes="seafoam")
    assert (
        "17-inch dish wheels can't go with Seafoam, which is retired: drop the rule, or offer Seafoam again." in message
    )


def test_a_model_left_without_a_choice_and_any_other_problem_use_names():
    names = Names(options={"mirrors-black": "Black mirror caps"}, models={"hatch": "Hatch"}, slots={"colour": "Colour"})
    assert in_plain_words(Problem("x", "slot_empty", "hatch", "colour"), names) == (
        "The Hatch would have no colour left to choose: keep at least one."
    )
    # A problem the studio can't cause still loses the manifest's positions and ids.
    assert in_plain_words("options[17] 'mirrors-black': price must not be negative", names) == (
        "Black mirror caps: price must not be negative"
    )
    assert in_plain_words("models[0] 'hatch': default mirrors 'mirrors-black' is odd", names) == (
        "The Hatch: default mirrors Black mirror caps is odd"
    )
