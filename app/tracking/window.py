"""A delivery window learnt from finished journeys: how long each stage really took, by model when we can.

Each stage gets a spread of real durations (a probability for each whole number of days) from the
orders that have been delivered: that model's own when it has enough of them, else every model's,
else a spread drawn from journey.toml's min/typical/max. The window is the middle 80% of the sum of
what is left: the rest of the current stage (given the days already spent in it) plus every later
stage. Plain Python over plain values, so /build, the dealer's order form, the tracker and the
backtest (tests/bench/window_backtest.py) share one model.
"""

from __future__ import annotations

import dataclasses
import itertools
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import numpy as np

from app.content.journey import DELIVERED, Journey, Stage

COVERAGE = 0.8  # the share of cars whose delivery the window should contain
MIN_SAMPLES = 30  # fewer finished stages than this and a model borrows every model's spread
LOOKBACK_DAYS = 540  # only journeys delivered in the last year and a half: ships, ports and plants change
_SHORTEST_TAIL = 1e-9


@dataclass(frozen=True)
class FinishedJourney:
    """One delivered car: its model and the day it first reached each stage."""

    model_id: str
    reached: Mapping[str, date]

    @property
    def delivered_on(self) -> date:
        return self.reached[DELIVERED]


@dataclass(frozen=True)
class WindowModel:
    """Per-stage spreads of days (index = days, value = probability), and where each came from."""

    stage_ids: tuple[str, ...]  # the stages a car spends time in, in journey order (not "delivered")
    by_model: Mapping[str, Mapping[str, np.ndarray]]
    everyone: Mapping[str, np.ndarray]
    shipped: Mapping[str, np.ndarray]
    samples: Mapping[tuple[str, str], int] = field(default_factory=dict)  # (model or "*", stage) -> count

    def spread(self, model_id: str, stage_id: str) -> np.ndarray:
        for table in (self.by_model.get(model_id, {}), self.everyone, self.shipped):
            if stage_id in table:
                return table[stage_id]
        raise KeyError(stage_id)

    def source(self, model_id: str, stage_id: str) -> str:
        """'model', 'everyone' or 'shipped': which spread `spread` uses (for the README and the bench)."""
        if stage_id in self.by_model.get(model_id, {}):
            return "model"
        return "everyone" if stage_id in self.everyone else "shipped"


def stage_durations(journeys: Iterable[FinishedJourney], stage_ids: Sequence[str]) -> dict[tuple[str, str], list[int]]:
    """Days spent in each stage, per (model, stage): from reaching it to reaching the next stage.

    A stage the feed skipped, or a next stage it skipped, tells us nothing about either: that pair is left out.
    """
    durations: dict[tuple[str, str], list[int]] = defaultdict(list)
    ordered = [*stage_ids, DELIVERED]
    for trip in journeys:
        for stage_id, next_id in itertools.pairwise(ordered):
            if stage_id in trip.reached and next_id in trip.reached:
                days = (trip.reached[next_id] - trip.reached[stage_id]).days
                if days >= 0:  # a feed that went backwards is for staff to untangle, not for the window
                    durations[(trip.model_id, stage_id)].append(days)
    return durations


def empirical(days: Sequence[int]) -> np.ndarray:
    counts = np.bincount(np.asarray(days, dtype=np.int64))
    return counts / counts.sum()


def from_journey_toml(stage: Stage) -> np.ndarray:
    """A triangle over min..max peaking at typical: the shipped durations as a spread, for stages without data."""
    low, mode, high = stage.min_days, stage.typical_days, stage.max_days
    if high == low:
        spread = np.zeros(high + 1)
        spread[high] = 1.0
        return spread
    days = np.arange(high + 1, dtype=float)
    rising = np.where(days <= mode, (days - low + 1) / (mode - low + 1), 0.0)
    falling = np.where(days > mode, (high - days + 1) / (high - mode + 1), 0.0)
    weights = np.clip(rising + falling, 0.0, None)
    weights[:low] = 0.0
    return weights / weights.sum()


def learn(
    journeys: Iterable[FinishedJourney], trip: Journey, *, today: date | None = None, min_samples: int = MIN_SAMPLES
) -> WindowModel:
    """The window model from the journeys delivered before `today` (all of them when None), recent ones only."""
    stage_ids = tuple(stage.id for stage in trip.stages if stage.id != DELIVERED)
    recent = [
        j
        for j in journeys
        if DELIVERED in j.reached and (today is None or today - timedelta(days=LOOKBACK_DAYS) <= j.delivered_on < today)
    ]
    durations = stage_durations(recent, stage_ids)
    pooled: dict[str, list[int]] = defaultdict(list)
    for (_model, stage_id), days in durations.items():
        pooled[stage_id] += days
    by_model: dict[str, dict[str, np.ndarray]] = defaultdict(dict)
    for (model_id, stage_id), days in durations.items():
        if len(days) >= min_samples:
            by_model[model_id][stage_id] = empirical(days)
    everyone = {stage_id: empirical(days) for stage_id, days in pooled.items() if len(days) >= min_samples}
    shipped = {stage.id: from_journey_toml(stage) for stage in trip.stages if stage.id != DELIVERED}
    samples = {key: len(days) for key, days in durations.items()} | {("*", s): len(d) for s, d in pooled.items()}
    return WindowModel(stage_ids, dict(by_model), everyone, shipped, samples)


def still_to_go(spread: np.ndarray, days_so_far: int) -> np.ndarray:
    """What is left of a stage already `days_so_far` days old: the spread of its remaining days.

    A car still in the stage took at least this long; past every duration we have seen, we expect it
    any day now (tomorrow), as the tracker already promises for an overdue stage.
    """
    tail = spread[days_so_far:] if days_so_far < len(spread) else np.zeros(0)
    if tail.sum() < _SHORTEST_TAIL:
        left = np.zeros(2)
        left[1] = 1.0
        return left
    return tail / tail.sum()


def remaining_days(model: WindowModel, model_id: str, stage_id: str = "", days_in_stage: int = 0) -> np.ndarray:
    """The spread of days until delivery for a car in `stage_id` (the first stage when empty) since `days_in_stage`."""
    start = model.stage_ids.index(stage_id) if stage_id else 0
    total = still_to_go(model.spread(model_id, model.stage_ids[start]), max(days_in_stage, 0))
    for later in model.stage_ids[start + 1 :]:
        total = np.convolve(total, model.spread(model_id, later))
    return total


def central_range(spread: np.ndarray, coverage: float = COVERAGE) -> tuple[int, int]:
    """The days between which the middle `coverage` of the spread lies (equal tails either side)."""
    cumulative = np.cumsum(spread)
    tail = (1.0 - coverage) / 2
    low = int(np.searchsorted(cumulative, tail - 1e-12))
    high = int(np.searchsorted(cumulative, 1.0 - tail - 1e-12))
    return low, min(high, len(spread) - 1)


def delivery_window(
    model: WindowModel, model_id: str, today: date, stage_id: str = "", days_in_stage: int = 0
) -> tuple[date, date]:
    """The first and last day of the 80% delivery window for a car in `stage_id` (just ordered by default)."""
    if stage_id == DELIVERED:
        return today, today
    low, high = central_range(remaining_days(model, model_id, stage_id, days_in_stage))
    return today + timedelta(days=low), today + timedelta(days=high)


def fixed_window(trip: Journey, today: date) -> tuple[date, date]:
    """Today's window for a new order before this model: every stage's min_days to every stage's max_days."""
    return (
        today + timedelta(days=sum(stage.min_days for stage in trip.stages)),
        today + timedelta(days=sum(stage.max_days for stage in trip.stages)),
    )


def between(start: date, end: date, today: date) -> str:
    """'between 12 February and 3 March' (years only when they aren't this one); 'on 3 March' for one day."""
    if start == end:
        return f"on {day_text(end, today)}"
    if start.year != end.year:
        return f"between {day_text(start, today, year=True)} and {day_text(end, today, year=True)}"
    first = f"{start.day}" if start.month == end.month else f"{start.day} {start:%B}"
    return f"between {first} and {day_text(end, today)}"


def day_text(moment: date, today: date, year: bool = False) -> str:
    """'3 March', with the year only when it isn't this one (or when asked)."""
    text = f"{moment.day} {moment:%B}"
    return f"{text} {moment.year}" if year or moment.year != today.year else text


def order_today_text(model: WindowModel, model_id: str, today: date) -> str:
    """What /build and the dealer's order form say: 'Order today, expect it between 12 February and 3 March'."""
    start, end = delivery_window(model, model_id, today)
    return f"Order today, expect it {between(start, end, today)}"


def with_learnt_window(state, model: WindowModel, model_id: str, today: date):
    """A tracker `Progress` with its window learnt from finished journeys, from the stage the car is in now.

    (Typed loosely: progress.py imports this module for its wording, so this one can't import Progress.)
    """
    if state.window_start is None:  # delivered: "Delivered on …" stays as it is
        return state
    start, end = delivery_window(model, model_id, today, state.current, state.days_in_stage)
    return dataclasses.replace(
        state, window_start=start, window_end=end, window_text=f"Expected {between(start, end, today)}"
    )


# ---- the model the app uses, learnt from the database and kept for a few minutes per process


def finished_journeys(session, since: date) -> list[FinishedJourney]:
    """Every journey delivered on or after `since`, as the first day each stage was reached."""
    from sqlmodel import col, select

    from app.orders.models import Order, StageEvent

    since_moment = datetime(since.year, since.month, since.day, tzinfo=UTC)
    delivered = select(StageEvent.order_id).where(
        StageEvent.stage == DELIVERED, col(StageEvent.reached_at) >= since_moment
    )
    rows = session.exec(
        select(Order.id, Order.model_id, StageEvent.stage, StageEvent.reached_at)
        .join(StageEvent, col(StageEvent.order_id) == col(Order.id))
        .where(col(Order.id).in_(delivered))
    ).all()
    reached: dict[int, dict[str, date]] = defaultdict(dict)
    models: dict[int, str] = {}
    for order_id, model_id, stage_id, moment in rows:
        models[order_id] = model_id
        day = _as_date(moment)
        reached[order_id][stage_id] = min(day, reached[order_id].get(stage_id, day))
    return [FinishedJourney(models[order_id], stages) for order_id, stages in reached.items()]


def _as_date(moment: datetime | date) -> date:
    # SQLite hands datetimes back without a zone; everything Motorjoy stores is UTC.
    if isinstance(moment, datetime):
        return (moment if moment.tzinfo is None else moment.astimezone(UTC)).date()
    return moment


_REFRESH_SECONDS = 600
_cache: dict[tuple, tuple[float, WindowModel]] = {}
_cache_lock = threading.Lock()
# /build's line per (learnt model, car model, day): every pick on /build asks again for the same few lines.
_lines: dict[tuple[int, str, date], tuple[WindowModel, str]] = {}


def current_model(trip: Journey, today: date, url: str | None = None) -> WindowModel:
    """The model learnt from this database's finished journeys, relearnt every ten minutes (and per journey copy)."""
    from app import db

    key = (url, today, tuple((s.id, s.min_days, s.typical_days, s.max_days) for s in trip.stages))
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None and time.monotonic() - hit[0] < _REFRESH_SECONDS:
            return hit[1]
    with db.session(url) as s:
        journeys = finished_journeys(s, today - timedelta(days=LOOKBACK_DAYS))
    model = learn(journeys, trip, today=today + timedelta(days=1))
    with _cache_lock:
        _cache.clear()  # one entry is all a process needs: yesterday's model is never asked for again
        _cache[key] = (time.monotonic(), model)
    return model


def expected_for_new_order(model_id: str, trip: Journey, today: date | None = None, url: str | None = None) -> str:
    """The /build and order-form line for `model_id`, from the model learnt from this database."""
    today = today or datetime.now(UTC).date()
    model = current_model(trip, today, url)
    key = (id(model), model_id, today)
    with _cache_lock:
        hit = _lines.get(key)
    if hit is not None and hit[0] is model:  # the model kept in the entry: its id can't have been reused
        return hit[1]
    text = order_today_text(model, model_id, today)
    with _cache_lock:
        if len(_lines) > 64:  # a relearnt model or a new day: the old lines are never asked for again
            _lines.clear()
        _lines[key] = (model, text)
    return text
