"""Demo nudge reports, so the studio's nudge report has something to show on a fresh demo (idempotent)."""

import random
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from app.nudges.events import NudgeEvent
from app.nudges.settings import LINES

DAYS = 60
# How each shipped line tends to be answered (back to the road, five more minutes, don't nudge): some
# land, some grate, so the report's best and worst lines are there to be seen.
LEANINGS = (
    (0.55, 0.35, 0.05),
    (0.70, 0.22, 0.03),
    (0.40, 0.45, 0.10),
    (0.35, 0.40, 0.20),
    (0.62, 0.30, 0.04),
    (0.50, 0.38, 0.07),
    (0.30, 0.55, 0.10),
    (0.45, 0.40, 0.08),
    (0.58, 0.32, 0.05),
    (0.48, 0.42, 0.06),
    (0.25, 0.45, 0.25),
    (0.66, 0.28, 0.03),
)


def seed_demo_nudges(s: Session, now: datetime | None = None) -> int:
    """About 600 shown-and-answered reports over the last 60 days, once; returns how many were added."""
    if s.exec(select(NudgeEvent.id).limit(1)).first() is not None:
        return 0
    now = now or datetime.now(UTC)
    chance = random.Random(17)  # the same demo every time
    events = []
    for _ in range(600):
        place = chance.randrange(len(LINES))
        at = now - timedelta(minutes=chance.randrange(DAYS * 24 * 60))
        events.append(NudgeEvent(line=place, line_text=LINES[place], action="shown", created_at=at))
        road, snooze, off = LEANINGS[place]
        answer = chance.choices(("road", "snooze", "off", ""), (road, snooze, off, 1 - road - snooze - off))[0]
        if answer:
            later = min(now, at + timedelta(seconds=chance.randrange(5, 60)))
            events.append(NudgeEvent(line=place, line_text=LINES[place], action=answer, created_at=later))
    s.add_all(events)
    return len(events)
