"""The dealership's answer to a buyer's question, by mail: the club writes it, from the studio's template."""

from datetime import datetime

from sqlmodel import Session

from app import settings
from app.club.birthdays import car_name, first_name
from app.club.compose import queue_words, render_copy
from app.club.outbox import OutboxMail
from app.club.templates import template
from app.content.store import published_values
from app.orders.models import Order
from app.orders.numbers import tracking_link


def queue_answer(
    session: Session, order: Order, questions: list[str], reply: str, staff_name: str, now: datetime, *, key: str
) -> OutboxMail:
    """Queue the answer mail once per answer (`key`, e.g. "answer:<message id>"); a reply they asked for, never held."""
    copy = template("question_answer", published_values(session))
    values = {
        "name": car_name(order),
        "owner": first_name(order),
        "question": " / ".join(questions),
        "answer": reply,
        "dealer": staff_name,
        "tracking_link": settings.public_url() + tracking_link(order.number),
    }
    words = render_copy(copy.subject, copy.body, values)
    return queue_words(session, order, "question_answer", key, words, now)
