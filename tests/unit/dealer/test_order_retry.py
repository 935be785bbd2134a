"""An order survives a crash between its commit and the answer: the retry returns it, never a second order.

A faithful simulation of "kill the server mid-order, restart, retry from the same form": the first
`place` commits, then its state (the browser session the server held) is thrown away unanswered,
as a kill -9 would. The retry runs on a fresh state holding only what the browser still has: the
staff cookie, the form's fields, and the tab's session storage.
"""

import pytest
from reflex.state import State
from sqlmodel import func, select

from app import db
from app.club.outbox import OutboxMail
from app.dealer.state import DeskState
from app.orders.models import Order
from tests.dealer_desk import desk_on


@pytest.fixture
def desk(empty_db_url, tmp_path, monkeypatch):
    """(staff cookie, saved build code) on a migrated database the handlers use."""
    monkeypatch.setenv("REFLEX_DB_URL", empty_db_url)
    monkeypatch.setenv("MOTORJOY_DATA_DIR", str(tmp_path))
    return desk_on(empty_db_url)


def fresh_state(cookie: str, **session_storage) -> DeskState:
    """The dealer desk's state as a server that has just started builds it for a returning browser."""
    root = State(_reflex_internal_init=True)
    state = root.get_substate(DeskState.get_full_name().split(".")[1:])
    state.token = cookie
    for name, value in session_storage.items():
        setattr(state, name, value)
    return state


def counts() -> tuple[int, int]:
    with db.session() as s:
        orders = s.exec(select(func.count()).select_from(Order)).one()
        mails = s.exec(
            select(func.count()).select_from(OutboxMail).where(OutboxMail.kind == "order_confirmation")
        ).one()
    return orders, mails


def order_form(code: str, key: str) -> dict:
    return {
        "name": "Fiona MacLeod",
        "email": "fiona@example.com",
        "time_zone": "Europe/London",
        "code": code,
        "submission": key,
    }


def redirected_to(event) -> str:
    return str(event).split("/dealer/order/")[1][:8]


def test_a_retry_from_the_same_form_after_a_restart_returns_the_first_order(desk):
    cookie, code = desk
    before_crash = fresh_state(cookie)
    DeskState.open_build.fn(before_crash, {"code": code})
    form = order_form(code, before_crash.submission)
    first = redirected_to(DeskState.place.fn(before_crash, form))  # committed; the answer never arrives
    assert counts() == (1, 1)

    after_restart = fresh_state(cookie)  # the server lost the session: no preview, no key in its state
    retry = DeskState.place.fn(after_restart, form)
    assert retry is not None and redirected_to(retry) == first
    assert counts() == (1, 1)


def test_reopening_the_same_build_in_the_tab_after_a_restart_keeps_its_key(desk):
    cookie, code = desk
    before_crash = fresh_state(cookie)
    DeskState.open_build.fn(before_crash, {"code": code})
    stored = {"submission": before_crash.submission, "submission_code": before_crash.submission_code}
    first = redirected_to(DeskState.place.fn(before_crash, order_form(code, before_crash.submission)))

    after_restart = fresh_state(cookie, **stored)  # the tab's session storage came back on hydration
    DeskState.open_build.fn(after_restart, {"code": code})
    again = DeskState.place.fn(after_restart, order_form(code, after_restart.submission))
    assert redirected_to(again) == first and counts() == (1, 1)


def test_a_placed_order_clears_the_key_so_the_next_order_is_new(desk):
    cookie, code = desk
    state = fresh_state(cookie)
    DeskState.open_build.fn(state, {"code": code})
    first = redirected_to(DeskState.place.fn(state, order_form(code, state.submission)))
    DeskState.open_build.fn(state, {"code": code})
    second = redirected_to(DeskState.place.fn(state, order_form(code, state.submission)))
    assert first != second and counts() == (2, 2)


def test_a_form_without_a_well_formed_key_places_nothing(desk):
    cookie, code = desk
    state = fresh_state(cookie)
    assert DeskState.place.fn(state, order_form(code, "'; drop table orders")) is None
    assert "expired" in state.form_error and counts() == (0, 0)
