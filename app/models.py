"""Every table in one import, for Alembic and for tests that build a schema from scratch."""

from app.club.outbox import OutboxMail
from app.club.preferences import MailOptOut
from app.club.referrals import Invite, Referral
from app.configurator.models import SavedBuild
from app.content.models import ContentDraft, ContentVersion, LayerUpload
from app.health import HealthBeat
from app.limits import RateLimit
from app.nudges.events import NudgeEvent
from app.orders.models import Order, OrderNote, StageEvent
from app.questions.models import OrderMessage
from app.sharing.links import ShareLink
from app.staff.models import Dealership, StaffSession, StaffUser
from app.studio.models import AuditEntry, Release
from app.tracking.feed import FeedSource

__all__ = [
    "AuditEntry",
    "ContentDraft",
    "ContentVersion",
    "Dealership",
    "FeedSource",
    "HealthBeat",
    "Invite",
    "LayerUpload",
    "MailOptOut",
    "NudgeEvent",
    "Order",
    "OrderMessage",
    "OrderNote",
    "OutboxMail",
    "RateLimit",
    "Referral",
    "Release",
    "SavedBuild",
    "ShareLink",
    "StaffSession",
    "StaffUser",
    "StageEvent",
]
