"""Progress: the current stage, the pace against normal, the delivery window and the daily narrative.

Most tests run against the small journey in tracking_data (ordered 2–3–5 days, built 4–5–8, at sea
10–12–15), so every window below can be checked with pencil and paper.
"""

from datetime import UTC, date, datetime, timedelta

import pytest

from app.tracking import progress as core
from tests.unit.tracking.tracking_data import NOW, small_trip

DAY = timedelta(days=1)


def progress(events, nickname, number, now=None):
    """The core, handed the small journey (as a page hands it the published one)."""
    return core.progress(events, nickname, number, now=now, trip=small_trip())


def at(stage, days_ago, now=NOW, nickname="McGregor", number="MJ4K7QX2"):
    """Progress of an order that reached `stage` `days_ago` days before `now` (ordered long before)."""
    events = [("ordered", now - 60 * DAY), (stage, now - days_ago * DAY)]
    return progress(events, nickname, number, now=now)


def test_the_window_narrows_as_stages_complete():
    ordered = progress([("ordered", NOW)], "McGregor", "MJ4K7QX2", now=NOW)
    built = at("built", 0)
    at_sea = at("at_sea", 0)
    assert (ordered.window_start, ordered.window_end) == (date(2025, 3, 17), date(2025, 3, 29))  # 2+4+10, 5+8+15
    assert (built.window_start, built.window_end) == (date(2025, 3, 15), date(2025, 3, 24))  # 4+10, 8+15
    assert (at_sea.window_start, at_sea.window_end) == (date(2025, 3, 11), date(2025, 3, 16))
    assert ordered.window_text == "Expected between 17 and 29 March"


def test_time_spent_in_the_current_stage_comes_off_the_window():
    p = at("at_sea", 11)
    assert p.days_in_stage == 11 and p.status == "on_track"
    assert (p.window_start, p.window_end) == (date(2025, 3, 1), date(2025, 3, 5))  # 0 and 15 − 11 days left


def test_events_in_any_order_and_skipped_stages():
    events = [("at_sea", NOW - 4 * DAY), ("ordered", datetime(2025, 1, 1, tzinfo=UTC)), ("at_sea", NOW - 2 * DAY)]
    p = progress(events, "McGregor", "MJ4K7QX2", now=NOW)
    assert p == progress(list(reversed(events)), "McGregor", "MJ4K7QX2", now=NOW)
    assert p.current == "at_sea" and p.current_label == "At sea"
    assert p.days_in_stage == 4  # the first report of the stage counts, not the repeat
    assert [(step.id, step.state, step.reached_at) for step in p.steps] == [
        ("ordered", "done", datetime(2025, 1, 1, tzinfo=UTC)),
        ("built", "done", None),  # the feed skipped it, but the car is clearly past it
        ("at_sea", "current", NOW - 4 * DAY),
        ("delivered", "upcoming", None),
    ]


def test_naive_datetimes_are_utc():
    naive = NOW.replace(tzinfo=None)
    p = progress([("ordered", naive - 3 * DAY)], "McGregor", "MJ4K7QX2", now=naive)
    assert p == progress([("ordered", NOW - 3 * DAY)], "McGregor", "MJ4K7QX2", now=NOW)
    assert p.steps[0].reached_at.tzinfo is UTC


@pytest.mark.parametrize(
    ("days", "status", "window_end"),
    [
        (12, "on_track", date(2025, 3, 4)),
        (13, "running_long", date(2025, 3, 3)),
        (15, "running_long", date(2025, 3, 1)),  # the last normal day: it could land today
        (16, "overdue", date(2025, 3, 2)),  # past normal: never a window that has already closed
        (40, "overdue", date(2025, 3, 2)),
    ],
)
def test_running_long_and_overdue_boundaries(days, status, window_end):
    p = at("at_sea", days)
    assert (p.status, p.window_start, p.window_end) == (status, date(2025, 3, 1), window_end)


def test_status_texts_are_plain():
    assert at("at_sea", 5).status_text == "Typically 12 days at sea; 5 days so far."
    assert at("at_sea", 13).status_text == (
        "Typically 12 days at sea; day 13 is still normal (it can take up to 15 days)."
    )
    overdue = at("at_sea", 16).status_text
    assert "late" in overdue and "sorry" in overdue and "at most 15 days at sea" in overdue and "day 16" in overdue


def test_delivered():
    p = at("delivered", 17)
    assert (p.status, p.current, p.window_start, p.window_end) == ("delivered", "delivered", None, None)
    assert p.window_text == "Delivered on 12 February"
    assert {step.state for step in p.steps} == {"done"}
    assert p.narrative == "McGregor is home."


@pytest.mark.parametrize(
    ("now", "text"),
    [
        (datetime(2025, 3, 10, tzinfo=UTC), "Expected between 26 March and 7 April"),
        (datetime(2025, 12, 20, tzinfo=UTC), "Expected between 5 and 17 January 2026"),
        (datetime(2025, 12, 10, tzinfo=UTC), "Expected between 26 December 2025 and 7 January 2026"),
    ],
)
def test_window_text_across_months_and_years(now, text):
    assert progress([("ordered", now)], "McGregor", "MJ4K7QX2", now=now).window_text == text


def test_narrative_fills_the_name_or_says_your_car():
    assert at("ordered", 0).narrative == "McGregor is ordered."
    assert at("ordered", 0, nickname="  ").narrative == "Your car is ordered."


def test_narrative_rotates_daily_and_is_the_same_all_day():
    days = [at("at_sea", n, now=NOW + n * DAY).narrative for n in range(4)]
    assert len(set(days[:3])) == 3 and days[3] == days[0]  # every variant, then round again
    assert at("at_sea", 0, now=NOW + 8 * 3600 * timedelta(seconds=1)).narrative == days[0]
    today = {at("at_sea", 0, number=f"MJ4K7QX{c}").narrative for c in "23456789AB"}
    assert len(today) > 1  # neighbours don't all read the same line on the same day


@pytest.mark.parametrize("story", ["{name.__class__} sails", "{weather:sunny} at sea", "{name!r} at sea", "{0} at sea"])
def test_a_stored_bad_story_falls_back_to_the_plain_stage_with_a_log_line(small_journey, caplog, story):
    from dataclasses import replace

    stages = tuple(replace(s, narratives=(story,)) if s.id == "at_sea" else s for s in small_journey.stages)
    trip = replace(small_journey, stages=stages)  # handed in, as a page hands in the published journey
    at_sea = next(s for s in stages if s.id == "at_sea")
    events = [("ordered", NOW - 60 * DAY), ("at_sea", NOW)]
    assert (
        core.progress(events, "McGregor", "MJ4K7QX2", now=NOW, trip=trip).narrative == f"McGregor is {at_sea.phrase}."
    )
    assert "tracker story for stage at_sea can't be filled" in caplog.text
