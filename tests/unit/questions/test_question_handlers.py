"""The conversation's handlers, called as a crafted websocket message would: a link or role is checked every time."""

import dataclasses

import pytest
from reflex.istate.data import ReflexURL
from reflex.state import State
from sqlmodel import select

from app import db
from app.club.outbox import OutboxMail
from app.content import live
from app.orders.models import Order
from app.orders.numbers import tracking_link
from app.questions.models import OrderMessage
from app.questions.state import BROKEN_LINK, AnswerState, AskState, DeskQuestionsState
from app.staff.accounts import create_user, sign_in
from app.staff.models import Dealership

PASSWORD = "a long enough password 1"


@pytest.fixture
def world(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("REFLEX_DB_URL", db_url)
    monkeypatch.setenv("MOTORJOY_DATA_DIR", str(tmp_path))
    live.forget_published()
    with db.session(db_url) as s:
        for name in ("Motorjoy Leeds", "Motorjoy York"):
            s.add(Dealership(name=name))
        s.flush()
        create_user(s, "leeds@example.com", "Lee", "dealer", PASSWORD, dealership_name="Motorjoy Leeds")
        create_user(s, "york@example.com", "Yan", "dealer", PASSWORD, dealership_name="Motorjoy York")
        leeds = s.exec(select(Dealership).where(Dealership.name == "Motorjoy Leeds")).one()
        s.add(
            Order(
                number="MJAAAAAA",
                customer_name="Fiona MacLeod",
                customer_email="f@example.com",
                model_id="hatch",
                dealership_id=leeds.id,
            )
        )
    with db.session(db_url) as s:
        return {
            "leeds": sign_in(s, "leeds@example.com", PASSWORD, "test"),
            "york": sign_in(s, "york@example.com", PASSWORD, "test"),
        }


def state_at(state_class, path: str, token: str = ""):
    root = State(_reflex_internal_init=True)
    state = root.get_substate(state_class.get_full_name().split(".")[1:])
    state.router = dataclasses.replace(state.router, url=ReflexURL(f"http://localhost{path}"))
    if token:
        state.token = token
    return state


def counts(db_url) -> tuple[int, int]:
    with db.session(db_url) as s:
        return len(s.exec(select(OrderMessage)).all()), len(s.exec(select(OutboxMail)).all())


def test_asking_from_the_private_link_adds_to_the_thread(db_url, world):
    state = state_at(AskState, tracking_link("MJAAAAAA"))
    AskState.load.fn(state)
    assert state.available and state.thread == []
    AskState.ask.fn(state, {"question": "When will it be home?"})
    assert state.error == "" and state.sent and [line.text for line in state.thread] == ["When will it be home?"]
    assert counts(db_url) == (1, 0)


@pytest.mark.parametrize("path", ["/track/MJAAAAAA/forged-token", "/track", "/studio/preview/track/at_sea"])
def test_without_a_real_link_nothing_is_asked(db_url, world, path):
    state = state_at(AskState, path)
    AskState.load.fn(state)
    assert not state.available
    AskState.ask.fn(state, {"question": "Let me in"})
    assert state.error == BROKEN_LINK and counts(db_url) == (0, 0)


def test_a_bad_question_says_why_and_changes_nothing(db_url, world):
    state = state_at(AskState, tracking_link("MJAAAAAA"))
    AskState.ask.fn(state, {"question": "   "})
    assert "empty" in state.error and counts(db_url) == (0, 0)


def test_only_the_ordering_dealership_answers(db_url, world):
    ask = state_at(AskState, tracking_link("MJAAAAAA"))
    AskState.ask.fn(ask, {"question": "When?"})
    for who in ("", "not-a-session", world["york"]):
        state = state_at(AnswerState, "/dealer/order/MJAAAAAA", who)
        AnswerState.load.fn(state)
        assert state.thread == [] and not state.waiting
        AnswerState.answer.fn(state, {"answer": "Sneaky"})
        assert state.answer_error and counts(db_url) == (1, 0)
        desk = state_at(DeskQuestionsState, "/dealer", who)
        DeskQuestionsState.load.fn(desk)
        assert desk.rows == []
    state = state_at(AnswerState, "/dealer/order/MJAAAAAA", world["leeds"])
    AnswerState.load.fn(state)
    assert state.waiting and state.pace.startswith("Ordered")
    AnswerState.answer.fn(state, {"answer": "Next month."})
    assert state.answer_error == "" and not state.waiting and counts(db_url) == (2, 1)
    AskState.load.fn(ask)
    assert [line.who for line in ask.thread] == ["You", "Lee at Motorjoy Leeds"]
