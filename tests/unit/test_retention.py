"""Retention: expired limiter counts, old nudge reports and ended staff sessions are pruned; the rest stays."""

from datetime import UTC, datetime, timedelta

from sqlmodel import func, select

from app import db
from app.limits import RateLimit
from app.nudges.events import NudgeEvent
from app.retention import DEFAULT_KEEP_NUDGE_DAYS, prune
from app.staff.accounts import create_user
from app.staff.models import StaffSession

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def count(url, model) -> int:
    with db.session(url) as s:
        return s.exec(select(func.count()).select_from(model)).one()


def test_prune_keeps_only_what_is_still_needed(db_url):
    with db.session(db_url) as s:
        user = create_user(s, "dee@example.com", "Dee", "marketing", "a long enough password 1")
        s.add(RateLimit(rule="sign-in", key="client:old", hits=5, window_started_at=NOW - timedelta(days=2)))
        s.add(RateLimit(rule="sign-in", key="client:now", hits=5, window_started_at=NOW - timedelta(minutes=5)))
        s.add(NudgeEvent(line=1, action="shown", created_at=NOW - timedelta(days=DEFAULT_KEEP_NUDGE_DAYS + 1)))
        s.add(NudgeEvent(line=1, action="road", created_at=NOW - timedelta(days=30)))
        for token, ends in (("ended", NOW - timedelta(hours=1)), ("open", NOW + timedelta(hours=1))):
            s.add(StaffSession(token_hash=token, user_id=user.id, expires_at=ends))
    pruned = prune(db_url, now=NOW)
    assert (pruned.limits, pruned.nudge_events, pruned.sessions) == (1, 1, 1)
    assert (count(db_url, RateLimit), count(db_url, NudgeEvent), count(db_url, StaffSession)) == (1, 1, 1)
    assert prune(db_url, now=NOW).summary() == "pruned 0 limiter counts, 0 nudge reports, 0 ended sessions"
