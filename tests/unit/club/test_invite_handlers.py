"""The friend's side of an invite on /build, its handler called directly."""

import pytest

from app import db
from app.invites.state import InviteState
from tests.unit.handlers import state_for


def test_a_visitor_without_an_invite_costs_no_lookup_and_no_update(monkeypatch):
    def no_database():
        raise AssertionError("looked an invite up for a visitor who has none")

    monkeypatch.setattr(db, "session", no_database)
    state = state_for(InviteState, path="/build")
    InviteState.load.fn(state)
    assert (state.token, state.note) == ("", "") and not state.dirty_vars  # nothing for the page


@pytest.mark.parametrize("path", ["/build?invite=not-a-real-one", "/build"])
def test_an_invite_that_isnt_one_leaves_the_page_as_ever(demo_site, path):
    state = state_for(InviteState, path=path)
    state.token = "kept-from-before" if path == "/build" else ""
    InviteState.load.fn(state)
    assert state.note == ""
    assert state.token == ("kept-from-before" if path == "/build" else "")  # only a link that isn't one clears it
