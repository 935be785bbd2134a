"""Both sides of an invite, their handlers called directly: the friend's on /build, the buyer's on their tracker."""

import pytest
from sqlmodel import select

from app import db, settings
from app.club.referrals import Invite
from app.invites import state as invite_states
from app.invites.state import InviterState, InviteState
from app.orders.numbers import tracking_link
from tests.unit.handlers import state_for
from tests.unit.meanwhile import another_writer, run_before


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


def test_the_buyers_first_visit_makes_their_invite_though_another_connection_writes_meanwhile(demo_site, monkeypatch):
    # SQLite refuses a write after a read once another connection has committed in between, and the
    # tracker's own pictures are being counted while it opens.
    state = state_for(InviterState, path=tracking_link("MJ4K7QX2"))
    with another_writer(settings.db_url()) as meanwhile:
        run_before(monkeypatch, invite_states, "invite_for", meanwhile)  # after the order's reads
        InviterState.load.fn(state)
    with db.session() as s:
        (invite,) = s.exec(select(Invite)).all()
    assert state.path == f"/build?invite={invite.token}"
    InviterState.load.fn(state)  # later visits find it
    assert state.path == f"/build?invite={invite.token}"
