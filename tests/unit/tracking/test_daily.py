"""Small rewards for daily visitors: the fact of the day and the countdown."""

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest

from app.content.journey import JOURNEY_FILE, journey, load_journey
from app.tracking.progress import days_to_go, of_the_day, progress

TODAY = date(2026, 11, 25)


def test_fact_changes_daily_and_differs_between_orders():
    facts = journey().facts
    assert len(facts) >= 5
    week = [of_the_day(facts, "MJ4K7QX2", TODAY + timedelta(days=n)) for n in range(len(facts))]
    assert sorted(week) == sorted(facts)  # every fact comes round once a cycle
    assert of_the_day(facts, "MJ4K7QX2", TODAY) == of_the_day(facts, "MJ4K7QX2", TODAY)
    assert {of_the_day(facts, n, TODAY) for n in ("MJ4K7QX2", "MJ9TWP3H", "MJ2RNC8V", "MJ7HQM4D")} != {facts[0]}


def test_countdown_follows_the_window():
    now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    at_sea = progress(
        [("ordered", now - timedelta(days=60)), ("at_sea", now - timedelta(days=3))], "Pip", "MJ4K7QX2", now
    )
    text = days_to_go(at_sea, now.date())
    low, high = ((d - now.date()).days for d in (at_sea.window_start, at_sea.window_end))
    assert text == f"{low} to {high} days to go" and 0 < low < high
    home = progress([("delivered", now - timedelta(days=1))], "Pip", "MJ4K7QX2", now)
    assert days_to_go(home, now.date()) == ""


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        (1, 1, "1 day to go"),
        (1, 2, "1 to 2 days to go"),
        (4, 4, "4 days to go"),
        (0, 3, "Any day now, and at most 3 days to go"),
        (-2, 1, "Any day now, and at most 1 day to go"),
        (-5, 0, "Any day now"),
        (-9, -2, "Any day now"),
    ],
)
def test_countdown_reads_well_at_every_distance(start, end, words):
    now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    at_sea = progress([("ordered", now - timedelta(days=60)), ("at_sea", now)], "Pip", "MJ4K7QX2", now)
    window = dataclasses.replace(
        at_sea, window_start=TODAY + timedelta(days=start), window_end=TODAY + timedelta(days=end)
    )
    assert days_to_go(window, TODAY) == words


def test_facts_must_be_text(tmp_path):
    journey_file = tmp_path / "journey.toml"
    journey_file.write_text(JOURNEY_FILE.read_text().replace("facts = [", "facts = [42, ", 1))
    with pytest.raises(ValueError, match="facts"):
        load_journey(journey_file)
