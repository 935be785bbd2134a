"""Websocket events whose arguments no page sends are refused before any handler runs (app.ui.event_guard).

Each case here ended in a handler error before the guard (tests/e2e/test_hostile_events.py found
1,285 of 1,878 hostile events did, against the real server); now they get a kind message and
change nothing.
"""

import asyncio
import logging
import math

import pytest

from app.configurator.compare_page import CompareState
from app.configurator.state import BuildState
from app.dealer.state import DeskState
from app.home.state import HomeState
from app.studio.state import StudioState
from app.ui.event_guard import EventGuard, event_problem


def name(state, handler: str) -> str:
    return f"{state.get_full_name()}.{handler}"


@pytest.mark.parametrize(
    ("event", "payload", "why"),
    [
        (name(HomeState, "setvar"), {"var_name": "x", "value": 1}, "setvar"),
        (name(HomeState, "load"), {"unexpected": 1}, "unknown arguments"),
        (name(CompareState, "run"), {}, "missing argument 'text'"),
        (name(CompareState, "run"), {"text": True}, "'text'"),
        (name(CompareState, "run"), {"text": -1}, "'text'"),
        (name(CompareState, "run"), {"text": None}, "'text'"),
        (name(DeskState, "place"), {"form": None}, "'form'"),
        (name(DeskState, "place"), {"form": "x"}, "'form'"),
        (name(DeskState, "place"), {"form": {"name": {"a": {"a": {}}}}}, "'form'"),
        (name(DeskState, "place"), {"form": {"name": math.nan}}, "'form'"),
        (name(DeskState, "place"), {"form": [1, "two"]}, "'form'"),
        (name(DeskState, "place"), {"form": {"__reflex_form_data__": [["email", {"a": 1}]]}}, "'form'"),
        (name(DeskState, "place"), {"form": {"__reflex_form_data__": [[1, "x"]]}}, "'form'"),
        (name(StudioState, "rollback"), {"version": "3"}, "'version'"),
        (name(StudioState, "rollback"), {"version": 10**30}, "'version'"),
        (name(StudioState, "rollback"), {"version": True}, "'version'"),
        (name(StudioState, "upload_layer"), {"files": ["not a file"]}, "'files'"),
        (name(BuildState, "pick"), "not a mapping", "mapping"),
    ],
)
def test_arguments_no_page_sends_are_refused_with_the_reason(event, payload, why):
    problem = event_problem(event, payload)
    assert problem is not None and why in problem


@pytest.mark.parametrize(
    ("event", "payload"),
    [
        (name(BuildState, "pick"), {"option_id": "roof-black"}),
        (name(StudioState, "rollback"), {"version": 3}),
        (name(HomeState, "load"), {}),
        # What a browser's form sends: text (of any length: the handler judges it), ticks, numbers, lists.
        (name(DeskState, "place"), {"form": {"name": "x" * 50_000, "stage_news": True, "n": 2, "tags": ["a"]}}),
        (name(DeskState, "place"), {"form": {"phone": None, "name": "\x00\u202e"}}),
        # A form as the front end really sends it: its ordered entries (the sign-in form broke without this).
        (name(DeskState, "place"), {"form": {"__reflex_form_data__": [["email", "a@b.c"], ["password", "x"]]}}),
        # Reflex's own events are Reflex's business.
        ("reflex___state____state.hydrate", {"anything": object()}),
        ("reflex___state____state.no_such_state.load", {}),
    ],
)
def test_what_our_pages_send_passes(event, payload):
    assert event_problem(event, payload) is None


class FakeEvent:
    def __init__(self, name: str, payload) -> None:
        self.name, self.payload, self.token = name, payload, "tab"


def test_a_refused_event_answers_with_a_kind_message_and_runs_nothing(caplog):
    caplog.set_level(logging.INFO, logger="app.refused")
    update = asyncio.run(EventGuard().preprocess(None, None, FakeEvent(name(DeskState, "place"), {"form": None})))
    assert update is not None and not update.delta
    shown = str(update.events)
    assert "nothing changed" in shown and "reload it" in shown
    assert "refused event" in caplog.text and "place" in caplog.text
    assert asyncio.run(EventGuard().preprocess(None, None, FakeEvent(name(HomeState, "load"), {}))) is None


def test_the_app_uses_it():
    import app.app as site

    assert any(isinstance(m, EventGuard) for m in site.app._middlewares)
