"""Which cars are running late: every order still on its way whose current stage has run past its norm.

The tracker only says so (an `events.StageOverdue` per car); the club decides whether that is an
apology to send (app/club/order_mail.py).
"""

from collections.abc import Iterator
from datetime import UTC, datetime

from sqlmodel import Session, select

from app import events
from app.content.journey import Journey
from app.orders.models import Order, StageEvent
from app.tracking.progress import Progress, progress


def overdue_orders(session: Session, now: datetime, trip: Journey) -> Iterator[tuple[Order, Progress]]:
    """Each order whose current stage is overdue at `now`, with its progress."""
    by_order: dict[int, list[tuple[str, datetime]]] = {}
    for event in session.exec(select(StageEvent)).all():
        by_order.setdefault(event.order_id, []).append((event.stage, event.reached_at))
    for order in session.exec(select(Order)).all():
        state = progress(by_order.get(order.id or 0, []), order.nickname, order.number, now, trip=trip)
        if state.status == "overdue":
            yield order, state


def announce_overdue(session: Session, trip: Journey, now: datetime | None = None) -> list[str]:
    """Announce every overdue car (the listener ignores ones it already apologised for); their numbers."""
    now = now or datetime.now(UTC)
    announced = []
    for order, state in list(overdue_orders(session, now, trip)):
        events.announce(session, events.StageOverdue(order_id=order.id or 0, stage=state.current, at=now))
        announced.append(order.number)
    return announced
