"""Every /build and /compare handler, called directly: the URL, clicks, colours, names, saving, previews."""

import asyncio
import json

import pytest
from reflex.state import BaseState, StateUpdate
from reflex_base.event import Event
from reflex_base.utils import format

from app import db
from app.catalog import load_catalogue, price_history
from app.configurator.builds import save_build
from app.configurator.compare_page import CompareState
from app.configurator.state import BuildState
from app.content import live
from app.content.models import ContentVersion
from app.home.state import HomeState
from app.ui.router_on_server import keep_router_on_server
from tests.unit.handlers import state_for


def loaded(path: str = "/build", kept: str = "") -> BuildState:
    state = state_for(BuildState, path=path)
    state.kept_build = kept
    BuildState.load.fn(state)
    return state


def saved(nickname: str = "McGregor", **choices: str) -> str:
    catalogue = load_catalogue()
    with db.session() as s:
        return save_build(s, catalogue, catalogue.build_from("hatch", choices), nickname)


def test_a_bare_build_page_shows_the_first_model_with_its_price_and_picture(demo_site):
    state = loaded()
    assert state.ready and state.model_id == "hatch" and state.notes == []
    assert state.groups and state.bill and state.total.startswith("£") and state.catalogue_data
    assert state.picture_paths[0].startswith("/car/") and state.picture_alt and state.view_count == 8


def test_visitors_of_one_catalogue_share_the_panel_sent_once(demo_site):
    first, second = loaded(), loaded("/build?model=hatch&colour=chili-red")
    for name in ("groups", "details", "bill"):  # one copy in memory, however many visitors hold it
        assert unproxied(getattr(first, name)) is unproxied(getattr(second, name))
    other_model = loaded("/build?model=convertible")
    assert unproxied(other_model.groups) is not unproxied(first.groups)
    assert [c.id for g in other_model.groups for c in g.options] != [c.id for g in first.groups for c in g.options]


def test_a_state_kept_in_redis_leaves_the_shared_panel_out_and_gets_it_back(demo_site):
    state = loaded("/build?model=convertible&colour=racing-green")
    stored = state._serialize()  # what the Redis manager writes
    back = BaseState._deserialize(data=stored)
    assert isinstance(back, BuildState) and len(stored) < 2_000
    assert (back.model_id, back.choice_ids, back.total) == (state.model_id, state.choice_ids, state.total)
    for name in ("groups", "details", "bill", "catalogue_data"):  # the shared objects, not copies
        assert unproxied(getattr(back, name)) is unproxied(getattr(state, name))


def test_a_state_kept_from_another_catalogue_gets_the_new_panel_with_its_next_pick(demo_site):
    state = loaded("/build?model=hatch")
    state._shown_catalogue = ("an-older-catalogue", "hatch")  # published anew while the visitor was away
    back = BaseState._deserialize(data=state._serialize())
    assert back._shown_catalogue == ("", "") and back.groups == [] and back.catalogue_data == ""
    back.parent_state, back.router = state.parent_state, state.router
    BuildState.pick.fn(back, "stripes-single-red")
    assert back.groups == state.groups and back.catalogue_data == state.catalogue_data
    assert "groups" in back.dirty_vars  # sent to the page with the pick's answer


def unproxied(value: object) -> object:
    """The value a state holds, without the proxy Reflex wraps a mutable one in when it is read."""
    return getattr(value, "__wrapped__", value)


def test_the_query_is_corrected_and_says_what_changed(demo_site):
    state = loaded("/build?model=convertible&roof=roof-union&colour=chili-red")
    assert state.model_id == "convertible" and state.choice_ids["roof"] != "roof-union"
    assert state.changes_since == "Since this link was made" and state.notes == []
    [roof] = [row for row in state.changes if "Chequered roof" in row.sentence]
    assert roof.sentence.startswith("The Convertible doesn't offer Chequered roof, so your car now has")


def test_a_saved_build_opens_by_its_code_and_an_unknown_code_says_so(demo_site):
    code = saved(colour="racing-green")
    state = loaded(f"/build/{code.lower()}")
    assert (state.saved_code, state.nickname, state.choice_ids["colour"]) == (code, "McGregor", "racing-green")
    missing = loaded("/build/NOPE2345")
    assert missing.saved_code == "" and "couldn't find a build" in missing.notes[0]


def test_the_build_the_nudge_kept_comes_back(demo_site):
    state = loaded(kept='"/build?model=hatch&colour=seafoam"')
    assert state.choice_ids["colour"] == "seafoam" and state.notes[0].startswith("Welcome back")
    assert loaded(kept="not json at all").notes == []


def test_picking_options_models_and_views(demo_site):
    state = loaded()
    assert state.choice_ids["colour"] == "chili-red"
    BuildState.pick.fn(state, "stripes-single-red")  # a red stripe can't go on a red car: the colour moves
    assert state.choice_ids["stripes"] == "stripes-single-red" and state.choice_ids["colour"] != "chili-red"
    assert state.notes
    refusal = BuildState.pick.fn(state, "no-such-option")
    assert refusal is not None and state.choice_ids["stripes"] == "stripes-single-red"
    BuildState.pick_model.fn(state, "convertible")
    views = json.loads(state.catalogue_data)["models"]["convertible"]  # what the spin turns through
    assert state.model_id == "convertible" and state.view in views
    other_view = next(v for v in views if v != state.view)
    BuildState.pick_view.fn(state, other_view)  # the spin stopped turning there
    assert state.view == other_view and state.view_label and state.view_position == views.index(other_view) + 1
    BuildState.pick_view.fn(state, "underneath")
    assert state.view == other_view


def test_any_colour_from_the_picker_or_typed_and_a_bad_one_changes_nothing(demo_site):
    state = loaded()
    assert BuildState.paint_form.fn(state, {"hex": "#2a9d8f"}) is not None  # hands over to pick_custom_colour
    BuildState.pick_custom_colour.fn(state, "#2a9d8f")
    assert state.custom_colour and state.hex == "#2A9D8F" and state.hex_error == ""
    BuildState.pick_custom_colour.fn(state, "teal-ish")
    assert state.hex == "#2A9D8F" and "not a colour code" in state.hex_error


def test_nicknames_are_checked_and_saving_gives_a_code_to_share(demo_site):
    state = loaded()
    assert BuildState.copy_link.fn(state) is not None and state.saved_code == ""  # "save first"
    BuildState.set_nickname.fn(state, "x" * 200)
    assert state.nickname_error
    assert BuildState.save.fn(state) is not None and state.saved_code == ""  # refused until the name is fixed
    BuildState.set_nickname.fn(state, "  Comet ")
    assert (state.nickname, state.nickname_error) == ("Comet", "")
    saved_answer = answer(state, BuildState.save.fn(state))
    assert len(state.saved_code) == 8
    # The address becomes /build/<code> in the browser, from the code in the delta: no script says so.
    assert saved_answer["delta"][BuildState.get_full_name()]["saved_code_rx_state_"] == state.saved_code
    assert "replaceState" not in json.dumps(saved_answer)
    assert len(BuildState.copy_link.fn(state)) == 2


@pytest.mark.parametrize("who", ["nobody", "dealer"])
def test_the_studio_preview_of_the_configurator_is_for_marketing(demo_site, who):
    state = state_for(BuildState, demo_site[who], path="/studio/preview/build")
    asyncio.run(BuildState.load_preview.fn(state))
    assert not state.previewing and state.model_id == "" and "studio's staff" in state.notes[0]


def test_marketing_previews_the_drafts_and_cannot_save_there(demo_site):
    state = state_for(BuildState, demo_site["marketing"], path="/studio/preview/build")
    asyncio.run(BuildState.load_preview.fn(state))
    assert state.previewing and state.model_id and state.picture_paths[0].startswith("/car/")
    BuildState.save.fn(state)
    assert state.saved_code == ""


def test_compare_lines_up_saved_builds_and_keeps_them_when_a_code_is_wrong(demo_site):
    first, second = saved(colour="chili-red"), saved(colour="seafoam")
    state = state_for(CompareState, path=f"/compare?codes={first}")
    assert CompareState.load.fn(state) is None and state.builds == []  # one code waits for a second
    assert CompareState.submit.fn(state, {"codes": f"{first} {second}"}) is not None
    CompareState.run.fn(state, f"{first},{second}")
    assert [b.code for b in state.builds] == [first, second] and state.error == ""
    CompareState.run.fn(state, f"{first},NOPE2345")
    assert state.error and [b.code for b in state.builds] == [first, second]
    again = state_for(CompareState, path=f"/compare?codes={first},{second}")
    assert CompareState.load.fn(again) is not None


def test_the_home_page_counts_cars_on_their_way(demo_site):
    state = state_for(HomeState, path="/")
    HomeState.load.fn(state)
    assert state.on_the_way > 0 and state.announcement == ""


def answer(state: BuildState, returned) -> dict:
    """All the server sends the browser for a handler's call (its state delta and the events it returned),
    as the update that goes down the websocket, read back; its size on the wire is under "bytes"."""
    root = state._get_root_state()
    update = StateUpdate(delta=root.get_delta(), events=Event.from_event_type(returned) if returned else [])
    root._clean()
    text = format.json_dumps(update, separators=(",", ":"))  # as the socket sends it
    return {**json.loads(text), "bytes": len(text.encode())}


def test_a_pick_sends_only_what_changed(demo_site):
    keep_router_on_server()  # as app.app does
    state = loaded()
    root = state._get_root_state()
    opened = answer(state, None)["delta"][BuildState.get_full_name()]
    assert {"groups_rx_state_", "bill_rx_state_", "catalogue_data_rx_state_"} <= set(opened)  # once per page
    # The stripe moves the paint too (a new hex, blocked options and their fixes); custom paint is a colour.
    for option in ("roof-black", "stripes-single-red", "wheels-dish", "custom", "badge-enamel"):
        sent = answer(state, BuildState.pick.fn(state, option))
        assert set(sent) == {"delta", "bytes"}, sent  # no script: the address follows the build in the browser
        assert sent["bytes"] < 900, sent  # the whole pick: 440-850 B here (880-1,220 with the URL's script)
        values = sent["delta"][BuildState.get_full_name()]
        assert "choice_ids_rx_state_" in values and not {"groups_rx_state_", "bill_rx_state_"} & set(values)
        assert ("custom_colour_rx_state_" in values) == (option == "custom"), values  # only when it changes
        moved = {"asPath": f"/build?wheels={option}", "pathname": "/build", "query": {"wheels": option}}
        root.router_data = root._update_router_vars(moved, root.router_data)  # the address follows the build
        assert dict(root.router.url.query_parameters) == {"wheels": option}  # the server still reads it
        assert not answer(state, None).get("delta")  # nothing of the root: no router, no route args
    # The spin stopped: the build is the same, so are its values, and the address follows in the browser.
    assert answer(state, BuildState.pick_view.fn(state, "side")) | {"bytes": 0} == {
        "bytes": 0,
        "delta": {
            BuildState.get_full_name(): {
                "view_rx_state_": "side",
                "view_label_rx_state_": state.view_label,
                "view_position_rx_state_": state.view_position,
            }
        },
    }


def test_a_saved_build_reopened_after_a_retirement_and_a_reprice_says_each_change_with_prices(demo_site):
    code = saved(colour="sherbet-yellow", wheels="wheels-minilite")
    retired = {
        "name": "Sherbet Yellow",
        "hex": "#F4C542",
        "price": 350,
        "requires": [],
        "excludes": [],
        "retired": True,
    }
    with db.session() as s:
        for key, value in {"option:sherbet-yellow": retired, "option:wheels-minilite": {"price": 500}}.items():
            s.add(ContentVersion(key=key, version=1, value=json.dumps(value), author="Alice Marketing"))
        s.commit()
    live.forget_published()
    price_history.forget()
    state = loaded(f"/build/{code}")
    assert state.changes_since == "Since you saved this build"
    rows = [(row.sentence, row.prices) for row in state.changes]
    assert rows[:2] == [
        ("Sherbet Yellow has left the range, so your car is now Chili Red.", "£350 → £0"),
        ("16-inch eight-spoke wheels", "£600 → £500"),
    ]
    assert rows[2][0] == "Your total" and rows[2][1].endswith("£" + f"{state_total(state):,}")
    assert state.choice_ids["colour"] == "chili-red" and state.notes == []


def state_total(state: BuildState) -> int:
    return int(state.total.removeprefix("£").replace(",", ""))
