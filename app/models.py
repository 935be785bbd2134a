"""Every table in one import, for Alembic and for tests that build a schema from scratch."""

from app.club.outbox import OutboxMail
from app.configurator.models import SavedBuild
from app.nudges.events import NudgeEvent
from app.orders.models import Order, OrderNote, StageEvent
from app.staff.models import Dealership, SignInFailure, StaffSession, StaffUser
from app.tracking.feed import FeedSource
from app.tracking.lookup import TrackingLookup

__all__ = [
    "Dealership",
    "FeedSource",
    "NudgeEvent",
    "Order",
    "OrderNote",
    "OutboxMail",
    "SavedBuild",
    "SignInFailure",
    "StaffSession",
    "StaffUser",
    "StageEvent",
    "TrackingLookup",
]
