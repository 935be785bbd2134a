"""Saved builds, shareable URLs and nicknames: the URL and the code reproduce the build exactly."""

from urllib.parse import parse_qsl

import pytest
from sqlmodel import select

from app import db
from app.catalog import load_catalogue
from app.catalog.pricing import quote
from app.catalog.rules import why_not
from app.configurator import builds
from app.configurator.models import SavedBuild
from app.configurator.panel import BASE_LINE, DESTINATION_LINE, bill_lines, card_states, option_groups, price_rows


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


@pytest.fixture
def session(empty_db_url):
    db.migrate(empty_db_url)
    with db.session(empty_db_url) as s:
        yield s


def test_query_round_trip_reproduces_the_build(catalogue):
    build = catalogue.build_from("hatch", {"colour": "custom", "stripes": "stripes-twin-black"}, "#12ab9c")
    params = dict(parse_qsl(builds.query_of(catalogue, build, "front")))
    assert params["hex"] == "12AB9C"
    again, view, notes = builds.build_from_query(catalogue, params)
    assert (again, view, notes) == (build, "front", [])


def test_query_without_custom_colour_carries_no_hex(catalogue):
    build = catalogue.build_from("convertible")
    assert "hex" not in dict(parse_qsl(builds.query_of(catalogue, build, "side")))


@pytest.mark.parametrize(
    "params",
    [
        {"model": "tank"},
        {"model": "hatch", "roof": "roof-gold"},
        {"model": "hatch", "colour": "custom", "hex": "XYZ123"},
        {"model": "hatch", "colour": "chili-red", "stripes": "stripes-single-red"},
        {"model": "convertible", "roof": "roof-white"},
        {"model": "hatch", "view": "../../etc"},
        {"model": "<script>", "wheels": "x" * 5000},
    ],
)
def test_tampered_queries_open_a_valid_build_with_a_note(catalogue, params):
    from app.catalog.rules import problems

    build, view, notes = builds.build_from_query(catalogue, params)
    assert problems(catalogue, build) == []
    assert view in catalogue.model(build.model).views
    assert notes, "every correction is explained"


@pytest.mark.parametrize("view", ["side", "front"])
def test_old_links_naming_side_or_front_open_at_that_angle(catalogue, view):
    _build, opened_at, notes = builds.build_from_query(catalogue, {"model": "hatch", "view": view})
    assert (opened_at, notes) == (view, [])


def test_an_unknown_angle_opens_at_the_hero_angle_and_says_so(catalogue):
    _build, view, notes = builds.build_from_query(catalogue, {"model": "hatch", "view": "top"})
    hero = catalogue.model("hatch").views[0]
    assert view == hero
    assert notes == [
        f"We don't have a 'top' view, so here it is from the {catalogue.view(hero).label}. Turn it to see the rest."
    ]


def test_save_and_open_round_trip(session, catalogue):
    build = catalogue.build_from("convertible", {"colour": "seafoam", "roof": "softtop-tan"})
    code = builds.save_build(session, catalogue, build, "  McGregor ")
    opened = builds.open_saved(session, catalogue, code.lower())
    assert opened == (build, "McGregor", [])
    row = session.exec(select(SavedBuild).where(SavedBuild.code == code)).one()
    assert row.total_price == quote(catalogue, build).total
    assert row.asset_version == catalogue.asset_version


def test_open_unknown_or_malformed_code_is_none(session, catalogue):
    assert builds.open_saved(session, catalogue, "ABCDEFGH") is None
    assert builds.open_saved(session, catalogue, "'; DROP TABLE saved_builds; --") is None


def test_saved_build_with_a_retired_option_says_what_changed(session, catalogue):
    session.add(
        SavedBuild(
            code="RETRD234",
            model_id="hatch",
            options="lavender+roof-black+mirrors-body+stripes-none+badgebar-none+badge-classic+wheels-spoke",
            hex="#B497D6",
            asset_version="2020-01-a",
            total_price=1,
        )
    )
    session.flush()
    build, _nickname, notes = builds.open_saved(session, catalogue, "RETRD234")
    assert build.choice("roof") == "roof-black"
    assert build.choice("colour") == catalogue.defaults("hatch")["colour"]
    assert any("lavender" in note for note in notes)


def test_saved_build_that_was_repriced_says_so(session, catalogue):
    build = catalogue.build_from("hatch")
    code = builds.save_build(session, catalogue, build)
    row = session.exec(select(SavedBuild).where(SavedBuild.code == code)).one()
    row.total_price -= 500
    session.add(row)
    session.flush()
    _build, _nickname, notes = builds.open_saved(session, catalogue, code)
    assert len(notes) == 1 and "Prices have moved" in notes[0]


@pytest.mark.parametrize("name", ["McGregor", "Señor Zoom", "R2-D2", "Mrs. O'Hara", ""])
def test_good_nicknames(name):
    assert builds.clean_nickname(name) == name


@pytest.mark.parametrize("name", ["<b>Bold</b>", "x" * 25, "javascript:alert(1)", "tab\there\x00"])
def test_bad_nicknames_are_refused(name):
    with pytest.raises(builds.NicknameError):
        builds.clean_nickname(name)


def test_a_bad_nickname_saves_nothing(session, catalogue):
    with pytest.raises(builds.NicknameError):
        builds.save_build(session, catalogue, catalogue.build_from("hatch"), "<script>")
    assert session.exec(select(SavedBuild)).all() == []


def test_blocked_options_say_why_and_offer_a_fix(catalogue):
    build = catalogue.build_from("hatch", {"colour": "chili-red"})
    stripes = next(g for g in option_groups(catalogue, "hatch") if g.slot == "stripes")
    cards = card_states(catalogue, build)
    assert cards.reason("stripes-single-red") == "Not with Chili Red."
    assert cards.fix("stripes-single-red").startswith("Switch Chili Red to")
    assert cards.fix("stripes-single-red") == why_not(catalogue, build, "stripes-single-red").fix.describe()
    assert not {o.id for o in stripes.options} & set(cards.blocked) - {"stripes-single-red"}
    assert cards.reason("stripes-none") == cards.fix("stripes-none") == ""


def test_each_reason_and_switch_is_sent_once_however_many_cards_it_blocks(catalogue):
    build = catalogue.build_from("hatch", {"mirrors": "mirrors-chequer", "roof": "roof-union"})
    cards = card_states(catalogue, build)
    roofs = [o.id for o in catalogue.options_for("hatch", "roof") if o.id != "roof-union"]
    why = "Chequered mirror caps can't go without the Chequered roof."
    assert len(roofs) > 1 and all(cards.reason(r) == why for r in roofs)
    assert len(cards.words) == len(set(cards.words))
    for option_id in cards.blocked:
        fix = why_not(catalogue, build, option_id).fix
        assert cards.fix(option_id) == (fix.describe() if fix else "")


def test_the_bill_sent_once_has_every_line_a_build_of_the_model_can_have(catalogue):
    for model in catalogue.models:
        lines = bill_lines(catalogue, model.id)
        for slot in catalogue.choice_slots:
            for option in catalogue.options_for(model.id, slot):
                build = catalogue.build_from(model.id, {slot: option.id}, "#2A9D8F" if option.custom else None)
                rows, _total = price_rows(catalogue, build)
                custom = [f"{lines[option.id].label} ({build.hex})"] if option.custom else []
                page_rows = [lines[BASE_LINE], *(lines[i] for i in build.option_ids), lines[DESTINATION_LINE]]
                page_labels = [r.label for r in page_rows]
                if custom:  # the page adds the paint code to the custom colour's line, as quote() does
                    page_labels[1 + catalogue.choice_slots.index(slot)] = custom[0]
                assert (page_labels, [r.amount for r in page_rows]) == (
                    [r.label for r in rows],
                    [r.amount for r in rows],
                )


def test_price_rows_add_up_to_the_quote(catalogue):
    build = catalogue.build_from("hatch", {"wheels": "wheels-dish"})
    rows, total = price_rows(catalogue, build)
    assert rows[0].label == "Hatch base price"
    assert rows[-1].label == "Destination charge"
    assert total == f"£{quote(catalogue, build).total:,}"


@pytest.mark.parametrize(
    ("kept", "expected"),
    [
        ('"http://localhost:3000/build?model=hatch&colour=seafoam"', {"model": "hatch", "colour": "seafoam"}),
        ("http://example.com/build/?model=convertible", {"model": "convertible"}),
        ('"http://localhost:3000/track?x=1"', {}),
        ('"unterminated', {}),
        ("", {}),
    ],
)
def test_the_build_a_nudge_kept(kept, expected):
    from app.configurator.state import _kept_query

    assert _kept_query(kept) == expected
