"""Ask about my car: the thread, its limits, the working-day flag, the desk's order and the answer mail."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from app import db
from app.club.outbox import OutboxMail
from app.orders.models import Order, StageEvent
from app.questions.models import OrderMessage
from app.questions.thread import (
    DAILY_LIMIT,
    WAITING_LIMIT,
    QuestionError,
    answer,
    ask,
    clean_text,
    desk_questions,
    desk_thread,
    flag_at,
    tracker_thread,
    waited_for,
)
from app.staff.models import Dealership, StaffUser

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)  # a Wednesday


@pytest.fixture
def s(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("MOTORJOY_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("MOTORJOY_PUBLIC_URL", "https://motorjoy.example")
    with db.session(db_url) as session:
        yield session


def add_dealership(s, name: str) -> Dealership:
    place = Dealership(name=name)
    s.add(place)
    s.flush()
    return place


def add_staff(s, name: str, dealership: Dealership, role: str = "dealer") -> StaffUser:
    user = StaffUser(
        email=f"{name.lower()}@example.com", name=name, role=role, dealership_id=dealership.id, password_hash="x"
    )
    s.add(user)
    s.flush()
    return user


def add_order(s, number: str, dealership: Dealership, name: str = "Fiona MacLeod") -> Order:
    order = Order(
        number=number,
        nickname="McGregor",
        customer_name=name,
        customer_email=f"{number.lower()}@example.com",
        model_id="hatch",
        dealership_id=dealership.id,
    )
    s.add(order)
    s.flush()
    s.add(StageEvent(order_id=order.id, stage="ordered", reached_at=NOW - timedelta(days=3)))
    s.flush()
    return order


def outbox(s) -> list[OutboxMail]:
    return list(s.exec(select(OutboxMail)).all())


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        ("x" * 1001, "under 1,000"),
        ("hello\x00there", "can't show"),
        ("right\u202eto left", "can't show"),
        (None, "didn't arrive as text"),
        (["a list"], "didn't arrive as text"),
    ],
)
def test_bad_questions_are_refused_with_a_reason(text, problem):
    with pytest.raises(QuestionError, match=problem):
        clean_text(text, 1000, "question")


def test_text_keeps_line_breaks_and_tidies_spaces():
    assert clean_text("  Hello   there \r\n\r\n\r\n\r\nWhen  is it coming? ", 1000, "question") == (
        "Hello there\n\nWhen is it coming?"
    )


def test_a_question_then_an_answer_is_one_thread_and_one_mail(s):
    leeds = add_dealership(s, "Motorjoy Leeds")
    order = add_order(s, "MJAAAAAA", leeds)
    sam = add_staff(s, "Sam", leeds)
    ask(s, order, "Will it be home for Easter?", NOW)
    ask(s, order, "And can I pick it up on a Saturday?", NOW + timedelta(minutes=5))
    answer(s, order, sam, "Yes, and yes: Saturdays till 4.", NOW + timedelta(hours=1))
    assert [(line.who, line.author) for line in tracker_thread(s, order)] == [
        ("You", "buyer"),
        ("You", "buyer"),
        ("Sam at Motorjoy Leeds", "dealer"),
    ]
    assert [line.who for line in desk_thread(s, order)] == ["Fiona", "Fiona", "Sam"]
    [mail] = outbox(s)
    assert mail.kind == "question_answer" and mail.recipient == "mjaaaaaa@example.com" and mail.order_id == order.id
    assert "Will it be home for Easter? / And can I pick it up on a Saturday?" in mail.body_text
    assert "Yes, and yes: Saturdays till 4." in mail.body_text
    assert "https://motorjoy.example/track/MJAAAAAA/" in mail.body_text
    assert mail.subject == "McGregor: an answer from Sam"


def test_an_answer_needs_a_waiting_question_and_changes_nothing_otherwise(s):
    leeds = add_dealership(s, "Motorjoy Leeds")
    order = add_order(s, "MJAAAAAA", leeds)
    sam = add_staff(s, "Sam", leeds)
    with pytest.raises(QuestionError, match="no question waiting"):
        answer(s, order, sam, "Hello!", NOW)
    ask(s, order, "When?", NOW)
    with pytest.raises(QuestionError, match="empty"):
        answer(s, order, sam, "  ", NOW)
    assert len(s.exec(select(OrderMessage)).all()) == 1 and outbox(s) == []


def test_a_flood_from_one_link_is_limited(s):
    leeds = add_dealership(s, "Motorjoy Leeds")
    order = add_order(s, "MJAAAAAA", leeds)
    sam = add_staff(s, "Sam", leeds)
    for n in range(WAITING_LIMIT):
        ask(s, order, f"Question {n}", NOW + timedelta(minutes=n))
    with pytest.raises(QuestionError, match="waiting already"):
        ask(s, order, "One more", NOW + timedelta(minutes=10))
    asked = WAITING_LIMIT
    while asked < DAILY_LIMIT:  # answered questions still count towards the day's limit
        answer(s, order, sam, "Answered", NOW + timedelta(minutes=20 + asked))
        ask(s, order, "Another", NOW + timedelta(minutes=21 + asked))
        asked += 1
    answer(s, order, sam, "Answered", NOW + timedelta(hours=2))
    with pytest.raises(QuestionError, match="tomorrow"):
        ask(s, order, "And another", NOW + timedelta(hours=3))
    ask(s, order, "A new day", NOW + timedelta(hours=25))  # the limit is per 24 hours


def test_flag_after_a_working_day_skips_the_weekend():
    friday = datetime(2026, 3, 6, 15, 0, tzinfo=UTC)
    assert flag_at(friday) == datetime(2026, 3, 9, 15, 0, tzinfo=UTC)  # Monday
    assert flag_at(NOW) == NOW + timedelta(days=1)
    assert flag_at(datetime(2026, 3, 7, 9, tzinfo=UTC)) == datetime(2026, 3, 9, 9, tzinfo=UTC)  # Saturday → Monday


def test_waiting_times_read_naturally():
    assert waited_for(NOW - timedelta(minutes=12), NOW) == "12 min"
    assert waited_for(NOW - timedelta(hours=5), NOW) == "5 h"
    assert waited_for(NOW - timedelta(days=3), NOW) == "3 days"


def test_desk_lists_only_its_dealership_waiting_first_longest_first_and_flags_old_ones(s):
    leeds, york = add_dealership(s, "Motorjoy Leeds"), add_dealership(s, "Motorjoy York")
    sam = add_staff(s, "Sam", leeds)
    recent, old, answered = (add_order(s, n, leeds) for n in ("MJRECENT", "MJOLDONE", "MJANSWER"))
    elsewhere = add_order(s, "MJYORK11", york)
    ask(s, recent, "Quick one", NOW - timedelta(hours=2))
    ask(s, old, "Still waiting", NOW - timedelta(days=2))
    ask(s, answered, "Done?", NOW - timedelta(days=3))
    answer(s, answered, sam, "Done.", NOW - timedelta(days=3) + timedelta(hours=1))
    ask(s, elsewhere, "Not yours", NOW - timedelta(days=5))
    rows = desk_questions(s, sam, NOW)
    assert [row.number for row in rows] == ["MJOLDONE", "MJRECENT", "MJANSWER"]
    assert [row.flagged for row in rows] == [True, False, False]
    assert rows[0].waited == "waiting 2 days" and rows[2].waited.startswith("answered")
    assert rows[0].stage == "Ordered" and rows[0].question == "Still waiting"
    admin = StaffUser(email="a@example.com", name="Ada", role="admin", password_hash="x")
    assert len(desk_questions(s, admin, NOW)) == 4
