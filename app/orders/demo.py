"""Demo orders, so a fresh install has cars on their way to follow; seeding twice changes nothing."""

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from app.orders.models import Order, StageEvent
from app.tracking.stages import STAGE_IDS

# (number, nickname, customer, email, model, stages reached, days since ordered)
DEMO_ORDERS = (
    ("MJ4K7QX2", "McGregor", "Fiona MacLeod", "fiona@example.com", "hatch", 5, 48),
    ("MJ9TWP3H", "Biscuit", "Sam Okafor", "sam@example.com", "convertible", 2, 12),
    ("MJ2RNC8V", "Pickle", "Ana Ribeiro", "ana@example.com", "hatch", 8, 95),
)
DAYS_BETWEEN_STAGES = 9


def seed_demo_orders(session: Session, now: datetime | None = None) -> int:
    """Add any demo order that is missing; returns how many were added."""
    now = now or datetime.now(UTC)
    existing = set(session.exec(select(Order.number)).all())
    added = 0
    for number, nickname, name, email, model_id, reached, age_days in DEMO_ORDERS:
        if number in existing:
            continue
        placed = now - timedelta(days=age_days)
        order = Order(
            number=number,
            nickname=nickname,
            customer_name=name,
            customer_email=email,
            model_id=model_id,
            placed_at=placed,
        )
        session.add(order)
        session.flush()
        for index, stage in enumerate(STAGE_IDS[:reached]):
            reached_at = min(placed + timedelta(days=index * DAYS_BETWEEN_STAGES), now)
            session.add(StageEvent(order_id=order.id, stage=stage, reached_at=reached_at))
        added += 1
    return added
