"""Every table in one import, for Alembic and for tests that build a schema from scratch."""

from app.orders.models import Order, StageEvent

__all__ = ["Order", "StageEvent"]
