"""Every /track handler, called directly: the private link, the look-up form, a redraw and the studio preview."""

import asyncio
from datetime import timedelta

import reflex as rx
from sqlmodel import col, select

from app import db, settings
from app.club.outbox import OutboxMail
from app.orders.models import Order, StageEvent
from app.orders.numbers import tracking_link
from app.tracking import state as track_state
from app.tracking.lookup import LOOKUPS
from app.tracking.state import NO_VESSEL, TrackState
from tests.unit.handlers import state_for
from tests.unit.meanwhile import another_writer, run_before

PENA = "MJ4K7QX2"  # the demo's McGregor, at sea


def opened(link: str) -> TrackState:
    state = state_for(TrackState, path=link)
    TrackState.load.fn(state)
    return state


def test_a_private_link_shows_the_car_the_stage_and_the_picture(demo_site):
    state = opened(tracking_link(PENA))
    assert state.found and state.message == ""
    assert (state.headline, state.stage_label) == ("McGregor", "At sea")
    assert [step.state for step in state.steps].count("current") == 1
    assert state.steps[0].label == "Ordered" and state.steps[0].day != ""
    assert state.paths and state.alt and state.spec and state.window_text
    assert "<svg" in state.journey_picture and state.explainer.startswith("<p>")
    assert state.vessel == NO_VESSEL  # the demo's ship data comes only from the feed


def test_a_link_that_is_not_ours_finds_nothing_and_says_what_to_do(demo_site):
    state = opened(tracking_link(PENA)[:-2] + "xx")
    assert not state.found and "doesn't work" in state.message
    form = opened("/track")
    assert not form.found and form.message == ""


def test_the_look_up_form_redirects_to_the_private_link(demo_site):
    state = state_for(TrackState, path="/track")
    event = TrackState.lookup.fn(state, {"number": PENA.lower(), "name": "macleod"})
    assert isinstance(event, rx.event.EventSpec) and state.lookup_error == ""
    assert f"/track/{PENA}/" in str(event)  # a fresh private link (it carries the second it was made)
    assert TrackState.lookup.fn(state, {"number": PENA, "name": "Someone Else"}) is None
    assert "couldn't find" in state.lookup_error.lower()


def test_the_look_up_form_stops_a_client_that_keeps_guessing(demo_site):
    state = state_for(TrackState, path="/track", ip="203.0.113.9")
    for _ in range(LOOKUPS.hits):
        TrackState.lookup.fn(state, {"number": "MJ2222222", "name": "Guess"})
    TrackState.lookup.fn(state, {"number": PENA, "name": "MacLeod"})  # right this time, but too many tries
    assert "try again in 10 minutes" in state.lookup_error


def run_late(number: str) -> None:
    """The demo's cars are on time; make this one's stage run long by moving its events back a year."""
    with db.session() as s:
        order = s.exec(select(Order).where(Order.number == number)).one()
        for event in s.exec(select(StageEvent).where(StageEvent.order_id == order.id)):
            event.reached_at -= timedelta(days=365)
            s.add(event)


def apologies() -> list[str]:
    with db.session() as s:
        return [m.kind for m in s.exec(select(OutboxMail).where(col(OutboxMail.dedupe_key).startswith("delay:")))]


def test_an_overdue_car_gets_its_apology_when_the_tracker_opens(demo_site):
    run_late(PENA)
    state = opened(tracking_link(PENA))
    assert state.status == "overdue"
    opened(tracking_link(PENA))  # a second visit: still one apology
    assert apologies() == ["delay_notice"]


def test_the_apology_is_queued_though_another_connection_writes_while_the_tracker_reads(demo_site, monkeypatch):
    # SQLite refuses a write after a read once another connection has committed in between, and the
    # tracker's own pictures are being counted while it opens.
    run_late(PENA)
    with another_writer(settings.db_url()) as meanwhile:
        run_before(monkeypatch, track_state, "current_model", meanwhile)  # after the order's reads
        state = opened(tracking_link(PENA))
    assert state.status == "overdue" and apologies() == ["delay_notice"]


def test_a_redraw_queues_the_apology_though_another_connection_writes_meanwhile(demo_site, monkeypatch):
    state = opened(tracking_link(PENA))
    assert state.status != "overdue"
    run_late(PENA)
    with another_writer(settings.db_url()) as meanwhile:
        run_before(monkeypatch, track_state, "current_model", meanwhile)
        assert state._redraw(PENA) is True
    assert state.status == "overdue" and apologies() == ["delay_notice"]


def test_news_from_the_feed_redraws_only_the_tracker_showing_that_car(demo_site):
    state = state_for(TrackState, path=tracking_link(PENA))
    assert state._redraw(PENA) is False  # nothing shown yet
    TrackState.load.fn(state)
    assert state._redraw(PENA) is True
    assert state._redraw("MJ9TWP3H") is False  # another car's news
    state.preview = "at_sea"
    assert state._redraw(PENA) is False  # a studio preview isn't a buyer's tracker


def test_the_studio_preview_is_for_marketing_only(demo_site):
    for who in ("nobody", "forged", "dealer"):
        state = state_for(TrackState, demo_site[who], path="/studio/preview/track/at_sea")
        asyncio.run(TrackState.load_preview.fn(state))
        assert not state.found and state.preview == "" and "studio's staff" in state.message


def test_the_studio_preview_shows_a_demo_car_at_that_stage(demo_site):
    state = state_for(TrackState, demo_site["marketing"], path="/studio/preview/track/at_sea")
    asyncio.run(TrackState.load_preview.fn(state))
    assert state.found and state.preview == "at_sea" and state.stage_label == "At sea"
    missing = state_for(TrackState, demo_site["marketing"], path="/studio/preview/track/nowhere")
    asyncio.run(TrackState.load_preview.fn(missing))
    assert not missing.found and "no demo order at the stage 'nowhere'" in missing.message
