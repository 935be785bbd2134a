"""Private tracking links live until a year after delivery (or a year after they were made, if later).

The edges are tested to the second; links mailed before links carried their time keep opening under
the same rule; an expired link gets a kind page with the look-up form, which hands out a fresh link.
"""

import hashlib
import hmac
from base64 import urlsafe_b64encode
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from app import db
from app.orders.models import Order, StageEvent
from app.orders.numbers import SignedLink, read_tracking_token, tracking_link, tracking_token
from app.tracking.lookup import LINK_LIFETIME, link_open_until, open_link
from app.tracking.state import RETIRED_LINK, TrackState
from tests.unit.handlers import state_for

PENA = "MJ4K7QX2"  # a demo order, at sea
SECOND = timedelta(seconds=1)
DELIVERED = datetime.now(UTC).replace(microsecond=0) - timedelta(days=400)  # so "now" is past its year
KEY = "k" * 40


@pytest.fixture
def delivered(demo_site, monkeypatch):
    """PENA's car, delivered on DELIVERED."""
    monkeypatch.setenv("MOTORJOY_SECRET_KEY", KEY)
    with db.session() as s:
        order = s.exec(select(Order).where(Order.number == PENA)).one()
        s.add(StageEvent(order_id=order.id or 0, stage="delivered", reached_at=DELIVERED, source="test"))
    return DELIVERED


def opens(token: str, at: datetime) -> bool:
    with db.session() as s:
        return open_link(s, PENA, token, now=at).order is not None


def older_link_token(number: str, key: str) -> str:
    """A link as mailed before links carried their time: the signature of the number alone."""
    digest = hmac.new(key.encode(), f"track:{number}".encode(), hashlib.sha256).digest()
    return urlsafe_b64encode(digest[:18]).decode()


def test_a_link_made_before_delivery_opens_until_a_year_after_it_to_the_second(delivered):
    token = tracking_token(PENA, issued=delivered - timedelta(days=80))
    end = delivered + LINK_LIFETIME
    assert opens(token, end - SECOND)
    assert not opens(token, end + SECOND)
    with db.session() as s:
        assert open_link(s, PENA, token, now=end + SECOND).expired


def test_a_link_made_after_delivery_has_its_own_year(delivered):
    issued = delivered + timedelta(days=500)  # the look-up form, or a friend's thank-you mail, long after
    token = tracking_token(PENA, issued=issued)
    assert opens(token, issued + LINK_LIFETIME - SECOND)
    assert not opens(token, issued + LINK_LIFETIME + SECOND)


def test_a_link_opens_whenever_the_car_is_still_on_its_way(demo_site):
    token = tracking_token(PENA, issued=datetime(2020, 1, 1, tzinfo=UTC))
    assert opens(token, datetime(2030, 1, 1, tzinfo=UTC))
    assert link_open_until(None, None) is None


def test_links_mailed_before_they_carried_a_time_keep_opening_until_a_year_after_delivery(delivered):
    old = older_link_token(PENA, KEY)
    assert read_tracking_token(PENA, old) == SignedLink(issued=None)
    end = delivered + LINK_LIFETIME
    assert opens(old, datetime(2025, 6, 1, tzinfo=UTC)) and opens(old, end - SECOND)
    assert not opens(old, end + SECOND)


def test_a_rotated_key_keeps_both_kinds_of_link_opening(delivered, monkeypatch):
    new_style = tracking_token(PENA, issued=delivered)
    old_style = older_link_token(PENA, KEY)
    monkeypatch.setenv("MOTORJOY_SECRET_KEY", "n" * 40 + "," + KEY)
    assert opens(new_style, delivered + SECOND) and opens(old_style, delivered + SECOND)
    assert tracking_token(PENA, issued=delivered) != new_style  # new links are signed with the new key
    monkeypatch.setenv("MOTORJOY_SECRET_KEY", "n" * 40)  # the old key dropped: its links are gone
    assert not opens(new_style, delivered + SECOND) and not opens(old_style, delivered + SECOND)


def test_nobody_can_move_a_links_date(delivered):
    token = tracking_token(PENA, issued=delivered)
    later = tracking_token(PENA, issued=delivered + timedelta(days=3000))
    forged = token[:24] + later[24:]  # our signature, a later time
    assert not opens(forged, delivered + SECOND)
    for damaged in (token + "!", token[:24] + "ABC", token[:23], token.upper()):
        assert not opens(damaged, delivered + SECOND)


def test_a_retired_link_says_so_kindly_and_the_look_up_form_gives_a_fresh_one(delivered):
    mailed = tracking_link(PENA, issued=delivered - timedelta(days=90))
    state = state_for(TrackState, path=mailed)
    TrackState.load.fn(state)
    assert not state.found and state.message == RETIRED_LINK and "Look your car up below" in state.message

    event = TrackState.lookup.fn(state, {"number": PENA, "name": "MacLeod"})
    fresh = str(event).split(f"/track/{PENA}/")[1][:30].split('"')[0].split("'")[0]
    reopened = state_for(TrackState, path=f"/track/{PENA}/{fresh}")
    TrackState.load.fn(reopened)
    assert reopened.found and reopened.message == ""
