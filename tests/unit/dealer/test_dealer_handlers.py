"""Every /dealer handler, called directly: only dealers and admins get in, and an order is placed once."""

import re

import pytest
import reflex as rx
from sqlmodel import select

from app import db
from app.catalog import load_catalogue
from app.club.outbox import OutboxMail
from app.configurator.builds import save_build
from app.dealer.state import DeskState, OrderViewState
from app.orders.models import Order, OrderNote
from tests.unit.handlers import state_for

PENA = "MJ4K7QX2"  # a Glasgow demo order
CUSTOMER = {"name": "Ava Lindqvist", "email": "ava@example.com", "phone": "", "nickname": "Comet"}


def redirected_to(spec) -> str:
    return re.search(r"/dealer/order/\w+", str(spec)).group()


def saved_code() -> str:
    catalogue = load_catalogue()
    with db.session() as s:
        return save_build(s, catalogue, catalogue.build_from("hatch", {}), "Comet")


@pytest.mark.parametrize("who", ["nobody", "forged", "marketing"])
def test_the_desk_refuses_anyone_but_dealers_and_admins(demo_site, who):
    state = state_for(DeskState, demo_site[who], path="/dealer")
    DeskState.load.fn(state)
    assert (state.allowed, state.orders, state.dealerships) == (False, [], [])
    DeskState.open_build.fn(state, {"code": saved_code()})
    assert state.preview == [] and state.denied


def test_a_dealer_sees_their_orders_and_an_admin_every_dealership(demo_site):
    dealer = state_for(DeskState, demo_site["dealer"], path="/dealer")
    DeskState.load.fn(dealer)
    assert dealer.allowed and dealer.orders and not dealer.is_admin and dealer.dealerships == []
    admin = state_for(DeskState, demo_site["admin"], path="/dealer")
    DeskState.load.fn(admin)
    assert admin.is_admin and {d.name for d in admin.dealerships} >= {"Motorjoy Glasgow"}
    assert len(admin.orders) >= len(dealer.orders)


def test_a_dealer_opens_a_saved_build_and_places_it_once(demo_site):
    state = state_for(DeskState, demo_site["dealer"], path="/dealer")
    DeskState.open_build.fn(state, {"code": "NOPE2345"})
    assert state.preview == [] and "no saved build" in state.code_error
    DeskState.place.fn(state, CUSTOMER)  # nothing open: nothing placed
    code = saved_code()
    DeskState.open_build.fn(state, {"code": code.lower()})
    assert state.preview[0].code == code and state.nickname == "Comet" and state.submission
    form = CUSTOMER | {"submission": state.submission}  # the form carries its key, as the page's hidden field does
    DeskState.place.fn(state, form | {"email": "not an email"})
    assert "email" in state.form_error.lower()
    first = DeskState.place.fn(state, form)
    again = DeskState.place.fn(state, form)  # a double submit of the same form
    assert isinstance(first, rx.event.EventSpec) and redirected_to(first) == redirected_to(again)
    with db.session() as s:
        order = s.exec(select(Order).where(Order.customer_email == "ava@example.com")).one()
        mails = s.exec(select(OutboxMail).where(OutboxMail.order_id == order.id)).all()
    assert redirected_to(first) == f"/dealer/order/{order.number}"
    assert [m.kind for m in mails] == ["order_confirmation"]


def test_the_order_page_shows_the_story_to_its_dealer_only(demo_site):
    path = f"/dealer/order/{PENA}"
    mine = state_for(OrderViewState, demo_site["dealer"], path=path)
    OrderViewState.load.fn(mine)
    assert mine.found and mine.story[0].number == PENA and mine.story[0].stages
    for who in ("nobody", "marketing"):
        other = state_for(OrderViewState, demo_site[who], path=path)
        OrderViewState.load.fn(other)
        assert not other.found and other.story == [] and other.message
    unknown = state_for(OrderViewState, demo_site["admin"], path="/dealer/order/MJ2222222")
    OrderViewState.load.fn(unknown)
    assert not unknown.found and unknown.message == "We couldn't find that order."


def test_a_note_is_added_by_its_dealer_and_refused_when_empty_or_not_theirs(demo_site):
    path = f"/dealer/order/{PENA}"
    state = state_for(OrderViewState, demo_site["dealer"], path=path)
    OrderViewState.add_note.fn(state, {"note": "   "})
    assert "few words" in state.note_error
    assert OrderViewState.add_note.fn(state, {"note": "Customer  rang about   mats."}) == OrderViewState.load
    stranger = state_for(OrderViewState, demo_site["marketing"], path=path)
    OrderViewState.add_note.fn(stranger, {"note": "Sneaky"})
    with db.session() as s:
        assert [(n.author, n.text) for n in s.exec(select(OrderNote))] == [("Dana Dealer", "Customer rang about mats.")]
