"""Stage news: a short mail when a car reaches a new stage, for buyers who asked for it at ordering."""

from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlmodel import Session, select

from app import settings
from app.club.birthdays import car_name, first_name
from app.club.compose import queue_words, render_copy
from app.club.outbox import OutboxMail
from app.club.preferences import wants
from app.club.templates import template
from app.content.journey import journey, journey_with
from app.content.store import published_values
from app.orders.models import Order, StageEvent
from app.orders.numbers import tracking_link
from app.tracking.progress import Progress, as_utc, progress

# A stage reported longer ago than this is old news (a late feed, a backlog import): we don't mail it.
BACKLOG = timedelta(days=3)


def news_due(order: Order, state: Progress, now: datetime) -> datetime | None:
    """When the car reached its current stage, if that is news worth a mail now; else None.

    Only the furthest stage is ever news: when the feed reports three stages at once, the buyer
    gets one mail about where the car is, not three about where it was.
    """
    step = next(step for step in state.steps if step.id == state.current)
    if state.current == "ordered" or step.reached_at is None:
        return None
    reached = as_utc(step.reached_at)
    if reached <= as_utc(order.placed_at) or as_utc(now) - reached > BACKLOG:
        return None
    return reached


def queue_stage_news(session: Session, now: datetime) -> list[str]:
    """Queue one mail per opted-in order and newly reached stage (`stage:<number>:<stage>`); returns the keys."""
    published = published_values(session)
    orders = session.exec(select(Order).where(Order.stage_news == True)).all()  # noqa: E712 (SQL, not Python)
    return [key for order in orders if (key := queue_stage_news_for(session, order, now, published))]


def queue_stage_news_for(session: Session, order: Order, now: datetime, published: Mapping[str, Mapping]) -> str:
    """Queue the news of the stage `order` has just reached, if it is news and wanted; its key, else ""."""
    if not order.stage_news:
        return ""
    events = session.exec(select(StageEvent.stage, StageEvent.reached_at).where(StageEvent.order_id == order.id))
    trip = journey_with(journey(), published)
    state = progress([(stage, at) for stage, at in events], car_name(order), order.number, now, trip=trip)
    key = f"stage:{order.number}:{state.current}"
    if news_due(order, state, now) is None or not wants(session, "stage_news", order.customer_email):
        return ""
    if session.exec(select(OutboxMail.id).where(OutboxMail.dedupe_key == key)).first() is not None:
        return ""
    copy = template("stage_news", published)
    values = {
        "name": car_name(order),
        "owner": first_name(order),
        "stage": state.current_label,
        "narrative": state.narrative,
        "tracking_link": settings.public_url() + tracking_link(order.number),
    }
    words = render_copy(copy.subject, copy.body, values)
    queue_words(session, order, "stage_news", key, words, now)
    return key
