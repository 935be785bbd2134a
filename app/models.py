"""Every table in one import, for Alembic and for tests that build a schema from scratch."""

from app.configurator.models import SavedBuild
from app.orders.models import Order, StageEvent

__all__ = ["Order", "SavedBuild", "StageEvent"]
