"""Keeping only what is still needed: expired limiter counts, old nudge reports and ended staff sessions go.

`prune` is plain Python (tests call it); every app process runs it hourly (`run_retention_schedule`),
and deleting what is already gone is harmless, so several processes need no coordination.
`MOTORJOY_KEEP_NUDGE_DAYS` (default 400: a year of statistics plus a season to compare) sets how long
nudge reports are kept.
"""

import asyncio
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import col, delete

from app import db
from app.limits import RateLimit
from app.nudges.events import NudgeEvent
from app.staff.models import StaffSession

EVERY_SECONDS = 3600
LONGEST_LIMIT_WINDOW = timedelta(days=1)  # no rule counts over a longer window; older counts mean nothing
DEFAULT_KEEP_NUDGE_DAYS = 400
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Pruned:
    limits: int
    nudge_events: int
    sessions: int

    def summary(self) -> str:
        return f"pruned {self.limits} limiter counts, {self.nudge_events} nudge reports, {self.sessions} ended sessions"


def keep_nudge_days() -> int:
    text = os.environ.get("MOTORJOY_KEEP_NUDGE_DAYS", str(DEFAULT_KEEP_NUDGE_DAYS)).strip()
    return int(text) if text.isdigit() and int(text) > 0 else DEFAULT_KEEP_NUDGE_DAYS


def prune(url: str | None = None, now: datetime | None = None) -> Pruned:
    """Delete what no rule, report or sign-in needs any more; returns how many rows went."""
    now = now or datetime.now(UTC)
    with db.session(url) as s:
        limits = s.exec(delete(RateLimit).where(col(RateLimit.window_started_at) < now - LONGEST_LIMIT_WINDOW))
        nudges = s.exec(delete(NudgeEvent).where(col(NudgeEvent.created_at) < now - timedelta(days=keep_nudge_days())))
        sessions = s.exec(delete(StaffSession).where(col(StaffSession.expires_at) < now))
        return Pruned(limits.rowcount, nudges.rowcount, sessions.rowcount)


async def run_retention_schedule() -> None:
    """Prune every hour in a worker thread; a failure waits for the next round."""
    while True:
        try:
            log.info("retention: %s", (await asyncio.to_thread(prune)).summary())
        except Exception:
            log.exception("retention round failed; trying again next hour")
        await asyncio.sleep(EVERY_SECONDS)
