"""Questions about all orders at once (how many cars are on their way home right now)."""

import sqlalchemy as sa
from sqlmodel import Session, col, select

from app.content.stages import DELIVERED
from app.orders.models import Order, StageEvent


def cars_on_their_way(session: Session) -> int:
    """Orders that have not reached the customer yet."""
    delivered = select(StageEvent.order_id).where(StageEvent.stage == DELIVERED)
    query = select(sa.func.count()).select_from(Order).where(col(Order.id).not_in(delivered))
    return session.exec(query).one()
