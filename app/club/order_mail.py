"""The order's own mail: the confirmation, and an apology the day a stage runs past its normal length.

Orders and the tracker announce what happened (app/events.py); this module decides what to send and
writes it to the outbox with the studio-editable templates. Dedupe keys make a second copy impossible,
whichever worker or job notices first.
"""

from collections.abc import Mapping
from datetime import UTC, datetime

from sqlmodel import Session, select

from app import events, settings
from app.club.compose import queue_words, render_copy
from app.club.order_news import queue_stage_news_for
from app.club.outbox import OutboxMail
from app.club.templates import template
from app.content.journey import Journey, journey_with
from app.content.journey import journey as shipped_journey
from app.content.store import published_values
from app.orders.models import Order, StageEvent
from app.orders.numbers import tracking_link
from app.tracking.overdue import overdue_orders
from app.tracking.progress import NO_NICKNAME, Progress, progress


def react(session: Session, event: events.Event) -> None:
    """The club's answer to what orders and the tracker announce (subscribed in app/club/__init__.py)."""
    order = session.get(Order, event.order_id)
    if order is None or (isinstance(event, events.StageReached) and not order.stage_news):
        return  # most cars' owners didn't ask for stage news: a busy feed costs no more reads
    published = published_values(session)
    if isinstance(event, events.OrderPlaced):
        queue_confirmation(session, order, published)
    elif isinstance(event, events.StageReached):
        queue_stage_news_for(session, order, event.at, published)
    else:
        state = progress(_events_of(session, order), order.nickname, order.number, event.at, trip=_trip(published))
        queue_delay_notice(session, order, state, published)


def queue_confirmation(session: Session, order: Order, published: Mapping[str, Mapping]) -> None:
    """The buyer's receipt with their private tracking link (sent whatever the daily cap)."""
    copy = template("order_confirmation", published)
    values = {
        "name": order.nickname or "Your new car",
        "customer": order.customer_name,
        "order_number": order.number,
        "tracking_link": settings.public_url() + tracking_link(order.number),
    }
    words = render_copy(copy.subject, copy.body, values)
    queue_words(session, order, "order_confirmation", f"confirmation:{order.number}", words)


def queue_delay_notice(session: Session, order: Order, state: Progress, published: Mapping[str, Mapping]) -> bool:
    """Queue one apology per order and stage once it is overdue; True only when queued by this call."""
    if state.status != "overdue":
        return False
    key = f"delay:{order.number}:{state.current}"
    if session.exec(select(OutboxMail.id).where(OutboxMail.dedupe_key == key)).first() is not None:
        return False
    copy = template("delay_notice", published)
    values = {
        "name": order.nickname.strip() or NO_NICKNAME,
        "customer": order.customer_name,
        "order_number": order.number,
        "stage": state.current_label,
        "status": state.status_text,
        "window": state.window_text,
        "tracking_link": settings.public_url() + tracking_link(order.number),
    }
    queue_words(session, order, "delay_notice", key, render_copy(copy.subject, copy.body, values))
    return True


def queue_due_delay_notices(session: Session, now: datetime | None = None) -> list[str]:
    """Look at every car still on its way and queue the apologies that are due; returns their order numbers.

    Run by the mailer (and `motorjoy feed check-delays` announces the same cars), so the buyer hears
    first even if they never open the page.
    """
    published = published_values(session)
    overdue = overdue_orders(session, now or datetime.now(UTC), _trip(published))
    return [order.number for order, state in overdue if queue_delay_notice(session, order, state, published)]



def _events_of(session: Session, order: Order) -> list[tuple[str, datetime]]:
    rows = session.exec(select(StageEvent.stage, StageEvent.reached_at).where(StageEvent.order_id == order.id))
    return [(stage, reached_at) for stage, reached_at in rows]


def _trip(published: Mapping[str, Mapping]) -> Journey:
    return journey_with(shipped_journey(), published)
