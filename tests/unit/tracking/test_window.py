"""The learnt delivery window: spreads per stage and model, fallbacks, the 80% range, and the database read."""

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from app.content.journey import journey
from app.orders.models import StageEvent
from app.tracking.window import (
    FinishedJourney,
    between,
    central_range,
    delivery_window,
    finished_journeys,
    fixed_window,
    from_journey_toml,
    learn,
    order_today_text,
    remaining_days,
    stage_durations,
    still_to_go,
)
from tests.unit.tracking.tracking_data import add_order

TRIP = journey()
STAGES = [s.id for s in TRIP.stages]


def trip_of(model_id: str, start: date, days: list[int]) -> FinishedJourney:
    """A delivered journey spending days[i] in stage i."""
    reached, day = {}, start
    for stage_id, spent in zip(STAGES, [*days, 0], strict=True):
        reached[stage_id] = day
        day += timedelta(days=spent)
    return FinishedJourney(model_id, reached)


def typical_days(extra: int = 0) -> list[int]:
    return [s.typical_days + extra for s in TRIP.stages[:-1]]


def test_stage_durations_count_days_between_stages_and_skip_gaps():
    full = trip_of("hatch", date(2025, 1, 1), typical_days())
    gappy = FinishedJourney("hatch", {k: v for k, v in full.reached.items() if k != "built"})
    durations = stage_durations([full, gappy], STAGES[:-1])
    assert durations[("hatch", "ordered")] == [7, 7]
    assert durations[("hatch", "scheduled")] == [18]  # the gappy trip says nothing about scheduled or built
    assert durations[("hatch", "built")] == [4]


def test_shipped_spread_stays_inside_min_and_max_and_peaks_at_typical():
    stage = TRIP.stages[4]  # at sea: 18 / 24 / 32
    spread = from_journey_toml(stage)
    assert spread.sum() == pytest.approx(1.0)
    assert spread[: stage.min_days].sum() == 0 and len(spread) == stage.max_days + 1
    assert int(np.argmax(spread)) == stage.typical_days


def test_without_history_the_window_comes_from_journey_toml():
    model = learn([], TRIP)
    assert model.source("hatch", "at_sea") == "shipped"
    start, end = delivery_window(model, "hatch", date(2026, 1, 1))
    fixed_start, fixed_end = fixed_window(TRIP, date(2026, 1, 1))
    assert fixed_start < start < end < fixed_end  # the middle 80%, not the whole range


def test_a_model_with_enough_journeys_gets_its_own_spread_and_others_borrow_everyones():
    hatches = [trip_of("hatch", date(2025, 1, 1) + timedelta(days=i), typical_days()) for i in range(30)]
    convertibles = [trip_of("convertible", date(2025, 1, 1), typical_days(3)) for _ in range(5)]
    model = learn(hatches + convertibles, TRIP, min_samples=30)
    assert model.source("hatch", "at_sea") == "model"
    assert model.source("convertible", "at_sea") == "everyone"  # 5 of its own, 35 in all
    sure = delivery_window(model, "hatch", date(2026, 1, 1))
    assert sure[0] == sure[1] == date(2026, 1, 1) + timedelta(days=sum(typical_days()))


def test_slower_model_gets_a_later_window():
    hatch = [trip_of("hatch", date(2025, 1, 1), typical_days()) for _ in range(40)]
    slow = [trip_of("convertible", date(2025, 1, 1), typical_days(2)) for _ in range(40)]
    model = learn(hatch + slow, TRIP)
    assert delivery_window(model, "convertible", date(2026, 1, 1))[0] == date(2026, 1, 1) + timedelta(
        days=sum(typical_days(2))
    )


def test_only_journeys_delivered_before_today_and_recently_count():
    old = [trip_of("hatch", date(2020, 1, 1), typical_days()) for _ in range(40)]
    future = [trip_of("hatch", date(2026, 1, 1), typical_days()) for _ in range(40)]
    model = learn(old + future, TRIP, today=date(2025, 6, 1))
    assert model.source("hatch", "at_sea") == "shipped"


def test_central_range_has_equal_tails():
    spread = np.full(10, 0.1)  # days 0..9 equally likely
    assert central_range(spread, 0.8) == (0, 8)
    assert central_range(np.array([0, 0, 1.0])) == (2, 2)


def test_days_already_spent_shift_and_condition_the_current_stage():
    spread = np.array([0, 0.5, 0.5])
    assert list(still_to_go(spread, 2)) == [1.0]
    assert list(still_to_go(spread, 5)) == [0, 1.0]  # past every duration seen: tomorrow
    model = learn([trip_of("hatch", date(2025, 1, 1), typical_days()) for _ in range(40)], TRIP)
    left = remaining_days(model, "hatch", "at_sea", days_in_stage=20)
    assert central_range(left) == (4 + 7 + 4, 4 + 7 + 4)


def test_delivered_car_has_no_window_left():
    model = learn([], TRIP)
    assert delivery_window(model, "hatch", date(2026, 3, 1), "delivered") == (date(2026, 3, 1), date(2026, 3, 1))


def test_wording():
    today = date(2026, 1, 10)
    assert between(date(2026, 2, 12), date(2026, 3, 3), today) == "between 12 February and 3 March"
    assert between(date(2026, 3, 1), date(2026, 3, 3), today) == "between 1 and 3 March"
    assert between(date(2026, 12, 30), date(2027, 1, 3), today) == "between 30 December 2026 and 3 January 2027"
    assert between(date(2026, 3, 3), date(2026, 3, 3), today) == "on 3 March"
    text = order_today_text(learn([], TRIP), "hatch", today)
    assert text.startswith("Order today, expect it between ")


def test_finished_journeys_read_first_day_of_each_stage_of_delivered_orders_only(s):
    done = add_order(s, "MJDONE01", "Fiona MacLeod", "fiona@example.com")
    going = add_order(s, "MJGOING1", "Alex Reid", "alex@example.com")
    start = datetime(2025, 1, 1, 9, tzinfo=UTC)
    for stage_id, offset in (("ordered", 0), ("scheduled", 7), ("scheduled", 9), ("delivered", 80)):
        s.add(StageEvent(order_id=done.id, stage=stage_id, reached_at=start + timedelta(days=offset)))
    s.add(StageEvent(order_id=going.id, stage="ordered", reached_at=start))
    s.flush()
    trips = finished_journeys(s, date(2024, 6, 1))
    assert len(trips) == 1
    assert trips[0].model_id == done.model_id
    assert trips[0].reached["scheduled"] == date(2025, 1, 8)  # a repeated report doesn't move the day
    assert trips[0].delivered_on == date(2025, 3, 22)
    assert finished_journeys(s, date(2025, 6, 1)) == []


def test_the_tracker_window_is_learnt_from_the_stage_the_car_is_in():
    from app.tracking.progress import progress
    from app.tracking.window import with_learnt_window

    model = learn([trip_of("hatch", date(2025, 1, 1), typical_days()) for _ in range(40)], TRIP)
    today = date(2026, 3, 10)
    at_sea = datetime(2026, 3, 1, tzinfo=UTC)
    state = progress([("at_sea", at_sea)], "McGregor", "MJAAAAAA", datetime(2026, 3, 10, tzinfo=UTC))
    learnt = with_learnt_window(state, model, "hatch", today)
    left = 24 - 9 + 7 + 4  # the rest of a typical crossing, then port and dealer
    assert learnt.window_start == learnt.window_end == today + timedelta(days=left)
    assert learnt.window_text == f"Expected on {learnt.window_end.day} {learnt.window_end:%B}"
    home = progress([("delivered", at_sea)], "McGregor", "MJAAAAAA", datetime(2026, 3, 10, tzinfo=UTC))
    assert with_learnt_window(home, model, "hatch", today) == home


def test_the_build_line_is_kept_per_learnt_model_and_follows_a_relearnt_one(monkeypatch):
    from app.tracking import window

    today = date(2025, 6, 1)
    learnt = [learn([], TRIP)]
    monkeypatch.setattr(window, "current_model", lambda trip, day, url=None: learnt[0])
    first = window.expected_for_new_order("hatch", TRIP, today)
    assert window.expected_for_new_order("hatch", TRIP, today) == first == order_today_text(learnt[0], "hatch", today)
    # Relearnt from slower journeys: the line follows at once, never the old model's.
    learnt[0] = learn([trip_of("hatch", date(2025, 1, 1), typical_days(20)) for _ in range(40)], TRIP)
    again = window.expected_for_new_order("hatch", TRIP, today)
    assert again == order_today_text(learnt[0], "hatch", today) != first
