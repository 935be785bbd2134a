"""The dealer's order form with an invite: a wrong invite places no order; a kept one links and thanks."""

import pytest
from reflex.state import State
from sqlmodel import select

from app import db
from app.catalog import load_catalogue
from app.club.outbox import OutboxMail
from app.club.referrals import invite_for, remember_build
from app.configurator.builds import save_build
from app.content import live
from app.dealer.state import DeskState
from app.orders.models import Order
from app.staff.accounts import create_user, sign_in
from app.staff.models import Dealership
from tests.unit.club.conftest import add_order

PASSWORD = "a long enough password 1"
CUSTOMER = {"name": "Sam Jones", "email": "sam@example.com", "time_zone": "Europe/London"}


@pytest.fixture
def desk(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("REFLEX_DB_URL", db_url)
    monkeypatch.setenv("MOTORJOY_DATA_DIR", str(tmp_path))
    live.forget_published()
    catalogue = load_catalogue()
    with db.session(db_url) as s:
        s.add(Dealership(name="Motorjoy Leeds"))
        s.flush()
        create_user(s, "leeds@example.com", "Lee", "dealer", PASSWORD, dealership_name="Motorjoy Leeds")
        alex = add_order(s, "MJALEX22", email="alex@example.com")
        alex.customer_name = "Alex Reid"
        token = invite_for(s, alex).token
        code = save_build(s, catalogue, catalogue.build_from(catalogue.models[0].id))
        remember_build(s, token, code)
    with db.session(db_url) as s:
        session_token = sign_in(s, "leeds@example.com", PASSWORD, "test")
    root = State(_reflex_internal_init=True)
    state = root.get_substate(DeskState.get_full_name().split(".")[1:])
    state.token = session_token
    DeskState.open_build.fn(state, {"code": code})
    return state, token


def orders_and_thanks(db_url) -> tuple[int, int]:
    with db.session(db_url) as s:
        return (
            len(s.exec(select(Order)).all()),
            len(s.exec(select(OutboxMail).where(OutboxMail.kind == "referral_ordered")).all()),
        )


def test_the_form_shows_who_invited(desk):
    state, token = desk
    assert state.invited_by == "Alex (McGregor's owner)" and state.invite_token == token
    assert state.delivery_estimate.startswith("Order today, expect it ")


def test_a_wrong_invite_says_why_and_places_nothing(db_url, desk):
    state, _token = desk
    DeskState.place.fn(state, {**CUSTOMER, "invite": "https://motorjoy.example/build?invite=" + "B" * 22})
    assert "isn't one of ours" in state.form_error and orders_and_thanks(db_url) == (1, 0)


def test_a_kept_invite_links_the_order_and_thanks_the_inviter(db_url, desk):
    state, token = desk
    DeskState.place.fn(state, {**CUSTOMER, "invite": token})
    assert state.form_error == "" and orders_and_thanks(db_url) == (2, 1)


def test_a_declined_invite_is_simply_left_empty(db_url, desk):
    state, _token = desk
    DeskState.place.fn(state, {**CUSTOMER, "invite": ""})
    assert state.form_error == "" and orders_and_thanks(db_url) == (2, 0)
