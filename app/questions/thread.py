"""The conversation about one order: asking, answering, waiting times and the desk's list (plain Python).

One thread per order, kept with the order's story. A question waits until the dealership answers; one
that has waited past the same time on the next working day is flagged, so anyone at the dealership
can pick it up. A buyer's link can't flood the desk: a few questions may wait at once, a few more a day.
"""

import json
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from app.club.answers import queue_answer
from app.orders.models import Order, StageEvent
from app.questions.models import ANSWER_MAX, QUESTION_MAX, OrderMessage
from app.staff.accounts import can_see_dealership
from app.staff.models import Dealership, StaffUser
from app.tracking.progress import as_utc, progress

WAITING_LIMIT = 3  # unanswered questions at once: the fourth can wait for the first answer
DAILY_LIMIT = 8  # questions from one order in 24 hours, answered or not
BUYER, DEALER = "buyer", "dealer"


class QuestionError(ValueError):
    """A question or answer we won't take; the message says why, and nothing was stored."""


@dataclass
class ThreadLine:
    """One message as the tracker and the desk show it."""

    who: str
    text: str
    when: str
    author: str  # "buyer" | "dealer"


@dataclass
class QuestionRow:
    """One order's conversation on the desk's list."""

    number: str
    car: str
    customer: str
    stage: str
    question: str  # the oldest unanswered question, else the last message
    waited: str  # "waiting 3 h" | "answered 2 days ago"
    waiting: bool
    flagged: bool


def clean_text(text: object, limit: int, what: str) -> str:
    """The message with its line breaks kept and spaces tidied; QuestionError for empty, long or odd text."""
    if not isinstance(text, str):
        raise QuestionError(f"Your {what} didn't arrive as text. Please type it again.")
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").split("\n")]
    cleaned = "\n".join(lines).strip()
    while "\n\n\n" in cleaned:
        cleaned = cleaned.replace("\n\n\n", "\n\n")
    if not cleaned:
        raise QuestionError(f"Your {what} is empty. A few words will do.")
    if len(cleaned) > limit:
        raise QuestionError(f"That's a lot of words: please keep your {what} under {limit:,} characters.")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs") and ch != "\n" for ch in cleaned):
        raise QuestionError(f"Your {what} has characters we can't show. Plain words, please.")
    return cleaned


def messages(session: Session, order: Order) -> list[OrderMessage]:
    query = select(OrderMessage).where(OrderMessage.order_id == order.id)
    return list(session.exec(query.order_by(col(OrderMessage.created_at), col(OrderMessage.id))).all())


def waiting(thread: list[OrderMessage]) -> list[OrderMessage]:
    """The buyer's questions since the dealership last answered (oldest first)."""
    unanswered: list[OrderMessage] = []
    for message in thread:
        unanswered = [*unanswered, message] if message.author == BUYER else []
    return unanswered


def ask(session: Session, order: Order, text: object, now: datetime) -> OrderMessage:
    """Add the buyer's question to the order's thread; QuestionError (nothing stored) for bad text or a flood."""
    question = clean_text(text, QUESTION_MAX, "question")
    thread = messages(session, order)
    if len(waiting(thread)) >= WAITING_LIMIT:
        raise QuestionError(
            f"You have {WAITING_LIMIT} questions waiting already. Your dealer will answer them soon; "
            "ask the next one after that."
        )
    day_ago = as_utc(now) - timedelta(hours=24)
    if sum(1 for m in thread if m.author == BUYER and as_utc(m.created_at) > day_ago) >= DAILY_LIMIT:
        raise QuestionError(f"That's {DAILY_LIMIT} questions today. Let's pick this up again tomorrow.")
    message = OrderMessage(order_id=order.id or 0, author=BUYER, text=question, created_at=now)
    session.add(message)
    session.flush()
    return message


def answer(session: Session, order: Order, staff: StaffUser, text: object, now: datetime) -> OrderMessage:
    """The dealership's answer to what is waiting; the buyer sees it on the tracker and gets it by mail."""
    reply = clean_text(text, ANSWER_MAX, "answer")
    questions = waiting(messages(session, order))
    if not questions:
        raise QuestionError("There's no question waiting on this order. The customer's last question is answered.")
    message = OrderMessage(order_id=order.id or 0, author=DEALER, staff_name=staff.name, text=reply, created_at=now)
    session.add(message)
    session.flush()
    queue_answer(session, order, [q.text for q in questions], reply, staff.name, now, key=f"answer:{message.id}")
    return message


def flag_at(asked: datetime) -> datetime:
    """When a question counts as waiting too long: the same time on the next working day (Monday to Friday)."""
    due = as_utc(asked) + timedelta(days=1)
    while due.weekday() >= 5:
        due += timedelta(days=1)
    return due


def waited_for(since: datetime, now: datetime) -> str:
    minutes = max(int((as_utc(now) - as_utc(since)).total_seconds() // 60), 0)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // (24 * 60)} days"


def _when(moment: datetime) -> str:
    return as_utc(moment).strftime("%-d %b, %H:%M")


def tracker_thread(session: Session, order: Order) -> list[ThreadLine]:
    """The conversation as the buyer sees it: their own words, and each answer signed by its writer."""
    dealership = session.get(Dealership, order.dealership_id) if order.dealership_id else None
    place = f" at {dealership.name}" if dealership else ""
    return [
        ThreadLine("You" if m.author == BUYER else f"{m.staff_name}{place}", m.text, _when(m.created_at), m.author)
        for m in messages(session, order)
    ]


def desk_thread(session: Session, order: Order) -> list[ThreadLine]:
    first = order.customer_name.split()[0] if order.customer_name.split() else "The customer"
    return [
        ThreadLine(first if m.author == BUYER else m.staff_name, m.text, _when(m.created_at), m.author)
        for m in messages(session, order)
    ]


def stage_and_pace(session: Session, order: Order, now: datetime) -> str:
    """'At sea · day 30 · This is late, …': what the dealer needs to know before answering."""
    events = session.exec(select(StageEvent.stage, StageEvent.reached_at).where(StageEvent.order_id == order.id))
    state = progress(events.all(), order.nickname, order.number, now)
    if state.status == "delivered":
        return f"{state.current_label} · {state.status_text}"
    return f"{state.current_label} · day {state.days_in_stage} · {state.status_text}"


def desk_questions(session: Session, user: StaffUser, now: datetime) -> list[QuestionRow]:
    """Every conversation this user's dealership has: waiting ones first, longest wait first; then the rest."""
    order_ids = session.exec(select(OrderMessage.order_id).distinct()).all()
    orders = session.exec(select(Order).where(col(Order.id).in_(order_ids))).all() if order_ids else []
    rows: list[tuple[tuple, QuestionRow]] = []
    for order in orders:
        if not can_see_dealership(user, order.dealership_id):
            continue
        thread = messages(session, order)
        unanswered = waiting(thread)
        first = unanswered[0] if unanswered else thread[-1]
        since = as_utc(first.created_at if unanswered else thread[-1].created_at)
        row = QuestionRow(
            number=order.number,
            car=_car(order),
            customer=order.customer_name,
            stage=stage_and_pace(session, order, now).split(" · ")[0],
            question=first.text,
            waited=f"waiting {waited_for(since, now)}" if unanswered else f"answered {waited_for(since, now)} ago",
            waiting=bool(unanswered),
            flagged=bool(unanswered) and as_utc(now) >= flag_at(since),
        )
        # Waiting first, the longest wait at the top; then answered, the most recent at the top.
        rank = (0, since.timestamp()) if unanswered else (1, -since.timestamp())
        rows.append((rank, row))
    return [row for _rank, row in sorted(rows, key=lambda pair: pair[0])]


def _car(order: Order) -> str:
    model = json.loads(order.spec or "{}").get("model_name", order.model_id.capitalize())
    return f"{order.nickname} · {model}" if order.nickname else model
