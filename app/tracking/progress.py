"""Where the car is now, how it's doing against the normal pace, and an honest delivery window.

Plain Python over the stage events, so the /track page, the delay mails and the tests share one truth.
"""

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from app import placeholders
from app.content.journey import DELIVERED, Journey, Stage, journey
from app.tracking.window import between, day_text

NO_NICKNAME = "Your car"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StageStep:
    id: str
    label: str
    reached_at: datetime | None  # None for a stage the feed skipped, and for stages still ahead
    state: str  # "done" | "current" | "upcoming"


@dataclass(frozen=True)
class StepRow:
    """One stage as the tracker's list shows it: its name, the day it was reached ("" if not yet), its state."""

    label: str
    day: str
    state: str  # "done" | "current" | "upcoming"


@dataclass(frozen=True)
class Progress:
    steps: tuple[StageStep, ...]
    current: str
    current_label: str
    days_in_stage: int
    status: str  # "on_track" | "running_long" | "overdue" | "delivered"
    status_text: str
    window_start: date | None  # None once delivered
    window_end: date | None
    window_text: str
    narrative: str


def as_utc(moment: datetime) -> datetime:
    """SQLite hands datetimes back without a zone; everything Motorjoy stores is UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def progress(
    events: Sequence[tuple[str, datetime]],
    nickname: str,
    order_number: str,
    now: datetime | None = None,
    *,
    trip: Journey | None = None,
) -> Progress:
    """The tracker's view of one order from its (stage, reached_at) events, in any order.

    Feeds skip stages and arrive late, so the current stage is the furthest one reached, and the
    stages before it count as done even without an event of their own. Stage ids that are no longer
    in the journey are ignored rather than breaking the buyer's page. An order without events is
    taken as just ordered. `trip` is the journey in force (published stories included); the shipped
    journey.toml when not given.
    """
    trip = trip or journey()
    today = as_utc(now or datetime.now(UTC)).date()
    reached = _first_reached(events, trip)
    index = max((trip.index(stage_id) for stage_id in reached), default=0)
    stage = trip.stages[index]
    since = reached[stage.id].date() if stage.id in reached else today
    days = max((today - since).days, 0)  # a feed clock running ahead must not give "day -1"
    status = _status(stage, days)
    window_start, window_end, window_text = _window(trip, index, days, status, today, since)
    return Progress(
        steps=_steps(trip, reached, index),
        current=stage.id,
        current_label=stage.label,
        days_in_stage=days,
        status=status,
        status_text=_status_text(stage, days, status),
        window_start=window_start,
        window_end=window_end,
        window_text=window_text,
        narrative=_narrative(stage, nickname.strip() or NO_NICKNAME, order_number, today),
    )


def _first_reached(events: Sequence[tuple[str, datetime]], trip: Journey) -> dict[str, datetime]:
    """When each known stage was first reached; a repeated feed message doesn't move the date."""
    known = {stage.id for stage in trip.stages}
    reached: dict[str, datetime] = {}
    for stage_id, moment in events:
        if stage_id in known:
            moment = as_utc(moment)
            reached[stage_id] = min(moment, reached.get(stage_id, moment))
    return reached


def _steps(trip: Journey, reached: dict[str, datetime], index: int) -> tuple[StageStep, ...]:
    def state(i: int, stage: Stage) -> str:
        # A delivered car has finished its journey: nothing is "current" any more.
        if i < index or (i == index and stage.id == DELIVERED):
            return "done"
        return "current" if i == index else "upcoming"

    return tuple(
        StageStep(stage.id, stage.label, reached.get(stage.id) if i <= index else None, state(i, stage))
        for i, stage in enumerate(trip.stages)
    )


def _status(stage: Stage, days: int) -> str:
    if stage.id == DELIVERED:
        return "delivered"
    if days <= stage.typical_days:
        return "on_track"
    return "running_long" if days <= stage.max_days else "overdue"


def _status_text(stage: Stage, days: int, status: str) -> str:
    if status == "delivered":
        return "Home safe. Welcome to the club."
    if status == "on_track":
        return f"Typically {_days(stage.typical_days)} {stage.phrase}; {_days(days)} so far."
    if status == "running_long":
        return (
            f"Typically {_days(stage.typical_days)} {stage.phrase}; day {days} is still normal "
            f"(it can take up to {_days(stage.max_days)})."
        )
    return (
        f"This is late, and we're sorry. Cars normally spend at most {_days(stage.max_days)} {stage.phrase}, "
        f"and this is day {days}. We're chasing it and will tell you as soon as it moves."
    )


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _window(
    trip: Journey, index: int, days: int, status: str, today: date, since: date
) -> tuple[date | None, date | None, str]:
    """The delivery window: what's left of this stage at its normal pace, plus every stage after it.

    An overdue stage could end any day now; we promise at least tomorrow rather than a window
    that has already closed.
    """
    if status == "delivered":
        return None, None, f"Delivered on {day_text(since, today)}"
    stage, later = trip.stages[index], trip.stages[index + 1 :]
    soonest = max(stage.min_days - days, 0) + sum(s.min_days for s in later)
    latest = max(stage.max_days - days, 1 if status == "overdue" else 0) + sum(s.max_days for s in later)
    start, end = today + timedelta(days=soonest), today + timedelta(days=latest)
    return start, end, _window_text(start, end, today)


def _window_text(start: date, end: date, today: date) -> str:
    return f"Expected {between(start, end, today)}"


def _narrative(stage: Stage, name: str, order_number: str, today: date) -> str:
    """A different variant each day, so the page is worth a daily look; buyers' cars don't move in step.

    The order number gives each order its own starting point, and the day steps through the variants.
    """
    story = of_the_day(stage.narratives, order_number, today)
    try:
        return placeholders.fill(story, {"name": name})
    except placeholders.PlaceholderError as error:
        # The studio's check refuses such copy, but a story stored before that check must not cost
        # the buyer their tracker: tell the operator, and tell the buyer the plain fact instead.
        log.warning("tracker story for stage %s can't be filled (%s); showing the plain stage", stage.id, error)
        return f"{name} is {stage.phrase}."


def of_the_day(choices: Sequence[str], order_number: str, today: date) -> str:
    """One of `choices` for today: it changes daily, and each order starts at its own place."""
    offset = int.from_bytes(hashlib.sha256(order_number.encode()).digest()[:4], "big")
    return choices[(today.toordinal() + offset) % len(choices)]


def days_to_go(state: Progress, today: date) -> str:
    """A countdown for daily visitors, as honest as the window it comes from."""
    if state.window_start is None or state.window_end is None:
        return ""
    low, high = ((day - today).days for day in (state.window_start, state.window_end))
    if high <= 0:
        return "Any day now"
    if low <= 0:
        return f"Any day now, and at most {_days(high)} to go"
    return f"{low} to {_days(high)} to go" if low != high else f"{_days(low)} to go"
